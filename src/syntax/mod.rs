//! Syntax: text → syntax tree.
//!
//! In: a file's text. Out: [`ast::File`] and syntax diagnostics, from
//! [`parse::parse`]. The pest grammar lives in `grammar.pest`.

pub mod ast;
pub mod lexer;
pub mod parse;

pub use parse::parse;
