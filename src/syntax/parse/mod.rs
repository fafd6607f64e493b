//! Parser: `.c4` text → [`File`] plus syntax diagnostics.
//!
//! In: one file's text and its [`FileId`].
//! Out: the syntax tree and every syntax error found (E001 syntax, E004 bad
//! escape, E005 nesting too deep). Pest's types never leave this module.
//!
//! Error recovery: the grammar swallows a malformed line into a `bad_*` node
//! and goes on, so one run reports every broken statement. Each swallowed
//! fragment is parsed again, alone and strictly, to say what was expected.
//!
//! Before pest, the text is read through the lexer (`chunks`): braces are
//! checked, and `model` blocks are cut into statements parsed one at a time
//! (in parallel when large). The files here follow the grammar's sections.

use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

mod chunks;
mod code;
mod dynamic;
mod errors;
mod items;
mod mesh;
mod outline;
mod rules;
mod statements;
mod strings;
mod styles;
mod views;

#[cfg(test)]
mod lexer_agrees;
#[cfg(test)]
mod tests;

pub use chunks::MAX_DEPTH;
use chunks::{skip_trivia, split_points};
pub use outline::{Outline, Parsed, assemble, body, outline};

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
struct C4Parser;

/// Parses one file. Never panics; on syntax errors the tree holds what could be read.
///
/// The [`outline`] first, then each `model` body (a large one on several
/// threads), then [`assemble`]: a loader parsing many files does the same
/// steps with the bodies of all its files on all cores.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let outline = outline(file, text);
    // Top-level items one at a time, and the statements of `model` blocks one
    // at a time: pest keeps every token of a parse in memory, so parsing a
    // 100,000-element model in one go would cost hundreds of megabytes.
    let bodies = outline
        .pieces(text, false)
        .into_iter()
        .map(|(b, start, end)| {
            let mut p = Ctx::new(file, text);
            let stmts = p.stmt_list_parallel(start, end);
            (b, (stmts, p.diags))
        })
        .collect();
    assemble(file, text, outline, bodies)
}

struct Ctx<'t> {
    file: FileId,
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// Offset of the text the current pest parse started at.
    base: usize,
}

impl<'t> Ctx<'t> {
    /// The span of a pair, without the trailing blank space pest may include.
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let trimmed = s.as_str().trim_end().len();
        let start = self.base + s.start();
        Span::new(self.file, start, start + trimmed)
    }

    pub(super) fn text_of(&self, pair: &Pair<'_, Rule>) -> Text {
        Text {
            value: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    pub(super) fn path(&self, pair: &Pair<'_, Rule>) -> PathRef {
        let text = pair.as_str();
        let (path, index) = match text.strip_suffix(']').and_then(|t| t.split_once('[')) {
            Some((p, n)) => (p, Some(n.parse::<u32>().unwrap_or(u32::MAX))),
            None => (text, None),
        };
        PathRef {
            segments: path.split('.').map(str::to_string).collect(),
            index,
            span: self.span(pair),
        }
    }

    /// Parses one item with `rule` (`SOI ~ item`) from `start`, not past `end`:
    /// the item's pair and how many bytes it took. Sets `base` for spans.
    fn parse_one(
        &mut self,
        rule: Rule,
        start: usize,
        end: usize,
    ) -> Option<(Pair<'t, Rule>, usize)> {
        let slice = self.text.get(start..end)?;
        match C4Parser::parse(rule, slice) {
            Ok(mut pairs) => {
                let outer = pairs.next()?;
                let consumed = outer.as_span().end();
                let item = outer.into_inner().next()?;
                self.base = start;
                Some((item, consumed))
            }
            Err(err) => {
                let d = self.pest_error(err, start);
                self.diags.push(d);
                None
            }
        }
    }

    /// Like [`Ctx::stmt_list`], for a large model body: split at likely
    /// statement starts and parsed on several threads. Any diagnostic in any
    /// part means a split may have cut a statement, so the body is parsed
    /// again sequentially — the result is always that of the sequential parse.
    fn stmt_list_parallel(&mut self, start: usize, end: usize) -> Vec<Stmt> {
        const MIN_PARALLEL: usize = 256 * 1024;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        if end - start < MIN_PARALLEL || threads < 2 {
            return self.stmt_list(start, end);
        }
        let cuts = split_points(self.text, start, end, threads);
        if cuts.len() < 3 {
            return self.stmt_list(start, end);
        }
        let (file, text) = (self.file, self.text);
        let parts: Vec<Option<Vec<Stmt>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .windows(2)
                .map(|w| {
                    let (a, b) = (w[0], w[1]);
                    scope.spawn(move || {
                        let mut ctx = Ctx {
                            file,
                            text,
                            diags: Vec::new(),
                            base: 0,
                        };
                        let stmts = ctx.stmt_list(a, b);
                        ctx.diags.is_empty().then_some(stmts)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        if parts.iter().all(Option::is_some) {
            parts.into_iter().flatten().flatten().collect()
        } else {
            self.stmt_list(start, end)
        }
    }

    /// The statements between `start` and `end` (a block's inside), one parse each.
    fn stmt_list(&mut self, start: usize, end: usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut pos = skip_trivia(self.text, start, end);
        while pos < end {
            let Some((pair, consumed)) = self.parse_one(Rule::stmt_one, pos, end) else {
                break;
            };
            if let Some(stmt) = self.stmt(pair) {
                out.push(stmt);
            }
            pos = skip_trivia(self.text, pos + consumed.max(1), end);
        }
        out
    }
}
