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

use super::RawNote as Note;
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
    /// Its c4c path (a group: the path of the element it sits in, or "").
    path: String,
    base: Base,
    /// Written as a `group`: it adds no level; a reference to it stands
    /// for its elements ([`Placed::members`]).
    group: bool,
    /// A group's elements (c4c paths).
    members: Vec<String>,
}

pub(super) struct Writer<'a> {
    ast: &'a Ast,
    /// LikeC4 full path → the element's c4c path and level.
    placed: HashMap<String, Placed>,
    /// Last name segment → LikeC4 full paths with it.
    by_name: HashMap<String, Vec<String>>,
    /// (LikeC4 kind, level) → c4c kind name.
    kinds: BTreeMap<(String, Base), String>,
    /// The c4c identifiers taken under each c4c path.
    taken: HashMap<String, std::collections::HashSet<String>>,
    pub(super) notes: Vec<Note>,
    /// Relationships written.
    relationships: usize,
}

/// A LikeC4 comment's line as c4c comment text ([`crate::import::comment_line`]).
pub(super) fn comment_text(line: &str) -> String {
    crate::import::comment_line(line.trim())
}

/// A c4c string literal ([`crate::import::c4_string`]).
pub(super) fn quote(s: &str) -> String {
    crate::import::c4_string(s)
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

/// The C4 level a LikeC4 kind names, by its name or shape (`None`: it
/// names none, like `enterprise` or `domain`).
fn level_of(ast: &Ast, kind: &str) -> Option<Base> {
    let k = kind.to_ascii_lowercase();
    let shape = ast
        .kinds
        .iter()
        .find(|x| x.name == kind)
        .and_then(|x| x.shape.as_deref());
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    if shape == Some("person") || has(&["actor", "person", "user", "customer", "human", "staff"]) {
        Some(Base::Person)
    } else if has(&["system"]) {
        Some(Base::System)
    } else if has(&["component", "module", "controller"]) {
        Some(Base::Component)
    } else if has(&[
        "container",
        "app",
        "service",
        "database",
        "db",
        "queue",
        "storage",
        "store",
        "bucket",
        "topic",
        "lambda",
        "function",
    ]) {
        Some(Base::Container)
    } else {
        None
    }
}

impl<'a> Writer<'a> {
    pub(super) fn new(ast: &'a Ast) -> Writer<'a> {
        let mut w = Writer {
            ast,
            placed: HashMap::new(),
            by_name: HashMap::new(),
            kinds: BTreeMap::new(),
            taken: HashMap::new(),
            notes: Vec::new(),
            relationships: 0,
        };
        w.place_model(&ast.model);
        w
    }

    /// Places the model: its elements first, then its `extend` blocks, each
    /// once the element it extends is placed (LikeC4 merges a project's
    /// files, so an `extend` may come before, in file order, the element it
    /// names, or extend what another `extend` adds).
    fn place_model(&mut self, items: &'a [Item]) {
        let mut pending: Vec<&'a Item> = Vec::new();
        for item in items {
            match item {
                Item::Extend { .. } => pending.push(item),
                Item::Element(e) => self.place(e, None, "", None),
                _ => {}
            }
        }
        loop {
            let before = pending.len();
            pending.retain(|item| {
                let Item::Extend { path, items, .. } = item else {
                    return false;
                };
                let Some((lk, placed)) = self.resolve(path, None) else {
                    return true;
                };
                let level = (!placed.group).then_some(placed.base);
                self.place_all(items, Some(&lk), &placed.path, level);
                false
            });
            if pending.len() == before {
                break;
            }
        }
    }

    /// A free identifier under the c4c path `parent`.
    fn fresh(&mut self, parent: &str, id: String) -> String {
        let taken = self.taken.entry(parent.to_string()).or_default();
        let mut out = id.clone();
        let mut n = 2;
        while taken.contains(&out) {
            out = format!("{id}_{n}");
            n += 1;
        }
        taken.insert(out.clone());
        out
    }

    /// Where an element of level `own` goes under a c4c parent of level
    /// `parent`: (its level, whether it is flattened into the parent's
    /// container as a component named by its path).
    fn level_under(parent: Option<Base>, own: Option<Base>) -> (Base, bool) {
        match parent {
            None if own == Some(Base::Person) => (Base::Person, false),
            None => (Base::System, false),
            Some(Base::System) => (Base::Container, false),
            Some(Base::Container) => (Base::Component, false),
            Some(Base::Component | Base::Person) => (Base::Component, true),
        }
    }

    /// Assigns every element its c4c path and level (extends included):
    /// `parent` its LikeC4 path, `c4_parent` its c4c parent's path and level.
    fn place_all(
        &mut self,
        items: &[Item],
        parent: Option<&str>,
        c4_path: &str,
        c4_level: Option<Base>,
    ) {
        for item in items {
            match item {
                Item::Element(e) => self.place(e, parent, c4_path, c4_level),
                Item::Extend { path, items, .. } => {
                    if let Some((lk, placed)) = self.resolve(path, parent) {
                        let level = (!placed.group).then_some(placed.base);
                        self.place_all(items, Some(&lk), &placed.path, level.or(c4_level));
                    }
                }
                _ => {}
            }
        }
    }

    fn place(&mut self, e: &Element, parent: Option<&str>, c4_path: &str, c4_level: Option<Base>) {
        let lk = parent.map_or(e.name.clone(), |p| format!("{p}.{}", e.name));
        self.by_name
            .entry(e.name.clone())
            .or_default()
            .push(lk.clone());
        let own = level_of(self.ast, &e.kind);
        let children_are_top = e.items.iter().any(|i| {
            matches!(i, Item::Element(c) if matches!(level_of(self.ast, &c.kind), Some(Base::Person | Base::System)))
        });
        // A kind that names no C4 level holding people or systems (an
        // enterprise, a domain) is a group.
        if own.is_none() && children_are_top && c4_level.is_none() {
            self.placed.insert(
                lk.clone(),
                Placed {
                    path: c4_path.to_string(),
                    base: Base::System,
                    group: true,
                    members: Vec::new(),
                },
            );
            self.place_all(&e.items, Some(&lk), c4_path, c4_level);
            // Its elements: its direct children (a group inside adds its own).
            let mut members: Vec<String> = Vec::new();
            for item in &e.items {
                if let Item::Element(c) = item
                    && let Some(p) = self.placed.get(&format!("{lk}.{}", c.name))
                {
                    if p.group {
                        members.extend(p.members.iter().cloned());
                    } else {
                        members.push(p.path.clone());
                    }
                }
            }
            members.sort();
            if let Some(g) = self.placed.get_mut(&lk) {
                g.members = members;
            }
            return;
        }
        let (base, flat) = Self::level_under(c4_level, own);
        let (under, id) = if flat {
            // Into the container above, named by the path below it.
            let up = c4_path.rsplit_once('.').map_or("", |(a, _)| a).to_string();
            let own_id = c4_path.rsplit('.').next().unwrap_or("");
            (up, format!("{own_id}_{}", ident(&e.name)))
        } else {
            (c4_path.to_string(), ident(&e.name))
        };
        let id = self.fresh(&under, id);
        let path = if under.is_empty() {
            id
        } else {
            format!("{under}.{id}")
        };
        self.kinds.entry((e.kind.clone(), base)).or_default();
        self.placed.insert(
            lk.clone(),
            Placed {
                path: path.clone(),
                base,
                group: false,
                members: Vec::new(),
            },
        );
        if base == Base::Person {
            // c4c's people hold nothing: what a LikeC4 person holds goes
            // to the top level.
            if e.items.iter().any(|i| matches!(i, Item::Element(_))) {
                self.notes.push(Note {
                    line: e.line,
                    what: format!(
                        "`{lk}`: the elements inside a person are written at the top level"
                    ),
                    code: crate::import::Code::I007,
                });
            }
            self.place_all(&e.items, Some(&lk), "", None);
        } else {
            self.place_all(&e.items, Some(&lk), &path, Some(base));
        }
    }

    /// The element a reference names from `scope` (a LikeC4 path). Its first
    /// name is looked up relative to the scope or an ancestor, then
    /// absolutely, then as a unique name anywhere; each further name is a
    /// child or, as LikeC4 reads it, a descendant of a unique name
    /// (`cloud.graphql` for `cloud.next.graphql`).
    fn resolve(&self, reference: &str, scope: Option<&str>) -> Option<(String, Placed)> {
        let (first, rest) = reference
            .split_once('.')
            .map_or((reference, None), |(a, b)| (a, Some(b)));
        let mut starts: Vec<String> = Vec::new();
        let mut at = scope.map(str::to_string);
        while let Some(s) = at {
            starts.push(format!("{s}.{first}"));
            at = s.rsplit_once('.').map(|(a, _)| a.to_string());
        }
        starts.push(first.to_string());
        if let Some([only]) = self.by_name.get(first).map(Vec::as_slice) {
            starts.push(only.clone());
        }
        starts.into_iter().find_map(|start| {
            let mut cur = start;
            if !self.placed.contains_key(&cur) {
                return None;
            }
            for name in rest.into_iter().flat_map(|r| r.split('.')) {
                cur = descend(&self.by_name, &cur, name, |p| self.placed.contains_key(p))?;
            }
            self.placed.get(&cur).map(|p| (cur, p.clone()))
        })
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
            Some((_, p)) if p.group => {
                self.notes.push(Note { line, what: format!("`{reference}` is written as a group, which a relationship cannot end at (left out)"), code: crate::import::Code::I006 });
                None
            }
            Some((_, p)) => Some(p.path),
            None => {
                self.notes.push(Note {
                    line,
                    what: format!("`{reference}` names no element (what uses it is left out)"),
                    code: crate::import::Code::I006,
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
    /// The whole c4c file, the notes, and how many elements and relationships it holds.
    pub(super) fn write(mut self) -> (String, Vec<Note>, usize, usize) {
        self.name_kinds();
        let mut out = String::new();
        for c in &self.ast.header {
            for l in c.lines() {
                let _ = writeln!(out, "// {}", comment_text(l));
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
        let elements = self.placed.values().filter(|p| !p.group).count();
        (out, self.notes, elements, self.relationships)
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

/// How many elements of one name a shortened path is looked for among.
const MAX_SAME_NAME: usize = 256;

/// The child `name` of `parent`, else its one descendant of that name
/// (`by_name`: every path by its last name); `None` when there is none or
/// more than one.
fn descend(
    by_name: &HashMap<String, Vec<String>>,
    parent: &str,
    name: &str,
    exists: impl Fn(&str) -> bool,
) -> Option<String> {
    let child = format!("{parent}.{name}");
    if exists(&child) {
        return Some(child);
    }
    let prefix = format!("{parent}.");
    let all = by_name.get(name)?;
    // A name shared by very many elements is looked for as a child only,
    // so that many references to it stay linear.
    if all.len() > MAX_SAME_NAME {
        return None;
    }
    let mut found = all.iter().filter(|p| p.starts_with(&prefix));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}
