//! CDN views: a CDN declaration + its deployment → what the diagram shows,
//! computed, never drawn by hand.
//!
//! In: a [`Cdn`] (by id) and the model (its styles give the label formats,
//! see [`crate::model::theme`]). Out: a [`CdnView`]: the POP of each tier in
//! each region with its label (by default the tier's POP name and location,
//! its technology, description, `Cache: …` and `TTL: …`), the origin node's
//! part of the deployment, and the edges between the boxes — user →
//! first-tier POP (the latency), each POP ⇢ the next tier's POP of its region
//! on a miss (`Cache miss (…)`), the last tier ⇢ the origin's entry — and the
//! dashed links into notes.

use super::Label;
use super::deployment::{BoxRef, DeploymentView, copies, subtree};
use crate::model::cdn::{Cdn, CdnRef};
use crate::model::style::{box_style, label_lines, line_style};
use crate::model::theme::ViewPart;
use crate::model::{CdnId, Model};
use crate::syntax::ast::Arrow;

#[derive(Debug, Clone)]
pub struct CdnView {
    pub cdn: CdnId,
    /// The label of each tier's POP in each region (tier × region); `None`:
    /// the region has no POP in that tier (an error).
    pub pops: Vec<Vec<Option<Label>>>,
    /// The origin node's subtree (its items and the edges among them).
    pub origin: Option<DeploymentView>,
    /// Users to the first tier, and each tier on a miss to the next or to
    /// the origin's entry, in drawing order.
    pub edges: Vec<CdnEdge>,
    /// Links into notes, in drawing order (drawn after the origin's edges).
    pub links: Vec<CdnEdge>,
}

/// A box of a CDN diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CdnBox {
    /// The user of a region.
    User(usize),
    /// The POP of (tier, region).
    Pop(usize, usize),
    /// A note of (note group, note).
    Note(usize, usize),
    /// A box of the origin.
    Origin(BoxRef),
}

/// An edge of a CDN diagram (styled by its arrow).
#[derive(Debug, Clone)]
pub struct CdnEdge {
    pub from: CdnBox,
    pub to: CdnBox,
    pub arrow: Arrow,
    pub label: Option<String>,
}

impl CdnView {
    /// Nothing drawn.
    pub fn empty(cdn: CdnId) -> CdnView {
        CdnView {
            cdn,
            pops: Vec::new(),
            origin: None,
            edges: Vec::new(),
            links: Vec::new(),
        }
    }

    fn has_pop(&self, t: usize, r: usize) -> bool {
        self.pops
            .get(t)
            .and_then(|row| row.get(r))
            .is_some_and(Option::is_some)
    }
}

/// Computes a CDN view (empty for an unknown CDN or environment).
pub fn compute(model: &Model, id: CdnId) -> CdnView {
    let mut v = CdnView::empty(id);
    let Some(cdn) = model.cdns.get(id.index()) else {
        return v;
    };
    if model.deployments.get(cdn.env.index()).is_none() {
        return v;
    }
    v.pops = pops(model, cdn);
    v.origin = cdn.origin.and_then(|o| subtree(model, cdn.env, o));
    v.edges = edges(model, cdn, &v);
    v.links = links(model, cdn, &v);
    v
}

/// Each tier's POP in each region, labelled by the `pop` format.
fn pops(model: &Model, cdn: &Cdn) -> Vec<Vec<Option<Label>>> {
    let style = box_style(model, ViewPart::Pop, &[]).0;
    cdn.tiers
        .iter()
        .map(|tier| {
            cdn.regions
                .iter()
                .map(|region| {
                    let loc = region.pops.get(&tier.id)?;
                    // In the order of the `pop` placeholders.
                    let values = [
                        Some(tier.pop.as_str()),
                        Some(loc.as_str()),
                        Some(tier.title.as_str()),
                        tier.technology.as_deref(),
                        tier.description.as_deref(),
                        tier.cache.as_deref(),
                        tier.ttl.as_deref(),
                        tier.miss.as_deref(),
                    ];
                    let mut lines = label_lines(&style, ViewPart::Pop, &values).into_iter();
                    Some(Label {
                        name: lines.next().unwrap_or_default(),
                        details: lines.collect(),
                    })
                })
                .collect()
        })
        .collect()
}

/// An edge's label from its format: its lines, `None` when none is left.
fn edge_label(lines: Vec<String>) -> Option<String> {
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The box of an origin item (its first copy, when expanded).
fn origin_item(model: &Model, cdn: &Cdn, i: usize) -> CdnBox {
    let d = model.env(cdn.env);
    CdnBox::Origin(BoxRef::Item(i, *copies(&d.items[i]).start()))
}

/// User → first-tier POP, and on a miss each POP ⇢ the next tier's POP of
/// its region, the last tier ⇢ the origin's entry.
fn edges(model: &Model, cdn: &Cdn, v: &CdnView) -> Vec<CdnEdge> {
    let entry = cdn.entry.map(|e| origin_item(model, cdn, e));
    let request = line_style(model, ViewPart::Request, Arrow::Sync);
    let missed = line_style(model, ViewPart::Miss, Arrow::Async);
    let mut edges = Vec::new();
    for (r, region) in cdn.regions.iter().enumerate() {
        if v.has_pop(0, r) {
            let values = [cdn.latency.as_deref(), Some(region.id.as_str())];
            edges.push(CdnEdge {
                from: CdnBox::User(r),
                to: CdnBox::Pop(0, r),
                arrow: Arrow::Sync,
                label: edge_label(label_lines(&request, ViewPart::Request, &values)),
            });
        }
    }
    for (t, tier) in cdn.tiers.iter().enumerate() {
        let values = [tier.miss.as_deref(), Some(tier.title.as_str())];
        let miss = edge_label(label_lines(&missed, ViewPart::Miss, &values));
        for r in 0..cdn.regions.len() {
            let to = if t + 1 < cdn.tiers.len() {
                v.has_pop(t + 1, r).then_some(CdnBox::Pop(t + 1, r))
            } else {
                entry
            };
            if let Some(to) = to.filter(|_| v.has_pop(t, r)) {
                edges.push(CdnEdge {
                    from: CdnBox::Pop(t, r),
                    to,
                    arrow: Arrow::Async,
                    label: miss.clone(),
                });
            }
        }
    }
    edges
}

/// Dashed links into notes from the POPs, users and origin items they name.
fn links(model: &Model, cdn: &Cdn, v: &CdnView) -> Vec<CdnEdge> {
    let mut edges = Vec::new();
    for (g, group) in cdn.notes.iter().enumerate() {
        for (n, note) in group.notes.iter().enumerate() {
            for link in &note.from {
                let from = match link.target {
                    Some(CdnRef::Pop(t, r)) => v.has_pop(t, r).then_some(CdnBox::Pop(t, r)),
                    Some(CdnRef::User(r)) => (r < cdn.regions.len()).then_some(CdnBox::User(r)),
                    Some(CdnRef::Origin(i)) => Some(origin_item(model, cdn, i)),
                    None => None,
                };
                let Some(from) = from else { continue };
                edges.push(CdnEdge {
                    from,
                    to: CdnBox::Note(g, n),
                    arrow: Arrow::Async,
                    label: link.label.clone(),
                });
            }
        }
    }
    edges
}
