//! Deployment views: an environment → what its diagram shows.
//!
//! In: an environment (optionally `of SYSTEM`) and the model.
//! Out: a [`DeploymentView`]: the items drawn (nodes as frames, or as boxes
//! with `nodes box` or when nothing is shown inside them; infrastructure
//! nodes and instances as boxes, an expanded item as one box per replica), the
//! model elements drawn beside them (people and systems that deployment
//! relationships name), and the edges between boxes — explicit and carried
//! relationships, each end spread over the copies of an expanded item (an
//! end on a node lands on its frame or box), and with `hosts` an edge from
//! each node drawn as a box to each item it holds.

use crate::model::deployment::{
    DeplEnd, DeplItem, DeplKind, DeplRel, Deployment, NodeDraw, NodeShape, ViewOptions,
};
use crate::model::select::{arrow_matches, end_matches, item_matches, matches};
use crate::model::{ElementId, EnvId, Model, Selection};
use crate::syntax::ast::Arrow;
use crate::view::lift::Said;
use indexmap::IndexMap;

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
    /// A `hosts` edge: from a node drawn as a box to an item it holds.
    pub hosts: bool,
    /// The relationship it draws (its index in the environment's), if not `hosts`.
    pub rel: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct DeploymentView {
    pub env: EnvId,
    /// `of SYSTEM`: only the part of the environment that runs it.
    pub system: Option<ElementId>,
    /// `shown[i]`: item `i` is drawn.
    pub shown: Vec<bool>,
    /// `boxed[i]`: node `i` is drawn as a box, not as a frame.
    pub boxed: Vec<bool>,
    /// Model elements drawn beside the environment, in source order.
    pub elements: Vec<ElementId>,
    pub edges: Vec<DeplEdge>,
    /// Edges left out because the view passed [`MAX_EDGES`] (an error, E055).
    pub dropped_edges: usize,
    /// `collapse`: each node drawn as one box and how many items it holds
    /// (what it holds is not drawn), in the environment's order.
    pub collapsed: Vec<(usize, usize)>,
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
            boxed: Vec::new(),
            elements: Vec::new(),
            edges: Vec::new(),
            dropped_edges: 0,
            collapsed: Vec::new(),
        }
    }

    /// Whether item `i` of the environment is drawn.
    pub fn shows(&self, i: usize) -> bool {
        self.shown.get(i).copied().unwrap_or(false)
    }

    /// Whether node `i` is drawn as a box (with what it holds beside it).
    pub fn boxes_node(&self, i: usize) -> bool {
        self.boxed.get(i).copied().unwrap_or(false)
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
/// part of it that runs that system, drawn as `options` say (with their
/// `include`/`exclude` selections).
pub fn compute(
    model: &Model,
    env: EnvId,
    system: Option<ElementId>,
    options: &ViewOptions,
) -> DeploymentView {
    let d: &Deployment = model.env(env);
    let base = default_content(model, d, system);
    let chosen = choose(model, d, base, options);
    let mut v = with_shown(model, env, chosen, options);
    v.system = system;
    if !options.collapse.is_empty() {
        collapse(d, &mut v, &options.collapse);
    }
    v
}

/// Draws each of the nodes `collapse` names (those shown, and not inside
/// another collapsed one) as one box, what it holds left out: an edge to or
/// from something inside ends on the box, edges between the same two boxes
/// with the same arrow merge into one ([`Said::merge`]), and edges wholly
/// inside a collapsed node go. Linear in items and edges.
fn collapse(d: &Deployment, v: &mut DeploymentView, nodes: &[usize]) {
    let n = d.items.len();
    let mut named = vec![false; n];
    for &i in nodes {
        if i < n && v.shows(i) {
            named[i] = true;
        }
    }
    // `into[i]`: the collapsed node item `i` is drawn as (parents come first).
    let mut into: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        into[i] = match d.items[i].parent.and_then(|p| into[p]) {
            Some(c) => Some(c),
            None => named[i].then_some(i),
        };
    }
    let mut held = vec![0usize; n];
    for (i, &folded) in into.iter().enumerate() {
        if let Some(c) = folded
            && c != i
            && v.shows(i)
        {
            held[c] += 1;
            v.shown[i] = false;
            v.boxed[i] = false;
        }
    }
    v.collapsed = (0..n)
        .filter(|&i| into[i] == Some(i))
        .map(|i| (i, held[i]))
        .collect();
    for &(c, _) in &v.collapsed {
        v.boxed[c] = true;
    }
    let onto = |b: BoxRef| match b {
        BoxRef::Item(i, _) => match into.get(i).copied().flatten() {
            Some(c) if c != i => BoxRef::Item(c, 0),
            _ => b,
        },
        BoxRef::Element(_) => b,
    };
    let mut merged: IndexMap<(BoxRef, BoxRef, Arrow, bool), Vec<DeplEdge>> = IndexMap::new();
    for e in std::mem::take(&mut v.edges) {
        let (s, t) = (onto(e.source), onto(e.target));
        if s == t {
            continue;
        }
        merged.entry((s, t, e.arrow, e.hosts)).or_default().push(e);
    }
    v.edges = merged
        .into_iter()
        .map(|((source, target, _, _), mut group)| {
            let said = Said::merge(group.iter().map(|e| Said {
                step: None,
                label: e.label.as_deref(),
                technology: e.technology.as_deref(),
            }));
            let mut seen = std::collections::HashSet::new();
            let tags: Vec<String> = group
                .iter()
                .flat_map(|e| e.tags.iter())
                .filter(|t| seen.insert(t.as_str()))
                .cloned()
                .collect();
            let rel = if group.len() == 1 { group[0].rel } else { None };
            let mut first = group.swap_remove(0);
            first.source = source;
            first.target = target;
            first.label = said.label;
            first.technology = said.technology;
            first.tags = tags;
            first.rel = rel;
            first
        })
        .collect();
}

/// What `include *` shows: everything, or with `of SYSTEM` the instances of
/// that system's parts, the nodes around them and the infrastructure in those
/// nodes.
fn default_content(model: &Model, d: &Deployment, system: Option<ElementId>) -> Vec<bool> {
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
    shown
}

/// The items, model elements and relationships a view's selections leave.
struct Chosen {
    /// `shown[i]`: item `i` is drawn.
    shown: Vec<bool>,
    /// Model elements beside the environment: `None` every one an edge
    /// names (`include *`), else those included.
    elements: Option<Vec<ElementId>>,
    /// Elements an `exclude` hides.
    hidden: Vec<ElementId>,
    /// Relationship selections an `exclude` names: (source, arrow, target).
    rel_excludes: Vec<(Selection, Arrow, Selection)>,
}

impl Chosen {
    /// Whether model element `e` may be drawn beside the environment.
    fn allows(&self, e: ElementId) -> bool {
        self.hidden.binary_search(&e).is_err()
            && self
                .elements
                .as_ref()
                .is_none_or(|l| l.binary_search(&e).is_ok())
    }

    /// Whether an `exclude a -> b` removes relationship `rel`.
    fn drops(&self, model: &Model, d: &Deployment, rel: &DeplRel) -> bool {
        self.rel_excludes.iter().any(|(a, arrow, b)| {
            arrow_matches(*arrow, rel.arrow)
                && end_matches(model, d, a, rel.source)
                && end_matches(model, d, b, rel.target)
        })
    }
}

/// Applies a view's `include`s (none: `*`) and `exclude`s to `base`, what
/// `*` shows. An included item brings the nodes around it (as frames) and,
/// when it is a node, everything inside it; `A -> B` brings both ends of each
/// relationship it matches. An excluded item takes everything inside it along.
fn choose(model: &Model, d: &Deployment, base: Vec<bool>, options: &ViewOptions) -> Chosen {
    let n = d.items.len();
    let everything = options.include.is_empty() || options.include.contains(&Selection::Default);
    let mut shown = if everything {
        base.clone()
    } else {
        vec![false; n]
    };
    let mut elements: Vec<ElementId> = Vec::new();
    let ends = |rel: &DeplRel| [rel.source, rel.target];
    for sel in options.include.iter().filter(|s| **s != Selection::Default) {
        if let Selection::Relationships(a, arrow, b) = sel {
            for rel in &d.relationships {
                if arrow_matches(*arrow, rel.arrow)
                    && end_matches(model, d, a, rel.source)
                    && end_matches(model, d, b, rel.target)
                {
                    for end in ends(rel) {
                        match end {
                            DeplEnd::Item { item, .. } => shown[item] = true,
                            DeplEnd::Element(e) => elements.push(e),
                        }
                    }
                }
            }
            continue;
        }
        for (i, s) in shown.iter_mut().enumerate() {
            if !*s && item_matches(model, d, sel, i) {
                *s = true;
            }
        }
        for rel in &d.relationships {
            for end in ends(rel) {
                if let DeplEnd::Element(e) = end
                    && matches(model, sel, e)
                {
                    elements.push(e);
                }
            }
        }
    }
    // The nodes around what is shown are drawn too (as its frames).
    for i in 0..n {
        if shown[i] && !everything {
            let around: Vec<usize> = d.ancestors(i).take_while(|a| !shown[*a]).collect();
            for a in around {
                shown[a] = true;
            }
        }
    }
    let mut hidden = Vec::new();
    let mut rel_excludes = Vec::new();
    for sel in &options.exclude {
        if let Selection::Relationships(a, arrow, b) = sel {
            rel_excludes.push(((**a).clone(), *arrow, (**b).clone()));
            continue;
        }
        for (i, s) in shown.iter_mut().enumerate() {
            if *s && item_matches(model, d, sel, i) {
                *s = false;
            }
        }
        for rel in &d.relationships {
            for end in ends(rel) {
                if let DeplEnd::Element(e) = end
                    && matches(model, sel, e)
                {
                    hidden.push(e);
                }
            }
        }
    }
    elements.sort_unstable();
    elements.dedup();
    hidden.sort_unstable();
    hidden.dedup();
    Chosen {
        shown,
        elements: (!everything).then_some(elements),
        hidden,
        rel_excludes,
    }
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
    let all = Chosen {
        shown,
        elements: None,
        hidden: Vec::new(),
        rel_excludes: Vec::new(),
    };
    let mut v = with_shown(model, env, all, &ViewOptions::default());
    v.edges
        .retain(|e| matches!((e.source, e.target), (BoxRef::Item(..), BoxRef::Item(..))));
    v.elements.clear();
    Some(v)
}

/// Which nodes are drawn as boxes: those with nothing shown inside, and
/// the others as their own `shape` says, else as the view's `nodes` says.
fn boxed_nodes(d: &Deployment, shown: &[bool], options: &ViewOptions) -> Vec<bool> {
    d.items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let boxed = match it.shape {
                Some(NodeShape::Frame) => false,
                Some(NodeShape::Box(_)) => true,
                None => options.nodes == NodeDraw::Box,
            };
            it.kind == DeplKind::Node
                && shown[i]
                && (boxed || !it.children.iter().any(|c| shown[*c]))
        })
        .collect()
}

fn with_shown(model: &Model, env: EnvId, chosen: Chosen, options: &ViewOptions) -> DeploymentView {
    let d = model.env(env);
    let shown = &chosen.shown;
    let boxed = boxed_nodes(d, shown, options);
    let boxes = |end: DeplEnd| -> Vec<BoxRef> {
        match end {
            DeplEnd::Element(e) if chosen.allows(e) => vec![BoxRef::Element(e)],
            DeplEnd::Element(_) => Vec::new(),
            DeplEnd::Item { item, copy } => {
                if !shown[item] {
                    return Vec::new();
                }
                let it = &d.items[item];
                if it.kind == DeplKind::Node {
                    // One frame or box, however many replicas it has.
                    return vec![BoxRef::Item(item, 0)];
                }
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
    if options.hosts {
        for (node, it) in d.items.iter().enumerate().filter(|(i, _)| boxed[*i]) {
            for &child in it.children.iter().filter(|c| shown[**c]) {
                for target in boxes(DeplEnd::Item {
                    item: child,
                    copy: None,
                }) {
                    if edges.len() >= MAX_EDGES {
                        dropped_edges += 1;
                        continue;
                    }
                    edges.push(DeplEdge {
                        source: BoxRef::Item(node, 0),
                        target,
                        arrow: Arrow::Sync,
                        label: None,
                        technology: None,
                        tags: Vec::new(),
                        hosts: true,
                        rel: None,
                    });
                }
            }
        }
    }
    for (r, rel) in d.relationships.iter().enumerate() {
        if chosen.drops(model, d, rel) {
            continue;
        }
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
                hosts: false,
                rel: Some(r),
            });
        }
    }
    elements.sort();
    DeploymentView {
        env,
        system: None,
        shown: chosen.shown,
        boxed,
        dropped_edges,
        elements,
        edges,
        collapsed: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{Content, View};

    const MODEL: &str = r#"
model {
  shop = system "Shop" { api = container "API" }
}
deployment prod {
  region = node "Region" {
    lb = infra "LB"
    vm = node "VM" { api = instance shop.api { replicas 2  expand } }
    api -> lb "Reports to"
    spare = node "Spare"
    lb -> vm "Forwards to"
  }
}
views {
  deployment prod "frames"
  deployment prod "boxes" { nodes box hosts }
  deployment prod "plain-boxes" { nodes box }
  deployment prod "vm-folded" { nodes box hosts  collapse region.vm }
  deployment prod "nested" { collapse region, region.vm }
}
"#;

    fn views() -> (Model, Vec<View>) {
        let c = crate::compile_text("t.c4", MODEL);
        assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
        let w = c.compiled.into_iter().next().expect("a model");
        (w.model, w.views)
    }

    /// The paths of the boxed nodes and `source -> target` of each edge (`=>` for `hosts`).
    fn drawn(m: &Model, views: &[View], key: &str) -> (Vec<String>, Vec<String>) {
        let v = views.iter().find(|v| v.key == key).expect("the view");
        let Content::Deployment(dv) = &v.content else {
            panic!("a deployment view");
        };
        let d = m.env(dv.env);
        let name = |b: BoxRef| match b {
            BoxRef::Item(i, 0) => d.items[i].id.clone(),
            BoxRef::Item(i, c) => format!("{}#{c}", d.items[i].id),
            BoxRef::Element(e) => m.element(e).path.clone(),
        };
        let boxed = (0..d.items.len())
            .filter(|i| dv.boxes_node(*i))
            .map(|i| d.items[i].id.clone())
            .collect();
        let edges = dv
            .edges
            .iter()
            .map(|e| {
                let arrow = if e.hosts { "=>" } else { "->" };
                format!("{} {arrow} {}", name(e.source), name(e.target))
            })
            .collect();
        (boxed, edges)
    }

    #[test]
    fn an_edge_to_a_node_lands_on_it_and_a_node_with_nothing_inside_is_a_box() {
        let (m, views) = views();
        let (boxed, edges) = drawn(&m, &views, "frames");
        assert_eq!(boxed, ["spare"]);
        assert_eq!(edges, ["api#1 -> lb", "api#2 -> lb", "lb -> vm"]);
    }

    #[test]
    fn nodes_drawn_as_boxes_host_what_they_hold_when_asked() {
        let (m, views) = views();
        let (boxed, edges) = drawn(&m, &views, "boxes");
        assert_eq!(boxed, ["region", "vm", "spare"]);
        assert_eq!(
            edges,
            [
                "region => lb",
                "region => vm",
                "region => spare",
                "vm => api#1",
                "vm => api#2",
                "api#1 -> lb",
                "api#2 -> lb",
                "lb -> vm"
            ]
        );
        let (boxed, edges) = drawn(&m, &views, "plain-boxes");
        assert_eq!(boxed, ["region", "vm", "spare"]);
        assert_eq!(edges, ["api#1 -> lb", "api#2 -> lb", "lb -> vm"]);
    }

    #[test]
    fn a_collapsed_node_is_one_box_and_takes_the_edges_of_what_it_holds() {
        let (m, views) = views();
        // `hosts` edges into the folded node go; `api#1/#2 -> lb` merge into one.
        let (boxed, edges) = drawn(&m, &views, "vm-folded");
        assert_eq!(boxed, ["region", "vm", "spare"]);
        assert_eq!(
            edges,
            [
                "region => lb",
                "region => vm",
                "region => spare",
                "vm -> lb",
                "lb -> vm"
            ]
        );
        let v = views
            .iter()
            .find(|v| v.key == "vm-folded")
            .expect("the view");
        let Content::Deployment(dv) = &v.content else {
            panic!("a deployment view");
        };
        assert_eq!(dv.collapsed.len(), 1);
        assert_eq!(
            dv.collapsed[0].1, 1,
            "the VM holds one item, drawn twice: counted once"
        );
        // A node inside another folded one folds into it; every edge is inside.
        let (boxed, edges) = drawn(&m, &views, "nested");
        assert_eq!(boxed, ["region"]);
        assert!(edges.is_empty(), "{edges:?}");
    }
}
