//! Writing output files safely.
//!
//! In: an output directory and (file name, content) pairs.
//! Out: the files, each written atomically (a temporary file in the same
//! directory, then a rename), so a reader never sees half a file and an
//! interrupted build leaves the previous files intact. Names are checked to
//! be plain file names: nothing is written outside the directory, and a
//! symlink in the directory is replaced, never followed.

use std::io::Write;
use std::path::Path;

/// `true` for a plain file name (no separators, no `..`, not hidden).
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0', ':'])
        && name != ".."
        && name.len() <= 200
}

/// Writes one file atomically inside `dir` (an output directory: `name`
/// must be a plain file name, and a symlink there is replaced).
pub fn write_atomic(dir: &Path, name: &str, content: &[u8]) -> Result<(), String> {
    if !is_plain_file_name(name) {
        return Err(format!("refusing to write `{name}`: not a plain file name"));
    }
    write_in(dir, name, content)
}

/// Rewrites a file the user named (`fmt`, `build --inject`) atomically. A
/// symlink is followed — the file it points to is rewritten and the link
/// kept — and any name is fine, hidden files included.
pub fn replace_file(path: &Path, content: &[u8]) -> Result<(), String> {
    let real =
        std::fs::canonicalize(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    match (real.parent(), real.file_name()) {
        (Some(dir), Some(name)) => write_in(dir, &name.to_string_lossy(), content),
        _ => Err(format!("cannot write {}: not a file", path.display())),
    }
}

fn write_in(dir: &Path, name: &str, content: &[u8]) -> Result<(), String> {
    let target = dir.join(name);
    // Unchanged files are left alone (cheaper, and their timestamps stay put).
    if let Ok(meta) = std::fs::symlink_metadata(&target)
        && meta.is_file()
        && meta.len() == content.len() as u64
        && std::fs::read(&target).is_ok_and(|old| old == content)
    {
        return Ok(());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".c4c-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    // No fsync: the rename is what makes the write atomic for readers and for
    // an interrupted build; syncing every one of thousands of files costs
    // seconds and protects only against power loss.
    tmp.write_all(content)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    tmp.persist(&target)
        .map_err(|e| format!("cannot write {}: {}", target.display(), e.error))?;
    Ok(())
}

/// Creates `dir` (and parents) if needed and writes every file atomically.
pub fn write_all<T: AsRef<str> + Sync>(dir: &Path, files: &[(String, T)]) -> Result<(), String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} exists and is not a directory", dir.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // File creation and renames dominate a large build; spread them over a few threads.
    crate::parallel::map_chunks(files, 4, 64, |part| {
        part.iter()
            .try_for_each(|(name, content)| write_atomic(dir, name, content.as_ref().as_bytes()))
    })
    .into_iter()
    .collect()
}

/// How a directory differs from what a build would write there.
#[derive(Debug, Default, PartialEq)]
pub struct Staleness {
    /// Files whose content differs.
    pub stale: Vec<String>,
    /// Files a build would create.
    pub missing: Vec<String>,
    /// Diagram files (`*.mmd`) in the directory that a build would not write.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares `files` with what `dir` holds, writing nothing.
pub fn compare<T: AsRef<str>>(dir: &Path, files: &[(String, T)]) -> Staleness {
    let mut s = Staleness::default();
    for (name, content) in files {
        match crate::load::read_input(&dir.join(name)) {
            Ok(old) if old == content.as_ref().as_bytes() => {}
            Ok(_) => s.stale.push(name.clone()),
            Err(_) => s.missing.push(name.clone()),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut extra: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".mmd") && !files.iter().any(|(f, _)| f == n))
            .collect();
        extra.sort();
        s.extra = extra;
    }
    s
}
