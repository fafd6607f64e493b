//! Deployment views: an environment → what its diagram shows.
//!
//! In: an environment (optionally `of SYSTEM`) and the model.
//! Out: a [`DeploymentView`]: the items drawn (nodes as frames; infrastructure
//! nodes and instances as boxes, an expanded item as one box per replica), the
//! model elements drawn beside them (people and systems that deployment
//! relationships name), and the edges between boxes — explicit and carried
//! relationships, each end spread over the copies of an expanded item.

use crate::model::deployment::{DeplEnd, DeplItem, DeplKind, Deployment};
use crate::model::{ElementId, EnvId, Model};
use crate::syntax::ast::Arrow;

/// One box: an item (and which copy of an expanded one, from 1; 0 when not
/// expanded) or a model element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BoxRef {
    Item(usize, u32),
    Element(ElementId),
}

#[derive(Debug, Clone)]
pub struct DeplEdge {
    pub source: BoxRef,
    pub target: BoxRef,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DeploymentView {
    pub env: EnvId,
    /// `of SYSTEM`: only the part of the environment that runs it.
    pub system: Option<ElementId>,
    /// `shown[i]`: item `i` is drawn.
    pub shown: Vec<bool>,
    /// Model elements drawn beside the environment, in source order.
    pub elements: Vec<ElementId>,
    pub edges: Vec<DeplEdge>,
    /// Edges left out because the view passed [`MAX_EDGES`] (an error, E055).
    pub dropped_edges: usize,
}

/// Most edges one deployment view is computed with: forty times what
/// Mermaid draws by default, and a bound on the time and memory a model of a
/// few lines can ask for (two expanded items of different sizes connect every
/// copy to every copy).
pub const MAX_EDGES: usize = 20_000;

impl DeploymentView {
    /// Nothing drawn.
    pub fn empty(env: EnvId, system: Option<ElementId>) -> DeploymentView {
        DeploymentView {
            env,
            system,
            shown: Vec::new(),
            elements: Vec::new(),
            edges: Vec::new(),
            dropped_edges: 0,
        }
    }

    /// Whether item `i` of the environment is drawn.
    pub fn shows(&self, i: usize) -> bool {
        self.shown.get(i).copied().unwrap_or(false)
    }
}

/// The boxes an instance or infrastructure item is drawn as: one per
/// replica (numbered from 1) when it is expanded, else one (copy 0).
pub fn copies(it: &DeplItem) -> std::ops::RangeInclusive<u32> {
    if it.expand.is_some() {
        1..=it.replicas.max(1)
    } else {
        0..=0
    }
}

/// Computes a deployment view of environment `env`, or with `system` the
/// part of it that runs that system.
pub fn compute(model: &Model, env: EnvId, system: Option<ElementId>) -> DeploymentView {
    let d: &Deployment = model.env(env);
    // Items shown: everything, or with `of SYSTEM` the instances of that
    // system's parts, the nodes around them and the infrastructure in those nodes.
    let mut shown = vec![system.is_none(); d.items.len()];
    if let Some(system) = system {
        for (i, e) in d.instances() {
            if model.is_ancestor_or_self(system, e) {
                shown[i] = true;
                for a in d.ancestors(i) {
                    shown[a] = true;
                }
            }
        }
        for (i, it) in d.items.iter().enumerate() {
            if it.kind == DeplKind::Infra && it.parent.is_some_and(|p| shown[p]) {
                shown[i] = true;
            }
        }
    }
    let mut v = with_shown(model, env, shown);
    v.system = system;
    v
}

/// The view of one node's subtree (a CDN's origin), edges among its items only.
pub fn subtree(model: &Model, env: EnvId, root: usize) -> Option<DeploymentView> {
    let d: &Deployment = model.deployments.get(env.index())?;
    let mut shown = vec![false; d.items.len()];
    shown[root] = true;
    for (i, _) in d.items.iter().enumerate() {
        if d.ancestors(i).any(|a| a == root) {
            shown[i] = true;
        }
    }
    let mut v = with_shown(model, env, shown);
    v.edges
        .retain(|e| matches!((e.source, e.target), (BoxRef::Item(..), BoxRef::Item(..))));
    v.elements.clear();
    Some(v)
}

fn with_shown(model: &Model, env: EnvId, shown: Vec<bool>) -> DeploymentView {
    let d = model.env(env);
    let boxes = |end: DeplEnd| -> Vec<BoxRef> {
        match end {
            DeplEnd::Element(e) => vec![BoxRef::Element(e)],
            DeplEnd::Item { item, copy } => {
                if !shown[item] {
                    return Vec::new();
                }
                let it = &d.items[item];
                match (copy, it.copies()) {
                    (Some(c), _) => vec![BoxRef::Item(item, c)],
                    (None, 1) => vec![BoxRef::Item(item, if it.expand.is_some() { 1 } else { 0 })],
                    (None, n) => (1..=n).map(|c| BoxRef::Item(item, c)).collect(),
                }
            }
        }
    };
    let mut edges = Vec::new();
    let mut dropped_edges = 0usize;
    let mut elements: Vec<ElementId> = Vec::new();
    for rel in &d.relationships {
        let from = boxes(rel.source);
        let to = boxes(rel.target);
        if from.is_empty() || to.is_empty() {
            continue;
        }
        let count = if from.len() == to.len() {
            from.len()
        } else {
            from.len() * to.len()
        };
        if edges.len() + count > MAX_EDGES {
            dropped_edges += count;
            continue;
        }
        // Two expanded items of the same size pair up copy by copy.
        let pairs: Vec<(BoxRef, BoxRef)> = if from.len() == to.len() && from.len() > 1 {
            from.iter().copied().zip(to.iter().copied()).collect()
        } else {
            from.iter()
                .flat_map(|f| to.iter().map(move |t| (*f, *t)))
                .collect()
        };
        for (s, t) in pairs {
            for b in [s, t] {
                if let BoxRef::Element(e) = b
                    && !elements.contains(&e)
                {
                    elements.push(e);
                }
            }
            edges.push(DeplEdge {
                source: s,
                target: t,
                arrow: rel.arrow,
                label: rel.label.clone(),
                technology: rel.technology.clone(),
                tags: rel.tags.clone(),
            });
        }
    }
    elements.sort();
    DeploymentView {
        env,
        system: None,
        shown,
        dropped_edges,
        elements,
        edges,
    }
}
