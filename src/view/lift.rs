//! Edges of a static view: relationships lifted to what is drawn.
//!
//! In: the model, the elements a view draws (as boxes and as boundaries,
//! marked in the [`Scratch`]) and its relationship exclusions. Out: the
//! view's [`Edge`]s, in source order — every relationship touching a drawn
//! element, each end lifted to its nearest drawn ancestor. A relationship
//! whose ends are drawn as themselves is its own edge (two between the same
//! pair are two edges). Relationships lifted onto a pair (an *implied*
//! edge) merge per (source, target, arrow), the label listing what each
//! says ([`Said::merge`]) — unless a relationship of the pair's own is
//! drawn there: its edge then stands for them.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::{Scratch, budget};
use crate::model::select::{arrow_matches, matches};
use crate::model::{ElementId, Model, RelId, Selection};
use crate::syntax::ast::Arrow;

/// The relationships landing on each (source, target, arrow), in the order
/// first seen (so the order does not depend on the hasher), hashed with
/// foldhash: several times faster than SipHash on small keys, and seeded
/// per process, so no model can be written to make its keys collide.
type Pairs = IndexMap<(ElementId, ElementId, Arrow), Vec<RelId>, foldhash::fast::RandomState>;

/// An edge of a view: one or more model relationships between two drawn elements.
#[derive(Debug, Clone)]
pub struct Edge {
    pub source: ElementId,
    pub target: ElementId,
    pub arrow: Arrow,
    /// Its relationship's label; of an implied edge standing for several
    /// that say different things, one line (`\n`) per thing said.
    pub label: Option<String>,
    /// Its relationship's technology; of a merged edge, the one every
    /// relationship names (else each line of `label` names its own).
    pub technology: Option<String>,
    pub tags: Vec<String>,
    /// The model relationships it stands for, in source order.
    pub relationships: Vec<RelId>,
    /// `true` when no underlying relationship connects exactly these two elements.
    pub implied: bool,
    /// The step number of its relationship (of a merged edge: only when it
    /// says one thing; else each line of `label` carries its own).
    pub step: Option<String>,
}

/// Lifts every relationship touching a drawn element to the nearest drawn
/// (visible or boundary) ancestors of its ends and merges those that land on
/// the same pair. Stops, with the reason, past [`budget::MAX_EDGES`] edges or
/// the view's work cap.
pub(crate) fn lift_edges(
    model: &Model,
    scratch: &mut Scratch,
    generation: u32,
    visible: &[ElementId],
    boundary: &[ElementId],
    rel_excludes: &[(&Selection, Arrow, &Selection)],
) -> Result<Vec<Edge>, budget::Overflow> {
    // An edge stands for relationships crossing the subtrees of both its
    // ends, so every drawn element's crossing relationships but one's find
    // them all: leave out the longest list (a hub's, in every context view
    // of the systems around it).
    let drawn = || visible.iter().chain(boundary).copied();
    let skip = drawn().max_by_key(|d| (model.crossing_relationships(*d).len(), *d));
    let scanned: usize = drawn()
        .filter(|d| Some(*d) != skip)
        .map(|d| model.crossing_relationships(d).len())
        .sum();
    if !scratch.charge(scanned.saturating_mul(1 + rel_excludes.len())) {
        return Err(budget::Overflow::Budget);
    }
    let visible_mark = &scratch.drawn;
    let boundary_mark = &scratch.boundary;
    // The drawn element standing for `e`: `e` itself if drawn (as a box or a
    // boundary), else its nearest visible ancestor. A boundary that is only
    // there to frame its shown parts does not stand for its hidden parts
    // (excluded, or never included): their relationships are not redirected.
    let nearest = |e: ElementId| -> Option<ElementId> {
        if visible_mark[e.index()] == generation || boundary_mark[e.index()] == generation {
            return Some(e);
        }
        let mut cur = model.parent(e)?;
        loop {
            if visible_mark[cur.index()] == generation {
                return Some(cur);
            }
            if boundary_mark[cur.index()] == generation {
                return None;
            }
            cur = model.parent(cur)?;
        }
    };
    let mut acc: Pairs = IndexMap::default();
    let seen = &mut scratch.rels;
    let mut consider = |r: RelId, acc: &mut Pairs| {
        if seen[r.index()] == generation {
            return;
        }
        seen[r.index()] = generation;
        let (s, t) = model.ends(r);
        let (Some(vs), Some(vt)) = (nearest(s), nearest(t)) else {
            return;
        };
        if vs == vt || model.is_ancestor_or_self(vs, vt) || model.is_ancestor_or_self(vt, vs) {
            return;
        }
        let arrow = model.relationship(r).arrow;
        if rel_excludes.iter().any(|(a, want, b)| {
            arrow_matches(*want, arrow) && matches(model, a, s) && matches(model, b, t)
        }) {
            return;
        }
        // Synchronous, asynchronous and two-way relationships stay separate edges.
        acc.entry((vs, vt, arrow)).or_default().push(r);
    };
    for d in drawn().filter(|d| Some(*d) != skip) {
        for &r in model.crossing_relationships(d) {
            consider(r, &mut acc);
        }
        if acc.len() > budget::MAX_EDGES {
            return Err(budget::Overflow::Edges);
        }
    }
    let mut edges: Vec<Edge> = Vec::with_capacity(acc.len());
    for ((source, target, arrow), mut rels) in acc {
        rels.sort_unstable();
        let (direct, lifted): (Vec<RelId>, Vec<RelId>) = rels
            .iter()
            .copied()
            .partition(|r| model.ends(*r) == (source, target));
        let both = arrow == Arrow::Both;
        if let Some((&first, others)) = direct.split_first() {
            // Drawn as themselves: one edge per relationship. Those lifted
            // onto the pair join the first one, whose label speaks for them.
            let mut first_rels = Vec::with_capacity(1 + lifted.len());
            first_rels.push(first);
            first_rels.extend(lifted);
            first_rels.sort_unstable();
            edges.push(own_edge(model, source, target, first, first_rels));
            for &r in others {
                edges.push(own_edge(model, source, target, r, vec![r]));
            }
        } else {
            edges.push(merge_edge(model, source, target, both, lifted));
        }
        if edges.len() > budget::MAX_EDGES {
            return Err(budget::Overflow::Edges);
        }
    }
    // Source order of the first relationship each edge stands for (a key
    // per edge is sorted, then each edge moved once: edges are large).
    let mut order: Vec<(Option<usize>, usize)> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| (e.relationships.first().map(|r| r.index()), i))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<Edge>> = edges.into_iter().map(Some).collect();
    // Exactly as long as it needs to be: views are held for the whole run.
    let mut sorted = Vec::with_capacity(order.len());
    sorted.extend(order.into_iter().filter_map(|(_, i)| slots[i].take()));
    Ok(sorted)
}

/// The edge of relationship `own`, drawn between its own ends, standing
/// for `rels` (`own` and any lifted onto the same pair): `own`'s label,
/// technology, step and arrow; every relationship's tags.
fn own_edge(
    model: &Model,
    source: ElementId,
    target: ElementId,
    own: RelId,
    rels: Vec<RelId>,
) -> Edge {
    let rel = model.relationship(own);
    Edge {
        source,
        target,
        arrow: rel.arrow,
        label: rel.label.clone(),
        technology: rel.technology.clone(),
        tags: merged_tags(model, &rels),
        implied: false,
        step: rel.step.clone(),
        relationships: rels,
    }
}

/// The implied edge standing for `rels`, each lifted onto `source` and
/// `target`: what they say ([`Said::merge`]), a sync arrow unless all are
/// async, and every relationship's tags.
fn merge_edge(
    model: &Model,
    source: ElementId,
    target: ElementId,
    both: bool,
    mut rels: Vec<RelId>,
) -> Edge {
    rels.shrink_to_fit(); // held with the view for the whole run
    let said = Said::of(model, &rels);
    let arrow = if both {
        Arrow::Both
    } else if rels
        .iter()
        .all(|r| model.relationship(*r).arrow == Arrow::Async)
    {
        Arrow::Async
    } else {
        Arrow::Sync
    };
    Edge {
        source,
        target,
        arrow,
        label: said.label,
        technology: said.technology,
        tags: merged_tags(model, &rels),
        implied: true,
        step: said.step,
        relationships: rels,
    }
}

/// Every tag of `rels`, first-seen order, without repeats.
pub(crate) fn merged_tags(model: &Model, rels: &[RelId]) -> Vec<String> {
    let mut seen_tags: HashSet<&str> = HashSet::new();
    let mut tags: Vec<String> = Vec::new();
    for &r in rels {
        for t in &model.relationship(r).tags {
            if seen_tags.insert(t) {
                tags.push(t.clone());
            }
        }
    }
    tags.shrink_to_fit();
    tags
}

/// At most this many lines in a merged label; past it, the first
/// `MAX_LINES - 1` and "… and N more".
pub(crate) const MAX_LINES: usize = 3;

/// What one relationship says on an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Said<'m> {
    pub step: Option<&'m str>,
    pub label: Option<&'m str>,
    pub technology: Option<&'m str>,
}

/// What a merged edge says: [`Edge`]'s `label`, `technology` and `step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merged {
    pub label: Option<String>,
    pub technology: Option<String>,
    pub step: Option<String>,
}

impl<'m> Said<'m> {
    /// What relationships `rels` say, merged ([`Said::merge`]).
    pub(crate) fn of(model: &'m Model, rels: &[RelId]) -> Merged {
        Said::merge(rels.iter().map(|r| {
            let rel = model.relationship(*r);
            Said {
                step: rel.step.as_deref(),
                label: rel.label.as_deref(),
                technology: rel.technology.as_deref(),
            }
        }))
    }

    fn is_empty(&self) -> bool {
        self.step.is_none() && self.label.is_none() && self.technology.is_none()
    }

    /// The label of an edge standing for several relationships. One thing
    /// said (the others say the same, or nothing): that, as it is. Else one
    /// line per distinct thing said, in order, each with its own step
    /// ("1. Reads") and its own technology ("Reads [gRPC]") — unless every
    /// one names the same technology, which is then shown once, as for one
    /// relationship. Past [`MAX_LINES`], "… and N more". Linear in the
    /// number of relationships (an edge may stand for thousands).
    pub(crate) fn merge(all: impl IntoIterator<Item = Said<'m>>) -> Merged {
        // Most edges stand for a few relationships: a linear search then,
        // a hash set (foldhash: keys are model text) past a few.
        const FEW: usize = 8;
        let mut seen: HashSet<Said<'m>, foldhash::fast::RandomState> = HashSet::default();
        let mut distinct: Vec<Said<'m>> = Vec::new();
        for s in all {
            if s.is_empty() {
                continue;
            }
            let new = if distinct.len() < FEW {
                !distinct.contains(&s)
            } else {
                if seen.is_empty() {
                    seen.extend(distinct.iter().copied());
                }
                seen.insert(s)
            };
            if new {
                distinct.push(s);
            }
        }
        let own = |v: Option<&str>| v.map(str::to_string);
        if let [one] = distinct.as_slice() {
            return Merged {
                label: own(one.label),
                technology: own(one.technology),
                step: own(one.step),
            };
        }
        let shared = distinct
            .first()
            .and_then(|s| s.technology)
            .filter(|t| distinct.iter().all(|s| s.technology == Some(*t)));
        // A line per distinct thing said that says more than a shared
        // technology; only those shown are built.
        let says = |s: &&Said<'m>| {
            s.step.is_some() || s.label.is_some() || (shared.is_none() && s.technology.is_some())
        };
        let count = distinct.iter().filter(says).count();
        let shown = if count > MAX_LINES {
            MAX_LINES - 1
        } else {
            count
        };
        let mut lines: Vec<String> = Vec::with_capacity(shown + 1);
        for s in distinct.iter().filter(says).take(shown) {
            let mut words: Vec<String> = Vec::new();
            if let Some(n) = s.step {
                words.push(format!("{n}."));
            }
            words.extend(s.label.map(str::to_string));
            if shared.is_none()
                && let Some(t) = s.technology
            {
                words.push(format!("[{t}]"));
            }
            lines.push(words.join(" "));
        }
        if count > shown {
            lines.push(format!("… and {} more", count - shown));
        }
        Merged {
            label: (!lines.is_empty()).then(|| lines.join("\n")),
            technology: own(shared),
            step: None,
        }
    }
}
