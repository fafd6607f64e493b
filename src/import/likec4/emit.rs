//! A LikeC4 [`Ast`] written as c4c: kinds by the C4 level each element sits
//! at (top: person or system, then container, then component; deeper
//! elements become components of their container, named by their path),
//! names made identifiers (`-` → `_`), every reference written as the full
//! c4c path it resolves to (LikeC4 allows short names), views by what they
//! show (`view of` a system → a container view, of a container → a
//! component view, otherwise a landscape or a custom view).
//!
//! In: the [`Ast`]. Out: c4c text and the notes on what was not
//! translated (the reader's skips and the writer's own).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::Note;
use super::parse::{Ast, Element, Item, Props};
use crate::model::kind::BaseKind;

/// The C4 level an element is translated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Base {
    Person,
    System,
    Container,
    Component,
}

impl Base {
    fn keyword(self) -> &'static str {
        match self {
            Base::Person => "person",
            Base::System => "system",
            Base::Container => "container",
            Base::Component => "component",
        }
    }
}

/// A translated element: its c4c path and level.
#[derive(Debug, Clone)]
struct Placed {
    path: String,
    base: Base,
}

pub(super) struct Writer<'a> {
    ast: &'a Ast,
    /// LikeC4 full path → the element's c4c path and level.
    placed: HashMap<String, Placed>,
    /// Last name segment → LikeC4 full paths with it.
    by_name: HashMap<String, Vec<String>>,
    /// (LikeC4 kind, level) → c4c kind name.
    kinds: BTreeMap<(String, Base), String>,
    pub(super) notes: Vec<Note>,
}

/// A c4c string literal.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A c4c identifier from a LikeC4 name: letters, digits and `_`.
pub(super) fn ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if crate::model::resolve::STMT_KEYWORDS.contains(&s.as_str())
        || [
            "this",
            "it",
            "model",
            "views",
            "import",
            "specification",
            "styles",
            "rules",
        ]
        .contains(&s.as_str())
    {
        s.push('_');
    }
    s
}

/// Whether a top-level element of this kind is a person.
fn personish(ast: &Ast, kind: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    let shape = ast
        .kinds
        .iter()
        .find(|x| x.name == kind)
        .and_then(|x| x.shape.as_deref());
    shape == Some("person")
        || ["actor", "person", "user", "customer", "human"]
            .iter()
            .any(|w| k.contains(w))
}

impl<'a> Writer<'a> {
    pub(super) fn new(ast: &'a Ast) -> Writer<'a> {
        let mut w = Writer {
            ast,
            placed: HashMap::new(),
            by_name: HashMap::new(),
            kinds: BTreeMap::new(),
            notes: Vec::new(),
        };
        w.place_all(&ast.model, None, "", 0);
        w
    }

    /// Assigns every element its c4c path and level (extends included).
    fn place_all(&mut self, items: &[Item], parent: Option<&str>, c4_parent: &str, depth: usize) {
        let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
        for item in items {
            match item {
                Item::Element(e) => {
                    let lk = parent.map_or(e.name.clone(), |p| format!("{p}.{}", e.name));
                    // Elements past the component level become components
                    // of their container, named by their path below it.
                    let (c4_parent_here, base, id) = if depth >= 3 {
                        let up = c4_parent.rsplit_once('.').map_or(c4_parent, |(a, _)| a);
                        let own = c4_parent.rsplit('.').next().unwrap_or("");
                        (
                            up.to_string(),
                            Base::Component,
                            format!("{own}_{}", ident(&e.name)),
                        )
                    } else {
                        let base = match depth {
                            0 if personish(self.ast, &e.kind) => Base::Person,
                            0 => Base::System,
                            1 => Base::Container,
                            _ => Base::Component,
                        };
                        (c4_parent.to_string(), base, ident(&e.name))
                    };
                    let mut id = id;
                    let mut n = 2;
                    while used.contains(&id) {
                        id = format!("{}_{n}", ident(&e.name));
                        n += 1;
                    }
                    used.insert(id.clone());
                    let path = if c4_parent_here.is_empty() {
                        id
                    } else {
                        format!("{c4_parent_here}.{id}")
                    };
                    self.by_name
                        .entry(e.name.clone())
                        .or_default()
                        .push(lk.clone());
                    self.kinds.entry((e.kind.clone(), base)).or_default();
                    self.placed.insert(
                        lk.clone(),
                        Placed {
                            path: path.clone(),
                            base,
                        },
                    );
                    self.place_all(&e.items, Some(&lk), &path, depth + 1);
                }
                Item::Extend { path, items, .. } => {
                    let target = self.resolve(path, parent);
                    if let Some((lk, placed)) = target {
                        let depth = lk.matches('.').count() + 1;
                        self.place_all(items, Some(&lk), &placed.path, depth);
                    }
                }
                _ => {}
            }
        }
    }

    /// The element a reference names from `scope` (a LikeC4 path): relative
    /// to the scope or an ancestor, absolute, or by a unique first name.
    fn resolve(&self, reference: &str, scope: Option<&str>) -> Option<(String, Placed)> {
        let mut at = scope.map(str::to_string);
        loop {
            let full = at
                .as_ref()
                .map_or(reference.to_string(), |s| format!("{s}.{reference}"));
            if let Some(p) = self.placed.get(&full) {
                return Some((full, p.clone()));
            }
            match at {
                Some(s) => at = s.rsplit_once('.').map(|(a, _)| a.to_string()),
                None => break,
            }
        }
        let (first, rest) = reference
            .split_once('.')
            .map_or((reference, None), |(a, b)| (a, Some(b)));
        match self.by_name.get(first).map(Vec::as_slice) {
            Some([only]) => {
                let full = rest.map_or(only.clone(), |r| format!("{only}.{r}"));
                self.placed.get(&full).map(|p| (full, p.clone()))
            }
            _ => None,
        }
    }

    /// A reference as a c4c path (`it`/`this`: the scope); `None`, noted,
    /// when it names no element (what uses it is left out, so the output
    /// still compiles).
    fn path_of(&mut self, reference: &str, scope: Option<&str>, line: usize) -> Option<String> {
        if matches!(reference, "it" | "this")
            && let Some(s) = scope.and_then(|s| self.placed.get(s))
        {
            return Some(s.path.clone());
        }
        match self.resolve(reference, scope) {
            Some((_, p)) => Some(p.path),
            None => {
                self.notes.push(Note {
                    line,
                    what: format!("`{reference}` names no element (what uses it is left out)"),
                });
                None
            }
        }
    }

    /// The c4c kinds: LikeC4's kind name where it is free, else
    /// `NAME_LEVEL`; c4c's own where the names agree.
    fn name_kinds(&mut self) {
        let keys: Vec<(String, Base)> = self.kinds.keys().cloned().collect();
        let mut taken: Vec<String> = Vec::new();
        for (kind, base) in keys {
            let builtin_base = BaseKind::from_keyword(&kind).map(|b| b.keyword());
            let name = if builtin_base == Some(base.keyword()) {
                kind.clone()
            } else {
                let plain = ident(&kind);
                let builtin = BaseKind::from_keyword(&plain).is_some();
                if builtin || taken.contains(&plain) {
                    format!("{plain}_{}", base.keyword())
                } else {
                    plain
                }
            };
            taken.push(name.clone());
            self.kinds.insert((kind, base), name);
        }
    }

    fn kind_of(&self, e: &Element, base: Base) -> String {
        self.kinds
            .get(&(e.kind.clone(), base))
            .cloned()
            .unwrap_or_else(|| base.keyword().into())
    }

    /// The whole c4c file.
    pub(super) fn write(mut self) -> (String, Vec<Note>) {
        self.name_kinds();
        let mut out = String::new();
        for c in &self.ast.header {
            for l in c.lines() {
                let _ = writeln!(out, "// {}", l.trim());
            }
        }
        let _ = writeln!(out, "// Translated from LikeC4 by `c4c import likec4`.\n");
        self.specification(&mut out);
        out.push_str("model {\n");
        let model = self.ast.model.clone();
        self.items(&model, None, 1, &mut out);
        out.push_str("}\n");
        self.deployments(&mut out);
        self.views_out(&mut out);
        (out, self.notes)
    }

    fn specification(&self, out: &mut String) {
        let mut body = String::new();
        for ((kind, base), name) in &self.kinds {
            if BaseKind::from_keyword(name).is_some() {
                continue;
            }
            let spec = self.ast.kinds.iter().find(|k| &k.name == kind);
            let mut style = Vec::new();
            if let Some(shape) = spec.and_then(|k| k.shape.as_deref()) {
                let s = match shape {
                    "storage" | "cylinder" => "cylinder",
                    "queue" => "queue",
                    "person" => "person",
                    _ => "box",
                };
                style.push(format!("shape {s}"));
            }
            if let Some(c) = spec.and_then(|k| k.color.as_deref()).and_then(color) {
                style.push(format!("fill {c}"));
            }
            if let Some(t) = spec.and_then(|k| k.technology.as_deref()) {
                style.push(format!("technology {}", quote(t)));
            }
            let _ = write!(body, "  kind {name} extends {}", base.keyword());
            if style.is_empty() {
                body.push('\n');
            } else {
                let _ = writeln!(body, " {{ {} }}", style.join("; "));
            }
        }
        for t in self.ast.tags.iter().filter(|t| !is_external(t)) {
            let _ = writeln!(body, "  tag {}", tag_name(t));
        }
        if !body.is_empty() {
            let _ = writeln!(out, "specification {{\n{body}}}\n");
        }
    }
}

/// LikeC4's theme colour names, as fills c4c can draw (the same hues).
fn color(name: &str) -> Option<&'static str> {
    Some(match name {
        "primary" | "blue" => "#3B82F6",
        "secondary" | "sky" => "#0EA5E9",
        "muted" | "slate" => "#64748B",
        "gray" => "#737373",
        "red" => "#AC4D39",
        "green" => "#428A4F",
        "amber" => "#A35829",
        "indigo" => "#6366F1",
        _ => return None,
    })
}

mod items;
mod views;

/// A tag as c4c names it: letters, digits, `_` and `-`.
fn tag_name(t: &str) -> String {
    t.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// LikeC4's `#external` is c4c's `external` statement.
fn is_external(t: &str) -> bool {
    t.eq_ignore_ascii_case("external")
}

/// Props as c4c block statements (external, tags, url, properties).
fn block_lines(props: &Props, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    if props.tags.iter().any(|t| is_external(t)) {
        out.push(format!("{indent}external"));
    }
    let tags: Vec<String> = props
        .tags
        .iter()
        .filter(|t| !is_external(t))
        .map(|t| quote(&tag_name(t)))
        .collect();
    if !tags.is_empty() {
        out.push(format!("{indent}tags {}", tags.join(", ")));
    }
    if let Some(l) = &props.link {
        out.push(format!("{indent}url {}", quote(l)));
    }
    if !props.metadata.is_empty() {
        let kv: Vec<String> = props
            .metadata
            .iter()
            .map(|(k, v)| format!("{} {}", quote(k), quote(v)))
            .collect();
        out.push(format!("{indent}properties {{ {} }}", kv.join(" ")));
    }
    out
}
