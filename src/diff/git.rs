//! The old side of `c4c diff --git`: a model as it is at a git revision.
//!
//! In: a revision, the paths to compare (files or directories, as given on
//! the command line, relative to the working directory) and an empty
//! directory. Out: the `.c4` files under those paths at that revision (for a
//! file: every `.c4` file of its directory, which its imports may reach),
//! the contracts they name, and their symbolic links (recreated as links,
//! for the loader's confinement to judge: a link is never followed here)
//! written into the directory; and the paths to compile there.
//!
//! git runs as plumbing only — `rev-parse`, `ls-tree -z` (names
//! NUL-separated, never quoted) and one `cat-file --batch` for every object —
//! with no pager, no external diff, no textconv or filters, no fsmonitor, no
//! system configuration, no lazy fetching; the revision is resolved through
//! `cat-file` (never parsed as an option) and `--end-of-options` goes before
//! any revision on a command line.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::error::{Batch as BatchError, Cause, Error, Git, Output};
use crate::load::MAX_FILE_SIZE;

/// Longest symbolic link target kept (longer: not recreated).
const MAX_LINK_TARGET: u64 = 4096;

/// git, configured so that nothing in the repository's configuration runs a
/// program or reaches the network.
fn git(cwd: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("GIT_EXTERNAL_DIFF")
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.pager=cat",
            "-c",
            "diff.external=",
            "-c",
            "protocol.allow=never",
            "-c",
            "core.untrackedCache=false",
        ]);
    c
}

/// Runs a git command to the end; its stdout, or git's message.
fn run(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, Git> {
    let out = git(cwd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(Git::Run)?;
    if !out.status.success() {
        return Err(Git::Failed {
            command: args.first().copied().unwrap_or_default().to_string(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// Bytes from git as a path (git's paths are bytes, not always UTF-8).
fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// One `git cat-file --batch` process: objects asked for one at a time.
struct Batch {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// An object read: its id, type and content.
struct Object {
    oid: String,
    kind: String,
    data: Vec<u8>,
}

impl Batch {
    fn start(top: &Path) -> Result<Batch, Git> {
        let mut child = git(top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(Git::Run)?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or(Git::Batch(BatchError::NoOutput))?;
        Ok(Batch {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The object `name` names (`None`: there is none), refused past `max` bytes.
    fn get(&mut self, name: &str, max: u64) -> Result<Option<Object>, BatchError> {
        let broken = BatchError::Broken;
        let stdin = self.stdin.as_mut().ok_or(BatchError::Stopped)?;
        stdin
            .write_all(format!("{name}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(broken)?;
        let mut header = Vec::new();
        (&mut self.stdout)
            .take(4096)
            .read_until(b'\n', &mut header)
            .map_err(broken)?;
        let header = String::from_utf8_lossy(&header).trim_end().to_string();
        let fields: Vec<&str> = header.split(' ').collect();
        let [oid, kind, size] = fields[..] else {
            // `NAME missing`, `NAME ambiguous`
            return Ok(None);
        };
        let size: u64 = size
            .parse()
            .map_err(|_| BatchError::Answer(header.clone()))?;
        if size > max {
            // Skip it, and the newline after it.
            std::io::copy(&mut (&mut self.stdout).take(size + 1), &mut std::io::sink())
                .map_err(broken)?;
            return Err(BatchError::TooLarge(max));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        (&mut self.stdout)
            .take(size)
            .read_to_end(&mut data)
            .map_err(broken)?;
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline).map_err(broken)?;
        if data.len() as u64 != size {
            return Err(BatchError::Truncated);
        }
        Ok(Some(Object {
            oid: oid.to_string(),
            kind: kind.to_string(),
            data,
        }))
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Every answer has been read in full: nothing is lost by stopping git.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One entry of `git ls-tree -r -z`.
struct Entry {
    mode: String,
    oid: String,
    /// Relative to the top of the repository.
    path: PathBuf,
}

/// Parses `ls-tree -r -z` output: `MODE SP TYPE SP OID TAB PATH NUL`.
fn entries(listing: &[u8]) -> Vec<Entry> {
    listing
        .split(|b| *b == 0)
        .filter_map(|rec| {
            let tab = rec.iter().position(|b| *b == b'\t')?;
            let meta = String::from_utf8_lossy(&rec[..tab]);
            let mut f = meta.split(' ');
            let (mode, _, oid) = (f.next()?, f.next()?, f.next()?);
            let path = path_of(&rec[tab + 1..]);
            // Only plain relative names: nothing that could climb or be `.git`.
            let plain = path.components().all(|c| match c {
                Component::Normal(n) => !n.eq_ignore_ascii_case(".git"),
                _ => false,
            });
            plain.then(|| Entry {
                mode: mode.to_string(),
                oid: oid.to_string(),
                path,
            })
        })
        .collect()
}

/// The revision named by the user has no commit here: why, in words.
fn missing_revision(rev: &str, top: &Path) -> Git {
    let shallow = run(top, &["rev-parse", "--is-shallow-repository"])
        .map(|o| String::from_utf8_lossy(&o).trim() == "true")
        .unwrap_or(false);
    Git::UnknownRevision {
        rev: rev.to_string(),
        shallow,
    }
}

/// Every `api "…"` path of a parsed file (as written).
fn contract_paths(file: &crate::syntax::ast::File) -> Vec<String> {
    use crate::syntax::ast::{Stmt, TopItem};
    fn walk(stmts: &[Stmt], out: &mut Vec<String>) {
        for s in stmts {
            match s {
                Stmt::Api(t, _) => out.push(t.value.clone()),
                Stmt::Group { body, .. } | Stmt::Extend { body, .. } => walk(body, out),
                Stmt::Element(e) => walk(e.body.as_deref().unwrap_or_default(), out),
                Stmt::Relationship(r) => walk(r.body.as_deref().unwrap_or_default(), out),
                Stmt::Instance(i) => walk(i.body.as_deref().unwrap_or_default(), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            TopItem::Model(stmts) => walk(stmts, &mut out),
            TopItem::Deployment(d) => walk(&d.body, &mut out),
            _ => {}
        }
    }
    out
}

/// `dir/rel` with `.` and `..` folded, if it stays inside the repository.
fn join_inside(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in dir.join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Writes a new file (never through an existing file or link).
fn write_new(into: &Path, rel: &Path, data: &[u8]) -> Result<(), Error> {
    let dest = into.join(rel);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(Git::Io)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&dest)
        .and_then(|mut f| f.write_all(data))
        .map_err(|e| {
            Error::Output(Output::File {
                path: dest.clone(),
                cause: Cause::Io(e),
            })
        })
}

/// Recreates a symbolic link under `into`, unless one of its directories is
/// itself a link (creating it would then write outside `into`).
#[cfg(unix)]
fn write_link(into: &Path, rel: &Path, target: &[u8]) {
    let mut dir = into.to_path_buf();
    for c in rel.parent().into_iter().flat_map(Path::components) {
        dir.push(c);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => return,
            Ok(_) => {}
            Err(_) => {
                if std::fs::create_dir(&dir).is_err() {
                    return;
                }
            }
        }
    }
    let _ = std::os::unix::fs::symlink(path_of(target), into.join(rel));
}

#[cfg(not(unix))]
fn write_link(_into: &Path, _rel: &Path, _target: &[u8]) {}

/// Writes the model under `paths` (relative to `cwd`, inside a git work
/// tree) as it is at `rev` into `into`, keeping paths relative to the
/// repository's top level; returns the paths to compile there (none when the
/// model does not exist at that revision).
pub fn export(
    cwd: &Path,
    rev: &str,
    paths: &[PathBuf],
    into: &Path,
) -> Result<Vec<PathBuf>, Error> {
    if rev.is_empty() || rev.chars().any(char::is_control) {
        return Err(Git::InvalidRevision(rev.to_string()).into());
    }
    let top = run(cwd, &["rev-parse", "--show-toplevel"])?;
    let top = path_of(top.strip_suffix(b"\n").unwrap_or(&top));
    let top = std::fs::canonicalize(&top).map_err(Git::Io)?;
    // (path to compile, directory to list), relative to the top.
    let mut wanted = Vec::new();
    for p in paths {
        let abs = std::fs::canonicalize(cwd.join(p)).unwrap_or_else(|_| cwd.join(p));
        let rel = abs
            .strip_prefix(&top)
            .map_err(|_| Git::OutsideRepository(p.clone()))?
            .to_path_buf();
        let is_file = abs.is_file() || (!abs.exists() && crate::source::is_model_file(&rel));
        // A file's imports may reach anywhere in its own directory.
        let dir = if is_file {
            rel.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            rel.clone()
        };
        wanted.push((rel, dir));
    }
    let mut batch = Batch::start(&top)?;
    // The commit's id, for ls-tree: the revision itself never reaches a command line.
    let commit = match batch.get(&format!("{rev}^{{commit}}"), MAX_FILE_SIZE) {
        Ok(Some(o)) if o.kind == "commit" && o.oid.bytes().all(|b| b.is_ascii_hexdigit()) => o.oid,
        _ => return Err(missing_revision(rev, &top).into()),
    };
    // After `--end-of-options` every argument is the tree, then paths (a
    // `--` there would be a path too).
    let mut args = vec!["ls-tree", "-r", "-z", "--end-of-options", commit.as_str()];
    let dirs: BTreeSet<String> = wanted
        .iter()
        .map(|(_, d)| d.to_string_lossy().into_owned())
        .collect();
    // No pathspec at all when the whole repository is wanted.
    if !dirs.iter().any(String::is_empty) {
        args.extend(dirs.iter().map(String::as_str));
    }
    let listing = entries(&run(&top, &args)?);
    write_tree(&listing, &mut batch, rev, into)?;
    Ok(wanted
        .into_iter()
        .map(|(rel, _)| into.join(rel))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .collect())
}

/// Writes the `.c4` files of `listing`, then the contracts they name, then
/// its symbolic links.
fn write_tree(listing: &[Entry], batch: &mut Batch, rev: &str, into: &Path) -> Result<(), Error> {
    let by_path: HashMap<&Path, &Entry> = listing.iter().map(|e| (e.path.as_path(), e)).collect();
    let is_blob = |e: &Entry| e.mode == "100644" || e.mode == "100755";
    let read = |batch: &mut Batch, e: &Entry, max: u64| -> Result<Vec<u8>, Git> {
        let missing = |why| Git::Object {
            rev: rev.to_string(),
            path: e.path.clone(),
            why,
        };
        match batch.get(&e.oid, max) {
            Ok(Some(o)) => Ok(o.data),
            Ok(None) => Err(missing(None)),
            Err(why) => Err(missing(Some(why))),
        }
    };
    let mut contracts = BTreeSet::new();
    for e in listing.iter().filter(|e| is_blob(e)) {
        if !crate::source::is_model_file(&e.path) {
            continue;
        }
        let data = read(batch, e, MAX_FILE_SIZE)?;
        if let Ok(text) = std::str::from_utf8(&data) {
            let (file, _) = crate::syntax::parse(crate::source::FileId(0), text);
            let dir = e.path.parent().unwrap_or(Path::new(""));
            contracts.extend(
                contract_paths(&file)
                    .iter()
                    .filter_map(|c| join_inside(dir, c)),
            );
        }
        write_new(into, &e.path, &data)?;
    }
    for c in &contracts {
        if let Some(e) = by_path.get(c.as_path()).filter(|e| is_blob(e)) {
            let data = read(batch, e, MAX_FILE_SIZE)?;
            write_new(into, &e.path, &data)?;
        }
    }
    for e in listing.iter().filter(|e| e.mode == "120000") {
        if let Ok(target) = read(batch, e, MAX_LINK_TARGET) {
            write_link(into, &e.path, &target);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_tree_names_are_taken_as_bytes_and_never_climb() {
        let out = b"100644 blob aa\tarch/caf\xc3\xa9.c4\x00100644 blob bb\tarch/a b\n.c4\0\
                    100644 blob cc\t../x.c4\x00100644 blob dd\t.git/config\0";
        let e = entries(out);
        let names: Vec<String> = e.iter().map(|e| e.path.display().to_string()).collect();
        assert_eq!(names, ["arch/café.c4", "arch/a b\n.c4"]);
    }

    #[test]
    fn contract_paths_stay_inside_the_repository() {
        assert_eq!(
            join_inside(Path::new("arch"), "../api/x.yaml"),
            Some(PathBuf::from("api/x.yaml"))
        );
        assert_eq!(join_inside(Path::new("arch"), "../../x.yaml"), None);
        assert_eq!(join_inside(Path::new("arch"), "/etc/passwd"), None);
    }
}
