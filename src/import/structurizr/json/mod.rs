//! `c4c import structurizr workspace.json`: the workspace JSON that
//! Structurizr exports, translated to `.c4`.
//!
//! In: the JSON text and its file name. Out: an [`Outcome`], as from the
//! DSL. The JSON is read into typed structs ([`schema`]), every object
//! knowing its line ([`lines`]), and turned into the statements the DSL
//! importer reads ([`Stmt`]: `workspace { model { … } views { … } }`, with
//! hierarchical identifiers made from the names), each statement at the
//! line of the JSON object it comes from; the DSL importer's one
//! translation then writes the `.c4` text, so every issue points into the
//! JSON. Elements are declared in place and relationships after them;
//! the relationships Structurizr implies or replicates
//! (`linkedRelationshipId`) are left to c4c, which draws its own. A view's
//! elements are explicit `include`s; a relationship between two of them
//! that the view leaves out is excluded.

mod build;
pub mod lines;
pub mod schema;
mod views;

use std::collections::HashMap;

use super::tree::{Stmt, Word};
use super::{Names, translate};
use crate::import::{Code, Issue, Outcome};
use schema::Workspace;

/// At most this many bytes of JSON.
const MAX_BYTES: usize = super::tree::MAX_BYTES;

/// Translates a Structurizr workspace JSON; `name` is the file's name.
pub fn import(name: &str, text: &str) -> Outcome {
    let fail = |code: Code, line: usize, message: String| Outcome {
        issues: vec![Issue {
            code,
            file: name.to_string(),
            line,
            message,
        }],
        ..Outcome::default()
    };
    if text.len() > MAX_BYTES {
        return fail(
            Code::I105,
            1,
            "the input exceeds 16 MiB; nothing is read".into(),
        );
    }
    let value = match lines::parse(text) {
        Ok(v) => v,
        Err(e) => {
            return fail(
                Code::I106,
                e.line,
                format!("not JSON (column {}): {}", e.column, e.message),
            );
        }
    };
    if !value.is_object() {
        return fail(
            Code::I106,
            1,
            "not a workspace: the JSON is no object".into(),
        );
    }
    let ws: Workspace = match serde_json::from_value(value) {
        Ok(w) => w,
        Err(e) => return fail(Code::I106, 1, format!("not a workspace JSON: {e}")),
    };
    let mut b = Builder {
        file: name.to_string(),
        ..Builder::default()
    };
    let stmts = b.workspace(&ws);
    translate(name, &stmts, b.issues)
}

/// What a JSON element became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    System,
    Container,
    Component,
    Custom,
    Node,
    Infra,
    Instance,
}

impl Kind {
    fn deployed(self) -> bool {
        matches!(self, Kind::Node | Kind::Infra | Kind::Instance)
    }
}

/// A JSON element's identifier in the statements (hierarchical: `a.b.c`).
#[derive(Debug, Clone)]
struct Key {
    key: String,
    kind: Kind,
}

/// A relationship of the JSON (declared, implied or replicated).
#[derive(Debug, Clone)]
struct Rel {
    src: String,
    dst: String,
    description: String,
    technology: String,
}

/// The statements being built.
#[derive(Default)]
struct Builder {
    file: String,
    issues: Vec<Issue>,
    /// JSON element id → its key (the first element of an id).
    keys: HashMap<String, Key>,
    /// JSON relationship id → its ends (JSON ids) and text.
    rels: HashMap<String, Rel>,
    names: Names,
}

impl Builder {
    fn stmt(&self, line: usize, words: Vec<Word>, block: Option<Vec<Stmt>>) -> Stmt {
        Stmt {
            words,
            block,
            comment: None,
            file: self.file.clone(),
            line,
        }
    }

    fn issue(&mut self, code: Code, line: usize, message: String) {
        self.issues.push(Issue {
            code,
            file: self.file.clone(),
            line,
            message,
        });
    }

    /// The key of a JSON element id: `#id` (which names nothing, so that
    /// the translation reports it) when no element has it.
    fn key_of(&self, id: &str) -> String {
        match self.keys.get(id) {
            Some(k) => k.key.clone(),
            None => format!("#{id}"),
        }
    }

    /// `workspace { name … description … model { … } views { … } }`.
    fn workspace(&mut self, ws: &Workspace) -> Vec<Stmt> {
        let mut body = vec![self.stmt(
            ws.line,
            vec![word("!identifiers"), word("hierarchical")],
            None,
        )];
        for (kw, v) in [("name", &ws.name), ("description", &ws.description)] {
            if !v.is_empty() {
                body.push(self.stmt(ws.line, vec![word(kw), text(v.as_str())], None));
            }
        }
        body.extend(self.documentation(&ws.documentation));
        let extra: schema::Props = ws
            .model
            .properties
            .iter()
            .filter(|(k, _)| !k.starts_with("structurizr."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if extra.keys().any(|k| k != "@line") {
            let line = extra
                .get("@line")
                .and_then(|l| l.0.parse().ok())
                .unwrap_or(ws.model.line);
            body.push(self.properties(line, &extra));
        }
        let model = self.model(&ws.model);
        body.push(self.stmt(ws.model.line, vec![word("model")], Some(model)));
        let views = self.views(&ws.views);
        body.push(self.stmt(ws.views.line, vec![word("views")], Some(views)));
        vec![self.stmt(ws.line, vec![word("workspace")], Some(body))]
    }

    /// `!docs`/`!adrs` statements for documentation sections and decisions
    /// (reported: no c4c equivalent).
    fn documentation(&self, d: &schema::Documentation) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (kw, n, what) in [
            ("!docs", d.sections.len(), "documentation sections"),
            ("!adrs", d.decisions.len(), "decisions"),
        ] {
            if n > 0 {
                out.push(self.stmt(d.line, vec![word(kw), text(&format!("{n} {what}"))], None));
            }
        }
        out
    }
}

/// An unquoted word.
fn word(s: &str) -> Word {
    Word {
        text: s.to_string(),
        quoted: false,
    }
}

/// A quoted word.
fn text(s: &str) -> Word {
    Word {
        text: s.to_string(),
        quoted: true,
    }
}

/// Identifiers the statements' readers take as keywords where an
/// identifier may stand first.
const RESERVED: &[&str] = &[
    "this",
    "title",
    "description",
    "autolayout",
    "properties",
    "url",
    "tags",
    "tag",
    "technology",
    "perspectives",
    "instances",
];

/// A readable identifier for a name: its words in lower camel case
/// (`Internet Banking System` → `internetBankingSystem`), valid and never
/// a keyword.
fn camel(name: &str) -> String {
    let mut out = String::new();
    for w in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.is_empty() {
            if w.chars().all(|c| !c.is_ascii_lowercase()) {
                out.push_str(&w.to_ascii_lowercase());
            } else {
                let mut cs = w.chars();
                out.extend(cs.next().map(|c| c.to_ascii_lowercase()));
                out.extend(cs);
            }
        } else {
            let mut cs = w.chars();
            out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
        if out.len() >= 40 {
            break;
        }
    }
    let id = super::ident(&out);
    if RESERVED.contains(&id.to_ascii_lowercase().as_str()) {
        format!("{id}_")
    } else {
        id
    }
}
