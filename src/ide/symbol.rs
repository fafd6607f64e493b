//! What a position names, and everywhere that name is written.
//!
//! In: an [`Analysis`] and a byte offset in one of its files. Out: the
//! [`Symbol`] under it with the bytes it covers ([`at`]), and every
//! occurrence of a symbol across the workspace ([`occurrences`]):
//! elements from the references the resolver recorded and each element's
//! identifier; kinds and tags from the tokens of the one lexer, matched
//! against the names the model knows; import paths from the string after
//! `import`.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::model::{ElementId, Model};
use crate::source::{FileId, Span};
use crate::syntax::lexer::{self, Token, TokenKind};

use super::Analysis;

/// A name in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    /// An element, by its full path (`shop.api`).
    Element(String),
    /// An element kind (`database`).
    Kind(String),
    /// A tag (`internal`).
    Tag(String),
    /// An import's path as written (`./shared.c4`, `std/kinds`).
    Import(String),
}

/// Every word the grammar spells out (`model`, `views`, `include`…): the
/// keywords, read from `grammar.pest` itself so the list cannot drift.
pub fn keywords() -> Vec<&'static str> {
    let grammar = include_str!("../syntax/grammar.pest");
    let mut out = BTreeSet::new();
    for line in grammar
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
    {
        let mut parts = line.split('"');
        parts.next();
        while let (Some(lit), rest) = (parts.next(), parts.next()) {
            if lit.len() > 1 && lit.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                out.insert(lit);
            }
            if rest.is_none() {
                break;
            }
        }
    }
    out.into_iter().collect()
}

/// The tokens of a text that are not trivia, in order.
pub fn significant(text: &str) -> Vec<Token> {
    lexer::tokens(text)
        .filter(|t| !t.kind.is_trivia())
        .collect()
}

/// The segments of a reference as written (`a.b[1]` → `a`, `b`), each
/// with its bytes: the path has no blanks, so they follow from the lengths.
pub fn segments(text: &str, span: Span) -> Vec<(Range<usize>, &str)> {
    let whole = text.get(span.range()).unwrap_or("");
    let path = whole.split('[').next().unwrap_or("");
    let mut at = span.start as usize;
    let mut out = Vec::new();
    for seg in path.split('.') {
        out.push((at..at + seg.len(), seg));
        at += seg.len() + 1;
    }
    out
}

/// The element each segment of a reference to `target` names: the
/// target's ancestors, innermost last.
pub fn segment_targets(model: &Model, target: ElementId, count: usize) -> Vec<ElementId> {
    let mut chain = vec![target];
    let mut cur = target;
    while chain.len() < count {
        match model.element(cur).parent {
            Some(p) => {
                chain.push(p);
                cur = p;
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// The string a string token holds, without its quotes.
pub fn unquote(text: &str) -> &str {
    let t = text.trim_start_matches('"').trim_start_matches('\'');
    t.trim_end_matches('"').trim_end_matches('\'')
}

/// The word before token `i` (skipping nothing but the token itself).
fn word_before<'t>(text: &'t str, toks: &[Token], i: usize) -> Option<&'t str> {
    i.checked_sub(1)
        .and_then(|j| toks.get(j))
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(text))
}

/// Whether the word at `i` is a tag: `tag NAME`, `tag: NAME`.
pub fn is_tag_word(text: &str, toks: &[Token], i: usize) -> bool {
    if word_before(text, toks, i) == Some("tag") {
        return true;
    }
    let colon = i
        .checked_sub(1)
        .and_then(|j| toks.get(j))
        .is_some_and(|t| t.text(text) == ":");
    colon && i >= 2 && word_before(text, toks, i - 1) == Some("tag")
}

/// Whether the string at `i` is a tag: in `tags "a", "b"`, after `tag`.
fn is_tag_string(text: &str, toks: &[Token], i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let t = toks[j];
        match t.kind {
            TokenKind::Str { .. } => {}
            TokenKind::Punct if t.text(text) == "," => {}
            TokenKind::Punct if t.text(text) == ":" => {}
            TokenKind::Word => return matches!(t.text(text), "tags" | "tag"),
            _ => return false,
        }
    }
    false
}

/// Whether the word at `i` stands where a kind is written: after `=`
/// (`db = database "DB"`), `extends`, `kind` (a declaration, a style or
/// rule target), `element` (a style target), or starting a statement
/// whose next token is a string (an element without an identifier).
pub fn is_kind_position(text: &str, toks: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|j| toks.get(j)) else {
        return toks
            .get(1)
            .is_some_and(|n| matches!(n.kind, TokenKind::Str { .. }));
    };
    match prev.text(text) {
        "=" | "extends" | "kind" | "element" => return true,
        ":" if i >= 2 && word_before(text, toks, i - 1) == Some("kind") => return true,
        _ => {}
    }
    let Some(this) = toks.get(i) else {
        return false;
    };
    let starts = matches!(prev.kind, TokenKind::Open | TokenKind::Close)
        || text
            .get(prev.end..this.start)
            .is_some_and(|gap| gap.contains(['\n', '\r', ';']));
    let next_is_string = toks
        .get(i + 1)
        .is_some_and(|n| matches!(n.kind, TokenKind::Str { .. }));
    starts && next_is_string
}

/// Whether `name` is a kind some model declares.
fn is_kind(a: &Analysis, name: &str) -> bool {
    a.models().any(|c| c.model.kinds.contains_key(name))
}

/// Whether `name` is a tag some model knows.
fn is_tag(a: &Analysis, name: &str) -> bool {
    a.models().any(|c| c.model.tag_in_use(name))
}

/// The element at `offset` of `file`: a segment of a reference, or an
/// element's own identifier.
fn element_at(a: &Analysis, file: FileId, offset: usize) -> Option<(Symbol, Range<usize>)> {
    let text = a.text(file);
    let inside = |s: Span| s.file == file && s.range().contains(&offset);
    for c in a.models() {
        let m = &c.model;
        for r in m.refs.iter().filter(|r| inside(r.span)) {
            let segs = segments(text, r.span);
            let targets = segment_targets(m, r.target, segs.len());
            for ((bytes, _), t) in segs.iter().zip(&targets) {
                if bytes.start <= offset && offset <= bytes.end {
                    return Some((Symbol::Element(m.element(*t).path.clone()), bytes.clone()));
                }
            }
        }
        for id in m.elements() {
            let e = m.element(id);
            if inside(e.id_span) && text.get(e.id_span.range()) == Some(e.id.as_str()) {
                return Some((Symbol::Element(e.path.clone()), e.id_span.range()));
            }
        }
    }
    None
}

/// The symbol at `offset` of `file` and the bytes it covers.
pub fn at(a: &Analysis, file: FileId, offset: usize) -> Option<(Symbol, Range<usize>)> {
    if let Some(found) = element_at(a, file, offset) {
        return Some(found);
    }
    let text = a.text(file);
    let toks = significant(text);
    // The token under the cursor, or the one just before it (end of a word).
    let i = toks
        .iter()
        .position(|t| t.start <= offset && offset < t.end)
        .or_else(|| toks.iter().position(|t| t.end == offset))?;
    let t = toks[i];
    let bytes = t.start..t.end;
    match t.kind {
        TokenKind::Str { .. } => {
            let inner = unquote(t.text(text)).to_string();
            if word_before(text, &toks, i) == Some("import") {
                Some((Symbol::Import(inner), bytes))
            } else if is_tag_string(text, &toks, i) && is_tag(a, &inner) {
                Some((Symbol::Tag(inner), bytes))
            } else {
                None
            }
        }
        TokenKind::Word => {
            let w = t.text(text).to_string();
            if is_tag_word(text, &toks, i) && is_tag(a, &w) {
                Some((Symbol::Tag(w), bytes))
            } else if is_kind(a, &w) && is_kind_position(text, &toks, i) {
                Some((Symbol::Kind(w), bytes))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Every place `sym` is written, in every file read from disk or the
/// stdlib, by file and bytes (each once). For a string (a tag in `tags`),
/// the bytes inside the quotes.
pub fn occurrences(a: &Analysis, sym: &Symbol) -> Vec<(FileId, Range<usize>)> {
    let mut out = BTreeSet::new();
    match sym {
        Symbol::Element(path) => {
            for c in a.models() {
                let m = &c.model;
                let Some(id) = m.find(path) else { continue };
                let e = m.element(id);
                if a.text(e.id_span.file).get(e.id_span.range()) == Some(e.id.as_str()) {
                    out.insert((
                        e.id_span.file,
                        e.id_span.start as usize,
                        e.id_span.end as usize,
                    ));
                }
                for r in &m.refs {
                    let text = a.text(r.span.file);
                    let segs = segments(text, r.span);
                    let targets = segment_targets(m, r.target, segs.len());
                    for ((bytes, _), t) in segs.iter().zip(&targets) {
                        if *t == id {
                            out.insert((r.span.file, bytes.start, bytes.end));
                        }
                    }
                }
            }
        }
        Symbol::Kind(_) | Symbol::Tag(_) => {
            for (file, _) in a.comp.sources.files() {
                lexical(a, file, sym, &mut out);
            }
        }
        Symbol::Import(_) => {}
    }
    out.into_iter().map(|(f, s, e)| (f, s..e)).collect()
}

/// The occurrences of a kind or tag in one file, from its tokens.
fn lexical(a: &Analysis, file: FileId, sym: &Symbol, out: &mut BTreeSet<(FileId, usize, usize)>) {
    let text = a.text(file);
    let toks = significant(text);
    // Where element names start in this file: once, not per word.
    let mut elements = std::collections::HashSet::new();
    if matches!(sym, Symbol::Kind(_)) {
        for c in a.models() {
            let m = &c.model;
            for r in m.refs.iter().filter(|r| r.span.file == file) {
                elements.extend(segments(text, r.span).into_iter().map(|(b, _)| b.start));
            }
            elements.extend(
                m.elements()
                    .map(|e| m.element(e))
                    .filter(|e| e.id_span.file == file)
                    .filter(|e| text.get(e.id_span.range()) == Some(e.id.as_str()))
                    .map(|e| e.id_span.start as usize),
            );
        }
    }
    for (i, t) in toks.iter().enumerate() {
        let word = t.text(text);
        match (sym, t.kind) {
            (Symbol::Kind(k), TokenKind::Word)
                if word == k
                    && is_kind_position(text, &toks, i)
                    && !elements.contains(&t.start) =>
            {
                out.insert((file, t.start, t.end));
            }
            (Symbol::Tag(g), TokenKind::Word) if word == g && is_tag_word(text, &toks, i) => {
                out.insert((file, t.start, t.end));
            }
            (Symbol::Tag(g), TokenKind::Str { closed: true, .. })
                if unquote(word) == g && is_tag_string(text, &toks, i) =>
            {
                let quote = word.len() - unquote(word).len();
                let open = quote / 2;
                out.insert((file, t.start + open, t.end - (quote - open)));
            }
            _ => {}
        }
    }
}
