//! The command line: argument parsing and the terminal.
//!
//! In: `std::env::args`. Out: text on stdout/stderr, files written by
//! `build`, `init` and `man -o`, and an exit code: 0 clean (warnings allowed
//! unless `--deny warnings`), 1 model errors (or warnings denied), 2 usage
//! or I/O errors. One file per subcommand; this is the only module that
//! prints. Every subcommand's `--help` ends with examples (its
//! `after_help`); completions and man pages are generated from these
//! definitions (`completions.rs`, `man.rs`).

mod baseline;
mod build;
mod check;
mod completions;
mod diff;
mod fmt;
mod help;
mod import;
mod init;
mod lsp;
mod man;
mod serve;
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

/// The exit codes of the commands that compile models, as a literal for
/// `concat!` (each subcommand's help puts its examples before them).
macro_rules! model_exit_codes {
    () => {
        "Exit codes:
  0  success (warnings allowed, unless --deny warnings)
  1  the model has errors (or warnings, with --deny warnings)
  2  usage or I/O error (bad arguments, unreadable path, cannot write output)"
    };
}
pub(crate) use model_exit_codes;

const AFTER_HELP: &str = concat!(
    "Examples:
  c4c init                         a starter model and a CI workflow in this folder
  c4c build                        every model under . -> diagrams/*.mmd and diagrams/index.md
  c4c check --deny warnings        report every problem, write nothing
  c4c diff --git main              what this branch changes in the architecture
  c4c help build                   the options and examples of one command

",
    model_exit_codes!()
);

#[derive(Parser, Debug)]
#[command(
    name = "c4c",
    version,
    about = "The C4 architecture compiler: .c4 models in, Mermaid diagrams out",
    after_help = AFTER_HELP,
    // `c4c help` is a command of its own (help.rs), so that `c4c help
    // --help` works like every other command's `--help`.
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile models and write one Mermaid file per view, plus index.md
    #[command(after_help = build::AFTER_HELP)]
    Build(build::BuildCommand),
    /// Check models and report every problem, writing nothing
    #[command(after_help = check::AFTER_HELP)]
    Check(check::CheckCommand),
    /// Preview the views in a browser, redrawn whenever a model file changes
    #[command(after_help = serve::AFTER_HELP)]
    Serve(serve::ServeCommand),
    /// List the views of models (key and title)
    #[command(after_help = views::AFTER_HELP)]
    Views(views::ViewsCommand),
    /// Show what changed in the architecture between two models (or git revisions)
    #[command(after_help = diff::AFTER_HELP)]
    Diff(diff::DiffCommand),
    /// Translate another tool's model (Structurizr DSL or JSON, LikeC4) into a .c4 model
    #[command(after_help = import::AFTER_HELP)]
    Import(import::ImportCommand),
    /// Format .c4 files in place (layout only; comments and the model are unchanged)
    #[command(after_help = fmt::AFTER_HELP)]
    Fmt(fmt::FmtCommand),
    /// Serve an editor over the Language Server Protocol (stdin/stdout)
    #[command(after_help = lsp::AFTER_HELP)]
    Lsp(lsp::LspCommand),
    /// Start a project: write a starter model and a GitHub Actions workflow (never overwrites)
    #[command(after_help = init::AFTER_HELP)]
    Init(init::InitCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = completions::AFTER_HELP)]
    Completions(completions::CompletionsCommand),
    /// Print the man page (roff), or write one page per command with -o
    #[command(after_help = man::AFTER_HELP)]
    Man(man::ManCommand),
    /// Print the help of c4c or of a command (the same as `c4c COMMAND --help`)
    #[command(after_help = help::AFTER_HELP)]
    Help(help::HelpCommand),
}

/// Options shared by every command that reads models.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// .c4 files or directories (every .c4 file inside that no other imports is a root)
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Imports may not leave this directory (default: the directory of each root file)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
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
    /// Colour when writing to a terminal and `NO_COLOR` is not set
    Auto,
    /// Always colour (ANSI escapes), also into a pipe or file
    Always,
    /// Never colour
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

/// Ends a one-shot command's use of its compilation without freeing it:
/// the process exits next and the system takes the memory back at once,
/// where freeing a large model string by string is a noticeable part of a
/// run. (Long-running commands, `serve` and `lsp`, free theirs.)
fn release<T>(compiled: T) {
    std::mem::forget(compiled);
}

impl InputArgs {
    fn compile(
        &self,
        draw: crate::pipeline::Draw,
        baseline: Option<&crate::baseline::Baseline>,
    ) -> Result<Compilation, Error> {
        let opts = self.options()?;
        crate::pipeline::compile_with(&self.paths, &opts, draw, baseline)
    }

    /// [`Self::compile`] for a long-running command, reusing what its
    /// previous compilation left in `reuse`.
    fn compile_reusing(
        &self,
        draw: crate::pipeline::Draw,
        reuse: &mut crate::Reuse,
    ) -> Result<Compilation, Error> {
        let opts = self.options()?;
        crate::pipeline::compile_reusing(&self.paths, &opts, (draw, None), reuse)
    }

    fn options(&self) -> Result<crate::LoadOptions, Error> {
        if let Some(r) = &self.root
            && !r.is_dir()
        {
            return Err(Usage::RootNotDirectory(r.clone()).into());
        }
        Ok(crate::LoadOptions::rooted(self.root.clone()))
    }

    /// Compiles, or prints the usage/I-O problem and gives the exit code for it.
    fn load(&self) -> Result<Compilation, u8> {
        self.load_in(crate::Dialect::Flowchart)
    }

    /// [`Self::load`], drawing the diagrams in `dialect`.
    fn load_in(&self, dialect: crate::Dialect) -> Result<Compilation, u8> {
        self.compile(crate::pipeline::Draw::text(dialect), None)
            .map_err(|e| fail(&e))
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
        Command::Serve(cmd) => cmd.run(),
        Command::Views(cmd) => cmd.run(),
        Command::Diff(cmd) => cmd.run(),
        Command::Import(cmd) => cmd.run(),
        Command::Fmt(cmd) => cmd.run(),
        Command::Lsp(cmd) => cmd.run(),
        Command::Init(cmd) => cmd.run(),
        Command::Completions(cmd) => cmd.run(),
        Command::Man(cmd) => cmd.run(),
        Command::Help(cmd) => cmd.run(),
    };
    ExitCode::from(term::finish(code))
}
