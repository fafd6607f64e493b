//! `c4c init [DIR]`: start a project with a starter model and a CI file.
//!
//! In: a folder (default `.`, created if missing). Out: `architecture.c4`
//! (a small C4 model: a person, a system of three containers, an external
//! system, and its context and container views; it compiles with no
//! diagnostic) and `.github/workflows/architecture.yml` (a GitHub Actions
//! workflow running `c4c check --deny warnings` and `c4c build --check`,
//! pinned to this version of c4c). An existing file is never overwritten:
//! if one is there, nothing is written and the exit code is 2. Each file is
//! created atomically with the usual mode (`output::create_new`).

use std::path::{Path, PathBuf};

use clap::Args;

use super::term::errln;
use super::{EXIT_OK, EXIT_USAGE};
use crate::terminal_text::line;

/// The starter model (also rendered by the test suite with the examples).
pub const MODEL: &str = include_str!("init/architecture.c4");
/// The workflow, with `@C4C_VERSION@` for the version it installs.
const WORKFLOW: &str = include_str!("init/workflow.yml");

/// Where the files go, relative to the folder.
pub const MODEL_FILE: &str = "architecture.c4";
pub const WORKFLOW_FILE: &str = ".github/workflows/architecture.yml";

/// The end of `c4c init --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c init                   architecture.c4 and .github/workflows/architecture.yml here
  c4c init my-project        the same in my-project/ (created if missing)
  c4c init && c4c build architecture.c4 && git add architecture.c4 diagrams .github

The workflow runs from the repository's root folder: give init that folder.

Exit codes:
  0  both files were written
  2  a file is already there (nothing is written: init never overwrites),
     or a file cannot be written";

#[derive(Args, Debug)]
pub struct InitCommand {
    /// The folder to start the project in (created if missing)
    #[arg(value_name = "DIR", default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,
}

/// The workflow for this version of c4c.
pub fn workflow() -> String {
    WORKFLOW.replace("@C4C_VERSION@", env!("CARGO_PKG_VERSION"))
}

fn shown(path: &Path) -> String {
    line(&path.display().to_string()).into_owned()
}

impl InitCommand {
    pub fn run(self) -> u8 {
        // `.` is left out of the paths shown (`architecture.c4`, not `./architecture.c4`).
        let here = self.dir == Path::new(".");
        let base = if here {
            PathBuf::new()
        } else {
            self.dir.clone()
        };
        let files = [
            (base.join(MODEL_FILE), MODEL.to_string()),
            (base.join(WORKFLOW_FILE), workflow()),
        ];
        let existing: Vec<&PathBuf> = files
            .iter()
            .map(|(path, _)| path)
            .filter(|path| std::fs::symlink_metadata(path).is_ok())
            .collect();
        if !existing.is_empty() {
            for path in &existing {
                errln!("c4c: {} already exists", shown(path));
            }
            errln!(
                "c4c: nothing written; init never overwrites a file \
                 (move it away, or give init another folder: `c4c init DIR`)"
            );
            return EXIT_USAGE;
        }
        for (path, content) in &files {
            if let Err(e) = crate::output::create_new(path, content.as_bytes()) {
                return super::fail(&e.into());
            }
            errln!("c4c: wrote {}", shown(path));
        }
        let cd = if here {
            String::new()
        } else {
            format!("cd {} && ", shown(&self.dir))
        };
        errln!(
            "c4c: next: `{cd}c4c build {MODEL_FILE}` writes the diagrams into diagrams/;\n     \
             commit them with the model and the workflow (which fails while they are stale)"
        );
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_model_compiles_with_no_diagnostic() {
        let c = crate::compile_text(MODEL_FILE, MODEL);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let kinds: Vec<&str> = c.compiled[0]
            .views
            .iter()
            .map(|v| v.kind().keyword())
            .collect();
        assert!(
            kinds.contains(&"context") && kinds.contains(&"container"),
            "{kinds:?}"
        );
    }

    #[test]
    fn the_workflow_installs_this_version() {
        let w = workflow();
        assert!(!w.contains("@C4C_VERSION@"));
        let v = env!("CARGO_PKG_VERSION");
        assert!(w.contains(&format!("uses: c4c-dev/c4c@v{v}\n")), "{w}");
        assert!(w.contains(&format!("version: \"{v}\"\n")), "{w}");
    }
}
