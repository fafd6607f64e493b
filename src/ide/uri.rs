//! `file:` URIs ↔ paths.
//!
//! In: an absolute path, or a URI an editor sent. Out: the URI (bytes
//! outside the unreserved set percent-encoded), or the path it names
//! (`None` for any other scheme, a host, or an escape that is no UTF-8).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let text = text.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

/// The path a `file:` URI names.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` (no host) or `file://localhost/p`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = rest.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    let text = match text.get(1..3) {
        Some(drive) if cfg!(windows) && drive.ends_with(':') => text[1..].to_string(),
        _ => text,
    };
    Some(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_uris() {
        let p = Path::new("/tmp/a b/ünï#?.c4");
        let uri = from_path(p).unwrap_or_else(|| panic!("no uri"));
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BCn%C3%AF%23%3F.c4");
        assert_eq!(to_path(&uri).as_deref(), Some(p));
        let other = Uri::from_str("https://example.com/x.c4").ok();
        assert_eq!(other.as_ref().and_then(to_path), None);
        let bad = Uri::from_str("file:///x%FF.c4").ok();
        assert_eq!(bad.as_ref().and_then(to_path), None);
    }
}
