//! The parser's view of the text before pest sees it, all through the
//! [`lexer`](crate::syntax::lexer): the brace pre-check (E001, E005), where a
//! `model {` block starts and ends, skipping trivia between items, and the
//! cut points for parsing a large model block in parallel.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::lexer::{Lexer, Quote, TokenKind, tokens};

/// Deepest `{ … }` nesting accepted; deeper input gets E005 instead of a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// If a `model {` starts at `pos`, the offset of its `{`.
pub(super) fn model_header(text: &str, pos: usize) -> Option<usize> {
    let mut toks = Lexer::at(text, pos);
    let word = toks.next()?;
    if word.kind != TokenKind::Word || word.text(text) != "model" {
        return None;
    }
    let open = toks.find(|t| !t.kind.is_trivia())?;
    (open.kind == TokenKind::Open).then_some(open.start)
}

/// Skips blanks and comments from `pos`, not past `end`.
pub(super) fn skip_trivia(text: &str, pos: usize, end: usize) -> usize {
    for t in Lexer::at(text, pos) {
        if t.start >= end || !t.kind.is_trivia() {
            return t.start.min(end);
        }
    }
    end
}

/// Offsets splitting `start..end` into about `parts` ranges, each cut at the
/// start of a line, outside any block, string or comment, that begins like a
/// statement (a letter, `_`, or an arrow). Includes `start` and `end`.
pub(super) fn split_points(text: &str, start: usize, end: usize, parts: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let step = (end - start) / parts;
    let mut cuts = vec![start];
    let mut next_target = start + step;
    let mut depth = 0usize;
    for t in Lexer::at(text, start).take_while(|t| t.start < end) {
        match t.kind {
            TokenKind::Open => depth += 1,
            TokenKind::Close => depth = depth.saturating_sub(1),
            TokenKind::Newline if depth == 0 && t.end > next_target && b[t.end - 1] == b'\n' => {
                let mut j = t.end;
                while j < end && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                if j < end
                    && (b[j].is_ascii_alphabetic() || matches!(b[j], b'_' | b'-' | b'~' | b'<'))
                {
                    cuts.push(j);
                    next_target = j + step;
                    if cuts.len() == parts {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    cuts.push(end);
    cuts
}

/// The offset of the `}` closing the `{` at `open`.
pub(super) fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for t in Lexer::at(text, open) {
        match t.kind {
            TokenKind::Open => depth += 1,
            TokenKind::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(t.start);
                }
            }
            _ => {}
        }
    }
    None
}

/// Checks `{`/`}` balance and depth outside strings and comments: an
/// unclosed block, a stray `}` (E001) or nesting deeper than [`MAX_DEPTH`]
/// (E005). A `"""` string or `/*` comment that never closes is reported
/// here too (E001): the rest of the file is inside it, and the grammar does
/// not read it as a string or comment at all, so pest would see blocks this
/// check passed as unbalanced (and its backtracking over them takes
/// exponential time).
pub(super) fn check_braces(file: FileId, text: &str) -> Vec<Diagnostic> {
    let mut open: Vec<usize> = Vec::new();
    for t in tokens(text) {
        let at = |len: usize| Span::new(file, t.start, t.start + len);
        match t.kind {
            TokenKind::Open => {
                open.push(t.start);
                if open.len() > MAX_DEPTH {
                    return vec![
                        Diagnostic::new(Code::E005, format!("blocks nested more than {MAX_DEPTH} deep"))
                            .label(at(1), "this block is too deep")
                            .hint("flatten the model: refer to elements by hierarchical identifiers, or use `extend`"),
                    ];
                }
            }
            TokenKind::Close if open.pop().is_none() => {
                return vec![
                    Diagnostic::new(Code::E001, "unmatched `}`")
                        .label(at(1), "no block is open here")
                        .hint("remove this `}` or add the `{` it should close"),
                ];
            }
            TokenKind::Str {
                quote: Quote::Triple,
                closed: false,
            } => {
                return vec![
                    Diagnostic::new(Code::E001, "unterminated `\"\"\"` string")
                        .label(at(3), "this string is never closed")
                        .hint("close it with `\"\"\"`; for an empty string write `\"\"`"),
                ];
            }
            TokenKind::BlockComment { closed: false } => {
                return vec![
                    Diagnostic::new(Code::E001, "unclosed `/*` comment")
                        .label(at(2), "this comment is never closed")
                        .hint("close it with `*/`"),
                ];
            }
            _ => {}
        }
    }
    if let Some(&at) = open.last() {
        return vec![
            Diagnostic::new(Code::E001, "unclosed `{`")
                .label(Span::new(file, at, at + 1), "this block is never closed")
                .hint("add the missing `}` (or a missing closing quote swallowed it)"),
        ];
    }
    Vec::new()
}
