//! Semantic tokens: a file's words classified, from the one lexer.
//!
//! In: an [`Analysis`] and one of its files. Out: LSP semantic tokens
//! (relative encoding) over [`LEGEND`]: comments, strings, numbers,
//! keywords (every word the grammar spells out), kinds (`type`), elements
//! (`variable`: identifiers and each segment of a reference the resolver
//! resolved) and tags. A comment or string over several lines is cut into
//! one token per line, as editors expect.

use std::collections::HashMap;

use lsp_types::{SemanticToken, SemanticTokenType};

use super::Analysis;
use super::symbol::{self, keywords};
use crate::source::FileId;
use crate::syntax::lexer::{self, TokenKind};

/// The token types, in the order their indexes are sent.
pub const LEGEND: [SemanticTokenType; 8] = [
    SemanticTokenType::COMMENT,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::TYPE,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
];

const COMMENT: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const KEYWORD: u32 = 3;
const TYPE: u32 = 4;
const VARIABLE: u32 = 5;
const PROPERTY: u32 = 6;
/// Tags.
const TAG: u32 = 7;

/// The semantic tokens of `file`.
pub fn semantic_tokens(a: &Analysis, file: FileId) -> Vec<SemanticToken> {
    let text = a.text(file);
    // Elements: every identifier and resolved segment, by start byte.
    let mut elements: HashMap<usize, usize> = HashMap::new();
    let mut kinds = std::collections::HashSet::new();
    for c in a.models() {
        let m = &c.model;
        kinds.extend(m.kinds.keys().map(String::as_str));
        for r in m.refs.iter().filter(|r| r.span.file == file) {
            for (bytes, seg) in symbol::segments(text, r.span) {
                if seg != "this" {
                    elements.insert(bytes.start, bytes.end);
                }
            }
        }
        for id in m.elements() {
            let e = m.element(id);
            if e.id_span.file == file && text.get(e.id_span.range()) == Some(e.id.as_str()) {
                elements.insert(e.id_span.start as usize, e.id_span.end as usize);
            }
        }
    }
    let keywords = keywords();
    let all: Vec<lexer::Token> = lexer::tokens(text).collect();
    let sig = symbol::significant(text);
    let mut spans: Vec<(usize, usize, u32)> = Vec::new();
    let mut i = 0; // index in `sig` of the current significant token
    for t in all {
        let word = t.text(text);
        while sig.get(i).is_some_and(|s| s.start < t.start) {
            i += 1;
        }
        let kind = match t.kind {
            TokenKind::LineComment | TokenKind::BlockComment { .. } => COMMENT,
            TokenKind::Str { .. } => STRING,
            TokenKind::Word if elements.contains_key(&t.start) => VARIABLE,
            TokenKind::Word if word.bytes().all(|b| b.is_ascii_digit()) => NUMBER,
            TokenKind::Word if symbol::is_tag_word(text, &sig, i) => TAG,
            TokenKind::Word if kinds.contains(word) && symbol::is_kind_position(text, &sig, i) => {
                TYPE
            }
            TokenKind::Word if keywords.binary_search(&word).is_ok() => KEYWORD,
            TokenKind::Word if crate::model::style::ELEMENT_PROPS.contains(&word) => PROPERTY,
            _ => continue,
        };
        // One token per line.
        let mut start = t.start;
        for (i, _) in word.match_indices('\n') {
            spans.push((start, t.start + i, kind));
            start = t.start + i + 1;
        }
        spans.push((start, t.end, kind));
    }
    encode(text, &spans)
}

/// A position that only moves forward: linear over a file's tokens.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
    line: u32,
    col: u32,
}

impl Cursor<'_> {
    /// Moves to `to` (not before the current offset) and gives (line, UTF-16 column).
    fn go(&mut self, to: usize) -> (u32, u32) {
        let to = to.min(self.text.len());
        for c in self.text.get(self.at..to).unwrap_or("").chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += c.len_utf16() as u32;
            }
        }
        self.at = self.at.max(to);
        (self.line, self.col)
    }
}

/// The relative encoding: each token's line and start from the previous one's.
fn encode(text: &str, spans: &[(usize, usize, u32)]) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(spans.len());
    let mut cur = Cursor {
        text,
        at: 0,
        line: 0,
        col: 0,
    };
    let (mut line, mut col) = (0, 0);
    for &(start, end, kind) in spans {
        let s = cur.go(start);
        let e = cur.go(end);
        let length = e.1.saturating_sub(s.1);
        if length == 0 || e.0 != s.0 {
            continue;
        }
        let delta_line = s.0 - line;
        let delta_start = if delta_line == 0 { s.1 - col } else { s.1 };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: kind,
            token_modifiers_bitset: 0,
        });
        (line, col) = s;
    }
    out
}
