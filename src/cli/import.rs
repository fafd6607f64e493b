//! `c4c import FORMAT INPUT [-o OUT]`: another tool's model translated to
//! `.c4` (`structurizr`: the Structurizr DSL or workspace JSON; `likec4`).
//!
//! In: the input file (or a folder holding `workspace.dsl`, else
//! `workspace.json`); a `.json` file, or one whose first non-space
//! character is `{`, is read as workspace JSON. Files a DSL workspace
//! includes are read only inside its folder (symbolic links leading out are
//! refused). Out: the `.c4` text on stdout or in OUT (written atomically),
//! each import warning or error on stderr (`warning[I001]: file:line: …`,
//! escaped for the terminal), and a summary line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::term::{errln, out};
use super::{EXIT_MODEL_ERRORS, EXIT_OK};
use crate::error::{Cause, Error, Reading};
use crate::import::Outcome;
use crate::terminal_text::line;

/// At most this many bytes per file read.
const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The end of `c4c import --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c import structurizr workspace.dsl -o model.c4    a Structurizr DSL workspace as a .c4 model
  c4c import structurizr architecture/                 the workspace.dsl (else workspace.json) in that folder, to stdout
  c4c import structurizr systems/bank/workspace.dsl --root .   a workspace that extends ../../landscape.dsl
  c4c import structurizr workspace.json -o model.c4   the workspace JSON Structurizr exports
  c4c import likec4 likec4/ -o model.c4c               a LikeC4 project (every .c4/.likec4 file in the folder)

What has no c4c equivalent is reported (warning[I…], see docs/interop.md);
from the Structurizr DSL it is also kept in the output as a // comment.

Exit codes:
  0  imported (warnings allowed)
  1  part of the input could not be read (an !include out of the folder, a cycle, nesting too deep,
     a workspace JSON that is not JSON or not a workspace)
  2  usage or I/O error (unreadable input, cannot write OUT)";

#[derive(Args, Debug)]
pub struct ImportCommand {
    /// The format of the input
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: ImportFormat,
    /// The input file, or a folder holding workspace.dsl (or workspace.json)
    #[arg(value_name = "INPUT", value_hint = clap::ValueHint::AnyPath)]
    pub input: PathBuf,
    /// Write the .c4 text to this file (default: stdout)
    #[arg(short, long, value_name = "OUT", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// Structurizr: read !include and `workspace extends` files only inside this folder,
    /// which must hold the input (default: the input's own folder)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub root: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Structurizr: the DSL (workspace.dsl, with its !include files) or the workspace JSON (a .json file)
    Structurizr,
    /// LikeC4: a project folder (every .c4 and .likec4 file in it, read as one model) or one file
    Likec4,
}

impl ImportCommand {
    pub fn run(self) -> u8 {
        if self.format == ImportFormat::Likec4 {
            return self.likec4();
        }
        let file = if self.input.is_dir() {
            let dsl = self.input.join("workspace.dsl");
            let json = self.input.join("workspace.json");
            if !dsl.exists() && json.exists() {
                json
            } else {
                dsl
            }
        } else {
            self.input.clone()
        };
        let text = match read(&file) {
            Ok(t) => t,
            Err(cause) => {
                return super::fail(&Error::Read {
                    what: Reading::Path,
                    path: file,
                    cause,
                });
            }
        };
        let dir = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let name = file.file_name().map_or_else(
            || "workspace.dsl".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        let (dir, name) = match &self.root {
            None => (dir, name),
            Some(root) => match inside(root, &file) {
                Ok(name) => (root.clone(), name),
                Err(cause) => {
                    return super::fail(&Error::Read {
                        what: Reading::Path,
                        path: file,
                        cause,
                    });
                }
            },
        };
        let json = file
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        let outcome = if json {
            crate::import::structurizr::json::import(&name, &text)
        } else {
            let mut reader = |rel: &str| crate::import::files::read_inside(&dir, rel);
            crate::import::structurizr::import(&name, &text, &mut reader)
        };
        self.finish(&outcome)
    }

    /// `likec4`: the project's files (a folder's `.c4` and `.likec4`
    /// files, confined to it) or the one file given.
    fn likec4(&self) -> u8 {
        let files = if self.input.is_dir() {
            crate::import::files::files_inside(&self.input, &["c4", "likec4"]).map_err(Cause::Os)
        } else {
            let name = self
                .input
                .file_name()
                .map_or_else(|| "model.c4".into(), |n| n.to_string_lossy().into_owned());
            read(&self.input).map(|t| vec![(name, t)])
        };
        let files = match files {
            Ok(f) if !f.is_empty() => f,
            Ok(_) => return super::fail(&Error::NoModels(vec![self.input.clone()])),
            Err(cause) => {
                return super::fail(&Error::Read {
                    what: Reading::Path,
                    path: self.input.clone(),
                    cause,
                });
            }
        };
        self.finish(&crate::import::likec4::import(&files))
    }

    /// Reports, writes the model, and gives the exit code.
    fn finish(&self, outcome: &Outcome) -> u8 {
        let outcome = outcome.clone();
        report(&outcome);
        if let Some(path) = &self.output {
            if let Err(e) = write(path, &outcome.c4) {
                return super::fail(&e);
            }
        } else {
            // On a terminal, hidden characters of the input are shown escaped.
            if std::io::stdout().is_terminal() {
                out!("{}", crate::terminal_text::lines(&outcome.c4));
            } else {
                out!("{}", outcome.c4);
            }
        }
        if outcome.errors() > 0 {
            EXIT_MODEL_ERRORS
        } else {
            EXIT_OK
        }
    }
}

/// Prints every issue and the summary on stderr.
fn report(o: &Outcome) {
    for i in &o.issues {
        let sev = if i.code.is_error() {
            "error"
        } else {
            "warning"
        };
        errln!(
            "{sev}[{}]: {}:{}: {}",
            i.code.as_str(),
            line(&i.file),
            i.line,
            line(&i.message)
        );
    }
    let c = o.counts;
    let p = super::plural;
    errln!(
        "c4c: imported {}, {}, {}, {}, {}; reported {}, {}",
        p(c.elements, "element"),
        p(c.relationships, "relationship"),
        p(c.deployment, "deployment item"),
        p(c.views, "view"),
        p(c.styles, "style rule"),
        p(o.warnings(), "warning"),
        p(o.errors(), "error"),
    );
}

/// A file's text, at most [`MAX_FILE`] bytes.
fn read(path: &Path) -> Result<String, Cause> {
    let meta = std::fs::metadata(path).map_err(Cause::Io)?;
    if meta.is_dir() {
        return Err(Cause::IsDirectory);
    }
    if !meta.is_file() {
        return Err(Cause::NotRegularFile);
    }
    if meta.len() > MAX_FILE {
        return Err(Cause::Os("larger than 16 MiB".into()));
    }
    let bytes = std::fs::read(path).map_err(Cause::Io)?;
    String::from_utf8(bytes).map_err(|_| Cause::Os("not UTF-8 text".into()))
}

/// Writes OUT atomically (replacing an existing file in place).
fn write(path: &Path, text: &str) -> Result<(), Error> {
    if path.exists() {
        return crate::output::replace_file(path, text.as_bytes()).map_err(Error::Output);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::output::write_atomic(dir, &name, text.as_bytes()).map_err(Error::Output)
}

/// The path of `file` from the folder `root` (with `/`), if `root` holds it.
fn inside(root: &Path, file: &Path) -> Result<String, Cause> {
    let root = root.canonicalize().map_err(|e| Cause::Os(e.to_string()))?;
    let file = file.canonicalize().map_err(|e| Cause::Os(e.to_string()))?;
    let rel = file
        .strip_prefix(&root)
        .map_err(|_| Cause::Os("the input is not inside --root".into()))?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}
