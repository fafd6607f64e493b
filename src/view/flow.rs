//! Flows over static views: a dynamic view drawn as a numbered flowchart
//! over the layout of a static view (`flowchart over "KEY"`).
//!
//! In: the model, the dynamic block and the static view's definition.
//! Out: a [`FlowView`]: everything the static view draws — its elements,
//! boundaries, groups, and the edges of the relationships no step follows —
//! and each step as a numbered [`StepEdge`]. The rules:
//! - a step's ends are drawn as themselves (a box or a boundary), else as
//!   their nearest ancestor drawn as a box, like a lifted relationship;
//! - an end with no such ancestor (not in the view, or a hidden part of a
//!   boundary) adds its element at the view's level (a system in a
//!   landscape or context view, a container of the subject in a container
//!   view…; itself in a custom view), so no step vanishes;
//! - a step *follows* relationships whose edge joins the step's drawn ends
//!   in the step's direction (either way for `<->`) ([`follows`]): one
//!   written between the step's own ends, else all those lying inside its
//!   ends (a step summing them up), else one written between elements
//!   holding its ends. They leave the plain edges — an edge they were merged
//!   into is merged again from the others — and the step's edge stands for
//!   them;
//! - a step is never merged with a plain relationship nor with another step;
//! - a step whose ends the view draws as one box, or one inside the other,
//!   or whose end the view excludes, is not drawn ([`Undrawn`], W015).

use std::collections::HashMap;

use super::c4::{self, StaticView, view_level};
use super::{Scratch, budget};
use crate::model::dynamic::{Dynamic, Message, messages};
use crate::model::{DynamicId, ElementId, Model, OverDef, RelId, Selection, StaticKind};
use crate::source::Span;
use crate::syntax::ast::Arrow;

/// What a flow over a static view draws.
#[derive(Debug, Clone)]
pub struct FlowView {
    pub dynamic: DynamicId,
    /// The key of the static view it is drawn over.
    pub base_key: String,
    /// The static view: its elements (and those the steps add), boundaries,
    /// groups, and the edges of the relationships no step follows.
    pub base: StaticView,
    /// The steps, in message order.
    pub steps: Vec<StepEdge>,
    /// Elements the static view does not draw, added for a step's end.
    pub added: Vec<ElementId>,
    /// Steps that cannot be drawn here.
    pub undrawn: Vec<Undrawn>,
}

/// One step, as a numbered edge between drawn elements.
#[derive(Debug, Clone, PartialEq)]
pub struct StepEdge {
    /// The drawn sender (of a reply `a <- b`: `b`'s) and receiver.
    pub source: ElementId,
    pub target: ElementId,
    /// `1`, `2`, `3a`…
    pub number: String,
    pub text: Option<String>,
    /// The control-flow sections it is in, from the outside in (`alt: x`).
    pub within: Vec<String>,
    /// A reply or an asynchronous step.
    pub dashed: bool,
    /// The relationships it follows (their plain edges are not drawn).
    pub follows: Vec<RelId>,
    /// Drawn at an ancestor of one of its ends.
    pub lifted: bool,
    /// The technology of the relationships it follows, when they all name
    /// the same one.
    pub technology: Option<String>,
}

/// A step the view cannot draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Undrawn {
    pub number: String,
    pub span: Span,
    pub why: Why,
}

/// Why a step is not drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Why {
    /// Both ends are drawn as this element (or inside it, as a boundary).
    OneBox(ElementId),
    /// This end is excluded from the view.
    Excluded(ElementId),
}

impl FlowView {
    /// Nothing drawn.
    pub fn empty(dynamic: DynamicId, over: &OverDef) -> FlowView {
        FlowView {
            dynamic,
            base_key: over.key.clone(),
            base: StaticView::empty(over.base.kind, over.base.subject),
            steps: Vec::new(),
            added: Vec::new(),
            undrawn: Vec::new(),
        }
    }
}

/// What a view draws, sorted: boxes and boundaries.
struct Drawn {
    nodes: Vec<ElementId>,
    boundaries: Vec<ElementId>,
}

impl Drawn {
    fn of(view: &StaticView) -> Drawn {
        let mut nodes = view.nodes.clone();
        let mut boundaries = view.boundaries.clone();
        nodes.sort_unstable();
        boundaries.sort_unstable();
        Drawn { nodes, boundaries }
    }

    /// The drawn element standing for `e`: itself (a box or a boundary),
    /// else its nearest ancestor drawn as a box. As for a relationship, a
    /// boundary framing shown parts does not stand for its hidden ones.
    fn holder(&self, model: &Model, e: ElementId) -> Option<ElementId> {
        if self.boundaries.binary_search(&e).is_ok() {
            return Some(e);
        }
        let mut cur = Some(e);
        while let Some(c) = cur {
            if self.nodes.binary_search(&c).is_ok() {
                return Some(c);
            }
            if self.boundaries.binary_search(&c).is_ok() {
                return None;
            }
            cur = model.element(c).parent;
        }
        None
    }
}

/// One is the other or inside it.
fn related(model: &Model, a: ElementId, b: ElementId) -> bool {
    model.is_ancestor_or_self(a, b) || model.is_ancestor_or_self(b, a)
}

/// The relationships step `m` follows among those of the edges joining its
/// drawn ends in its direction (`candidates`, indices into `view.edges`):
/// those it is about (their ends are its ends, or hold them, or lie inside
/// them). One written between the step's own ends is the step: the one
/// saying the step's text, else the first. Else those lying inside its ends
/// are what the step sums up: all of them. Else the step is a part of one
/// written between elements holding its ends: the one saying its text,
/// else the first.
/// The technology every one of `rels` names, if they name one and the same.
fn common_technology(model: &Model, rels: &[RelId]) -> Option<String> {
    let (first, rest) = rels.split_first()?;
    let t = model.relationship(*first).technology.as_ref()?;
    rest.iter()
        .all(|r| model.relationship(*r).technology.as_ref() == Some(t))
        .then(|| t.clone())
}

fn follows(
    model: &Model,
    view: &StaticView,
    candidates: &[usize],
    m: &Message,
    scratch: &mut Scratch,
) -> Result<Vec<RelId>, budget::Overflow> {
    let mut exact: Option<(bool, RelId)> = None;
    let mut inside: Vec<RelId> = Vec::new();
    let mut holding: Option<(bool, RelId)> = None;
    for &i in candidates {
        let edge = &view.edges[i];
        if !scratch.charge(edge.relationships.len()) {
            return Err(budget::Overflow::Budget);
        }
        for &r in &edge.relationships {
            let (rs, rt) = model.ends(r);
            let rel = model.relationship(r);
            let along = related(model, rs, m.from) && related(model, rt, m.to);
            let back =
                rel.arrow == Arrow::Both && related(model, rs, m.to) && related(model, rt, m.from);
            // Its ends in the step's direction.
            let (rs, rt) = match (along, back) {
                (true, _) => (rs, rt),
                (false, true) => (rt, rs),
                (false, false) => continue,
            };
            let said = m.text.is_some() && rel.label == m.text;
            let better = |b: &Option<(bool, RelId)>| b.is_none_or(|(s, _)| said && !s);
            if (rs, rt) == (m.from, m.to) {
                if better(&exact) {
                    exact = Some((said, r));
                }
            } else if model.is_ancestor_or_self(m.from, rs) && model.is_ancestor_or_self(m.to, rt) {
                inside.push(r);
            } else if better(&holding) {
                holding = Some((said, r));
            }
        }
    }
    Ok(match (exact, holding) {
        (Some((_, r)), _) => vec![r],
        _ if !inside.is_empty() => inside,
        (None, Some((_, r))) => vec![r],
        (None, None) => Vec::new(),
    })
}

/// Computes a flow over a static view. `Err` when it is too large to draw.
pub(crate) fn compute(
    model: &Model,
    id: DynamicId,
    d: &Dynamic,
    over: &OverDef,
    scratch: &mut Scratch,
) -> Result<FlowView, budget::Overflow> {
    let msgs = messages(&d.steps);
    if !scratch.charge(msgs.len()) {
        return Err(budget::Overflow::Budget);
    }
    let mut def = over.base.clone();
    let mut view = c4::compute(model, &def, scratch)?;
    let mut drawn = Drawn::of(&view);
    // Ends the view does not draw at all: their element joins it.
    let mut added: Vec<ElementId> = Vec::new();
    for m in &msgs {
        for e in [m.from, m.to] {
            if drawn.holder(model, e).is_none() {
                added.push(if def.kind == StaticKind::Custom {
                    e
                } else {
                    view_level(model, &def, e)
                });
            }
        }
    }
    added.sort_unstable();
    added.dedup();
    if !added.is_empty() {
        def.include
            .extend(added.iter().map(|e| Selection::Element(*e)));
        view = c4::compute(model, &def, scratch)?;
        drawn = Drawn::of(&view);
    }
    // The plain edges by their drawn ends (a two-way one both ways).
    let mut by_pair: HashMap<(ElementId, ElementId), Vec<usize>> = HashMap::new();
    for (i, e) in view.edges.iter().enumerate() {
        by_pair.entry((e.source, e.target)).or_default().push(i);
        if e.arrow == Arrow::Both {
            by_pair.entry((e.target, e.source)).or_default().push(i);
        }
    }
    let mut steps = Vec::with_capacity(msgs.len());
    let mut undrawn = Vec::new();
    for m in msgs {
        let (Some(s), Some(t)) = (drawn.holder(model, m.from), drawn.holder(model, m.to)) else {
            let end = if drawn.holder(model, m.from).is_none() {
                m.from
            } else {
                m.to
            };
            undrawn.push(Undrawn {
                number: m.number,
                span: m.span,
                why: Why::Excluded(end),
            });
            continue;
        };
        if related(model, s, t) {
            undrawn.push(Undrawn {
                number: m.number,
                span: m.span,
                why: Why::OneBox(if model.is_ancestor_or_self(s, t) {
                    s
                } else {
                    t
                }),
            });
            continue;
        }
        let candidates = by_pair.get(&(s, t)).map_or(&[][..], Vec::as_slice);
        let follows = follows(model, &view, candidates, &m, scratch)?;
        let technology = if follows.is_empty() {
            // A reply travels over its request's connection: the technology
            // of what the step would follow the other way (nothing is hidden).
            let back = by_pair.get(&(t, s)).map_or(&[][..], Vec::as_slice);
            let request = Message {
                from: m.to,
                to: m.from,
                text: None,
                ..m.clone()
            };
            common_technology(
                model,
                &self::follows(model, &view, back, &request, scratch)?,
            )
        } else {
            common_technology(model, &follows)
        };
        steps.push(StepEdge {
            source: s,
            target: t,
            lifted: (s, t) != (m.from, m.to),
            number: m.number,
            text: m.text,
            within: m.within,
            dashed: m.dashed,
            follows,
            technology,
        });
    }
    let mut skip: Vec<RelId> = steps
        .iter()
        .flat_map(|s| s.follows.iter().copied())
        .collect();
    skip.sort_unstable();
    skip.dedup();
    if !skip.is_empty() {
        view = c4::compute_without(model, &def, &skip, scratch)?;
    }
    if view.edges.len() + steps.len() > budget::MAX_EDGES {
        return Err(budget::Overflow::Edges);
    }
    Ok(FlowView {
        dynamic: id,
        base_key: over.key.clone(),
        base: view,
        steps,
        added,
        undrawn,
    })
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
