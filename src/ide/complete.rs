//! Completion: what may be written at the cursor.
//!
//! In: an [`Analysis`], a file and the cursor's byte offset. Out:
//! completion items by context, read from the tokens before the cursor (the
//! one lexer): inside `import "…"` the stdlib modules; inside a style block
//! the style properties, and after `shape`, `color`… their values; after
//! `tag` or inside `tags "…"` the tags; in a `views` block the view kinds
//! and view statements; everywhere else the keywords valid in that block,
//! the kinds (a stdlib kind not yet imported brings its
//! `import "std/kinds"` along as an extra edit) and the elements (each by
//! its short identifier, with its full path as detail, and by its path).

use std::collections::BTreeMap;

use lsp_types::{CompletionItem, CompletionItemKind, Position, Range, TextEdit};

use super::symbol::unquote;
use super::{Analysis, to_position};
use crate::model::style::{ELEMENT_PROPS, RELATIONSHIP_PROPS};
use crate::syntax::lexer::{self, Token, TokenKind};

/// Top-level blocks and statements.
const TOP: &[&str] = &[
    "import",
    "specification",
    "model",
    "views",
    "styles",
    "deployment",
    "mesh",
    "cdn",
    "code",
    "states",
    "dynamic",
    "rules",
];
/// Statements inside an element's block or the model beyond the resolver's
/// statement keywords.
const IN_MODEL_EXTRA: &[&str] = &["api"];
const IN_SPEC: &[&str] = &[
    "kind",
    "tag",
    "extends",
    "style",
    "description",
    "technology",
];
const IN_VIEWS: &[&str] = &[
    "landscape",
    "context",
    "container",
    "component",
    "custom",
    "deployment",
    "mesh",
    "cdn",
    "code",
    "states",
    "dynamic",
    "defaults",
];
const IN_VIEW: &[&str] = &[
    "include",
    "exclude",
    "title",
    "description",
    "direction",
    "subject",
    "boundaries",
    "split",
    "collapse",
    "of",
];
const IN_STYLES: &[&str] = &["element", "relationship", "tag", "kind"];
const IN_DEPLOYMENT: &[&str] = &[
    "node",
    "infra",
    "instance",
    "replicas",
    "expand",
    "description",
    "technology",
    "tags",
];
const DIRECTIONS: &[&str] = &["TB", "BT", "LR", "RL"];

/// Where the cursor is, as far as completion cares.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// Inside the string after `import`.
    Import,
    /// Inside a tag string, or after `tag`.
    Tag,
    /// A style property's value.
    StyleValue(String),
    /// A style property.
    StyleProp,
    /// In a block opened by this word (`""`: the top level).
    Block(String),
}

/// The context at `offset`: the innermost block (by the word that opened
/// it) and the tokens just before the cursor.
fn context(text: &str, offset: usize) -> Context {
    let toks: Vec<Token> = lexer::tokens(text)
        .take_while(|t| t.start < offset)
        .collect();
    let sig: Vec<Token> = toks
        .iter()
        .copied()
        .filter(|t| !t.kind.is_trivia())
        .collect();
    let in_string = sig.last().is_some_and(|l| match l.kind {
        TokenKind::Str { closed, .. } => offset < l.end || (!closed && offset <= l.end),
        _ => false,
    });
    if in_string {
        let before = sig
            .len()
            .checked_sub(2)
            .and_then(|i| sig.get(i))
            .map(|t| t.text(text));
        return match before {
            Some("import") => Context::Import,
            Some("tags" | "tag" | ",") => Context::Tag,
            _ => Context::Block(String::new()),
        };
    }
    // The block stack: each `{` is named by the first word of its line.
    let mut stack: Vec<String> = Vec::new();
    let mut first: Option<&str> = None;
    for t in &toks {
        match t.kind {
            TokenKind::Newline => first = None,
            TokenKind::Open => {
                stack.push(first.unwrap_or("").to_string());
                first = None;
            }
            TokenKind::Close => {
                stack.pop();
                first = None;
            }
            TokenKind::Word if first.is_none() => first = Some(t.text(text)),
            _ => {}
        }
    }
    // The word being typed is not context.
    let done: Vec<&Token> = sig.iter().filter(|t| t.end < offset).collect();
    let prev = done.last().map(|t| t.text(text)).unwrap_or("");
    let block = stack.last().cloned().unwrap_or_default();
    let in_style = matches!(
        block.as_str(),
        "element" | "relationship" | "tag" | "kind" | "style"
    );
    if prev == "tag" || prev == ":" && done.len() >= 2 && done[done.len() - 2].text(text) == "tag" {
        return Context::Tag;
    }
    if in_style && stack.len() >= 2 {
        return if ELEMENT_PROPS.contains(&prev) || RELATIONSHIP_PROPS.contains(&prev) {
            Context::StyleValue(prev.to_string())
        } else {
            Context::StyleProp
        };
    }
    // A view: a block inside `views`.
    if stack.len() >= 2 && stack.first().is_some_and(|b| b == "views") {
        return Context::Block("view".into());
    }
    if prev == "direction" {
        return Context::StyleValue("direction".into());
    }
    Context::Block(block)
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

fn words(list: &[&str], kind: CompletionItemKind) -> impl Iterator<Item = CompletionItem> {
    list.iter().map(move |w| item(w, kind, None))
}

/// The start of the path being typed before `offset` (`shop.ap|`): letters,
/// digits, `_` and `.`.
fn path_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0
        && bytes
            .get(start - 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
    {
        start -= 1;
    }
    start
}

/// The completions at byte `offset` of `text` (the document as the editor
/// has it), with the names `a` knows: the latest analysis that got as far
/// as a model, so names are offered while the text does not parse.
pub fn complete(text: &str, offset: usize, a: &Analysis) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    // An element's completion replaces the whole path typed so far (an
    // editor's word stops at a `.`: `shop.` + `shop.api` must not give
    // `shop.shop.api`).
    let typed = Range::new(
        to_position(text, path_start(text, offset)),
        to_position(text, offset),
    );
    let elements = |a: &Analysis| {
        let mut items = elements(a);
        for it in &mut items {
            it.text_edit = Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                typed,
                it.label.clone(),
            )));
        }
        items
    };
    let mut out: Vec<CompletionItem> = Vec::new();
    match context(text, offset) {
        Context::Import => {
            for (module, _) in crate::load::STDLIB {
                out.push(item(
                    &format!("std/{module}"),
                    CompletionItemKind::MODULE,
                    None,
                ));
            }
        }
        Context::Tag => out.extend(tags(a)),
        Context::StyleProp => {
            out.extend(words(ELEMENT_PROPS, CompletionItemKind::PROPERTY));
        }
        Context::StyleValue(prop) => {
            let values: &[&str] = match prop.as_str() {
                "shape" => crate::model::Shape::NAMES,
                "dashed" | "dotted" | "solid" | "bold" => &["true", "false"],
                "direction" => DIRECTIONS,
                "fill" | "stroke" | "color" => &["#1168bd", "#ffffff", "#000000"],
                _ => &[],
            };
            out.extend(words(values, CompletionItemKind::VALUE));
        }
        Context::Block(block) => match block.as_str() {
            "" => out.extend(words(TOP, CompletionItemKind::KEYWORD)),
            "specification" => out.extend(words(IN_SPEC, CompletionItemKind::KEYWORD)),
            "styles" => out.extend(words(IN_STYLES, CompletionItemKind::KEYWORD)),
            "views" => out.extend(words(IN_VIEWS, CompletionItemKind::KEYWORD)),
            "view" => {
                out.extend(words(IN_VIEW, CompletionItemKind::KEYWORD));
                out.extend(elements(a));
            }
            "deployment" => {
                out.extend(words(IN_DEPLOYMENT, CompletionItemKind::KEYWORD));
                out.extend(elements(a));
            }
            _ => {
                out.extend(words(
                    crate::model::resolve::STMT_KEYWORDS,
                    CompletionItemKind::KEYWORD,
                ));
                out.extend(words(IN_MODEL_EXTRA, CompletionItemKind::KEYWORD));
                out.extend(kinds(a, text));
                out.extend(elements(a));
            }
        },
    }
    out
}

/// Every tag the models know.
fn tags(a: &Analysis) -> Vec<CompletionItem> {
    let mut all: BTreeMap<String, Option<String>> = BTreeMap::new();
    for c in a.models() {
        let m = &c.model;
        for (t, d) in &m.declared_tags {
            all.insert(t.clone(), d.clone());
        }
        for id in m.elements() {
            for t in &m.element(id).tags {
                all.entry(t.clone()).or_default();
            }
        }
    }
    all.into_iter()
        .map(|(t, d)| item(&t, CompletionItemKind::CONSTANT, d))
        .collect()
}

/// The kinds in scope, then the stdlib's not yet imported (with the import).
fn kinds(a: &Analysis, text: &str) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let mut known = std::collections::HashSet::new();
    for base in ["person", "system", "container", "component"] {
        known.insert(base.to_string());
        out.push(item(
            base,
            CompletionItemKind::CLASS,
            Some("base kind".into()),
        ));
    }
    for c in a.models() {
        for (name, k) in &c.model.kinds {
            if known.insert(name.clone()) {
                out.push(item(name, CompletionItemKind::CLASS, k.description.clone()));
            }
        }
    }
    let imported = lexer::tokens(text)
        .any(|t| matches!(t.kind, TokenKind::Str { .. }) && unquote(t.text(text)) == "std/kinds");
    for k in crate::load::stdlib_kinds() {
        if known.insert(k.to_string()) {
            let mut it = item(k, CompletionItemKind::CLASS, Some("std/kinds".into()));
            if !imported {
                let at = Position::new(0, 0);
                it.additional_text_edits = Some(vec![TextEdit::new(
                    Range::new(at, at),
                    "import \"std/kinds\"\n".into(),
                )]);
                it.detail = Some("std/kinds (adds the import)".into());
            }
            out.push(it);
        }
    }
    out
}

/// Every element: by its short identifier (its path as detail) and, when
/// nested, by its full path.
fn elements(a: &Analysis) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in a.models() {
        let m = &c.model;
        for id in m.elements() {
            let e = m.element(id);
            if !seen.insert(e.path.clone()) {
                continue;
            }
            let detail = Some(format!("{} {} — {}", e.kind, e.path, e.name));
            out.push(item(&e.id, CompletionItemKind::VARIABLE, detail.clone()));
            if e.path != e.id {
                out.push(item(&e.path, CompletionItemKind::VARIABLE, detail));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_is_read_from_the_blocks_around_the_cursor() {
        let text = "import \"st\"\nmodel {\n  a = system \"A\"\n  \n}\nstyles {\n  element a {\n    shape \n  }\n}\nviews {\n  \n  landscape {\n    \n  }\n}\n";
        let at = |needle: &str, delta: usize| text.find(needle).map_or(0, |i| i + delta);
        assert_eq!(context(text, at("st\"", 2)), Context::Import);
        assert_eq!(
            context(text, at("\"A\"\n  \n", 6)),
            Context::Block("model".into())
        );
        assert_eq!(
            context(text, at("shape \n", 6)),
            Context::StyleValue("shape".into())
        );
        assert_eq!(
            context(text, at("views {\n  \n", 10)),
            Context::Block("views".into())
        );
        assert_eq!(
            context(text, at("landscape {\n    \n", 16)),
            Context::Block("view".into())
        );
        assert_eq!(context(text, text.len()), Context::Block(String::new()));
    }
}
