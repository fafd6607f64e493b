//! The Mermaid bundled into c4c, so that a preview or a static site needs
//! no network: `assets/mermaid/mermaid.min.js.gz` (MIT licence beside it),
//! refreshed by `assets/mermaid/update.sh` to the version the render check
//! pins.
//!
//! In: nothing. Out: the script, gzipped as stored (for a browser that
//! accepts gzip) or inflated once on first use.

use std::io::Read;
use std::sync::OnceLock;

/// The bundled Mermaid's version.
pub const MERMAID_VERSION: &str = include_str!("../../assets/mermaid/VERSION");

static MERMAID_GZ: &[u8] = include_bytes!("../../assets/mermaid/mermaid.min.js.gz");

/// `mermaid.min.js`, gzipped.
pub fn mermaid_js_gz() -> &'static [u8] {
    MERMAID_GZ
}

/// `mermaid.min.js` (inflated once, then shared).
pub fn mermaid_js() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut out = String::new();
        let mut gz = flate2::read::GzDecoder::new(MERMAID_GZ);
        // The bundle is part of the binary: it inflates, or the build is broken
        // (a test checks it); an empty script then shows no diagram.
        if gz.read_to_string(&mut out).is_err() {
            out.clear();
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundle_inflates_and_is_the_version_it_says() {
        let js = super::mermaid_js();
        assert!(js.len() > 1_000_000, "{} bytes", js.len());
        let version = super::MERMAID_VERSION.trim();
        assert!(
            js.contains(&format!("\"{version}\"")),
            "not Mermaid {version}"
        );
    }
}
