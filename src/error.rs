//! Usage and I/O errors: what stops a command outside the model itself.
//!
//! In: a failed operation at the edge of the compiler — a path that cannot
//! be read or written, a command line that asks for the impossible, git
//! refusing the old side of a diff — with its path and [`Cause`]. Out:
//! [`Error`], whose `Display` is one terminal-safe line (every path, OS
//! message and quoted text escaped through [`crate::terminal_text::line`]):
//! the text the CLI prints after `c4c: `. Problems inside a model are
//! diagnostics, never an `Error`; the CLI maps each `Error` to its exit code.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Code;
use crate::terminal_text::line;

/// A usage or I/O error of a command.
#[derive(Debug)]
pub enum Error {
    /// Arguments that cannot be used.
    Usage(Usage),
    /// A file or directory named on the command line (or walked) that
    /// cannot be read.
    Read {
        what: Reading,
        path: PathBuf,
        cause: Cause,
    },
    /// A root model file that cannot be read (E003; `shown`: the file as
    /// the user named it).
    Root { shown: String, cause: Cause },
    /// An entry of a directory that is refused, not read: a `.c4` symbolic
    /// link leading outside the root, looping or dangling (the diagnostic's
    /// code and message).
    Refused { code: Code, message: String },
    /// No `.c4` file in the paths given.
    NoModels(Vec<PathBuf>),
    /// An output that cannot be written.
    Output(Output),
    /// git cannot give the old side of a diff.
    Git(Git),
    /// A temporary directory cannot be created.
    TempDir,
    /// A worker thread stopped (a bug, not the user's input): which work.
    Internal(&'static str),
}

/// Arguments that cannot be used.
#[derive(Debug)]
pub enum Usage {
    /// `--root DIR` that is not a directory.
    RootNotDirectory(PathBuf),
    /// `diff` without two paths or `--git`.
    DiffPaths,
}

/// What was being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A path as given (a file or a directory).
    Path,
    /// A directory being walked.
    Directory,
    /// The `--root` directory.
    RootDirectory,
}

/// Why a file could not be read (or written).
#[derive(Debug)]
pub enum Cause {
    /// The operating system's error.
    Io(io::Error),
    /// The operating system's reason, already in words (a path resolved
    /// step by step inside the root, see `load::confine`).
    Os(String),
    /// A directory where a file was expected.
    IsDirectory,
    /// A directory where a model file was expected.
    DirectoryNotModel,
    /// A FIFO, a device, a socket.
    NotRegularFile,
    /// Over the size limit (in bytes).
    TooLarge(u64),
    /// The bytes are not UTF-8.
    NotUtf8,
    /// The path names no file (`/`, `..`).
    NotAFile,
    /// Symbolic links loop.
    LinkLoop,
    /// A symbolic link leads outside the root directory.
    LinkLeavesRoot,
}

/// An output that cannot be written.
#[derive(Debug)]
pub enum Output {
    /// A file (`path`) that cannot be written.
    File { path: PathBuf, cause: Cause },
    /// No temporary file can be created in this directory.
    Temporary { dir: PathBuf, cause: Cause },
    /// The output directory cannot be created.
    Directory { dir: PathBuf, cause: Cause },
    /// The output directory is a file.
    NotADirectory(PathBuf),
    /// A diagram file name that is not a plain name.
    NotPlainName(String),
    /// A file that is only ever created (`c4c init`) already exists.
    Exists(PathBuf),
}

/// Why git cannot give a model at a revision.
#[derive(Debug)]
pub enum Git {
    /// The revision is empty or holds control characters.
    InvalidRevision(String),
    /// No commit by that name (`shallow`: the clone's history is cut).
    UnknownRevision { rev: String, shallow: bool },
    /// A path to compare is outside the repository.
    OutsideRepository(PathBuf),
    /// git cannot be started.
    Run(io::Error),
    /// A git command failed: its name and git's message.
    Failed { command: String, message: String },
    /// An object of the revision cannot be read: `None` when it is missing.
    Object {
        rev: String,
        path: PathBuf,
        why: Option<Batch>,
    },
    /// `git cat-file --batch` outside the reading of an object.
    Batch(Batch),
    /// The file system under the repository.
    Io(io::Error),
}

/// Why reading an object from `git cat-file --batch` failed.
#[derive(Debug)]
pub enum Batch {
    /// git gave no output stream.
    NoOutput,
    /// git is no longer running.
    Stopped,
    /// Reading from or writing to git failed.
    Broken(io::Error),
    /// A header git should not give.
    Answer(String),
    /// The object is over the size limit (in bytes).
    TooLarge(u64),
    /// git stopped in the middle of an object.
    Truncated,
}

/// A path as one visible line.
fn shown(path: &Path) -> String {
    line(&path.display().to_string()).into_owned()
}

/// Text from outside (an OS message, git's output) as one visible line.
fn safe(text: &impl fmt::Display) -> String {
    line(&text.to_string()).into_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(u) => u.fmt(f),
            Error::Read { what, path, cause } => {
                let what = match what {
                    Reading::Path => "",
                    Reading::Directory => "directory ",
                    Reading::RootDirectory => "root directory ",
                };
                write!(f, "cannot read {what}{}: {}", shown(path), safe(cause))
            }
            Error::Root { shown, cause } => write!(
                f,
                "error[{}]: cannot read {}: {}",
                Code::E003,
                line(shown),
                safe(cause)
            ),
            Error::Refused { code, message } => write!(f, "error[{code}]: {}", line(message)),
            Error::NoModels(paths) => {
                let paths: Vec<String> = paths.iter().map(|p| shown(p)).collect();
                write!(f, "no .c4 files found in {}", paths.join(", "))
            }
            Error::Output(w) => w.fmt(f),
            Error::Git(g) => g.fmt(f),
            Error::TempDir => f.write_str("cannot create a temporary directory"),
            Error::Internal(what) => write!(f, "internal error while {what}"),
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Usage::RootNotDirectory(p) => write!(f, "--root {}: not a directory", shown(p)),
            Usage::DiffPaths => f.write_str("give two paths (OLD NEW), or --git REV [PATH…]"),
        }
    }
}

/// Raw: a cause goes into diagnostics too, which escape for themselves;
/// [`Error`] escapes it for the terminal.
impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Io(e) => e.fmt(f),
            Cause::Os(why) => f.write_str(why),
            Cause::IsDirectory => f.write_str("is a directory"),
            Cause::DirectoryNotModel => f.write_str("is a directory, not a .c4 file"),
            Cause::NotRegularFile => f.write_str("not a regular file"),
            Cause::TooLarge(max) => write!(f, "larger than the {} MiB limit", max >> 20),
            Cause::NotUtf8 => f.write_str("not valid UTF-8"),
            Cause::NotAFile => f.write_str("not a file"),
            Cause::LinkLoop => f.write_str("symbolic links loop"),
            Cause::LinkLeavesRoot => {
                f.write_str("a symbolic link that leads outside the root directory")
            }
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::File { path, cause } => {
                write!(f, "cannot write {}: {}", shown(path), safe(cause))
            }
            Output::Temporary { dir, cause } => write!(
                f,
                "cannot create a temporary file in {}: {}",
                shown(dir),
                safe(cause)
            ),
            Output::Directory { dir, cause } => {
                write!(f, "cannot create {}: {}", shown(dir), safe(cause))
            }
            Output::NotADirectory(dir) => write!(f, "{} exists and is not a directory", shown(dir)),
            Output::NotPlainName(name) => write!(
                f,
                "refusing to write `{}`: not a plain file name",
                line(name)
            ),
            Output::Exists(path) => write!(f, "{} already exists (not overwritten)", shown(path)),
        }
    }
}

impl fmt::Display for Git {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Git::InvalidRevision(rev) => {
                write!(f, "invalid revision {}", safe(&format!("{rev:?}")))
            }
            Git::UnknownRevision { rev, shallow: true } => write!(
                f,
                "revision `{}` is not in this clone, whose history is shallow: fetch the \
                 history (`fetch-depth: 0` with actions/checkout, `GIT_DEPTH: \"0\"` on GitLab CI) \
                 or at least that revision",
                line(rev)
            ),
            Git::UnknownRevision {
                rev,
                shallow: false,
            } => {
                write!(f, "unknown revision `{}`", line(rev))
            }
            Git::OutsideRepository(p) => write!(f, "{} is outside the git repository", shown(p)),
            Git::Run(e) => write!(f, "cannot run git: {}", safe(e)),
            Git::Failed { command, message } => {
                write!(f, "git {}: {}", line(command), line(message))
            }
            Git::Object { rev, path, why } => {
                let why: Cow<'_, str> = match why {
                    None => "missing from the repository".into(),
                    Some(b) => safe(b).into(),
                };
                write!(f, "{}:{}: {why}", line(rev), shown(path))
            }
            Git::Batch(b) => f.write_str(&safe(b)),
            Git::Io(e) => f.write_str(&safe(e)),
        }
    }
}

impl fmt::Display for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Batch::NoOutput => f.write_str("cannot read from git"),
            Batch::Stopped => f.write_str("git has stopped"),
            Batch::Broken(e) => write!(f, "reading from git: {e}"),
            Batch::Answer(header) => write!(f, "unexpected answer from git: {header}"),
            Batch::TooLarge(max) => write!(f, "larger than the {} MiB limit", max >> 20),
            Batch::Truncated => f.write_str("git stopped mid-object"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let cause = match self {
            Error::Read { cause, .. } | Error::Root { cause, .. } => cause,
            Error::Output(
                Output::File { cause, .. }
                | Output::Temporary { cause, .. }
                | Output::Directory { cause, .. },
            ) => cause,
            Error::Git(Git::Run(e) | Git::Io(e)) => return Some(e),
            _ => return None,
        };
        match cause {
            Cause::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Usage> for Error {
    fn from(u: Usage) -> Error {
        Error::Usage(u)
    }
}

impl From<Output> for Error {
    fn from(w: Output) -> Error {
        Error::Output(w)
    }
}

impl From<Git> for Error {
    fn from(g: Git) -> Error {
        Error::Git(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_outside_text_are_one_visible_line() {
        let e = Error::Read {
            what: Reading::Path,
            path: PathBuf::from("evil\n\u{1b}[31m.c4"),
            cause: Cause::Os("gone\rback".into()),
        };
        let text = e.to_string();
        assert!(!text.contains(['\n', '\r', '\u{1b}']), "{text}");
        assert!(text.starts_with("cannot read evil"), "{text}");
    }

    #[test]
    fn messages_keep_their_wording() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Usage::RootNotDirectory("x".into()).into(),
                "--root x: not a directory",
            ),
            (
                Error::Read {
                    what: Reading::RootDirectory,
                    path: "r".into(),
                    cause: Cause::NotRegularFile,
                },
                "cannot read root directory r: not a regular file",
            ),
            (
                Error::Root {
                    shown: "a.c4".into(),
                    cause: Cause::TooLarge(16 << 20),
                },
                "error[E003]: cannot read a.c4: larger than the 16 MiB limit",
            ),
            (
                Error::NoModels(vec!["a".into(), "b".into()]),
                "no .c4 files found in a, b",
            ),
            (
                Output::NotPlainName("../x".into()).into(),
                "refusing to write `../x`: not a plain file name",
            ),
            (
                Git::Object {
                    rev: "HEAD".into(),
                    path: "a.c4".into(),
                    why: None,
                }
                .into(),
                "HEAD:a.c4: missing from the repository",
            ),
            (
                Git::InvalidRevision("a\tb".into()).into(),
                "invalid revision \"a\\tb\"",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
    }
}
