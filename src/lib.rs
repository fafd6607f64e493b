//! c4c — the C4 architecture compiler.
//!
//! The pipeline:
//! ```text
//! .c4 text ──syntax::parse──▶ AST ──load (imports)──▶ Workspace
//!          ──model::resolve──▶ Model (petgraph + containment tree, spans kept)
//!          ──validate──▶ diagnostics ──view::compute──▶ View (nodes, edges, boundaries)
//!          ──emit::mermaid / emit::json──▶ text
//! ```
//! [`compile`] runs it all. The library never prints and never exits: it
//! returns text and [`diagnostic::Diagnostic`]s; only the CLI (`cli`) does I/O
//! on the terminal.

pub mod diagnostic;
pub mod source;
pub mod syntax;
