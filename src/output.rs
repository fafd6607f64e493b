//! Writing output files safely.
//!
//! In: an output directory and (file name, content) pairs.
//! Out: the files, each written atomically (a temporary file in the same
//! directory, then a rename), so a reader never sees half a file and an
//! interrupted build leaves the previous files intact. Names are checked to
//! be plain file names: nothing is written outside the directory, and a
//! symlink in the directory is replaced, never followed. New files get the
//! usual mode (0666 less the umask); a rewritten file keeps its mode. The
//! temporaries a killed run left behind are removed by the next write to
//! that directory.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::error::{Cause, Output};

/// Temporary files are `.c4c-<pid>-<random>.tmp`.
const TMP_PREFIX: &str = ".c4c-";
const TMP_SUFFIX: &str = ".tmp";
/// A temporary of a process that may still run is left alone this long.
const TMP_GRACE: Duration = Duration::from_secs(3600);

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
pub fn write_atomic(dir: &Path, name: &str, content: &[u8]) -> Result<(), Output> {
    if !is_plain_file_name(name) {
        return Err(Output::NotPlainName(name.to_string()));
    }
    write_in(dir, name, content)
}

/// Rewrites a file the user named (`fmt`, `build --inject`) atomically. A
/// symlink is followed — the file it points to is rewritten and the link
/// kept — and any name is fine, hidden files included.
pub fn replace_file(path: &Path, content: &[u8]) -> Result<(), Output> {
    let cannot = |cause| Output::File {
        path: path.to_path_buf(),
        cause,
    };
    let real = std::fs::canonicalize(path).map_err(|e| cannot(Cause::Io(e)))?;
    match (real.parent(), real.file_name()) {
        (Some(dir), Some(name)) => {
            remove_stale_temporaries(dir);
            write_in(dir, &name.to_string_lossy(), content)
        }
        _ => Err(cannot(Cause::NotAFile)),
    }
}

fn write_in(dir: &Path, name: &str, content: &[u8]) -> Result<(), Output> {
    let target = dir.join(name);
    let cannot = |e| Output::File {
        path: target.clone(),
        cause: Cause::Io(e),
    };
    let old = std::fs::symlink_metadata(&target)
        .ok()
        .filter(|m| m.is_file());
    // Unchanged files are left alone (cheaper, and their timestamps stay put).
    if let Some(meta) = &old
        && meta.len() == content.len() as u64
        && std::fs::read(&target).is_ok_and(|old| old == content)
    {
        return Ok(());
    }
    let mut tmp = temporary_in(dir)?;
    // A file that is rewritten keeps its mode (set on the open file, so the
    // umask does not apply).
    if let Some(meta) = &old {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(cannot)?;
    }
    // No fsync: the rename is what makes the write atomic for readers and for
    // an interrupted build; syncing every one of thousands of files costs
    // seconds and protects only against power loss.
    tmp.write_all(content).map_err(cannot)?;
    tmp.persist(&target).map_err(|e| cannot(e.error))?;
    Ok(())
}

/// A new temporary file in `dir` (c4c's prefix and suffix, the usual mode),
/// renamed over its target once written.
fn temporary_in(dir: &Path) -> Result<tempfile::NamedTempFile, Output> {
    let prefix = format!("{TMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    new_file_mode(&mut builder);
    builder.tempfile_in(dir).map_err(|e| Output::Temporary {
        dir: dir.to_path_buf(),
        cause: Cause::Io(e),
    })
}

/// Creates the file `path` (and its missing parent directories) with
/// `content`, atomically, and only if there is no such file: never
/// overwrites, not even a file that appears while it is being written
/// (`Output::Exists`). A new file gets the usual mode.
pub fn create_new(path: &Path, content: &[u8]) -> Result<(), Output> {
    let cannot = |cause| Output::File {
        path: path.to_path_buf(),
        cause,
    };
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Output::Exists(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Output::Directory {
        dir: dir.to_path_buf(),
        cause: Cause::Io(e),
    })?;
    let mut tmp = temporary_in(dir)?;
    tmp.write_all(content).map_err(|e| cannot(Cause::Io(e)))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Output::Exists(path.to_path_buf()))
        }
        Err(e) => Err(cannot(Cause::Io(e.error))),
    }
}

/// Asks for mode 0666 on a new file, which the system masks with the umask
/// (0644 under the usual 022), as for any file a tool writes; tempfile's
/// default is 0600.
fn new_file_mode(builder: &mut tempfile::Builder<'_, '_>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    #[cfg(not(unix))]
    let _ = builder;
}

/// Removes the temporaries that an earlier, killed run left in `dir`: files
/// named `.c4c-<pid>-….tmp` whose process is gone, or which are older than
/// an hour. Other files, and a running build's temporaries, are kept.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_pid) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || pid == Some(own) {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age > TMP_GRACE);
        if old || pid.is_some_and(|p| !process_runs(p)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// For a temporary's name, the pid in it (`Some(None)`: a temporary of an
/// older version, without one); `None` for any other name.
fn temporary_pid(name: &str) -> Option<Option<u32>> {
    let middle = name.strip_prefix(TMP_PREFIX)?.strip_suffix(TMP_SUFFIX)?;
    Some(middle.split_once('-').and_then(|(pid, _)| pid.parse().ok()))
}

/// Whether process `pid` still runs. Where that cannot be told (no
/// `/proc`), it is taken to run, and only age removes its temporaries.
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Creates `dir` (and parents) if needed and writes every file atomically.
pub fn write_all<T: AsRef<str> + Sync>(dir: &Path, files: &[(String, T)]) -> Result<(), Output> {
    if dir.exists() && !dir.is_dir() {
        return Err(Output::NotADirectory(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|e| Output::Directory {
        dir: dir.to_path_buf(),
        cause: Cause::Io(e),
    })?;
    remove_stale_temporaries(dir);
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
        match holds(&dir.join(name), content.as_ref().as_bytes()) {
            Some(true) => {}
            Some(false) => s.stale.push(name.clone()),
            None => s.missing.push(name.clone()),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        // A set: a directory of many diagrams is compared in linear time.
        let written: std::collections::HashSet<&str> =
            files.iter().map(|(f, _)| f.as_str()).collect();
        let mut extra: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".mmd") && !written.contains(n.as_str()))
            .collect();
        extra.sort();
        s.extra = extra;
    }
    s
}

/// Whether the file at `path` holds exactly `content` (`None`: there is no
/// such file). Reads at most one byte more than `content`, whatever the
/// file's size, and never through a symlink: anything but a regular file
/// is stale, as a build would replace it.
fn holds(path: &Path, content: &[u8]) -> Option<bool> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return Some(false);
    }
    if meta.len() != content.len() as u64 {
        return Some(false);
    }
    let Ok(file) = File::open(path) else {
        return Some(false);
    };
    let mut old = Vec::with_capacity(content.len());
    match file.take(content.len() as u64 + 1).read_to_end(&mut old) {
        Ok(_) => Some(old == content),
        Err(_) => Some(false),
    }
}
