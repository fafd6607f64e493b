//! Resolution: syntax trees of a workspace → [`Model`].
//!
//! In: a [`Workspace`] (parsed files in merge order).
//! Out: the model graph and every problem found on the way, all collected:
//! unknown / duplicate / ambiguous identifiers (E020–E022), wrong nesting
//! (E023), unknown kinds (E024), bad relationships (E025, E026, E029),
//! misplaced statements (E028), kind declarations (E027), style targets
//! (E030, E031) and view definitions (E040–E043).
//!
//! Order of work: kinds from every `specification`, then elements (so a
//! relationship may refer to an element declared later or in another file),
//! then `extend` blocks, relationships, styles and views.

use std::collections::{HashMap, HashSet};

/// Longest explicit element identifier accepted (E032).
pub const MAX_ID_LEN: usize = 128;

use indexmap::IndexMap;
use petgraph::graph::NodeIndex;

use super::index::{self, RelIndex, dedup_tags};
use super::kind::{BaseKind, Kind};
use super::limits;
use super::style::{
    ELEMENT_PROPS, RELATIONSHIP_PROPS, Style, StyleTarget, Styles, style_from_props,
};
use super::*;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::Workspace;
use crate::syntax::ast::{
    self, Direction, PathRef, Selector, Star, Stmt, Text, ViewExpr, ViewKind, ViewStmt,
};

mod views;
pub use views::{check_view_key, derived_key};

/// Names of things in derived views that `element NAME { … }` may style.
const VIEW_STYLE_NAMES: &[&str] = &[
    "infra",
    "node",
    "proxy",
    "control",
    "ingress",
    "user",
    "pop",
    "note",
    "class",
    "interface",
    "enum",
    "abstract",
];

/// Statement keywords, offered as suggestions when a kind is unknown.
const STMT_KEYWORDS: &[&str] = &[
    "description",
    "technology",
    "tags",
    "url",
    "properties",
    "external",
    "group",
    "extend",
];

/// Resolves a workspace into a model. Diagnostics are appended to `diags`.
pub fn resolve(ws: &Workspace, diags: &mut Vec<Diagnostic>) -> Model {
    let mut r = Resolver {
        m: Model::default(),
        diags,
        children: HashMap::new(),
        short: HashMap::new(),
        rels: Vec::new(),
        extends: Vec::new(),
        order: 0,
        rel_index: RelIndex::default(),
        dropped: limits::Dropped::default(),
        names_len: 0,
        tags_len: 0,
        suggest_left: std::cell::Cell::new(limits::SUGGEST_BUDGET),
    };
    r.kinds(ws);
    for (_, file) in &ws.files {
        for item in &file.items {
            if let ast::TopItem::Model(stmts) = item {
                r.walk(stmts, Ctx::top());
            }
        }
    }
    // `extend` blocks may add elements that later `extend`s target.
    let mut guard = 0;
    while !r.extends.is_empty() && guard < 10_000 {
        guard += 1;
        let pending = std::mem::take(&mut r.extends);
        for (target, body, scope) in pending {
            match r.lookup(target, scope) {
                Ok(id) => r.walk(
                    body,
                    Ctx {
                        this: Some(id),
                        group: None,
                        in_group: false,
                    },
                ),
                Err(_) if r.dropped.covers(target) => r.dropped.add_body(body),
                Err(d) => r.diags.push(d),
            }
        }
    }
    // Every element block and `extend` is read: settle the tags once.
    for e in r.m.graph.node_weights_mut() {
        dedup_tags(&mut e.tags);
    }
    let rels = std::mem::take(&mut r.rels);
    for (stmt, scope) in rels {
        r.relationship(stmt, scope);
    }
    r.m.crossing_rels = index::crossing(&r.m);
    (r.m.tagged, r.m.rel_tags) = index::tags(&r.m);
    r.tags_len = r.m.tagged.keys().map(String::len).sum();
    r.deployments(ws);
    r.styles(ws);
    r.views(ws);
    r.rules(ws);
    r.m
}

#[derive(Clone, Copy)]
struct Ctx {
    /// The element whose block we are in.
    this: Option<ElementId>,
    group: Option<GroupId>,
    /// Inside a group (element properties are not allowed there).
    in_group: bool,
}

impl Ctx {
    fn top() -> Ctx {
        Ctx {
            this: None,
            group: None,
            in_group: false,
        }
    }
}

struct Resolver<'d, 'a> {
    m: Model,
    diags: &'d mut Vec<Diagnostic>,
    /// (parent, local id) → element
    children: HashMap<(Option<ElementId>, String), ElementId>,
    /// local id → every element with it
    short: HashMap<String, Vec<ElementId>>,
    rels: Vec<(&'a ast::RelStmt, Option<ElementId>)>,
    extends: Vec<(&'a PathRef, &'a [Stmt], Option<ElementId>)>,
    order: u32,
    rel_index: RelIndex,
    dropped: limits::Dropped,
    /// Length of every full and short identifier (what E021 suggests from).
    names_len: usize,
    /// Length of every element tag (what W005 suggests from).
    tags_len: usize,
    suggest_left: std::cell::Cell<usize>,
}

/// An identifier derived from a display name: `"Order API"` → `order_api`.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "element".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

impl<'a> Resolver<'_, 'a> {
    // ------------------------------------------------------------ kinds

    fn kinds(&mut self, ws: &Workspace) {
        for base in [
            BaseKind::Person,
            BaseKind::System,
            BaseKind::Container,
            BaseKind::Component,
            BaseKind::Annotation,
        ] {
            self.m
                .kinds
                .insert(base.keyword().to_string(), Kind::builtin(base));
        }
        let mut defs: IndexMap<String, &ast::KindDef> = IndexMap::new();
        for (_, file) in &ws.files {
            for item in &file.items {
                let ast::TopItem::Specification(items) = item else {
                    continue;
                };
                for spec in items {
                    match spec {
                        ast::SpecItem::Kind(k) => {
                            let name = &k.name.value;
                            if STMT_KEYWORDS.contains(&name.as_str()) || name == "this" {
                                self.diags.push(
                                    Diagnostic::new(
                                        Code::E027,
                                        format!("`{name}` is a keyword and cannot name a kind"),
                                    )
                                    .label(k.name.span, "reserved word")
                                    .hint(format!("choose another name, such as `{name}_node`")),
                                );
                            } else if BaseKind::from_keyword(name).is_some() {
                                self.diags.push(
                                    Diagnostic::new(
                                        Code::E027,
                                        format!("`{name}` is a built-in kind"),
                                    )
                                    .label(k.name.span, "cannot be redeclared")
                                    .hint("declare a new kind that extends it instead"),
                                );
                            } else if let Some(prev) = defs.get(name) {
                                self.diags.push(
                                    Diagnostic::new(Code::E027, format!("kind `{name}` declared twice"))
                                        .label(k.name.span, "declared again here")
                                        .secondary(prev.name.span, "first declared here")
                                        .hint("remove one declaration (the stdlib's `std/kinds` may already declare it)"),
                                );
                            } else {
                                defs.insert(name.clone(), k);
                            }
                        }
                        ast::SpecItem::Tag {
                            name, description, ..
                        } => {
                            self.m.declared_tags.insert(
                                name.value.clone(),
                                description.as_ref().map(|d| d.value.clone()),
                            );
                        }
                    }
                }
            }
        }
        // Resolve each kind's chain to a base kind.
        for (name, def) in &defs {
            let mut chain: Vec<&str> = vec![name.as_str()];
            let mut cur = *def;
            let base = loop {
                let Some(ext) = &cur.extends else {
                    self.diags.push(
                        Diagnostic::new(Code::E027, format!("kind `{}` extends nothing", cur.name.value))
                            .label(cur.name.span, "needs a base kind")
                            .hint(format!(
                                "write `kind {} extends container` (or person, system, component, another kind)",
                                cur.name.value
                            )),
                    );
                    break None;
                };
                if let Some(b) = BaseKind::from_keyword(&ext.value) {
                    break Some(b);
                }
                if chain.contains(&ext.value.as_str()) {
                    self.diags.push(
                        Diagnostic::new(Code::E027, format!("kind `{name}` extends itself"))
                            .label(
                                def.extends
                                    .as_ref()
                                    .map(|e| e.span)
                                    .unwrap_or(def.name.span),
                                "the chain from here comes back to this kind",
                            )
                            .note(format!("chain: {} → {}", chain.join(" → "), ext.value)),
                    );
                    break None;
                }
                match defs.get(&ext.value) {
                    Some(next) => {
                        chain.push(&next.name.value);
                        cur = next;
                    }
                    None => {
                        let cands: Vec<&str> = defs
                            .keys()
                            .map(String::as_str)
                            .chain(["person", "system", "container", "component"])
                            .collect();
                        let mut d = Diagnostic::new(
                            Code::E027,
                            format!(
                                "kind `{}` extends unknown kind `{}`",
                                cur.name.value, ext.value
                            ),
                        )
                        .label(ext.span, "unknown kind");
                        if let Some(s) = did_you_mean(&ext.value, cands) {
                            d = d.hint(format!("did you mean `{s}`?"));
                        }
                        self.diags.push(d);
                        break None;
                    }
                }
            };
            let mut style = style_from_props(&def.style, ELEMENT_PROPS, self.diags);
            // Inherit the parent kind's style underneath.
            if let Some(parent) = def.extends.as_ref().and_then(|e| defs.get(&e.value)) {
                let mut inherited = Style::default();
                let mut sink = Vec::new();
                let mut p = Some(*parent);
                let mut chain = Vec::new();
                while let Some(k) = p {
                    if chain.contains(&k.name.value) || chain.len() > 64 {
                        break;
                    }
                    chain.push(k.name.value.clone());
                    p = k.extends.as_ref().and_then(|e| defs.get(&e.value)).copied();
                }
                for kname in chain.iter().rev() {
                    if let Some(k) = defs.get(kname) {
                        inherited.merge(&style_from_props(&k.style, ELEMENT_PROPS, &mut sink));
                    }
                }
                inherited.merge(&style);
                style = inherited;
            }
            self.m.kinds.insert(
                name.clone(),
                Kind {
                    name: name.clone(),
                    extends: def.extends.as_ref().map(|e| e.value.clone()),
                    base: base.unwrap_or(BaseKind::Container),
                    description: def.description.as_ref().map(|d| d.value.clone()),
                    technology: def.technology.as_ref().map(|t| t.value.clone()),
                    style,
                    span: Some(def.name.span),
                },
            );
        }
    }

    // ------------------------------------------------------------ elements

    fn walk(&mut self, stmts: &'a [Stmt], ctx: Ctx) {
        for stmt in stmts {
            match stmt {
                Stmt::Element(e) => self.element(e, ctx),
                Stmt::Group { title, body, span } => {
                    let gid = GroupId(self.m.groups.len() as u32);
                    self.m.groups.push(Group {
                        title: title.value.clone(),
                        element: ctx.this,
                        parent: ctx.group,
                        span: *span,
                        order: self.order,
                    });
                    self.order += 1;
                    self.walk(
                        body,
                        Ctx {
                            this: ctx.this,
                            group: Some(gid),
                            in_group: true,
                        },
                    );
                }
                Stmt::Extend { target, body, .. } => {
                    self.extends.push((target, body, ctx.this));
                }
                Stmt::Relationship(r) => self.rels.push((r, ctx.this)),
                other => self.element_property(other, ctx),
            }
        }
    }

    /// `description`, `technology`, … inside an element block.
    fn element_property(&mut self, stmt: &Stmt, ctx: Ctx) {
        let Some(this) = ctx.this.filter(|_| !ctx.in_group) else {
            let what = stmt.keyword();
            if is_deployment_stmt(stmt) {
                self.deployment_only(stmt);
                return;
            }
            let place = if ctx.in_group {
                "a group"
            } else {
                "the model's top level"
            };
            self.diags.push(
                Diagnostic::new(Code::E028, format!("`{what}` is not allowed in {place}"))
                    .label(stmt.span(), "only allowed inside an element's block")
                    .hint(format!("move it into the block of the element it describes: `x = system \"X\" {{ {what} … }}`")),
            );
            return;
        };
        let e = &mut self.m.graph[this];
        match stmt {
            Stmt::Description(t, _) => e.description = non_empty(&t.value),
            Stmt::Technology(t, _) => e.technology = non_empty(&t.value),
            Stmt::Url(t, _) => e.url = non_empty(&t.value),
            Stmt::External(_) => e.external = true,
            Stmt::Tags(tags, _) => push_tags(&mut e.tags, tags),
            Stmt::Properties(props, _) => {
                for (k, v) in props {
                    e.properties.insert(k.value.clone(), v.value.clone());
                }
            }
            Stmt::Api(file, span) => {
                if matches!(e.base, BaseKind::Container | BaseKind::Component) {
                    e.contract = Some(super::contract::Contract::declared(
                        file.value.clone(),
                        *span,
                    ));
                } else {
                    let base = e.base.keyword();
                    self.diags.push(
                        Diagnostic::new(
                            Code::E028,
                            format!("a {base} cannot have an `api` contract"),
                        )
                        .label(*span, "only containers and components serve APIs")
                        .hint("move `api \"…\"` into the container (or component) that serves it"),
                    );
                }
            }
            Stmt::Step(_, span) => self.diags.push(
                Diagnostic::new(Code::E028, "`step` belongs in a relationship's block")
                    .label(*span, "not on an element")
                    .hint("number a relationship: `a -> b \"Publishes\" { step 1 }`"),
            ),
            other => self.deployment_only(other),
        }
    }

    /// E028 for `instance`, `replicas`, `expand`, `role`, `version` in a model.
    fn deployment_only(&mut self, stmt: &Stmt) {
        self.diags.push(
            Diagnostic::new(Code::E028, format!("`{}` belongs in a `deployment` block", stmt.keyword()))
                .label(stmt.span(), "not allowed in a model")
                .hint("place containers with `deployment NAME { n = node \"Node\" { instance shop.api { replicas 3 } } }`"),
        );
    }

    fn element(&mut self, e: &'a ast::ElementStmt, ctx: Ctx) {
        // Kind.
        let kind_name = e.kind.value.as_str();
        let (kind_key, base) = match self.m.kinds.get(kind_name) {
            Some(k) => (k.name.clone(), k.base),
            None => match BaseKind::from_keyword(kind_name) {
                Some(b) => (b.keyword().to_string(), b),
                None => {
                    let cands: Vec<&str> = self
                        .m
                        .kinds
                        .keys()
                        .map(String::as_str)
                        .chain(STMT_KEYWORDS.iter().copied())
                        .collect();
                    let mut d =
                        Diagnostic::new(Code::E024, format!("unknown element kind `{kind_name}`"))
                            .label(e.kind.span, "not a kind");
                    let std_kinds = crate::load::stdlib_kinds();
                    let in_std = std_kinds
                        .iter()
                        .find(|k| **k == kind_name)
                        .copied()
                        .or_else(|| {
                            did_you_mean(kind_name, std_kinds.iter().copied())
                                .and_then(|m| std_kinds.iter().find(|k| **k == m).copied())
                        });
                    d = match (in_std, did_you_mean(kind_name, cands)) {
                        (_, Some(s)) => d.hint(format!("did you mean `{s}`?")),
                        (Some(k), None) => d.hint(format!("`{k}` is declared in the stdlib: add `import \"std/kinds\"` (or `std/theme/accessible`)")),
                        (None, None) => d.hint("kinds are person, system, container, component, and those declared with `specification { kind … }` (import \"std/kinds\" for database, queue, cache…)"),
                    };
                    self.diags.push(d);
                    return;
                }
            },
        };
        // Positional strings: name, description, technology, tags.
        if e.strings.len() > 4 {
            self.diags.push(
                Diagnostic::new(Code::E028, "too many strings after the kind")
                    .label(e.strings[4].span, "unexpected")
                    .hint("positional strings are: name, description, technology, tags; use the block form for more"),
            );
        }
        let name = e.strings.first().and_then(|s| non_empty(&s.value));
        let (id, id_span) = match &e.id {
            Some(id) if id.value == "this" => {
                self.diags.push(
                    Diagnostic::new(Code::E020, "`this` cannot be an identifier")
                        .label(id.span, "reserved")
                        .hint("`this` means the enclosing element in relationships; choose another identifier"),
                );
                return;
            }
            Some(id) => (id.value.clone(), id.span),
            None => match &name {
                Some(n) => (limits::derived_id(n), e.kind.span),
                None => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E028,
                            format!("a {kind_name} needs a name or an identifier"),
                        )
                        .label(e.span, "neither an identifier nor a name")
                        .hint(format!("write `id = {kind_name} \"Name\"`")),
                    );
                    return;
                }
            },
        };
        // Nesting.
        let parent_base = ctx.this.map(|p| self.m.graph[p].base);
        if base != BaseKind::Annotation && parent_base != base.parent() {
            let msg = match (base.parent(), parent_base) {
                (None, Some(pb)) => format!("a {} cannot be inside a {}", kind_name, pb.keyword()),
                (Some(want), None) => {
                    format!("a {} must be inside a {}", kind_name, want.keyword())
                }
                (Some(want), Some(pb)) => format!(
                    "a {} must be inside a {}, not a {}",
                    kind_name,
                    want.keyword(),
                    pb.keyword()
                ),
                (None, None) => String::new(),
            };
            let hint = match base {
                BaseKind::Person | BaseKind::System => "people and systems go at the model's top level (or in a top-level group)".to_string(),
                BaseKind::Container => "declare containers inside a system's block: `shop = system \"Shop\" { api = container \"API\" }`".to_string(),
                BaseKind::Component => "declare components inside a container's block: `api = container \"API\" { orders = component \"Orders\" }`".to_string(),
                BaseKind::Annotation => String::new(),
            };
            self.diags.push(
                Diagnostic::new(Code::E023, msg)
                    .label(e.kind.span, "wrong place for this kind")
                    .hint(hint),
            );
        }
        // E032, E058, E059: what is left out keeps nothing inside it either.
        let explicit = e.id.is_some();
        if !limits::check_element(&self.m, ctx.this, &id, id_span, explicit, self.diags) {
            self.dropped.add(id, e.body.as_deref().unwrap_or_default());
            return;
        }
        // Identity.
        if let Some(prev) = self.children.get(&(ctx.this, id.clone())) {
            let prev_span = self.m.graph[*prev].id_span;
            let derived = e.id.is_none();
            let mut d = Diagnostic::new(Code::E020, format!("duplicate identifier `{id}`"))
                .label(
                    id_span,
                    if derived {
                        "identifier derived from the name is taken"
                    } else {
                        "declared again here"
                    },
                )
                .secondary(prev_span, "first declared here");
            d = d.hint(if derived {
                format!("give this element its own identifier: `other_{id} = {kind_name} \"…\"`")
            } else {
                "rename one of them, or use `extend` to add to the existing element".to_string()
            });
            self.diags.push(d);
            return;
        }
        let path = match ctx.this {
            Some(p) => format!("{}.{}", self.m.graph[p].path, id),
            None => id.clone(),
        };
        let technology = e
            .strings
            .get(2)
            .and_then(|s| non_empty(&s.value))
            .or_else(|| self.m.kind_technology(&kind_key).map(str::to_string));
        let mut tags = Vec::new();
        if let Some(t) = e.strings.get(3) {
            push_tags(&mut tags, std::slice::from_ref(t));
        }
        let element = Element {
            id: id.clone(),
            path: path.clone(),
            kind: kind_key,
            base,
            name: name.unwrap_or_else(|| id.clone()),
            description: e
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.is_empty()),
            technology: technology.filter(|s| !s.is_empty()),
            tags,
            properties: IndexMap::new(),
            url: None,
            external: e.external,
            parent: ctx.this,
            group: ctx.group,
            children: Vec::new(),
            span: e.span,
            id_span,
            order: self.order,
            contract: None,
        };
        self.order += 1;
        let idx = self.m.graph.add_node(element);
        match ctx.this {
            Some(p) => self.m.graph[p].children.push(idx),
            None => self.m.roots.push(idx),
        }
        self.children.insert((ctx.this, id.clone()), idx);
        self.names_len += id.len() + path.len();
        self.short.entry(id).or_default().push(idx);
        self.m.by_path.insert(path, idx);
        if let Some(body) = &e.body {
            self.walk(
                body,
                Ctx {
                    this: Some(idx),
                    group: None,
                    in_group: false,
                },
            );
        }
    }

    // ------------------------------------------------------------ names

    /// Resolves a reference from the scope of `scope` (the enclosing element):
    /// nearest enclosing scope first, then an unambiguous short name anywhere.
    fn lookup(&self, path: &PathRef, scope: Option<ElementId>) -> Result<ElementId, Diagnostic> {
        let mut segs = path.segments.iter();
        let Some(first) = segs.next() else {
            return Err(Diagnostic::new(Code::E021, "empty reference").label(path.span, "here"));
        };
        let mut found = if first == "this" {
            match scope {
                Some(s) => Some(s),
                None => {
                    return Err(Diagnostic::new(Code::E029, "`this` outside an element")
                        .label(path.span, "no enclosing element")
                        .hint("`this` means the element whose block you are in"));
                }
            }
        } else {
            let mut cur = scope;
            let mut hit = None;
            loop {
                if let Some(c) = self.children.get(&(cur, first.clone())) {
                    hit = Some(*c);
                    break;
                }
                match cur {
                    Some(c) => cur = self.m.graph[c].parent,
                    None => break,
                }
            }
            hit
        };
        if found.is_none() {
            match self.short.get(first).map(Vec::as_slice) {
                Some([one]) => found = Some(*one),
                Some(many) if many.len() > 1 => {
                    let mut paths: Vec<&str> = many
                        .iter()
                        .map(|i| self.m.graph[*i].path.as_str())
                        .collect();
                    paths.sort();
                    let shown: Vec<String> =
                        paths.iter().take(8).map(|p| format!("`{p}`")).collect();
                    let more = if paths.len() > 8 {
                        format!(" and {} more", paths.len() - 8)
                    } else {
                        String::new()
                    };
                    return Err(
                        Diagnostic::new(Code::E022, format!("`{first}` is ambiguous"))
                            .label(
                                path.span,
                                format!("{} elements are called `{first}`", paths.len()),
                            )
                            .note(format!("candidates: {}{more}", shown.join(", ")))
                            .hint(format!("write the full identifier, e.g. `{}`", paths[0])),
                    );
                }
                _ => {
                    let mut d =
                        Diagnostic::new(Code::E021, format!("unknown element `{}`", path.dotted()))
                            .label(path.span, "not defined");
                    d = match self.suggest(&path.dotted()) {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint("declare it in a `model` block, or check the spelling"),
                    };
                    return Err(d);
                }
            }
        }
        let mut cur = found.unwrap_or(NodeIndex::new(0));
        let mut walked = vec![first.clone()];
        for seg in segs {
            match self.children.get(&(Some(cur), seg.clone())) {
                Some(c) => cur = *c,
                None => {
                    let parent = &self.m.graph[cur];
                    let kids: Vec<&str> = parent
                        .children
                        .iter()
                        .map(|c| self.m.graph[*c].id.as_str())
                        .collect();
                    let mut d =
                        Diagnostic::new(Code::E021, format!("unknown element `{}`", path.dotted()))
                            .label(
                                path.span,
                                format!("`{}` has no child `{seg}`", walked.join(".")),
                            );
                    d = match did_you_mean(seg, kids.iter().copied()) {
                        Some(s) => d.hint(format!("did you mean `{}.{s}`?", parent.path)),
                        None if kids.is_empty() => {
                            d.hint(format!("`{}` has no children", parent.path))
                        }
                        None => d.hint(format!("its children are: {}", kids.join(", "))),
                    };
                    return Err(d);
                }
            }
            walked.push(seg.clone());
        }
        Ok(cur)
    }

    /// The name an unknown reference may have meant. Comparing it with every
    /// name costs their length times its own: past a budget for the whole
    /// model ([`limits::SUGGEST_BUDGET`]), there is no suggestion.
    fn suggest(&self, dotted: &str) -> Option<String> {
        let names = self.m.by_path.keys().chain(self.short.keys());
        self.guess(dotted, self.names_len, names.map(String::as_str))
    }

    /// [`did_you_mean`] from `names` (`len` long in all), within the budget.
    fn guess<'n>(
        &self,
        needle: &str,
        len: usize,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Option<String> {
        let cost = needle.len().saturating_mul(len);
        let left = self.suggest_left.get();
        self.suggest_left.set(left.saturating_sub(cost));
        (cost <= left).then(|| did_you_mean(needle, names))?
    }

    // ------------------------------------------------------------ relationships

    fn relationship(&mut self, r: &ast::RelStmt, scope: Option<ElementId>) {
        let source = match &r.source {
            Some(p) => self.lookup(p, scope),
            None => scope.ok_or_else(|| {
                Diagnostic::new(Code::E029, "relationship without a source")
                    .label(r.arrow_span, "nothing before the arrow")
                    .hint("`-> x` works only inside an element's block; at the top level write `a -> x`")
            }),
        };
        let target = self.lookup(&r.target, scope);
        let (source, target) = match (source, target) {
            (Ok(s), Ok(t)) => (s, t),
            (s, t) => {
                let paths = [r.source.as_ref(), Some(&r.target)];
                for (res, path) in [s, t].into_iter().zip(paths) {
                    match (res, path) {
                        (Err(_), Some(p)) if self.dropped.covers(p) => {}
                        (Err(d), _) => self.diags.push(d),
                        _ => {}
                    }
                }
                return;
            }
        };
        if source == target {
            self.diags.push(
                Diagnostic::new(Code::E025, format!("relationship from `{}` to itself", self.m.graph[source].path))
                    .label(r.span, "source and target are the same element")
                    .hint("relationships connect two different elements; describe internal behaviour in a component view"),
            );
            return;
        }
        if self.m.is_ancestor_or_self(source, target) || self.m.is_ancestor_or_self(target, source)
        {
            let (outer, inner) = if self.m.is_ancestor_or_self(source, target) {
                (source, target)
            } else {
                (target, source)
            };
            self.diags.push(
                Diagnostic::new(
                    Code::E026,
                    format!(
                        "relationship between `{}` and its own part `{}`",
                        self.m.graph[outer].path, self.m.graph[inner].path
                    ),
                )
                .label(r.span, "an element contains the other")
                .hint("connect the part to a sibling or to an element outside instead"),
            );
            return;
        }
        if r.strings.len() > 3 {
            self.diags.push(
                Diagnostic::new(Code::E028, "too many strings after the relationship")
                    .label(r.strings[3].span, "unexpected")
                    .hint("positional strings are: label, technology, tags; use the block form for more"),
            );
        }
        let mut rel = Relationship {
            arrow: r.arrow,
            label: r
                .strings
                .first()
                .map(|s| s.value.clone())
                .filter(|s| !s.is_empty()),
            technology: r
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.is_empty()),
            tags: Vec::new(),
            properties: IndexMap::new(),
            url: None,
            step: None,
            span: r.span,
        };
        if let Some(t) = r.strings.get(2) {
            push_tags(&mut rel.tags, std::slice::from_ref(t));
        }
        for stmt in r.body.iter().flatten() {
            match stmt {
                Stmt::Description(t, _) => rel.label = non_empty(&t.value),
                Stmt::Technology(t, _) => rel.technology = non_empty(&t.value),
                Stmt::Url(t, _) => rel.url = non_empty(&t.value),
                Stmt::Tags(tags, _) => push_tags(&mut rel.tags, tags),
                Stmt::Properties(props, _) => {
                    for (k, v) in props {
                        rel.properties.insert(k.value.clone(), v.value.clone());
                    }
                }
                Stmt::Step(n, _) => rel.step = Some(n.value.clone()),
                other => self.diags.push(
                    Diagnostic::new(Code::E028, format!("`{}` is not allowed in a relationship's block", other.keyword()))
                        .label(other.span(), "not allowed here")
                        .hint("a relationship's block may hold description, technology, tags, url and properties"),
                ),
            }
        }
        dedup_tags(&mut rel.tags);
        // Exact duplicates are reported once and not drawn twice.
        if let Some(prev) = self.rel_index.duplicate(&self.m, source, target, &rel) {
            let prev_span = self.m.graph[prev].span;
            self.diags.push(
                Diagnostic::new(Code::W004, "duplicate relationship")
                    .label(r.span, "same source, target, arrow and label as before")
                    .secondary(prev_span, "first declared here")
                    .hint("remove one of them"),
            );
            return;
        }
        let id = self.m.graph.add_edge(source, target, rel);
        self.rel_index.insert(&self.m, id);
    }

    // ------------------------------------------------------------ deployments

    fn deployments(&mut self, ws: &'a Workspace) {
        let defs: Vec<&ast::DeploymentDef> = ws
            .files
            .iter()
            .flat_map(|(_, f)| f.items.iter())
            .filter_map(|i| match i {
                ast::TopItem::Deployment(d) => Some(d),
                _ => None,
            })
            .collect();
        let mut found = Vec::new();
        let deployments = {
            let this = &*self;
            let lookup = |p: &PathRef| this.lookup(p, None);
            super::deployment::resolve(&this.m, &defs, &lookup, &mut found)
        };
        self.diags.extend(found);
        self.m.deployments = deployments;
        for (_, f) in &ws.files {
            for item in &f.items {
                if let ast::TopItem::Mesh(def) = item
                    && let Some(mesh) = super::mesh::resolve(def, &self.m.deployments, self.diags)
                {
                    if self.m.meshes.iter().any(|m| m.name == mesh.name) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E020,
                                format!("mesh `{}` declared twice", mesh.name),
                            )
                            .label(def.name.span, "declared again here")
                            .hint("give each mesh its own name"),
                        );
                        continue;
                    }
                    self.m.meshes.push(mesh);
                }
                if let ast::TopItem::Cdn(def) = item
                    && let Some(cdn) = super::cdn::resolve(def, &self.m.deployments, self.diags)
                {
                    if self.m.cdns.iter().any(|c| c.name == cdn.name) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E020,
                                format!("cdn `{}` declared twice", cdn.name),
                            )
                            .label(def.name.span, "declared again here")
                            .hint("give each CDN its own name"),
                        );
                        continue;
                    }
                    self.m.cdns.push(cdn);
                }
            }
        }
        let mut found = Vec::new();
        let (code, machines, dynamics) = {
            let this = &*self;
            let lookup = |p: &PathRef| this.lookup(p, None);
            let mut code = Vec::new();
            let mut machines: Vec<super::code::StateMachine> = Vec::new();
            let mut dynamics: Vec<super::dynamic::Dynamic> = Vec::new();
            for (_, f) in &ws.files {
                for item in &f.items {
                    match item {
                        ast::TopItem::Code(def) => code
                            .extend(super::code::resolve_code(&this.m, def, &lookup, &mut found)),
                        ast::TopItem::States(def) => {
                            if machines.iter().any(|m| m.name == def.name.value) {
                                found.push(
                                    Diagnostic::new(
                                        Code::E020,
                                        format!(
                                            "state machine `{}` declared twice",
                                            def.name.value
                                        ),
                                    )
                                    .label(def.name.span, "declared again here")
                                    .hint("give each state machine its own name"),
                                );
                                continue;
                            }
                            machines.push(super::code::resolve_states(
                                &this.m, def, &lookup, &mut found,
                            ));
                        }
                        ast::TopItem::Dynamic(def) => {
                            if dynamics.iter().any(|m| m.name == def.name.value) {
                                found.push(
                                    Diagnostic::new(
                                        Code::E020,
                                        format!("dynamic view `{}` declared twice", def.name.value),
                                    )
                                    .label(def.name.span, "declared again here")
                                    .hint("give each dynamic view its own name"),
                                );
                                continue;
                            }
                            dynamics
                                .push(super::dynamic::resolve(&this.m, def, &lookup, &mut found));
                        }
                        _ => {}
                    }
                }
            }
            (code, machines, dynamics)
        };
        self.diags.extend(found);
        self.m.code = code;
        self.m.state_machines = machines;
        self.m.dynamics = dynamics;
    }

    // ------------------------------------------------------------ styles

    fn styles(&mut self, ws: &Workspace) {
        let mut styles = Styles::default();
        // Tags of elements, deployment items and classes.
        let element_tags: HashSet<&str> = self
            .m
            .graph
            .node_weights()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .chain(self.m.deployments.iter().flat_map(|d| {
                d.items
                    .iter()
                    .flat_map(|i| i.tags.iter().map(String::as_str))
            }))
            .chain(self.m.code.iter().flat_map(|c| {
                c.classes
                    .iter()
                    .flat_map(|k| k.tags.iter().map(|t| t.value.as_str()))
            }))
            .collect();
        let rel_tags: HashSet<&str> = self
            .m
            .graph
            .edge_weights()
            .flat_map(|r| r.tags.iter().map(String::as_str))
            .collect();
        let mut new_diags = Vec::new();
        for (_, file) in &ws.files {
            for item in &file.items {
                let ast::TopItem::Styles(rules) = item else {
                    continue;
                };
                for rule in rules {
                    let name = rule.target.value.as_str();
                    let declared = self.m.declared_tags.contains_key(name);
                    let is_kind =
                        self.m.kinds.contains_key(name) || VIEW_STYLE_NAMES.contains(&name);
                    let is_el_tag = declared || element_tags.contains(name) || name == "external";
                    let unknown = |what: &str, cands: Vec<&str>| {
                        let mut d =
                            Diagnostic::new(Code::E030, format!("unknown style target `{name}`"))
                                .label(rule.target.span, format!("no {what} is called `{name}`"));
                        d = match (did_you_mean(name, cands), what) {
                            (Some(s), _) => d.hint(format!("did you mean `{s}`?")),
                            (None, "relationship tag") => d.hint("style `*`, `sync`, `async`, `bidirectional` or a tag that some relationship has; declare tags with `specification { tag NAME }`"),
                            (None, _) => d.hint("style a kind (person, system, container, component or a declared kind) or a tag that some element has; declare tags with `specification { tag NAME }`"),
                        };
                        d
                    };
                    let kind_names: Vec<&str> = self.m.kinds.keys().map(String::as_str).collect();
                    let tag_names: Vec<&str> = element_tags
                        .iter()
                        .copied()
                        .chain(self.m.declared_tags.keys().map(String::as_str))
                        .collect();
                    match rule.target_kind {
                        ast::StyleTargetKind::Relationship => {
                            if !(name == "*"
                                || name == "async"
                                || name == "sync"
                                || name == "bidirectional"
                                || declared
                                || rel_tags.contains(name))
                            {
                                let mut cands: Vec<&str> = rel_tags.iter().copied().collect();
                                cands.extend(["async", "sync", "bidirectional"]);
                                new_diags.push(unknown("relationship tag", cands));
                                continue;
                            }
                            let s =
                                style_from_props(&rule.props, RELATIONSHIP_PROPS, &mut new_diags);
                            styles.relationships.push((name.to_string(), s));
                        }
                        kind => {
                            let target = match kind {
                                ast::StyleTargetKind::Kind if is_kind => {
                                    StyleTarget::Kind(name.into())
                                }
                                ast::StyleTargetKind::Kind => {
                                    new_diags.push(unknown("kind", kind_names));
                                    continue;
                                }
                                ast::StyleTargetKind::Tag if is_el_tag => {
                                    StyleTarget::Tag(name.into())
                                }
                                ast::StyleTargetKind::Tag => {
                                    new_diags.push(unknown("tag", tag_names));
                                    continue;
                                }
                                _ if is_kind => StyleTarget::Kind(name.into()),
                                _ if is_el_tag => StyleTarget::Tag(name.into()),
                                _ => {
                                    let mut c = kind_names;
                                    c.extend(tag_names);
                                    new_diags.push(unknown("kind or tag", c));
                                    continue;
                                }
                            };
                            let s = style_from_props(&rule.props, ELEMENT_PROPS, &mut new_diags);
                            styles.elements.push((target, s));
                        }
                    }
                }
            }
        }
        self.diags.extend(new_diags);
        self.m.styles = styles;
    }

    // ------------------------------------------------------------ rules

    /// A rule selector: like a view selector, but `*` is any element and a bare
    /// identifier that names no element may name a kind or a tag
    /// (`require tag "owner" on container`).
    fn rule_selection(&mut self, e: &ViewExpr) -> Option<Selection> {
        if let ViewExpr::Element(Selector::Path {
            path,
            star: Star::None,
            ..
        }) = e
            && path.segments.len() == 1
            && self.lookup(path, None).is_err()
        {
            let name = &path.segments[0];
            if self.m.kinds.contains_key(name) {
                return Some(Selection::Kind(name.clone()));
            }
            if self.m.tag_in_use(name) {
                return Some(Selection::Tag(name.clone()));
            }
        }
        match e {
            ViewExpr::Element(s) => self.selector(s, true),
            other => self.selection(other),
        }
    }

    fn rules(&mut self, ws: &Workspace) {
        let mut out = Vec::new();
        for (_, f) in &ws.files {
            for item in &f.items {
                let ast::TopItem::Rules(rules) = item else {
                    continue;
                };
                for rule in rules {
                    match rule {
                        ast::Rule::Deny {
                            from,
                            arrow,
                            to,
                            reason,
                            span,
                        } => {
                            if let (Some(f), Some(t)) =
                                (self.rule_selection(from), self.rule_selection(to))
                            {
                                out.push(super::rules::Rule::Deny {
                                    from: f,
                                    arrow: *arrow,
                                    to: t,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                        ast::Rule::Require {
                            what,
                            on,
                            reason,
                            span,
                        } => {
                            let what = match what {
                                ast::Requirement::Tag(t) => {
                                    super::rules::Requirement::Tag(t.value.clone())
                                }
                                ast::Requirement::Field(f) => match f.value.as_str() {
                                    "description" => super::rules::Requirement::Description,
                                    "technology" => super::rules::Requirement::Technology,
                                    _ => super::rules::Requirement::Url,
                                },
                            };
                            if let Some(on) = self.rule_selection(on) {
                                out.push(super::rules::Rule::Require {
                                    what,
                                    on,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                        ast::Rule::Layer {
                            layers,
                            reason,
                            span,
                        } => {
                            let sel: Vec<Selection> = layers
                                .iter()
                                .filter_map(|l| self.rule_selection(l))
                                .collect();
                            if sel.len() == layers.len() {
                                out.push(super::rules::Rule::Layer {
                                    layers: sel,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                    }
                }
            }
        }
        // Checked within the model's budget, with its views (`crate::finish`).
        self.m.rules = out;
    }
}

/// `None` for an empty or blank string: "" means "not given".
fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

/// Appends tags (`"a, b"` is two); repeats are dropped by `dedup_tags`.
fn push_tags(into: &mut Vec<String>, tags: &[Text]) {
    for t in tags {
        for part in t.value.split(',') {
            let part = part.trim();
            if !part.is_empty() {
                into.push(part.to_string());
            }
        }
    }
}

fn is_deployment_stmt(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::Instance(..) | Stmt::Replicas(..) | Stmt::Expand(..) | Stmt::Attr(..)
    )
}

#[cfg(test)]
mod tests {
    use crate::model::{BaseKind, Model};

    fn model(src: &str) -> Model {
        let c = crate::compile_text("t.c4", src);
        let errors: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        c.compiled
            .into_iter()
            .next()
            .map(|w| w.model)
            .unwrap_or_default()
    }

    fn codes(src: &str) -> Vec<&'static str> {
        crate::compile_text("t.c4", src)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    fn rel(m: &Model, i: usize) -> (String, String) {
        let (s, t) = m.ends(petgraph::graph::EdgeIndex::new(i));
        (m.element(s).path.clone(), m.element(t).path.clone())
    }

    #[test]
    fn short_names_resolve_in_the_nearest_scope_first() {
        let m = model(
            r#"model {
                a = system "A" { api = container "A API" { h = component "H" } db = container "DB" { -> api "x" } }
                b = system "B" { api = container "B API" { -> db "y" } db = container "B DB" }
            }"#,
        );
        assert_eq!(rel(&m, 0), ("a.db".into(), "a.api".into()));
        assert_eq!(rel(&m, 1), ("b.api".into(), "b.db".into()));
    }

    #[test]
    fn unique_short_names_resolve_anywhere_and_ambiguous_ones_fail() {
        let m = model(
            r#"model { u = person "U"  s = system "S" { c = container "C" { h = component "H" } }  u -> h "uses" }"#,
        );
        assert_eq!(rel(&m, 0), ("u".into(), "s.c.h".into()));
        assert_eq!(
            codes(
                r#"model { u = person "U" s = system "S" { x = container "X" } t = system "T" { x = container "X" } u -> x "?" }"#
            ),
            ["E022"]
        );
    }

    #[test]
    fn this_and_sourceless_arrows_mean_the_enclosing_element() {
        let m = model(
            r#"model { s = system "S" { a = container "A" { this -> b "1" -> b "2" } b = container "B" } }"#,
        );
        assert_eq!(rel(&m, 0), ("s.a".into(), "s.b".into()));
        assert_eq!(rel(&m, 1), ("s.a".into(), "s.b".into()));
        assert_eq!(codes(r#"model { a = person "A" -> a "x" }"#), ["E029"]);
    }

    #[test]
    fn extend_adds_to_an_element_declared_anywhere() {
        let m = model(
            r#"model { extend s.a { b = component "B" } } model { s = system "S" { a = container "A" } }"#,
        );
        let b = m.find("s.a.b").unwrap();
        assert_eq!(m.element(b).base, BaseKind::Component);
        assert_eq!(m.element(m.find("s.a").unwrap()).children, vec![b]);
    }

    #[test]
    fn kinds_resolve_to_a_base_and_inherit_style_and_technology() {
        let m = model(
            r#"specification { kind store extends container { shape cylinder technology "PostgreSQL" } kind archive extends store { fill #aaa } }
               model { s = system "S" { a = archive "A" } }"#,
        );
        let a = m.element(m.find("s.a").unwrap());
        assert_eq!(a.base, BaseKind::Container);
        assert_eq!(a.technology.as_deref(), Some("PostgreSQL"));
        let k = &m.kinds["archive"];
        assert_eq!(k.style.shape, Some(crate::model::Shape::Cylinder));
        assert_eq!(k.style.fill.as_deref(), Some("#aaa"));
    }

    #[test]
    fn relationship_rules() {
        assert_eq!(codes(r#"model { a = person "A" a -> a "x" }"#), ["E025"]);
        assert_eq!(
            codes(r#"model { s = system "S" { c = container "C" } s -> s.c "x" }"#),
            ["E026"]
        );
        assert_eq!(
            codes(r#"model { a = person "A" b = person "B" a -> b "x" a -> b "x" }"#),
            ["W004"]
        );
        assert_eq!(
            codes(r#"model { a = person "A" b = person "B" a -> b }"#),
            ["W002"]
        );
    }

    #[test]
    fn nesting_rules() {
        assert_eq!(codes(r#"model { c = container "C" }"#), ["E023"]);
        assert_eq!(
            codes(r#"model { s = system "S" { p = person "P" } }"#),
            ["E023"]
        );
        assert_eq!(
            codes(r#"model { s = system "S" { c = container "C" { d = container "D" } } }"#),
            ["E023"]
        );
        assert_eq!(
            codes(r#"model { s = system "S" { c = component "C" } }"#),
            ["E023"]
        );
    }

    #[test]
    fn view_keys_are_checked() {
        assert!(super::check_view_key("shop-containers").is_ok());
        for bad in [
            "",
            "../x",
            "/etc",
            "a b",
            "con",
            "index",
            "a..b",
            &"x".repeat(101),
        ] {
            assert!(super::check_view_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(super::slug("Order API"), "order_api");
        assert_eq!(super::slug("  --Crème Brûlée-- "), "cr_me_br_l_e");
        assert_eq!(super::slug("3D Viewer"), "_3d_viewer");
        assert_eq!(super::slug("!!!"), "element");
    }

    #[test]
    fn long_derived_keys_are_cut_and_stay_unique_and_valid() {
        use super::{ViewKind, check_view_key, derived_key};
        let a = format!("{}.{}", "s".repeat(128), "a".repeat(128));
        let b = format!("{}.{}", "s".repeat(128), "b".repeat(128));
        let (ka, kb) = (
            derived_key(ViewKind::Component, &a),
            derived_key(ViewKind::Component, &b),
        );
        assert_ne!(ka, kb);
        for k in [&ka, &kb] {
            assert!(check_view_key(k).is_ok(), "{k}");
            assert!(k.ends_with("-components"), "{k}");
        }
        assert_eq!(
            derived_key(ViewKind::Context, "shop.api"),
            "shop-api-context"
        );
    }
}
