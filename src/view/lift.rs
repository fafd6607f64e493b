//! Edges of a static view: relationships lifted to what is drawn.
//!
//! In: the model, the elements a view draws (as boxes and as boundaries,
//! marked in the [`Scratch`]) and its relationship exclusions. Out: the
//! view's [`Edge`]s — every relationship touching a drawn element, each end
//! lifted to its nearest drawn ancestor (an *implied* relationship when that
//! is not the end itself), merged per (source, target, arrow), in source
//! order; labels and technologies merged ([`merge_values`]).

use std::collections::HashSet;

use indexmap::IndexMap;

use super::{Scratch, budget};
use crate::model::select::{arrow_matches, matches};
use crate::model::{ElementId, Model, RelId, Selection};
use crate::syntax::ast::Arrow;

/// An edge of a view: one or more model relationships between two drawn elements.
#[derive(Debug, Clone)]
pub struct Edge {
    pub source: ElementId,
    pub target: ElementId,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    /// The model relationships it stands for, in source order.
    pub relationships: Vec<RelId>,
    /// `true` when no underlying relationship connects exactly these two elements.
    pub implied: bool,
    /// The step number of its (first numbered) relationship.
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
        let mut cur = model.element(e).parent?;
        loop {
            if visible_mark[cur.index()] == generation {
                return Some(cur);
            }
            if boundary_mark[cur.index()] == generation {
                return None;
            }
            cur = model.element(cur).parent?;
        }
    };
    let mut acc: IndexMap<(ElementId, ElementId, Arrow), Vec<RelId>> = IndexMap::new();
    let seen = &mut scratch.rels;
    let mut consider = |r: RelId, acc: &mut IndexMap<(ElementId, ElementId, Arrow), Vec<RelId>>| {
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
    let mut edges: Vec<Edge> = acc
        .into_iter()
        .map(|((source, target, arrow), mut rels)| {
            rels.sort_unstable();
            merge_edge(model, source, target, arrow == Arrow::Both, rels)
        })
        .collect();
    // Source order of the first relationship each edge stands for.
    edges.sort_by_key(|e| e.relationships.first().map(|r| r.index()));
    Ok(edges)
}

fn merge_edge(
    model: &Model,
    source: ElementId,
    target: ElementId,
    both: bool,
    rels: Vec<RelId>,
) -> Edge {
    let direct: Vec<RelId> = rels
        .iter()
        .copied()
        .filter(|r| model.ends(*r) == (source, target))
        .collect();
    let label = merge_values(
        &rels,
        &direct,
        |r| model.relationship(r).label.as_deref(),
        "\n",
    );
    let technology = merge_values(
        &rels,
        &direct,
        |r| model.relationship(r).technology.as_deref(),
        ", ",
    );
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
    let mut seen_tags: HashSet<&str> = HashSet::new();
    let mut tags: Vec<String> = Vec::new();
    for &r in &rels {
        for t in &model.relationship(r).tags {
            if seen_tags.insert(t) {
                tags.push(t.clone());
            }
        }
    }
    Edge {
        source,
        target,
        arrow,
        label,
        technology,
        tags,
        implied: direct.is_empty(),
        step: rels
            .iter()
            .find_map(|r| model.relationship(*r).step.clone()),
        relationships: rels,
    }
}

/// The label (or technology) of an edge standing for `rels`: the one value they
/// share; else a direct relationship's; else the distinct values in first-seen
/// order (at most three, then "… and N more"). The set keeps this linear in
/// the number of relationships (an edge may stand for thousands).
pub(crate) fn merge_values<'m>(
    rels: &[RelId],
    direct: &[RelId],
    get: impl Fn(RelId) -> Option<&'m str>,
    joiner: &str,
) -> Option<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut distinct: Vec<&str> = Vec::new();
    for &r in rels {
        if let Some(v) = get(r)
            && seen.insert(v)
        {
            distinct.push(v);
        }
    }
    match distinct.len() {
        0 => None,
        1 => distinct.pop().map(str::to_string),
        _ => {
            if let Some(v) = direct.iter().find_map(|r| get(*r)) {
                return Some(v.to_string());
            }
            if distinct.len() <= 3 {
                Some(distinct.join(joiner))
            } else {
                Some(format!(
                    "{}{joiner}… and {} more",
                    distinct[..2].join(joiner),
                    distinct.len() - 2
                ))
            }
        }
    }
}
