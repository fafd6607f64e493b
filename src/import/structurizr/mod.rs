//! `c4c import structurizr`: the Structurizr DSL translated to `.c4`.
//!
//! In: the text of a `workspace.dsl`, its name relative to its folder, and
//! a reader for the files it `!include`s (paths relative to that folder;
//! [`tree`] keeps them inside it). Out: an [`Outcome`]: formatted `.c4`
//! source and coded issues. Steps: [`lex`] tokens → [`tree`] statements
//! (includes inlined) → one pass over the statements that writes the model
//! ([`model`]), deployment environments ([`deploy`]), views and styles
//! ([`views`]). Identifiers are mapped to c4c's (valid, unique, written as
//! full paths), so flat and hierarchical identifiers both work.

mod deploy;
pub mod json;
mod lex;
mod model;
mod styles;
mod tree;
mod views;

use std::collections::{HashMap, HashSet};

use super::{Code, Counts, Issue, Outcome};
pub use tree::ReadFile;
use tree::{Reader, Stmt, Word, words_text};

/// Output beyond this many bytes (through `!const` substitution) stops the import.
const MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// Translates a Structurizr DSL workspace. `name` is the file's name
/// relative to its folder; `read` reads included files.
pub fn import(name: &str, text: &str, read: &mut ReadFile<'_>) -> Outcome {
    let mut reader = Reader::new(read);
    let stmts = reader.file(name, text);
    let stmts = extended(&mut reader, stmts, &mut vec![name.to_string()]);
    translate(name, &stmts, reader.issues)
}

/// Translates statements (from the DSL, or built from a workspace JSON by
/// [`json`]); `issues` are those met before, reported with the rest.
fn translate(name: &str, stmts: &[Stmt], issues: Vec<Issue>) -> Outcome {
    // A first pass learns every identifier, so that references to elements
    // declared later (c4c allows them) resolve in the second.
    let mut first = Tx::default();
    first.top(stmts);
    let mut tx = Tx {
        issues,
        ids: first.ids,
        kinds: first.kinds,
        rels: first.rels,
        ..Tx::default()
    };
    tx.top(stmts);
    let text = tx.assemble();
    let mut issues = tx.issues;
    // Views are read after the model: issues in file and line order.
    issues.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let c4 = if text.len() > MAX_OUTPUT || tx.substituted.get() > MAX_OUTPUT {
        issues.push(Issue {
            code: Code::I105,
            file: name.to_string(),
            line: 1,
            message: "the translation (constants substituted) exceeds 64 MiB; nothing is written"
                .into(),
        });
        String::new()
    } else {
        crate::format::format_source(&text)
    };
    Outcome {
        c4,
        issues,
        counts: tx.counts,
    }
}

/// `workspace extends FILE { … }` as Structurizr reads it: the workspace
/// FILE holds, with this one's statements after its own (its model, then
/// this model; its views, then these). FILE is read like an `!include`
/// (inside the input's folder); a chain of extensions is followed up to
/// the include depth. A URL or a JSON workspace is not followed (reported).
fn extended(
    reader: &mut Reader<'_, '_>,
    mut stmts: Vec<Stmt>,
    seen: &mut Vec<String>,
) -> Vec<Stmt> {
    let Some(at) = stmts.iter().position(|s| {
        s.keyword() == "workspace"
            && s.words.get(1).is_some_and(|w| w.text == "extends")
            && s.words
                .get(2)
                .is_some_and(|w| !w.text.contains("://") && !w.text.ends_with(".json"))
    }) else {
        return stmts;
    };
    let s = &stmts[at];
    let target = s.words.get(2).and_then(|w| tree::join(&s.file, &w.text));
    if target.as_ref().is_some_and(|t| seen.contains(t)) || seen.len() > 16 {
        reader.issues.push(Issue {
            code: Code::I104,
            file: s.file.clone(),
            line: s.line,
            message: format!(
                "`{}`: an extension of itself (a cycle), or extensions nested more than 16 deep; not read again",
                short(&words_text(&s.words))
            ),
        });
        return stmts;
    }
    seen.push(s.file.clone());
    let base = reader.extended(s);
    let base = extended(reader, base, seen);
    let Some(mut ws) = base
        .into_iter()
        .find(|s| s.keyword() == "workspace" && s.words.get(1).is_none_or(|w| w.text != "extends"))
    else {
        return stmts;
    };
    let own = stmts[at].block.take().unwrap_or_default();
    ws.block.get_or_insert_with(Vec::new).extend(own);
    stmts[at] = ws;
    stmts
}

/// Where a model statement stands.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// The c4c path of the enclosing element ("" at the top level).
    path: String,
    /// The Structurizr identifier of the enclosing element (hierarchical prefix).
    sid: String,
    /// The enclosing element's kind ("" at the top level).
    kind: &'static str,
}

/// The translation's state.
#[derive(Default)]
struct Tx {
    issues: Vec<Issue>,
    counts: Counts,
    consts: HashMap<String, String>,
    hierarchical: bool,
    /// Structurizr identifier → c4c path (model elements).
    ids: Idents<String>,
    /// c4c paths of the model's elements, with their kind.
    kinds: HashMap<String, &'static str>,
    /// Deployment identifier → path from its environment (the current one).
    dids: Idents<String>,
    /// Deployment identifier → (environment, path), every environment.
    deployed: Idents<(String, String)>,
    /// Environment name → c4c environment identifier.
    envs: HashMap<String, String>,
    /// Relationship identifier → (source, destination) c4c paths.
    rels: Idents<(String, String)>,
    /// Identifiers taken in each parent ("" for the top level; `@env` for environments).
    names: Names,
    /// Bytes substituted for constants so far (bounded by [`MAX_OUTPUT`]).
    substituted: std::cell::Cell<usize>,
    /// Whether the views block has `defaults off` yet.
    defaults_off: bool,
    /// Tags declared in the specification.
    declared_tags: HashSet<String>,
    /// Names of the kinds made from archetypes.
    archetype_kinds: HashSet<String>,
    element_tags: HashSet<String>,
    rel_tags: HashSet<String>,
    /// Tags of deployment relationships only.
    deploy_rel_tags: HashSet<String>,
    /// Each element's tags (positional, archetype and `tags` statements).
    tags_of: HashMap<String, Vec<String>>,
    /// Element paths in declaration order.
    order: Vec<String>,
    /// Group identifier → the elements declared directly in it.
    groups: HashMap<String, Vec<String>>,
    /// The named groups being read, with the path of their parent element.
    group_stack: Vec<(String, String)>,
    /// Relationship archetypes.
    rel_archetypes: HashMap<String, RelArchetype>,
    /// Archetypes of groups.
    group_archetypes: HashSet<String>,
    /// Archetype name → (base kind, c4c kind name, tags).
    archetypes: HashMap<String, Archetype>,
    spec: Vec<String>,
    model: Vec<String>,
    deploy: Vec<String>,
    views: Vec<String>,
    dynamics: Vec<String>,
    styles: Vec<String>,
}

/// A relationship archetype's defaults.
#[derive(Debug, Clone, Default)]
struct RelArchetype {
    description: String,
    technology: String,
    tags: Vec<String>,
}

#[derive(Debug, Clone)]
struct Archetype {
    base: &'static str,
    kind: String,
    tags: Vec<String>,
}

impl Tx {
    fn issue(&mut self, code: Code, stmt: &Stmt, message: String) {
        self.issues.push(Issue {
            code,
            file: stmt.file.clone(),
            line: stmt.line,
            message,
        });
    }

    /// Reports `stmt` and keeps it (with its block) as comments in `out`.
    fn keep(&mut self, code: Code, stmt: &Stmt, why: &str, out: &mut Vec<String>) {
        let message = format!("`{}`: {why}", short(&words_text(&stmt.words)));
        self.issue(code, stmt, message);
        let mut lines = Vec::new();
        commented(stmt, &mut lines, 0);
        for l in lines {
            out.push(format!("// {l}"));
        }
    }

    /// A word with `${NAME}` constants substituted.
    fn text(&self, w: &Word) -> String {
        if !w.text.contains("${") || self.consts.is_empty() {
            return w.text.clone();
        }
        let mut out = String::new();
        let mut rest = w.text.as_str();
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            match after.find('}') {
                Some(end) => {
                    match self.consts.get(&after[..end]) {
                        Some(v) if self.substituted.get() + v.len() <= MAX_OUTPUT => {
                            self.substituted.set(self.substituted.get() + v.len());
                            out.push_str(v);
                        }
                        Some(_) => {
                            // Over the bound: left as written (I105 at the end).
                            self.substituted.set(MAX_OUTPUT + 1);
                            out.push_str(&rest[at..at + 3 + end]);
                        }
                        None => out.push_str(&rest[at..at + 3 + end]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[at..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The top level: `workspace` (or a bare model, as in an included file).
    fn top(&mut self, stmts: &[Stmt]) {
        let mut model = Vec::new();
        for s in stmts {
            match s.keyword().as_str() {
                "workspace" => {
                    let title = s.words.get(1).map(|w| self.text(w));
                    if let Some(t) = title.filter(|t| !t.is_empty() && t != "extends") {
                        model.push(format!("// Workspace: {}", line_text(&t)));
                    }
                    if s.words.get(1).is_some_and(|w| w.text == "extends") {
                        // Not followed (a URL, a JSON workspace, or not read):
                        // reported, and its own content translated.
                        let head = words_text(&s.words);
                        self.issue(
                            Code::I001,
                            s,
                            format!(
                                "`{}`: this workspace extension is not followed",
                                short(&head)
                            ),
                        );
                        model.push(format!("// {}", line_text(&head)));
                    }
                    self.workspace(s.block.as_deref().unwrap_or_default(), &mut model);
                }
                _ => self.workspace(std::slice::from_ref(s), &mut model),
            }
        }
        self.model.splice(0..0, model);
    }

    /// The statements of a `workspace` block; views come after the model.
    fn workspace(&mut self, stmts: &[Stmt], out: &mut Vec<String>) {
        let mut views = Vec::new();
        for s in stmts {
            match s.keyword().as_str() {
                "" => self.comment(s, out),
                "model" => {
                    let mut lines = Vec::new();
                    self.model_block(
                        s.block.as_deref().unwrap_or_default(),
                        &Scope::default(),
                        &mut lines,
                    );
                    out.extend(lines);
                }
                "views" => views.push(s),
                "name" | "description" => {
                    let t = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                    out.push(format!("// Workspace {}: {}", s.keyword(), line_text(&t)));
                }
                "!identifiers" | "!impliedrelationships" | "!const" | "!constant" | "!var" => {
                    self.directive(s, out);
                }
                "!docs" | "!adrs" | "!script" | "!plugin" | "properties" | "configuration" => {
                    self.keep(Code::I001, s, "no c4c equivalent", out);
                }
                _ => self.model_stmt(s, &Scope::default(), out),
            }
        }
        for v in views {
            self.views_block(v.block.as_deref().unwrap_or_default());
        }
    }

    /// `!identifiers`, `!impliedRelationships`, `!const`/`!var`.
    fn directive(&mut self, s: &Stmt, out: &mut Vec<String>) {
        let arg = |i: usize| s.words.get(i).map(|w| self.text(w)).unwrap_or_default();
        match s.keyword().as_str() {
            "!identifiers" => self.hierarchical = arg(1).eq_ignore_ascii_case("hierarchical"),
            "!impliedrelationships" => {
                if arg(1) == "false" {
                    self.keep(Code::I002, s, "c4c always draws implied relationships", out);
                }
            }
            _ => {
                let (name, value) = (arg(1), arg(2));
                if self.consts.values().map(String::len).sum::<usize>() + value.len() > MAX_OUTPUT {
                    self.issue(Code::I105, s, "constants exceed 64 MiB".into());
                } else {
                    self.consts.insert(name, value);
                }
            }
        }
    }

    /// A comment, kept; or a block with no statement before it, reported.
    fn comment(&mut self, s: &Stmt, out: &mut Vec<String>) {
        match &s.comment {
            Some(c) if c.is_empty() => out.push("//".into()),
            Some(c) => out.push(format!("// {}", line_text(c))),
            None => self.keep(Code::I004, s, "a block with no statement before it", out),
        }
    }

    /// A fresh c4c identifier under `parent` from `want` (valid, not taken).
    fn fresh(&mut self, parent: &str, want: &str) -> String {
        self.names.fresh(parent, want)
    }

    /// The c4c path of a Structurizr reference seen from `scope`: in a
    /// deployment environment its items first (paths from the environment).
    fn resolve(&self, scope: &Scope, r: &str) -> Option<String> {
        if r == "this" {
            return (!scope.path.is_empty()).then(|| scope.path.clone());
        }
        if scope.kind == DEPLOY
            && let Some(p) = lookup(&self.dids, self.hierarchical, &scope.sid, r)
        {
            return Some(p);
        }
        lookup(&self.ids, self.hierarchical, &scope.sid, r)
            .or_else(|| self.kinds.contains_key(r).then(|| r.to_string()))
    }

    /// The text of the whole `.c4` file.
    fn assemble(&self) -> String {
        let mut out = String::new();
        let mut section = |head: &str, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            out.push_str(head);
            out.push('\n');
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
            if !head.is_empty() {
                out.push_str("}\n");
            }
            out.push('\n');
        };
        if !self.spec.is_empty() {
            section("specification {", &self.spec);
        }
        section("model {", &self.model);
        section("", &self.deploy);
        section("", &self.dynamics);
        section("views {", &self.views);
        section("styles {", &self.styles);
        out
    }
}

/// Identifiers taken, per parent.
#[derive(Default)]
struct Names {
    taken: HashMap<String, HashSet<String>>,
    /// The next numeric suffix per (parent, identifier).
    suffix: HashMap<(String, String), usize>,
}

impl Names {
    /// A fresh identifier under `parent` from `want` ([`ident`]; `_2`,
    /// `_3`… added until it is not taken).
    fn fresh(&mut self, parent: &str, want: &str) -> String {
        let base = ident(want);
        let taken = self.taken.entry(parent.to_string()).or_default();
        let mut id = base.clone();
        // The next suffix to try for this base, so that many elements of
        // one name cost linear time.
        let next = self
            .suffix
            .entry((parent.to_string(), base.clone()))
            .or_insert(2);
        while taken.contains(&id) {
            id = format!("{base}_{next}");
            *next += 1;
        }
        taken.insert(id.clone());
        id
    }
}

/// The kind of a scope inside a deployment environment.
const DEPLOY: &str = "deploy";

/// Identifiers of the workspace and what they stand for. Structurizr reads
/// identifiers without regard to case (`homePageController` and
/// `HomePageController` are one), so keys are kept in ASCII lower case
/// (identifiers are `a-zA-Z0-9_`, with `.` between hierarchical parts).
#[derive(Debug, Clone)]
struct Idents<V>(HashMap<String, V>);

impl<V> Default for Idents<V> {
    fn default() -> Self {
        Idents(HashMap::new())
    }
}

impl<V> Idents<V> {
    fn insert(&mut self, id: &str, v: V) {
        self.0.insert(id.to_ascii_lowercase(), v);
    }

    fn get(&self, id: &str) -> Option<&V> {
        self.0.get(&id.to_ascii_lowercase())
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// `r` in `map`: as written, or (hierarchical identifiers) under each
/// prefix of `sid`, nearest first.
fn lookup(map: &Idents<String>, hierarchical: bool, sid: &str, r: &str) -> Option<String> {
    if !hierarchical {
        return map.get(r).cloned();
    }
    let mut prefix = sid;
    loop {
        let key = if prefix.is_empty() {
            r.to_string()
        } else {
            format!("{prefix}.{r}")
        };
        if let Some(p) = map.get(&key) {
            return Some(p.clone());
        }
        if prefix.is_empty() {
            return None;
        }
        prefix = prefix.rsplit_once('.').map_or("", |(a, _)| a);
    }
}

/// A statement and its block, as comment lines.
fn commented(s: &Stmt, out: &mut Vec<String>, depth: usize) {
    let pad = "  ".repeat(depth);
    if let Some(c) = &s.comment {
        out.push(format!("{pad}{}", line_text(c)));
        return;
    }
    let head = line_text(&words_text(&s.words));
    match &s.block {
        Some(b) => {
            out.push(format!("{pad}{head} {{"));
            for c in b {
                commented(c, out, depth + 1);
            }
            out.push(format!("{pad}}}"));
        }
        None => out.push(format!("{pad}{head}")),
    }
}

/// Text for one comment line ([`super::comment_line`]).
fn line_text(s: &str) -> String {
    super::comment_line(s)
}

/// At most 80 characters of a statement, for a message.
fn short(s: &str) -> String {
    let one = line_text(s);
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(80).collect::<String>())
    } else {
        one
    }
}

/// A `.c4` string literal ([`super::c4_string`]).
fn q(s: &str) -> String {
    super::c4_string(s)
}

/// Words that cannot be a c4c identifier.
const RESERVED: &[&str] = &["this"];

/// A valid c4c identifier made from `s`.
fn ident(s: &str) -> String {
    let mut id = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('_') {
            id.push('_');
        }
        if id.len() >= 64 {
            break;
        }
    }
    let id = id.trim_matches('_').to_string();
    let id = if id.is_empty() {
        "element".to_string()
    } else if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{id}")
    } else {
        id
    };
    if RESERVED.contains(&id.to_ascii_lowercase().as_str()) {
        format!("{id}_")
    } else {
        id
    }
}

/// Words c4c reads as a view's kind or keyword: no dynamic block or
/// environment is named so.
const VIEW_WORDS: &[&str] = &[
    "landscape",
    "context",
    "container",
    "component",
    "deployment",
    "mesh",
    "cdn",
    "code",
    "states",
    "dynamic",
    "custom",
    "of",
    "include",
    "exclude",
    "direction",
    "autolayout",
    "title",
    "description",
    "flowchart",
    "on",
    "nodes",
    "subject",
    "boundaries",
    "split",
    "collapse",
    "defaults",
];

/// A valid identifier for a name that follows a view kind.
fn view_ident(s: &str) -> String {
    let id = ident(s);
    if VIEW_WORDS.contains(&id.to_ascii_lowercase().as_str()) {
        format!("{id}_")
    } else {
        id
    }
}

/// Comma-separated tags, trimmed, empty ones dropped.
fn split_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}
