//! How a path is shown to the user.
//!
//! In: a path (as given or real). Out: its display name — relative to the
//! working directory when inside it, `.` and `..` folded, `/` between parts.

use std::path::{Component, Path, PathBuf};

/// A display name for a path: relative to the working directory when inside
/// it (`.` for the working directory itself), with `.` and `..` folded, `/`
/// as separator.
pub fn display_name(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| {
        let joined = match &cwd {
            Some(c) if path.is_relative() => c.join(path),
            _ => path.to_path_buf(),
        };
        normalize(&joined)
    });
    let shown = match &cwd {
        Some(cwd) => abs.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(abs),
        None => abs,
    };
    let shown = shown.to_string_lossy().replace('\\', "/");
    if shown.is_empty() { ".".into() } else { shown }
}

/// Folds `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
