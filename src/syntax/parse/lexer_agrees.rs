//! Tests that the [`lexer`](crate::syntax::lexer) and the pest grammar agree
//! on what a string and a comment are, on every bundled `.c4` file and on
//! random and adversarial snippets: the tokens concatenate back to the text,
//! every string pest reads is one string token with the same span, and no
//! token pest reads (an identifier, a keyword, an arrow…) holds what the
//! lexer calls a comment or a string.

use std::collections::HashSet;
use std::path::Path;

use pest::Parser;
use pest::iterators::Pair;
use proptest::prelude::*;

use super::chunks::check_braces;
use super::{C4Parser, Rule};
use crate::source::FileId;
use crate::syntax::lexer::{TokenKind, tokens};

/// Rules whose text is free: a swallowed bad line, a free-text label or a
/// class annotation may hold quotes and comment markers as plain text.
fn free_text(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::bad_top | Rule::bad_stmt | Rule::free_label | Rule::annotation
    )
}

/// Checks the agreement on one text; `Err` says where they disagree.
fn agree(text: &str) -> Result<(), String> {
    let toks: Vec<_> = tokens(text).collect();
    let joined: String = toks.iter().map(|t| t.text(text)).collect();
    if joined != text {
        return Err("the tokens do not concatenate to the text".into());
    }
    if !check_braces(FileId(0), text).is_empty() {
        return Ok(());
    }
    let Ok(pairs) = C4Parser::parse(Rule::file, text) else {
        return Ok(());
    };
    let strings: HashSet<(usize, usize)> = toks
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Str { .. }))
        .map(|t| (t.start, t.end))
        .collect();
    let mut stack: Vec<Pair<'_, Rule>> = pairs.collect();
    while let Some(pair) = stack.pop() {
        let (rule, span) = (pair.as_rule(), pair.as_span());
        let (start, end) = (span.start(), span.end());
        if rule == Rule::string {
            if !strings.contains(&(start, end)) {
                return Err(format!(
                    "pest reads a string at {start}..{end}, the lexer does not"
                ));
            }
            continue;
        }
        if free_text(rule) {
            continue;
        }
        let inner: Vec<_> = pair.into_inner().collect();
        if inner.is_empty() && !pair_text(text, start, end).contains('{') {
            // A leaf token of the grammar (not an empty block, which may
            // hold comments): words, punctuation and blanks only.
            let odd = toks.iter().find(|t| {
                t.start < end
                    && t.end > start
                    && !matches!(
                        t.kind,
                        TokenKind::Word | TokenKind::Punct | TokenKind::Blank
                    )
            });
            if let Some(t) = odd {
                return Err(format!(
                    "pest reads {rule:?} at {start}..{end}, the lexer has {:?} at {}..{}",
                    t.kind, t.start, t.end
                ));
            }
        }
        stack.extend(inner);
    }
    Ok(())
}

fn pair_text(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// Every model file under `dir` (also read by the outline tests).
pub(super) fn c4_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            c4_files(&path, out);
        } else if crate::source::is_model_file(&path) {
            out.push(path);
        }
    }
}

#[test]
fn the_lexer_agrees_with_the_grammar_on_every_bundled_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests/cases", "tests/regressions", "stdlib"] {
        c4_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "only {} files found", files.len());
    let mut parsed = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Err(e) = agree(&text) {
            panic!("{}: {e}", path.display());
        }
        parsed += usize::from(C4Parser::parse(Rule::file, &text).is_ok());
    }
    assert!(parsed > 40, "only {parsed} files parse");
}

#[test]
fn the_lexer_agrees_with_the_grammar_on_tricky_snippets() {
    for text in [
        "model {\n  a = system \"a // not a comment\" 'b /* nor this */'\n}\n",
        "model {\n  a = system \"\"\"x\n// still the string\n\"\"\" // a comment \"\n}\n",
        "model {\n  a = system \"esc \\\" quote\" // c\n  b = system 'it\\'s'\n}\n",
        "model {\n  /* { */ a = system \"\" \"\"\"\"\"\"\n}\n",
        "model {\n  a = system \"A\" {\n    description \"x\\\ny\"\n  }\n}\n",
        "code c \"C\" {\n  A --> B : it's /* here\n}\n",
        "model {\n  a = system \"x\r\n}\n",
        "model {\r\n  a = system 'x' // c\ry = system\r}\r\n",
    ] {
        assert_eq!(agree(text), Ok(()), "{text:?}");
    }
}

/// Fragments that start, end or look like strings and comments.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\"",
        "'",
        "\"\"\"",
        "\\",
        "//",
        "/*",
        "*/",
        "{",
        "}",
        "\n",
        "\r",
        "\r\n",
        " ",
        "\t",
        "\u{feff}",
        "é",
        "a",
        "model {",
        "a = system ",
        "\"S\"",
        "'s'",
        "->",
        " b ",
        "x",
        "=",
        "description ",
        "views {",
        "view v of a {",
        "include *",
        "styles {",
        "tag t",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_lexer_agrees_with_the_grammar_on_random_snippets(
        parts in prop::collection::vec(fragment(), 0..40)
    ) {
        let text = parts.concat();
        prop_assert_eq!(agree(&text), Ok(()), "{:?}", text);
    }

    #[test]
    fn random_model_blocks_agree(
        parts in prop::collection::vec(fragment(), 0..30)
    ) {
        let text = format!("model {{\n  a = system \"A\"\n{}\n}}\n", parts.concat());
        prop_assert_eq!(agree(&text), Ok(()), "{:?}", text);
    }
}
