//! The command line: argument parsing and the terminal.
//!
//! In: `std::env::args`. Out: text on stdout/stderr, files written by
//! `build`, and an exit code: 0 clean (warnings allowed unless
//! `--deny warnings`), 1 model errors (or warnings denied), 2 usage or I/O
//! errors. One file per subcommand; this is the only module that prints.

mod baseline;
mod build;
mod check;
mod diff;
mod fmt;
mod term;
mod views;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::Compilation;
use crate::diagnostic::render_all;
use crate::error::{Error, Usage};
use term::{err, errln};

pub const EXIT_OK: u8 = 0;
pub const EXIT_MODEL_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  success (warnings allowed, unless --deny warnings)
  1  the model has errors (or warnings, with --deny warnings)
  2  usage or I/O error (bad arguments, unreadable path, cannot write output)";

#[derive(Parser, Debug)]
#[command(
    name = "c4c",
    version,
    about = "The C4 architecture compiler: .c4 models in, Mermaid diagrams out",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile models and write one Mermaid file per view, plus index.md
    #[command(after_help = AFTER_HELP)]
    Build(build::BuildCommand),
    /// Check models and report every problem, writing nothing
    #[command(after_help = AFTER_HELP)]
    Check(check::CheckCommand),
    /// List the views of models (key and title)
    #[command(after_help = AFTER_HELP)]
    Views(views::ViewsCommand),
    /// Show what changed in the architecture between two models (or git revisions)
    #[command(
        after_help = "Exit codes:\n  0  compared (changes or not, unless --exit-code)\n  1  changes found, with --exit-code\n  2  usage or I/O error, or errors in either model"
    )]
    Diff(diff::DiffCommand),
    /// Format .c4 files in place (layout only; comments and the model are unchanged)
    #[command(
        after_help = "Exit codes:\n  0  every file is formatted (or was rewritten)\n  1  with --check: a file is not formatted (its diff is printed); or a file has syntax errors\n  2  usage or I/O error"
    )]
    Fmt(fmt::FmtCommand),
}

/// Options shared by every command that reads models.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// .c4 files or directories (every .c4 file inside that no other imports is a root)
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Imports may not leave this directory (default: the directory of each root file)
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Treat warnings as errors: `--deny warnings`
    #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// Colour in diagnostics
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether text for a stream gets colour: `auto` gives it when the
    /// stream is a terminal and `NO_COLOR` is not set.
    fn on(self, terminal: impl FnOnce() -> bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// Whether diagnostics on stderr get colour.
    pub fn stderr(self) -> bool {
        self.on(|| std::io::stderr().is_terminal())
    }

    /// Whether a report on stdout gets colour.
    pub fn stdout(self) -> bool {
        self.on(|| std::io::stdout().is_terminal())
    }
}

impl InputArgs {
    fn compile(
        &self,
        dialect: crate::Dialect,
        baseline: Option<&crate::baseline::Baseline>,
    ) -> Result<Compilation, Error> {
        let opts = crate::LoadOptions {
            root_dir: self.root.clone(),
        };
        if let Some(r) = &self.root
            && !r.is_dir()
        {
            return Err(Usage::RootNotDirectory(r.clone()).into());
        }
        crate::pipeline::compile_with(&self.paths, &opts, dialect, baseline)
    }

    /// Compiles, or prints the usage/I-O problem and gives the exit code for it.
    fn load(&self) -> Result<Compilation, u8> {
        self.load_in(crate::Dialect::Flowchart)
    }

    /// [`Self::load`], drawing the diagrams in `dialect`.
    fn load_in(&self, dialect: crate::Dialect) -> Result<Compilation, u8> {
        self.compile(dialect, None).map_err(|e| fail(&e))
    }

    /// Prints diagnostics to stderr and returns whether the run failed.
    fn report(&self, c: &Compilation) -> bool {
        if !c.diagnostics.is_empty() {
            err!(
                "{}",
                render_all(&c.diagnostics, &c.sources, self.color.stderr())
            );
        }
        let errors = c.error_count();
        let warnings = c.warning_count();
        if errors > 0 || warnings > 0 {
            errln!("{}", summary(errors, warnings));
        }
        errors > 0 || (self.deny.is_some() && warnings > 0)
    }
}

/// The exit code of a usage or I/O error: 2 for every kind, as documented
/// in `--help` (a new kind must choose its code here).
fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Usage(_)
        | Error::Read { .. }
        | Error::Root { .. }
        | Error::Refused { .. }
        | Error::NoModels(_)
        | Error::Output(_)
        | Error::Git(_)
        | Error::TempDir
        | Error::Internal(_) => EXIT_USAGE,
    }
}

/// Prints a usage or I/O error (`Display` is terminal-safe) and gives its
/// exit code.
fn fail(e: &Error) -> u8 {
    errln!("c4c: {e}");
    exit_code(e)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => format!("c4c: {}", plural(w, "warning")),
        (e, 0) => format!("c4c: {}", plural(e, "error")),
        (e, w) => format!("c4c: {}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Build(cmd) => cmd.run(),
        Command::Check(cmd) => cmd.run(),
        Command::Views(cmd) => cmd.run(),
        Command::Diff(cmd) => cmd.run(),
        Command::Fmt(cmd) => cmd.run(),
    };
    ExitCode::from(term::finish(code))
}
