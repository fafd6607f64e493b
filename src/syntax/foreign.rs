//! Files written in another tool's language: LikeC4 (which also uses the
//! `.c4` extension) or the Structurizr DSL.
//!
//! In: a file's text that did not parse as c4c. Out: one E006 naming the
//! language, pointing at the first sign of it (with up to two more as
//! notes) and saying how to bring the model over — instead of dozens of
//! syntax errors that only say c4c did not expect a word. Read through the
//! one lexer ([`super::lexer`]): words in strings and comments never count.
//! Linear time; looks at most [`MAX_SIGNS`] signs.

use super::lexer::{Quote, TokenKind, tokens};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// How many signs are collected before deciding.
const MAX_SIGNS: usize = 3;

/// The language a file looks written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    LikeC4,
    Structurizr,
}

impl Foreign {
    fn name(self) -> &'static str {
        match self {
            Foreign::LikeC4 => "LikeC4",
            Foreign::Structurizr => "the Structurizr DSL",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Foreign::LikeC4 => {
                "c4c reads its own language, not LikeC4's (both use `.c4`): translate the project with `c4c import likec4 FOLDER -o model.c4c` (docs/interop.md), and name c4c's files `.c4c` to keep the two apart"
            }
            Foreign::Structurizr => {
                "c4c reads its own language; translate the workspace with `c4c import structurizr FILE -o model.c4` (docs/interop.md)"
            }
        }
    }
}

/// One sign of a foreign language: what it is and where.
#[derive(Debug, Clone)]
struct Sign {
    lang: Foreign,
    what: &'static str,
    span: Span,
}

/// The significant tokens of a text: (kind, text, start, end).
fn significant(text: &str) -> Vec<(TokenKind, &str, usize, usize)> {
    tokens(text)
        .filter(|t| !t.kind.is_trivia())
        .map(|t| (t.kind, t.text(text), t.start, t.end))
        .collect()
}

/// Signs of LikeC4 or Structurizr, in text order, at most [`MAX_SIGNS`].
fn signs(file: FileId, text: &str) -> Vec<Sign> {
    let toks = significant(text);
    let word = |i: usize, w: &str| {
        toks.get(i)
            .is_some_and(|t| t.0 == TokenKind::Word && t.1 == w)
    };
    let punct = |i: usize, p: &str| {
        toks.get(i)
            .is_some_and(|t| t.0 == TokenKind::Punct && t.1 == p)
    };
    let is_word = |i: usize| toks.get(i).is_some_and(|t| t.0 == TokenKind::Word);
    let mut out = Vec::new();
    // Brace depth, and the depth at which a `specification` block opened.
    let mut depth = 0usize;
    let mut spec_at: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        if out.len() >= MAX_SIGNS {
            break;
        }
        let span = |end: usize| Span::new(file, t.2, end);
        // Each kind of sign once: three different signs say more than one thrice.
        let mut sign = |lang, what: &'static str, end| {
            if !out.iter().any(|s: &Sign| s.what == what) {
                out.push(Sign {
                    lang,
                    what,
                    span: span(end),
                });
            }
        };
        match t.0 {
            TokenKind::Open => {
                if i > 0 && word(i - 1, "specification") {
                    spec_at = Some(depth);
                }
                depth += 1;
                continue;
            }
            TokenKind::Close => {
                depth = depth.saturating_sub(1);
                if spec_at == Some(depth) {
                    spec_at = None;
                }
                continue;
            }
            // `'''…'''`: lexed as `''` then a string starting with `'`.
            TokenKind::Str {
                quote: Quote::Single,
                ..
            } if t.1 == "''"
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.2 == t.3 && n.1.starts_with('\'')) =>
            {
                sign(Foreign::LikeC4, "a `'''` multi-line string", t.3 + 1);
                continue;
            }
            _ => {}
        }
        let inside_spec = spec_at.is_some_and(|d| depth == d + 1);
        let end = t.3;
        if inside_spec && (word(i, "element") || word(i, "relationship")) && is_word(i + 1) {
            sign(
                Foreign::LikeC4,
                "an `element` or `relationship` kind in a `specification` block (c4c declares `kind`s)",
                end,
            );
        } else if word(i, "view") && is_word(i + 1) && word(i + 2, "of") {
            sign(Foreign::LikeC4, "`view NAME of ELEMENT`", toks[i + 2].3);
        } else if word(i, "view")
            && is_word(i + 1)
            && (toks.get(i + 2).is_some_and(|n| n.0 == TokenKind::Open) || word(i + 2, "extends"))
        {
            sign(
                Foreign::LikeC4,
                "a `view NAME { … }` (c4c names a view by its kind)",
                toks[i + 1].3,
            );
        } else if (word(i, "dynamic") || word(i, "deployment")) && word(i + 1, "view") {
            sign(
                Foreign::LikeC4,
                "a `dynamic view` or `deployment view`",
                toks[i + 1].3,
            );
        } else if punct(i, "-") && punct(i + 1, "[") {
            sign(Foreign::LikeC4, "a `-[kind]->` relationship", toks[i + 1].3);
        } else if word(i, "instanceOf") {
            sign(Foreign::LikeC4, "`instanceOf`", end);
        } else if word(i, "workspace")
            && toks.get(i + 1).is_some_and(|n| {
                n.0 == TokenKind::Open
                    || n.0
                        == TokenKind::Str {
                            quote: Quote::Double,
                            closed: true,
                        }
            })
            && depth == 0
        {
            sign(Foreign::Structurizr, "a `workspace` block", end);
        } else if word(i, "softwareSystem")
            || word(i, "deploymentNode")
            || word(i, "containerInstance")
            || word(i, "systemContext")
        {
            sign(Foreign::Structurizr, "a Structurizr keyword", end);
        } else if punct(i, "!")
            && (word(i + 1, "identifiers")
                || word(i + 1, "include")
                || word(i + 1, "docs")
                || word(i + 1, "adrs"))
            && toks.get(i + 1).is_some_and(|n| n.2 == end)
        {
            sign(Foreign::Structurizr, "a `!` directive", toks[i + 1].3);
        }
    }
    out
}

/// E006 when `text` (which did not parse) looks written in LikeC4 or the
/// Structurizr DSL: the language most of its signs point to.
pub fn detect(file: FileId, text: &str) -> Option<Diagnostic> {
    let signs = signs(file, text);
    let first = signs.first()?;
    let likec4 = signs.iter().filter(|s| s.lang == Foreign::LikeC4).count();
    let lang = if likec4 * 2 >= signs.len() {
        Foreign::LikeC4
    } else {
        Foreign::Structurizr
    };
    let first = signs.iter().find(|s| s.lang == lang).unwrap_or(first);
    let mut d = Diagnostic::new(
        Code::E006,
        format!(
            "this file is written in {}, not in c4c's language",
            lang.name()
        ),
    )
    .label(first.span, first.what)
    .hint(lang.hint());
    for s in signs
        .iter()
        .filter(|s| s.lang == lang && s.span != first.span)
    {
        d = d.secondary(s.span, s.what);
    }
    Some(d)
}
