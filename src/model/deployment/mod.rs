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
//!
//! Here: the types and the order of work; the items are built in `items`,
//! the written relationships resolved in `relationships` (their attributes
//! read as a model relationship's), the model's carried in `carry`.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::index::ItemIndex;
use super::{ElementId, Model, RelId};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{self, Arrow, PathRef};
use items::Builder;

mod carry;
mod items;
mod relationships;

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
    /// A node's own `shape` (frame, or a box of a shape): wins over the view's `nodes`.
    pub shape: Option<NodeShape>,
}

/// What a node's `shape` statement chooses: `shape frame`, or `shape box`
/// (or any shape name: a box of that shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeShape {
    Frame,
    Box(super::Shape),
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

/// How a deployment view draws a node: as a frame around what it hosts
/// (the default), or as a box of its own beside it. A node with nothing
/// shown inside is a box either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeDraw {
    #[default]
    Frame,
    Box,
}

/// A deployment view's own choices: `nodes box|frame [hosts]`,
/// `include`/`exclude` and `collapse` in its block.
#[derive(Debug, Clone, Default)]
pub struct ViewOptions {
    pub nodes: NodeDraw,
    /// Draw a `hosts` edge from a node drawn as a box to each item it holds.
    pub hosts: bool,
    /// What `include` selects (empty: everything, as `include *`).
    pub include: Vec<super::Selection>,
    pub exclude: Vec<super::Selection>,
    /// `collapse frames` (every top-level node) or `collapse NAME, …`: the
    /// nodes drawn as one box each, what they hold left out; and where the
    /// statement was written (W016 when it collapses nothing).
    pub collapse: Vec<usize>,
    pub collapse_span: Option<Span>,
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
    pub url: Option<String>,
    pub properties: IndexMap<String, String>,
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

/// Resolves a reference to an item of `d` (`region.vm`, or a unique
/// identifier) from the environment's top level, else to a model element
/// (through `lookup`), as a deployment relationship's end is resolved.
pub(crate) fn lookup_ref(
    model: &Model,
    d: &Deployment,
    path: &PathRef,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
) -> Result<DeplEnd, Diagnostic> {
    relationships::lookup_end(model, d, path, None, lookup)
}

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
        if let Some(rel) =
            relationships::explicit_relationship(model, &out[env], stmt, scope, lookup, diags)
        {
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
        let carried = carry::carry(model, d);
        d.relationships.extend(carried);
    }
    out
}
