//! Deployment environments: where the containers run.
//!
//! In: `deployment NAME ["Title"] { … }` blocks (nodes, infrastructure nodes,
//! instances of model elements, relationships between them).
//! Out: [`Deployment`]s in the model — a tree of [`DeplItem`]s per
//! environment and its relationships: the explicit ones, plus every model
//! relationship carried to the instances that realise it. Problems found:
//! E050 instance of an unknown element, E051 instance of a person, E052 a
//! replica count that is not a positive number, E053 an instance copy that
//! does not exist, E028 statements out of place, E020 duplicate identifiers,
//! W006 an edge to an element with no instance in the environment, W007 two
//! items with the same name in one node.
//!
//! Carrying rule: a model relationship `a -> b` is drawn from each instance
//! covering `a` (an instance of `a` or of an ancestor of `a`) to the instances
//! covering `b` that are *nearest* to it — those under the lowest node that
//! encloses it and holds any instance covering `b`. So an API in each region
//! talks to the database of its own region, and to a shared one when only one
//! exists. (Structurizr instead connects all instances of one "deployment
//! group"; nearest-first needs no extra declaration.) An explicit deployment
//! relationship from an instance with the same label as a model relationship
//! *routes* it — say through a load balancer — and replaces the carried copy.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::index::ItemIndex;
use super::{BaseKind, ElementId, Model, RelId};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, Arrow, PathRef, Stmt, Text};

/// Most replicas an instance or node may declare.
pub const MAX_REPLICAS: u32 = 10_000;
/// Most replicas an `expand`ed item may draw as separate boxes (E054).
pub const MAX_EXPANDED: u32 = 100;

#[derive(Debug, Clone)]
pub struct Deployment {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// Every node, infrastructure node and instance, in source order.
    pub items: Vec<DeplItem>,
    /// Items at the environment's top level.
    pub roots: Vec<usize>,
    pub relationships: Vec<DeplRel>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeplKind {
    Node,
    Infra,
    Instance(ElementId),
}

#[derive(Debug, Clone)]
pub struct DeplItem {
    pub id: String,
    /// `env.node.item`
    pub path: String,
    pub kind: DeplKind,
    pub name: String,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub replicas: u32,
    /// `expand`: draw one box per replica; the name template (`None`: not expanded).
    pub expand: Option<Option<String>>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub span: Span,
    pub id_span: Span,
}

impl DeplItem {
    /// How many boxes it is drawn as.
    pub fn copies(&self) -> u32 {
        if self.expand.is_some() {
            self.replicas.max(1)
        } else {
            1
        }
    }
}

/// One end of a deployment relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeplEnd {
    /// An item; `copy` picks one box of an expanded item (1-based), `None` all.
    Item { item: usize, copy: Option<u32> },
    /// A model element drawn as itself (a person, an external system…).
    Element(ElementId),
}

#[derive(Debug, Clone)]
pub struct DeplRel {
    pub source: DeplEnd,
    pub target: DeplEnd,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub span: Span,
    /// The model relationship it carries, if it was not written in the deployment.
    pub from_model: Option<RelId>,
}

impl Deployment {
    /// The item holding `item`'s ancestors, innermost first.
    pub fn ancestors(&self, item: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.items[item].parent, move |p| self.items[*p].parent)
    }

    /// The instances (in source order) of elements, by the element they deploy.
    pub fn instances(&self) -> impl Iterator<Item = (usize, ElementId)> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match it.kind {
                DeplKind::Instance(e) => Some((i, e)),
                _ => None,
            })
    }
}

/// The statements a deployment allows, for messages.
const ALLOWED: &str = "`node`, `infra`, `instance`, relationships, and in their blocks description, technology, tags, url, properties, replicas, expand, role and version";

/// Builds the deployments of a model from the syntax trees. `lookup` resolves
/// a reference to a model element (with the model's own diagnostics).
pub fn resolve(
    model: &Model,
    defs: &[&ast::DeploymentDef],
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Deployment> {
    let mut out: Vec<Deployment> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut pending: Vec<(usize, &ast::RelStmt, Option<usize>)> = Vec::new();
    // Per environment: identifiers and names by parent, kept across its blocks.
    let mut index: Vec<ItemIndex> = Vec::new();
    for def in defs {
        let idx = *by_name.entry(def.name.value.clone()).or_insert_with(|| {
            out.push(Deployment {
                name: def.name.value.clone(),
                title: def.name.value.clone(),
                description: None,
                items: Vec::new(),
                roots: Vec::new(),
                relationships: Vec::new(),
                span: def.span,
            });
            index.push(ItemIndex::default());
            out.len() - 1
        });
        if let Some(t) = def.strings.first() {
            out[idx].title = t.value.clone();
        }
        if let Some(d) = def.strings.get(1) {
            out[idx].description = Some(d.value.clone()).filter(|s| !s.is_empty());
        }
        let mut b = Builder {
            model,
            d: &mut out[idx],
            env: idx,
            lookup,
            diags,
            pending: &mut pending,
            index: &mut index[idx],
        };
        b.walk(&def.body, None);
    }
    for it in out.iter_mut().flat_map(|d| &mut d.items) {
        super::index::dedup_tags(&mut it.tags);
    }
    for (env, stmt, scope) in pending {
        if let Some(rel) = explicit_relationship(model, &out[env], stmt, scope, lookup, diags) {
            out[env].relationships.push(rel);
        }
    }
    for d in &mut out {
        let too_many = |it: &&mut DeplItem| it.expand.is_some() && it.replicas > MAX_EXPANDED;
        for it in d.items.iter_mut().filter(too_many) {
            // Drawn as one box from here on: the error is enough, the boxes are not needed.
            it.expand = None;
            diags.push(
                Diagnostic::new(
                    Code::E054,
                    format!("`{}` would expand into {} boxes", it.path, it.replicas),
                )
                .label(it.span, format!("`expand` with `replicas {}`", it.replicas))
                .note(format!("`expand` draws at most {MAX_EXPANDED} copies"))
                .hint("drop `expand` to draw it as one box marked ×N, or lower the replicas"),
            );
        }
    }
    for d in &mut out {
        let carried = carry(model, d);
        d.relationships.extend(carried);
    }
    out
}

struct Builder<'a, 'd> {
    model: &'a Model,
    d: &'d mut Deployment,
    env: usize,
    lookup: &'a dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &'d mut Vec<Diagnostic>,
    pending: &'d mut Vec<(usize, &'a ast::RelStmt, Option<usize>)>,
    index: &'d mut ItemIndex,
}

impl<'a> Builder<'a, '_> {
    fn walk(&mut self, stmts: &'a [Stmt], parent: Option<usize>) {
        for stmt in stmts {
            match stmt {
                Stmt::Element(e) => self.element(e, parent),
                Stmt::Instance(i) => self.instance(i, parent),
                Stmt::Relationship(r) => self.pending.push((self.env, r, parent)),
                other => self.property(other, parent),
            }
        }
    }

    fn add(&mut self, mut item: DeplItem) -> Option<usize> {
        item.path = self.path_of(item.parent, &item.id, item.id_span)?;
        let key = (item.parent, item.id.clone());
        if let Some(prev) = self.index.ids.get(&key) {
            let prev_span = self.d.items[*prev].id_span;
            self.diags.push(
                Diagnostic::new(Code::E020, format!("duplicate identifier `{}` in this node", item.id))
                    .label(item.id_span, "declared again here")
                    .secondary(prev_span, "first declared here")
                    .hint("give each node, infrastructure node and instance its own identifier (`id = instance …`)"),
            );
            return None;
        }
        let named = self.index.named(item.parent, &item.name);
        if let Some(twin) = named.iter().find(|s| self.d.items[**s].name == item.name) {
            let twin_span = self.d.items[*twin].id_span;
            self.diags.push(
                Diagnostic::new(Code::W007, format!("two items named `{}` in one node", item.name))
                    .label(item.id_span, "same name as a sibling")
                    .secondary(twin_span, "this one")
                    .hint("readers cannot tell them apart: name them differently, or use `replicas N` and `expand`"),
            );
        }
        let idx = self.d.items.len();
        match item.parent {
            Some(p) => self.d.items[p].children.push(idx),
            None => self.d.roots.push(idx),
        }
        self.index.insert(item.parent, key.1, &item.name, idx);
        self.d.items.push(item);
        Some(idx)
    }

    /// `env.node.item`; `None` (E059) when too long to keep.
    fn path_of(&mut self, parent: Option<usize>, id: &str, id_span: Span) -> Option<String> {
        let path = match parent {
            Some(p) => format!("{}.{id}", self.d.items[p].path),
            None => format!("{}.{id}", self.d.name),
        };
        let checked = super::limits::check_item_path(&path, id_span);
        checked.map(|()| path).map_err(|d| self.diags.push(d)).ok()
    }

    fn element(&mut self, e: &'a ast::ElementStmt, parent: Option<usize>) {
        let kind = match e.kind.value.as_str() {
            "node" | "deploymentNode" => DeplKind::Node,
            "infra" | "infrastructureNode" => DeplKind::Infra,
            other => {
                let mut d = Diagnostic::new(
                    Code::E028,
                    format!("`{other}` is not allowed in a deployment"),
                )
                .label(e.kind.span, "not a deployment item");
                d = match did_you_mean(other, ["node", "infra", "instance"]) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!(
                        "a deployment holds {ALLOWED}; declare model elements in `model` and place them with `instance`"
                    )),
                };
                self.diags.push(d);
                return;
            }
        };
        if parent.is_some_and(|p| self.d.items[p].kind != DeplKind::Node) {
            self.diags.push(
                Diagnostic::new(Code::E028, "only a `node` can contain other items")
                    .label(e.kind.span, "inside an infrastructure node or instance")
                    .hint("move it into a `node` block"),
            );
            return;
        }
        let name = e
            .strings
            .first()
            .map(|s| s.value.clone())
            .filter(|s| !s.trim().is_empty());
        let (id, id_span) = match (&e.id, &name) {
            (Some(id), _) => (id.value.clone(), id.span),
            (None, Some(n)) => (super::limits::derived_id(n), e.kind.span),
            (None, None) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::E028,
                        format!("a {} needs a name or an identifier", e.kind.value),
                    )
                    .label(e.span, "neither an identifier nor a name")
                    .hint(format!("write `id = {} \"Name\"`", e.kind.value)),
                );
                return;
            }
        };
        let item = DeplItem {
            path: String::new(), // set by `add`
            name: name.unwrap_or_else(|| id.clone()),
            id,
            kind,
            description: e
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            technology: e
                .strings
                .get(2)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            tags: split_tags(e.strings.get(3)),
            properties: IndexMap::new(),
            replicas: 1,
            expand: None,
            parent,
            children: Vec::new(),
            span: e.span,
            id_span,
        };
        if let Some(idx) = self.add(item)
            && let Some(body) = &e.body
        {
            self.walk(body, Some(idx));
        }
    }

    fn instance(&mut self, i: &'a ast::InstanceStmt, parent: Option<usize>) {
        if parent.is_some_and(|p| self.d.items[p].kind != DeplKind::Node) {
            self.diags.push(
                Diagnostic::new(
                    Code::E028,
                    "an instance must be in a `node`, not in another item",
                )
                .label(i.span, "misplaced")
                .hint("move it into a `node` block"),
            );
            return;
        }
        let element = match (self.lookup)(&i.element) {
            Ok(e) => e,
            Err(mut d) => {
                d.code = Code::E050;
                d.message = format!("instance of an unknown element: {}", d.message);
                self.diags.push(d);
                return;
            }
        };
        let el = self.model.element(element);
        if el.base == BaseKind::Person {
            self.diags.push(
                Diagnostic::new(Code::E051, format!("`{}` is a person and cannot be deployed", el.path))
                    .label(i.element.span, "a person")
                    .hint("deploy containers (or systems); refer to people directly in deployment relationships"),
            );
            return;
        }
        let id = match &i.id {
            Some(id) => id.value.clone(),
            None => el.id.clone(),
        };
        let id_span = i.id.as_ref().map(|t| t.span).unwrap_or(i.element.span);
        let item = DeplItem {
            path: String::new(), // set by `add`
            id,
            kind: DeplKind::Instance(element),
            name: i
                .strings
                .first()
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| el.name.clone()),
            description: i
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            technology: i
                .strings
                .get(2)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty())
                .or_else(|| el.technology.clone()),
            tags: split_tags(i.strings.get(3)),
            properties: IndexMap::new(),
            replicas: 1,
            expand: None,
            parent,
            children: Vec::new(),
            span: i.span,
            id_span,
        };
        if let Some(idx) = self.add(item)
            && let Some(body) = &i.body
        {
            self.walk(body, Some(idx));
        }
    }

    /// Statements that describe the enclosing item (or, at the top level, the environment).
    fn property(&mut self, stmt: &Stmt, parent: Option<usize>) {
        let Some(p) = parent else {
            match stmt {
                Stmt::Description(t, _) => {
                    self.d.description = Some(t.value.clone()).filter(|s| !s.is_empty())
                }
                other => self.diags.push(
                    Diagnostic::new(
                        Code::E028,
                        format!(
                            "`{}` is not allowed at the top of a deployment",
                            other.keyword()
                        ),
                    )
                    .label(other.span(), "not allowed here")
                    .hint(format!("a deployment holds {ALLOWED}")),
                ),
            }
            return;
        };
        let item = &mut self.d.items[p];
        match stmt {
            Stmt::Description(t, _) => {
                item.description = Some(t.value.clone()).filter(|s| !s.is_empty())
            }
            Stmt::Technology(t, _) => {
                item.technology = Some(t.value.clone()).filter(|s| !s.is_empty())
            }
            Stmt::Url(t, _) => {
                item.properties.insert("url".into(), t.value.clone());
            }
            Stmt::Tags(tags, _) => {
                // Repeats are dropped once the environment is read (`dedup_tags`).
                for t in tags {
                    for part in t.value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        item.tags.push(part.to_string());
                    }
                }
            }
            Stmt::Properties(props, _) => {
                for (k, v) in props {
                    item.properties.insert(k.value.clone(), v.value.clone());
                }
            }
            Stmt::Attr(k, v, _) => {
                item.properties.insert(k.value.clone(), v.value.clone());
            }
            Stmt::Replicas(n, span) => match n.value.parse::<i64>() {
                Ok(v) if v >= 1 && v <= i64::from(MAX_REPLICAS) => item.replicas = v as u32,
                _ => self.diags.push(
                    Diagnostic::new(
                        Code::E052,
                        format!("`{}` is not a valid number of replicas", n.value),
                    )
                    .label(n.span, "not a positive whole number")
                    .note(format!("in `{}`", self.d.items[p].path))
                    .hint(format!(
                        "write a whole number from 1 to {MAX_REPLICAS}: `replicas 3`"
                    ))
                    .secondary(*span, "here"),
                ),
            },
            Stmt::Expand(template, _) => {
                item.expand = Some(template.as_ref().map(|t| t.value.clone()))
            }
            other => self.diags.push(
                Diagnostic::new(
                    Code::E028,
                    format!("`{}` is not allowed in a deployment item", other.keyword()),
                )
                .label(other.span(), "not allowed here")
                .hint(format!("a deployment holds {ALLOWED}")),
            ),
        }
    }
}

fn split_tags(t: Option<&Text>) -> Vec<String> {
    t.map(|t| {
        t.value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// Resolves a reference inside a deployment: an item, searched from the
/// enclosing node outwards, then by unique identifier anywhere in the
/// environment; otherwise a model element.
fn lookup_end(
    model: &Model,
    d: &Deployment,
    path: &PathRef,
    scope: Option<usize>,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
) -> Result<DeplEnd, Diagnostic> {
    let child = |parent: Option<usize>, id: &str| -> Option<usize> {
        let list = match parent {
            Some(p) => &d.items[p].children,
            None => &d.roots,
        };
        list.iter().copied().find(|c| d.items[*c].id == id)
    };
    let mut segs = path.segments.iter();
    let first = segs.next().map(String::as_str).unwrap_or("");
    let mut found = None;
    let mut cur = scope;
    loop {
        if let Some(c) = child(cur, first) {
            found = Some(c);
            break;
        }
        match cur {
            Some(c) => cur = d.items[c].parent,
            None => break,
        }
    }
    if found.is_none() && first == d.name {
        // `production.us.api`: the environment's own name in front.
        let rest: Vec<String> = segs.clone().cloned().collect();
        if let Some(next) = rest.first() {
            found = child(None, next);
            segs.next();
        }
    }
    if found.is_none() {
        let matches: Vec<usize> = (0..d.items.len())
            .filter(|i| d.items[*i].id == first)
            .collect();
        if matches.len() == 1 {
            found = Some(matches[0]);
        } else if matches.len() > 1 && lookup(path).is_err() {
            let paths: Vec<String> = matches
                .iter()
                .map(|i| format!("`{}`", d.items[*i].path))
                .collect();
            return Err(Diagnostic::new(
                Code::E022,
                format!("`{first}` is ambiguous in deployment `{}`", d.name),
            )
            .label(
                path.span,
                format!("{} items are called `{first}`", matches.len()),
            )
            .note(format!("candidates: {}", paths.join(", ")))
            .hint("write the path from a node: `region.api`"));
        }
    }
    let Some(mut item) = found else {
        let e = lookup(path)?;
        if path.index.is_some() {
            return Err(
                Diagnostic::new(Code::E053, "`[n]` picks a copy of an expanded instance")
                    .label(
                        path.span,
                        format!("`{}` is a model element", model.element(e).path),
                    )
                    .hint("refer to an instance in the deployment: `node.instance[2]`"),
            );
        }
        return Ok(DeplEnd::Element(e));
    };
    for seg in segs {
        match child(Some(item), seg) {
            Some(c) => item = c,
            None => {
                let kids: Vec<&str> = d.items[item]
                    .children
                    .iter()
                    .map(|c| d.items[*c].id.as_str())
                    .collect();
                let mut diag = Diagnostic::new(
                    Code::E021,
                    format!("unknown deployment item `{}`", path.dotted()),
                )
                .label(
                    path.span,
                    format!("`{}` has no item `{seg}`", d.items[item].path),
                );
                if let Some(s) = did_you_mean(seg, kids.iter().copied()) {
                    diag = diag.hint(format!("did you mean `{s}`?"));
                }
                return Err(diag);
            }
        }
    }
    let copy = match path.index {
        None => None,
        Some(n) => {
            let it = &d.items[item];
            if it.expand.is_none() || n == 0 || n > it.replicas {
                let why = if it.expand.is_none() {
                    format!("`{}` is not expanded", it.path)
                } else {
                    format!("`{}` has copies 1 to {}", it.path, it.replicas)
                };
                return Err(Diagnostic::new(Code::E053, format!("no copy {n} of `{}`", it.path))
                    .label(path.span, why)
                    .hint("`[n]` picks one box of an item with `replicas N` and `expand`, counting from 1"));
            }
            Some(n)
        }
    };
    Ok(DeplEnd::Item { item, copy })
}

fn explicit_relationship(
    model: &Model,
    d: &Deployment,
    r: &ast::RelStmt,
    scope: Option<usize>,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Option<DeplRel> {
    let source = match &r.source {
        Some(p) => lookup_end(model, d, p, scope, lookup),
        None => scope
            .map(|s| DeplEnd::Item {
                item: s,
                copy: None,
            })
            .ok_or_else(|| {
                Diagnostic::new(Code::E029, "relationship without a source")
                    .label(r.arrow_span, "nothing before the arrow")
                    .hint("`-> x` works only inside a node's or instance's block")
            }),
    };
    let target = lookup_end(model, d, &r.target, scope, lookup);
    let (source, target) = match (source, target) {
        (Ok(s), Ok(t)) => (s, t),
        (s, t) => {
            diags.extend(s.err());
            diags.extend(t.err());
            return None;
        }
    };
    if source == target {
        diags.push(
            Diagnostic::new(Code::E025, "relationship from an item to itself")
                .label(r.span, "source and target are the same")
                .hint("relationships connect two different items"),
        );
        return None;
    }
    for (end, path) in [(source, r.source.as_ref()), (target, Some(&r.target))] {
        if let DeplEnd::Element(e) = end {
            let el = model.element(e);
            let covered = d
                .instances()
                .any(|(_, x)| model.is_ancestor_or_self(x, e) || model.is_ancestor_or_self(e, x));
            if el.base != BaseKind::Person && !covered {
                diags.push(
                    Diagnostic::new(
                        Code::W006,
                        format!("`{}` has no instance in deployment `{}`", el.path, d.name),
                    )
                    .label(
                        path.map(|p| p.span).unwrap_or(r.span),
                        "drawn as the model element itself",
                    )
                    .hint("deploy it with `instance`, or refer to the instance that realises it"),
                );
            }
        }
    }
    let mut rel = DeplRel {
        source,
        target,
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
        tags: split_tags(r.strings.get(2)),
        span: r.span,
        from_model: None,
    };
    for stmt in r.body.iter().flatten() {
        match stmt {
            Stmt::Description(t, _) => rel.label = Some(t.value.clone()).filter(|s| !s.is_empty()),
            Stmt::Technology(t, _) => {
                rel.technology = Some(t.value.clone()).filter(|s| !s.is_empty())
            }
            Stmt::Tags(tags, _) => rel.tags.extend(tags.iter().map(|t| t.value.clone())),
            other => diags.push(
                Diagnostic::new(
                    Code::E028,
                    format!(
                        "`{}` is not allowed in a relationship's block",
                        other.keyword()
                    ),
                )
                .label(other.span(), "not allowed here")
                .hint("a relationship's block may hold description, technology and tags"),
            ),
        }
    }
    Some(rel)
}

/// Model relationships carried to the instances that realise them (see the
/// module documentation for the nearest-first rule).
fn carry(model: &Model, d: &Deployment) -> Vec<DeplRel> {
    let instances: Vec<(usize, ElementId)> = d.instances().collect();
    if instances.is_empty() {
        return Vec::new();
    }
    let covering = |e: ElementId| -> Vec<usize> {
        instances
            .iter()
            .filter(|(_, x)| model.is_ancestor_or_self(*x, e))
            .map(|(i, _)| *i)
            .collect()
    };
    let mut out: Vec<DeplRel> = Vec::new();
    let mut seen: HashMap<(usize, usize, Arrow, Option<String>), usize> = HashMap::new();
    for r in model.relationships() {
        let (s, t) = model.ends(r);
        let from = covering(s);
        if from.is_empty() {
            continue;
        }
        let to = covering(t);
        if to.is_empty() {
            continue;
        }
        let rel = model.relationship(r);
        for &a in &from {
            // Routed explicitly (say through a load balancer): an explicit
            // relationship from this instance with the same label replaces it.
            let routed = d.relationships.iter().any(|x| {
                x.from_model.is_none()
                    && matches!(x.source, DeplEnd::Item { item, .. } if item == a)
                    && x.label.is_some()
                    && x.label == rel.label
            });
            if routed {
                continue;
            }
            // The lowest enclosing node of `a` that holds a target instance.
            let mut scopes: Vec<Option<usize>> = d.ancestors(a).map(Some).collect();
            scopes.push(None);
            let under = |node: Option<usize>, b: usize| match node {
                None => true,
                Some(n) => d.ancestors(b).any(|x| x == n),
            };
            let Some(scope) = scopes
                .into_iter()
                .find(|n| to.iter().any(|b| under(*n, *b)))
            else {
                continue;
            };
            for &b in to.iter().filter(|b| under(scope, **b) && **b != a) {
                // One edge per distinct relationship (arrow and label) between two instances.
                let key = (a, b, rel.arrow, rel.label.clone());
                if seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, out.len());
                out.push(DeplRel {
                    source: DeplEnd::Item {
                        item: a,
                        copy: None,
                    },
                    target: DeplEnd::Item {
                        item: b,
                        copy: None,
                    },
                    arrow: rel.arrow,
                    label: rel.label.clone(),
                    technology: rel.technology.clone(),
                    tags: rel.tags.clone(),
                    span: rel.span,
                    from_model: Some(r),
                });
            }
        }
    }
    out
}
