//! c4c — the C4 architecture compiler.
//!
//! The pipeline:
//! ```text
//! .c4 text ──syntax::parse──▶ AST ──load (imports)──▶ Workspace
//!          ──model::resolve──▶ Model (petgraph + containment tree, spans kept)
//!          ──view::compute──▶ View (by kind: what each diagram draws)
//!          ──emit::mermaid / emit::json──▶ text      validate ──▶ warnings
//! ```
//! [`compile`] and [`compile_text`] run it all (`pipeline`) and return a
//! [`Compilation`]: the sources, every diagnostic, and per root file the
//! model, its views and their Mermaid text. The library never prints and
//! never exits; the CLI (`cli`) does the terminal and file I/O.
//!
//! The public surface is what the binary, the integration tests, the
//! benchmarks and the fuzz targets use: [`compile`], [`compile_text`] and
//! their results; `cli::run` (the binary); the phases a test or fuzz target
//! drives on its own (`syntax`, `load`, `model`, `view`, `emit`, `format`,
//! `diff`, `output`); `diagnostic` and `source` to read what they report.
//! The rest (`pipeline`, `validate`, `error`, `parallel`, `terminal_text`)
//! is the crate's own.

pub mod baseline;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub(crate) mod error;
pub mod format;
pub mod ide;
pub mod import;
pub mod load;
pub mod model;
pub mod output;
pub(crate) mod parallel;
pub(crate) mod pipeline;
pub mod site;
pub mod source;
pub mod syntax;
pub(crate) mod terminal_text;
pub(crate) mod validate;
pub mod view;

use std::path::PathBuf;

pub use emit::Diagram;
pub use emit::mermaid::Dialect;
pub use error::Error;
pub use load::LoadOptions;
pub use pipeline::{
    Compilation, Compiled, Draw, Keep, Reuse, compile_reusing, compile_text, compile_with,
};

/// Compiles `.c4` files or directories into flowchart diagrams (see
/// [`pipeline::compile`] for another [`Dialect`]). `Err` is a usage or I/O
/// problem with the paths themselves (nothing could be read); problems
/// inside files are diagnostics.
pub fn compile(paths: &[PathBuf], opts: &LoadOptions) -> Result<Compilation, error::Error> {
    pipeline::compile(paths, opts, Dialect::Flowchart)
}
