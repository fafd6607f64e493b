//! c4c — the C4 architecture compiler.
//!
//! The pipeline:
//! ```text
//! .c4 text ──syntax::parse──▶ AST ──load (imports)──▶ Workspace
//!          ──model::resolve──▶ Model (petgraph + containment tree, spans kept)
//!          ──view::compute──▶ View (by kind: what each diagram draws)
//!          ──emit::mermaid / emit::json──▶ text      validate ──▶ warnings
//! ```
//! [`compile`] and [`compile_text`] run it all ([`pipeline`]) and return a
//! [`Compilation`]: the sources, every diagnostic, and per root file the
//! model, its views and their Mermaid text. The library never prints and
//! never exits; the CLI (`cli`) does the terminal and file I/O.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod source;
pub mod syntax;
pub mod terminal_text;
pub mod validate;
pub mod view;

use std::path::PathBuf;

pub use emit::Diagram;
pub use emit::mermaid::Dialect;
pub use load::LoadOptions;
pub use pipeline::{Compilation, Compiled, compile_text};

/// Compiles `.c4` files or directories into flowchart diagrams (see
/// [`pipeline::compile`] for another [`Dialect`]). `Err` is a usage or I/O
/// problem with the paths themselves (nothing could be read); problems
/// inside files are diagnostics.
pub fn compile(paths: &[PathBuf], opts: &LoadOptions) -> Result<Compilation, error::Error> {
    pipeline::compile(paths, opts, Dialect::Flowchart)
}
