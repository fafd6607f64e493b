//! Syntax: text → syntax tree.
//!
//! In: a file's text. Out: [`ast::File`] and syntax diagnostics, from
//! [`parse::parse`]. The pest grammar lives in `grammar.pest`; `lexer`
//! is the one tokenizer (strings, comments, blanks, braces) that the parser's
//! brace check and chunking and the formatter read the text with.

pub mod ast;
pub mod foreign;
pub mod lexer;
pub mod parse;

pub use parse::parse;
