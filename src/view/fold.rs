//! Frames drawn as one box (`collapse`), and a view cut into one diagram per
//! frame (`split frames`).
//!
//! In: a computed [`StaticView`] and the frames (boundaries, groups) to fold
//! or to draw apart. Out: a [`StaticView`] in which each folded frame is one
//! box ([`Fold`]: its title, its kind, how many elements it holds) and the
//! edges touching its contents are lifted to it and merged per (source,
//! target, arrow) as [`super::lift`] merges lifted edges ([`FoldEdge`]); or,
//! for one frame, the part of the view that shows it: the frame with its
//! contents, the frames around it, and the boxes outside it that its
//! contents connect to, with those edges.
//!
//! Everything here is linear in the size of the view (its tree and edges).

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

pub use super::c4::{End, Fold, FoldEdge, FrameId};
use super::c4::{Item, StaticView};
use super::lift::{Edge, Said};
use crate::model::{ElementId, FrameRef, GroupId, Model, RelId};
use crate::syntax::ast::Arrow;

/// The frame an item draws, if it is one.
fn frame_of(item: &Item) -> Option<(FrameId, &[Item])> {
    match item {
        Item::Boundary(e, kids) => Some((FrameId::Element(*e), kids)),
        Item::Group(g, kids) => Some((FrameId::Group(*g), kids)),
        Item::Node(_) | Item::Fold(_) => None,
    }
}

/// At most this many parts: a view with more frames is not split (each
/// part costs a pass over the view).
pub const MAX_PARTS: usize = 100;

/// The frames `split frames` draws apart (and `collapse frames` folds): in a
/// view whose subject is drawn as a boundary (a container or component
/// view), the frames directly inside it; else (or when it holds none) those
/// of the outermost level of the view that has any, looking inside a lone
/// frame that holds frames.
pub fn split_frames(v: &StaticView) -> Vec<FrameId> {
    if let Some(s) = v.subject {
        let mut inside: Vec<FrameId> = Vec::new();
        find(&v.tree, FrameId::Element(s), &mut |kids, _| {
            inside.extend(kids.iter().filter_map(frame_of).map(|(f, _)| f));
        });
        if !inside.is_empty() {
            return inside;
        }
    }
    let mut level: &[Item] = &v.tree;
    // The tree is at most 256 deep (`c4::build`).
    loop {
        let frames: Vec<(FrameId, &[Item])> = level.iter().filter_map(frame_of).collect();
        match frames.as_slice() {
            [(_, kids)] if kids.iter().any(|k| frame_of(k).is_some()) => level = kids,
            _ => return frames.into_iter().map(|(f, _)| f).collect(),
        }
    }
}

/// The frames of the view that `collapse NAME, …` names: an element drawn
/// as a boundary, every group of a title.
pub fn named_frames(model: &Model, v: &StaticView, names: &[FrameRef]) -> Vec<FrameId> {
    let mut elements: HashSet<ElementId> = HashSet::new();
    let mut titles: HashSet<&str> = HashSet::new();
    for n in names {
        match n {
            FrameRef::Element(e) => {
                elements.insert(*e);
            }
            FrameRef::Group(t) => {
                titles.insert(t.as_str());
            }
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<&Item> = v.tree.iter().collect();
    while let Some(item) = stack.pop() {
        if let Some((f, kids)) = frame_of(item) {
            let named = match f {
                FrameId::Element(e) => elements.contains(&e),
                FrameId::Group(g) => titles.contains(model.group(g).title.as_str()),
            };
            if named {
                out.push(f);
            }
            stack.extend(kids);
        }
    }
    out
}

/// The view with each of `frames` (where drawn; the outermost of nested
/// ones) drawn as one box, the edges touching its contents lifted to it.
pub fn fold(model: &Model, v: &StaticView, frames: &[FrameId]) -> StaticView {
    let frames: HashSet<FrameId> = frames.iter().copied().collect();
    let mut out = v.clone();
    let mut owner: HashMap<ElementId, usize> = HashMap::new();
    let mut inner: HashMap<usize, usize> = HashMap::new();
    let mut owners = (&mut owner, &mut inner);
    out.tree = fold_items(model, &v.tree, &frames, &mut out.folds, &mut owners);
    if owner.is_empty() && inner.is_empty() {
        return out;
    }
    // A frame's box beside it (`subject both`) is folded with it.
    drop_nodes(&mut out.tree, &owner);
    recollect(&mut out);
    let end = |e: End| match e {
        End::Element(x) => owner.get(&x).map_or(e, |i| End::Fold(*i)),
        End::Fold(i) => inner.get(&i).map_or(e, |o| End::Fold(*o)),
    };
    let mut acc: IndexMap<(End, End, Arrow), Vec<RelId>> = IndexMap::new();
    let mut plain: Vec<Edge> = Vec::new();
    for e in std::mem::take(&mut out.edges) {
        let (s, t) = (end(End::Element(e.source)), end(End::Element(e.target)));
        match (s, t) {
            (End::Element(_), End::Element(_)) => plain.push(e),
            _ if s == t => {}
            _ => acc
                .entry((s, t, e.arrow))
                .or_default()
                .extend(e.relationships),
        }
    }
    for e in std::mem::take(&mut out.fold_edges) {
        let (s, t) = (end(e.source), end(e.target));
        if s != t {
            acc.entry((s, t, e.arrow))
                .or_default()
                .extend(e.relationships);
        }
    }
    out.edges = plain;
    out.fold_edges = acc
        .into_iter()
        .map(|((s, t, arrow), rels)| merged(model, s, t, arrow, rels))
        .collect();
    out.fold_edges
        .sort_by_key(|e| e.relationships.first().map(|r| r.index()));
    out
}

/// Every element inside a fold, and every fold inside one, → that fold.
type Owners<'a> = (
    &'a mut HashMap<ElementId, usize>,
    &'a mut HashMap<usize, usize>,
);

/// The tree with the frames in `frames` replaced by [`Item::Fold`]; every
/// element (and earlier fold) inside one is mapped to it in `owner`.
fn fold_items(
    model: &Model,
    items: &[Item],
    frames: &HashSet<FrameId>,
    folds: &mut Vec<Fold>,
    owner: &mut Owners,
) -> Vec<Item> {
    items
        .iter()
        .map(|item| match item {
            Item::Boundary(_, kids) | Item::Group(_, kids) => {
                let Some((f, _)) = frame_of(item) else {
                    return item.clone();
                };
                if !frames.contains(&f) {
                    let kids = fold_items(model, kids, frames, folds, owner);
                    return match item {
                        Item::Boundary(e, _) => Item::Boundary(*e, kids),
                        Item::Group(g, _) => Item::Group(*g, kids),
                        _ => item.clone(),
                    };
                }
                let i = folds.len();
                let mut inside: Vec<ElementId> = Vec::new();
                elements_in(kids, &mut inside);
                inside.sort_unstable();
                inside.dedup();
                let mut earlier: Vec<usize> = Vec::new();
                folds_in(kids, &mut earlier);
                let title = match f {
                    FrameId::Element(e) => {
                        owner.0.insert(e, i);
                        model.element(e).name.clone()
                    }
                    FrameId::Group(g) => model.group(g).title.clone(),
                };
                for &x in &inside {
                    owner.0.insert(x, i);
                }
                let mut count = inside.len();
                for &j in &earlier {
                    owner.1.insert(j, i);
                    count += folds.get(j).map_or(0, |f| f.count + 1);
                }
                folds.push(Fold {
                    frame: f,
                    title,
                    count,
                });
                Item::Fold(i)
            }
            Item::Node(_) | Item::Fold(_) => item.clone(),
        })
        .collect()
}

/// Every element drawn in `items` (as a box or a boundary).
fn elements_in(items: &[Item], out: &mut Vec<ElementId>) {
    for item in items {
        match item {
            Item::Node(e) => out.push(*e),
            Item::Boundary(e, kids) => {
                out.push(*e);
                elements_in(kids, out);
            }
            Item::Group(_, kids) => elements_in(kids, out),
            Item::Fold(_) => {}
        }
    }
}

/// Removes the boxes of folded elements still in the tree.
fn drop_nodes(items: &mut Vec<Item>, owner: &HashMap<ElementId, usize>) {
    items.retain(|i| !matches!(i, Item::Node(e) if owner.contains_key(e)));
    for item in items {
        if let Item::Boundary(_, kids) | Item::Group(_, kids) = item {
            drop_nodes(kids, owner);
        }
    }
}

/// The view's `nodes`, `boundaries` and `groups`, read again from its tree.
fn recollect(v: &mut StaticView) {
    fn walk(items: &[Item], v: &mut (Vec<ElementId>, Vec<ElementId>, Vec<GroupId>)) {
        for item in items {
            match item {
                Item::Node(e) => v.0.push(*e),
                Item::Boundary(e, kids) => {
                    v.1.push(*e);
                    walk(kids, v);
                }
                Item::Group(g, kids) => {
                    v.2.push(*g);
                    walk(kids, v);
                }
                Item::Fold(_) => {}
            }
        }
    }
    let mut found = (Vec::new(), Vec::new(), Vec::new());
    walk(&v.tree, &mut found);
    let (mut nodes, mut boundaries, mut groups) = found;
    nodes.sort_unstable();
    nodes.dedup();
    boundaries.sort_unstable();
    groups.sort_unstable();
    groups.dedup();
    v.nodes = nodes;
    v.boundaries = boundaries;
    v.groups = groups;
}

/// The edge standing for `rels` between `source` and `target`: what they
/// say ([`Said::merge`]), a sync arrow unless all are async (two-way ones
/// stay two-way), and every relationship's tags.
fn merged(model: &Model, source: End, target: End, arrow: Arrow, mut rels: Vec<RelId>) -> FoldEdge {
    rels.sort_unstable();
    rels.dedup();
    let said = Said::of(model, &rels);
    let label = match (said.step, said.label) {
        (Some(n), Some(l)) => Some(format!("{n}. {l}")),
        (Some(n), None) => Some(format!("{n}.")),
        (None, l) => l,
    };
    FoldEdge {
        source,
        target,
        arrow,
        label,
        technology: said.technology,
        tags: super::lift::merged_tags(model, &rels),
        relationships: rels,
    }
}

/// The part of the view that shows `frame`: the frame with its contents,
/// the frames around it, and the boxes outside it that its contents
/// connect to (each where the view draws it, out of any other frame), with
/// the edges touching its contents.
pub fn part(v: &StaticView, frame: FrameId) -> StaticView {
    let mut inside: Vec<ElementId> = Vec::new();
    let mut inner_folds: Vec<usize> = Vec::new();
    find(&v.tree, frame, &mut |kids, e| {
        if let Some(e) = e {
            inside.push(e);
        }
        elements_in(kids, &mut inside);
        folds_in(kids, &mut inner_folds);
    });
    let inside: HashSet<ElementId> = inside.into_iter().collect();
    let inner: HashSet<usize> = inner_folds.into_iter().collect();
    let within = |e: End| match e {
        End::Element(x) => inside.contains(&x),
        End::Fold(i) => inner.contains(&i),
    };
    let mut out = v.clone();
    out.edges
        .retain(|e| within(End::Element(e.source)) || within(End::Element(e.target)));
    out.fold_edges
        .retain(|e| within(e.source) || within(e.target));
    let mut near: HashSet<End> = HashSet::new();
    for e in &out.edges {
        near.insert(End::Element(e.source));
        near.insert(End::Element(e.target));
    }
    for e in &out.fold_edges {
        near.insert(e.source);
        near.insert(e.target);
    }
    let mut path = Vec::new();
    around(&v.tree, frame, &mut path);
    let path: HashSet<FrameId> = path.into_iter().collect();
    out.tree = keep(&v.tree, frame, &path, &near);
    recollect(&mut out);
    out
}

/// Calls `found` with the contents of `frame` (and its element, for a boundary).
fn find(items: &[Item], frame: FrameId, found: &mut dyn FnMut(&[Item], Option<ElementId>)) {
    for item in items {
        if let Some((f, kids)) = frame_of(item) {
            if f == frame {
                let e = match f {
                    FrameId::Element(e) => Some(e),
                    FrameId::Group(_) => None,
                };
                found(kids, e);
                return;
            }
            find(kids, frame, found);
        }
    }
}

fn folds_in(items: &[Item], out: &mut Vec<usize>) {
    for item in items {
        match item {
            Item::Fold(i) => out.push(*i),
            Item::Boundary(_, kids) | Item::Group(_, kids) => folds_in(kids, out),
            Item::Node(_) => {}
        }
    }
}

/// Pushes the frames around `frame` onto `path` (outermost first); `true`
/// when `frame` is drawn in `items`.
fn around(items: &[Item], frame: FrameId, path: &mut Vec<FrameId>) -> bool {
    for (f, kids) in items.iter().filter_map(frame_of) {
        if f == frame {
            return true;
        }
        path.push(f);
        if around(kids, frame, path) {
            return true;
        }
        path.pop();
    }
    false
}

/// The tree of a part: `frame` whole, the frames around it (`path`), and the
/// boxes in `near` (out of any other frame, which is not drawn).
fn keep(items: &[Item], frame: FrameId, path: &HashSet<FrameId>, near: &HashSet<End>) -> Vec<Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Node(e) if near.contains(&End::Element(*e)) => out.push(item.clone()),
            Item::Fold(i) if near.contains(&End::Fold(*i)) => out.push(item.clone()),
            Item::Node(_) | Item::Fold(_) => {}
            Item::Boundary(..) | Item::Group(..) => {
                let Some((f, kids)) = frame_of(item) else {
                    continue;
                };
                if f == frame {
                    out.push(item.clone());
                } else if path.contains(&f) {
                    let kids = keep(kids, frame, path, near);
                    out.push(match item {
                        Item::Boundary(e, _) => Item::Boundary(*e, kids),
                        Item::Group(g, _) => Item::Group(*g, kids),
                        _ => continue,
                    });
                } else {
                    // Drawn as a box where an edge ends on it.
                    if let Item::Boundary(e, _) = item
                        && near.contains(&End::Element(*e))
                    {
                        out.push(Item::Node(*e));
                    }
                    out.extend(keep(kids, frame, path, near));
                }
            }
        }
    }
    out
}
