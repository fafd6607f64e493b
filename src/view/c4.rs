//! Static C4 views: a landscape, context, container, component or custom
//! view's selections + the model → what it draws.
//!
//! In: a [`StaticDef`] (kind, subject, include/exclude selections) and the
//! [`Model`]. Out: a [`StaticView`]: the elements drawn as boxes, the
//! elements drawn as boundaries (subgraphs), the groups, a display tree
//! nesting them, and the edges ([`super::lift`]).
//!
//! The same algorithm serves every C4 level; a view kind only decides the
//! default content (`*`):
//! - landscape: every person and system;
//! - context X: X and the people and systems connected to anything in X;
//! - container X: X's containers (X drawn as a boundary) and the people and
//!   systems connected to them;
//! - component C: C's components (C and its system as boundaries), the sibling
//!   containers and the people/systems connected to them.
//!
//! A custom view draws no C4 boundaries (only groups frame its elements), and
//! its sibling groups of one title are one frame.

use std::collections::HashMap;

use super::lift::{Edge, lift_edges};
use super::{Scratch, budget};
use crate::model::select::{arrow_matches, kind_is, matches};
use crate::model::{
    BaseKind, Boundaries, ElementId, GroupId, Model, RelId, Selection, StaticDef, StaticKind,
    SubjectDraw,
};
use crate::syntax::ast::Arrow;

/// What a static view draws.
#[derive(Debug, Clone)]
pub struct StaticView {
    pub kind: StaticKind,
    pub subject: Option<ElementId>,
    /// Elements drawn as boxes, in source order.
    pub nodes: Vec<ElementId>,
    /// Elements drawn as subgraphs, in source order.
    pub boundaries: Vec<ElementId>,
    /// Groups drawn as subgraphs, in source order.
    pub groups: Vec<GroupId>,
    /// The nesting of everything drawn.
    pub tree: Vec<Item>,
    pub edges: Vec<Edge>,
    /// How the subject is drawn (`subject box|boundary|both`): with `Both`
    /// it is in `nodes` and in `boundaries`, its box just before its
    /// boundary in `tree`, and its edges end on the box.
    pub subject_draw: SubjectDraw,
    /// Frames drawn as one box (`collapse`, `split frames`): [`Item::Fold`]
    /// indexes them.
    pub folds: Vec<Fold>,
    /// Edges with an end on a folded frame (`edges` has the others).
    pub fold_edges: Vec<FoldEdge>,
}

impl StaticView {
    /// Nothing drawn.
    /// Frees the spare capacity of its lists.
    pub fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.boundaries.shrink_to_fit();
        self.groups.shrink_to_fit();
        self.tree.shrink_to_fit();
        self.edges.shrink_to_fit();
        self.folds.shrink_to_fit();
        self.fold_edges.shrink_to_fit();
    }

    pub fn empty(kind: StaticKind, subject: Option<ElementId>) -> StaticView {
        StaticView {
            kind,
            subject,
            nodes: Vec::new(),
            boundaries: Vec::new(),
            groups: Vec::new(),
            tree: Vec::new(),
            edges: Vec::new(),
            subject_draw: SubjectDraw::Boundary,
            folds: Vec::new(),
            fold_edges: Vec::new(),
        }
    }

    /// Whether `e` is the subject drawn as a box beside its own boundary
    /// (`subject both`).
    pub fn boxed_beside_boundary(&self, e: ElementId) -> bool {
        self.subject_draw == SubjectDraw::Both && self.subject == Some(e)
    }
}

/// A frame of a static view: an element drawn as a boundary, or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameId {
    Element(ElementId),
    Group(GroupId),
}

/// A frame drawn as one box.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    pub frame: FrameId,
    /// The frame's title: the element's name, or the group's title.
    pub title: String,
    /// How many elements the frame held (drawn inside it before it was folded).
    pub count: usize,
}

/// One end of an edge touching a folded frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    Element(ElementId),
    /// An index into the view's [`StaticView::folds`].
    Fold(usize),
}

/// An edge with at least one end on a folded frame: the relationships of
/// the edges it stands for, merged.
#[derive(Debug, Clone)]
pub struct FoldEdge {
    pub source: End,
    pub target: End,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    /// The model relationships it stands for, in source order.
    pub relationships: Vec<RelId>,
}

/// A drawn thing and what it contains.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Node(ElementId),
    Boundary(ElementId, Vec<Item>),
    Group(GroupId, Vec<Item>),
    /// A frame drawn as one box: an index into [`StaticView::folds`].
    Fold(usize),
}

/// A relationship exclusion: (source selection, arrow, target selection).
type RelExclude<'d> = (&'d Selection, Arrow, &'d Selection);

/// Membership in a small sorted set of elements.
fn has(set: &[ElementId], e: ElementId) -> bool {
    set.binary_search(&e).is_ok()
}

/// Computes a static view. `Err` when it is too large to draw (past the
/// view's work cap, or [`budget::MAX_EDGES`]).
pub(crate) fn compute(
    model: &Model,
    def: &StaticDef,
    scratch: &mut Scratch,
) -> Result<StaticView, budget::Overflow> {
    compute_without(model, def, &[], scratch)
}

/// [`compute`], the relationships `skip` left out of the edges (those a
/// flow's steps follow: [`super::flow`]).
pub(crate) fn compute_without(
    model: &Model,
    def: &StaticDef,
    skip: &[RelId],
    scratch: &mut Scratch,
) -> Result<StaticView, budget::Overflow> {
    let (mut visible, rel_excludes) = visible(model, def, scratch)?;
    let mut boundary = boundaries(model, def.kind, &visible);
    // `boundaries subject`: no frame but the subject's. An element framed
    // otherwise is not drawn at all (not as a box beside its own parts), nor
    // are relationships that end on it.
    if def.boundaries == Boundaries::Subject {
        let framed = std::mem::take(&mut boundary);
        visible.retain(|v| framed.binary_search(v).is_err() || Some(*v) == def.subject);
        boundary = framed
            .into_iter()
            .filter(|b| Some(*b) == def.subject)
            .collect();
    }
    // `subject box|both`: the subject, when the view shows it, is a box too
    // (with `box` instead of its boundary).
    let boxed = def
        .subject
        .filter(|s| def.subject_draw != SubjectDraw::Boundary && has(&boundary, *s));
    if let Some(s) = boxed {
        if let Err(at) = visible.binary_search(&s) {
            visible.insert(at, s);
        }
        if def.subject_draw == SubjectDraw::Box {
            boundary.retain(|b| *b != s);
        }
    }
    let mut drawn: Vec<ElementId> = visible.iter().chain(&boundary).copied().collect();
    drawn.sort_unstable();
    drawn.dedup();

    let generation = scratch.next();
    for &v in &visible {
        scratch.drawn[v.index()] = generation;
    }
    for &b in &boundary {
        scratch.boundary[b.index()] = generation;
    }
    // Marked as already seen: the edges leave them out.
    for &r in skip {
        scratch.rels[r.index()] = generation;
    }
    let edges = lift_edges(
        model,
        scratch,
        generation,
        &visible,
        &boundary,
        &rel_excludes,
    )?;
    let homes = Homes {
        model,
        boundary: &boundary,
    };
    let groups = homes.groups(&drawn);
    let mut tree = homes.tree(&drawn, &groups);
    if def.kind == StaticKind::Custom {
        merge_groups(model, &mut tree);
    }
    if let Some(s) = boxed.filter(|_| def.subject_draw == SubjectDraw::Both) {
        box_before_boundary(&mut tree, s);
    }
    let mut view = StaticView {
        kind: def.kind,
        subject: def.subject,
        nodes: drawn
            .iter()
            .copied()
            .filter(|d| !has(&boundary, *d) || boxed == Some(*d))
            .collect(),
        boundaries: boundary,
        groups,
        tree,
        edges,
        subject_draw: def.subject_draw,
        folds: Vec::new(),
        fold_edges: Vec::new(),
    };
    // Views are held for the whole run: no spare capacity.
    view.shrink_to_fit();
    Ok(view)
}

/// `subject both`: the subject's box goes just before its boundary, in the
/// same frame (the boundary is found once: the walk stops there).
fn box_before_boundary(items: &mut Vec<Item>, s: ElementId) -> bool {
    for i in 0..items.len() {
        match &mut items[i] {
            Item::Boundary(e, _) if *e == s => {
                items.insert(i, Item::Node(s));
                return true;
            }
            Item::Boundary(_, kids) | Item::Group(_, kids) => {
                if box_before_boundary(kids, s) {
                    return true;
                }
            }
            Item::Node(_) | Item::Fold(_) => {}
        }
    }
    false
}

/// The elements a view shows (sorted): what its `include`s select, less
/// what its `exclude`s select and their descendants; and its relationship
/// exclusions.
fn visible<'d>(
    model: &Model,
    def: &'d StaticDef,
    scratch: &mut Scratch,
) -> Result<(Vec<ElementId>, Vec<RelExclude<'d>>), budget::Overflow> {
    let mut rel_excludes: Vec<RelExclude> = Vec::new();
    let mut visible: Vec<ElementId> = Vec::new();
    for sel in &def.include {
        visible.extend(select(model, def, sel, scratch));
    }
    visible.sort_unstable();
    visible.dedup();
    let mut excluded: Vec<ElementId> = Vec::new();
    for sel in &def.exclude {
        match sel {
            Selection::Relationships(a, arrow, b) => rel_excludes.push((a, *arrow, b)),
            other => {
                let before = excluded.len();
                for e in select(model, def, other, scratch) {
                    excluded.push(e);
                    excluded.extend(descendants(model, e));
                }
                scratch.charge(excluded.len() - before);
            }
        }
    }
    if !scratch.charge(visible.len()) {
        return Err(budget::Overflow::Budget);
    }
    if !excluded.is_empty() {
        excluded.sort_unstable();
        visible.retain(|e| !has(&excluded, *e));
    }
    Ok((visible, rel_excludes))
}

/// Boundaries: ancestors of anything visible (a visible element with
/// visible descendants is drawn as a boundary too). A custom view draws no
/// C4 boundaries: only groups frame its elements.
fn boundaries(model: &Model, kind: StaticKind, visible: &[ElementId]) -> Vec<ElementId> {
    let mut boundary: Vec<ElementId> = Vec::new();
    for &v in visible.iter().filter(|_| kind != StaticKind::Custom) {
        let mut cur = model.parent(v);
        while let Some(p) = cur {
            boundary.push(p);
            cur = model.parent(p);
        }
    }
    boundary.sort_unstable();
    boundary.dedup();
    boundary
}

/// A place in the display tree.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Root,
    El(ElementId),
    Gr(GroupId),
}

/// Where drawn things are nested, given the view's boundaries.
struct Homes<'a> {
    model: &'a Model,
    boundary: &'a [ElementId],
}

impl Homes<'_> {
    /// The group an element is drawn in: its own, or — when its parent is
    /// not drawn as a frame (custom views) — the nearest ancestor's.
    fn home_group(&self, e: ElementId) -> Option<GroupId> {
        let mut cur = e;
        loop {
            let el = self.model.element(cur);
            if el.group.is_some() {
                return el.group;
            }
            let p = el.parent?;
            if has(self.boundary, p) {
                return None;
            }
            cur = p;
        }
    }

    /// The groups around drawn items (sorted).
    fn groups(&self, drawn: &[ElementId]) -> Vec<GroupId> {
        let mut groups: Vec<GroupId> = Vec::new();
        for &d in drawn {
            let mut g = self.home_group(d);
            while let Some(gid) = g {
                groups.push(gid);
                g = self.model.group(gid).parent;
            }
        }
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// The group an element is drawn in, else the nearest ancestor drawn
    /// as a boundary (its parent, unless that is drawn as a box: `subject
    /// box`), else the top.
    fn parent_of_element(&self, e: ElementId) -> Slot {
        if let Some(g) = self.home_group(e) {
            return Slot::Gr(g);
        }
        let mut cur = self.model.parent(e);
        while let Some(p) = cur.filter(|_| !self.boundary.is_empty()) {
            if has(self.boundary, p) {
                return Slot::El(p);
            }
            cur = self.model.parent(p);
        }
        Slot::Root
    }

    fn parent_of_group(&self, g: GroupId, groups: &[GroupId]) -> Slot {
        let gr = self.model.group(g);
        if let Some(p) = gr.parent {
            return Slot::Gr(p);
        }
        match gr.element {
            Some(e) if has(self.boundary, e) => Slot::El(e),
            // The element holding the group is not a frame here (a custom
            // view): keep the group inside the element's own group, if drawn.
            Some(e) => match self.model.element(e).group {
                Some(outer) if groups.binary_search(&outer).is_ok() => Slot::Gr(outer),
                // A group inside a container drawn as a box (`subject box`)
                // sits where the container's parts do.
                _ if !self.boundary.is_empty() => self.parent_of_element(e),
                _ => Slot::Root,
            },
            None => Slot::Root,
        }
    }

    /// The display tree: each drawn element and group under its display
    /// parent, in declaration order.
    fn tree(&self, drawn: &[ElementId], groups: &[GroupId]) -> Vec<Item> {
        let mut kids: HashMap<Slot, Vec<(u32, Slot)>> = HashMap::new();
        for &d in drawn {
            kids.entry(self.parent_of_element(d))
                .or_default()
                .push((self.model.element(d).order, Slot::El(d)));
        }
        for &g in groups {
            kids.entry(self.parent_of_group(g, groups))
                .or_default()
                .push((self.model.group(g).order, Slot::Gr(g)));
        }
        for list in kids.values_mut() {
            list.sort_by_key(|(o, _)| *o);
        }
        build(Slot::Root, &kids, self.boundary, 0)
    }
}

fn build(
    slot: Slot,
    kids: &HashMap<Slot, Vec<(u32, Slot)>>,
    boundary: &[ElementId],
    depth: usize,
) -> Vec<Item> {
    let Some(list) = kids.get(&slot) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|(_, s)| match *s {
            Slot::El(e) if has(boundary, e) && depth < 256 => Some(Item::Boundary(
                e,
                build(Slot::El(e), kids, boundary, depth + 1),
            )),
            Slot::El(e) => Some(Item::Node(e)),
            Slot::Gr(g) => Some(Item::Group(
                g,
                build(Slot::Gr(g), kids, boundary, depth + 1),
            )),
            Slot::Root => None,
        })
        .collect()
}

/// In a custom view, sibling groups with the same title are one frame (a group
/// may be declared in several places, say at the top level and inside a system).
fn merge_groups(model: &Model, items: &mut Vec<Item>) {
    let mut merged: Vec<Item> = Vec::with_capacity(items.len());
    // Title → place in `merged`: linear however many groups there are.
    let mut by_title: HashMap<&str, usize> = HashMap::new();
    for item in std::mem::take(items) {
        if let Item::Group(g, kids) = &item {
            let title = model.group(*g).title.as_str();
            if let Some(Item::Group(_, into)) = by_title.get(title).map(|i| &mut merged[*i]) {
                into.extend(kids.iter().cloned());
                continue;
            }
            by_title.insert(title, merged.len());
        }
        merged.push(item);
    }
    for m in &mut merged {
        if let Item::Group(_, kids) | Item::Boundary(_, kids) = m {
            merge_groups(model, kids);
        }
    }
    *items = merged;
}

/// The elements a selection stands for in this view (none once the view is
/// past its work cap: what it looks at is counted first).
fn select(
    model: &Model,
    def: &StaticDef,
    sel: &Selection,
    scratch: &mut Scratch,
) -> Vec<ElementId> {
    let cost = match sel {
        Selection::Default => match def.subject.filter(|_| def.kind != StaticKind::Landscape) {
            _ if def.kind == StaticKind::Custom => model.graph.node_count(),
            Some(s) => model.element(s).children.len() + model.crossing_relationships(s).len(),
            None => model.roots.len(),
        },
        // Items are deployment views' only.
        Selection::Element(_) | Selection::Any | Selection::Item(_) | Selection::Inside(_) => 1,
        Selection::Children(e) => model.element(*e).children.len(),
        Selection::Descendants(_) => 1, // counted below, by what it finds
        Selection::Tag(t) if t == "external" => model.graph.node_count(),
        Selection::Tag(t) => model.tagged(t).len(),
        Selection::Kind(_) => model.graph.node_count(),
        Selection::Relationships(..) => model.graph.edge_count(),
    };
    if !scratch.charge(cost) {
        return Vec::new();
    }
    match sel {
        Selection::Default => default_content(model, def),
        Selection::Element(e) => vec![*e],
        Selection::Children(e) => model.element(*e).children.clone(),
        Selection::Descendants(e) => {
            let found = descendants(model, *e);
            scratch.charge(found.len());
            found
        }
        Selection::Tag(t) if t == "external" => model
            .elements()
            .filter(|e| model.element(*e).external || model.has_tag(*e, t))
            .collect(),
        Selection::Tag(t) => model.tagged(t).to_vec(),
        Selection::Kind(k) => model
            .elements()
            .filter(|e| kind_is(model, &model.element(*e).kind, k))
            .collect(),
        Selection::Relationships(a, want, b) => {
            let mut out = Vec::new();
            for r in model.relationships() {
                let (s, t) = model.ends(r);
                if arrow_matches(*want, model.relationship(r).arrow)
                    && matches(model, a, s)
                    && matches(model, b, t)
                {
                    out.push(representative(model, def, a, s));
                    out.push(representative(model, def, b, t));
                }
            }
            out
        }
        Selection::Any | Selection::Item(_) | Selection::Inside(_) => Vec::new(),
    }
}

/// The element shown for relationship end `e` matched by `sel`: the selected
/// element itself, or for `*` the element at the view's level.
fn representative(model: &Model, def: &StaticDef, sel: &Selection, e: ElementId) -> ElementId {
    match sel {
        Selection::Element(x) => *x,
        Selection::Children(x) => model.child_towards(*x, e).unwrap_or(e),
        Selection::Any => view_level(model, def, e),
        _ => e,
    }
}

/// The ancestor of `e` a view of this kind shows: people and systems in a
/// landscape or context view; in a container view the containers of its
/// system; in a component view the components of its container and the
/// containers of its system.
pub(crate) fn view_level(model: &Model, def: &StaticDef, e: ElementId) -> ElementId {
    match (def.kind, def.subject) {
        (StaticKind::Container, Some(s)) => {
            model.child_towards(s, e).unwrap_or_else(|| model.top(e))
        }
        (StaticKind::Component, Some(c)) => model
            .child_towards(c, e)
            .or_else(|| {
                model
                    .element(c)
                    .parent
                    .and_then(|s| model.child_towards(s, e))
            })
            .unwrap_or_else(|| model.top(e)),
        _ => model.top(e),
    }
}

fn descendants(model: &Model, e: ElementId) -> Vec<ElementId> {
    let mut out = Vec::new();
    let mut stack: Vec<ElementId> = model.element(e).children.iter().rev().copied().collect();
    while let Some(x) = stack.pop() {
        out.push(x);
        stack.extend(model.element(x).children.iter().rev().copied());
    }
    out
}

/// What `include *` means for each view kind.
fn default_content(model: &Model, def: &StaticDef) -> Vec<ElementId> {
    if def.kind == StaticKind::Custom {
        // `*` in a custom view: every element of the model.
        return model.elements().collect();
    }
    // Annotations appear only where a view includes them by name, tag or kind.
    let software = |e: &ElementId| model.element(*e).base != BaseKind::Annotation;
    let Some(subject) = def.subject.filter(|_| def.kind != StaticKind::Landscape) else {
        return model.roots.iter().copied().filter(software).collect();
    };
    let mut out: Vec<ElementId> = match def.kind {
        StaticKind::Context => vec![subject],
        _ => model.element(subject).children.clone(),
    };
    out.extend(
        connected(model, subject)
            .into_iter()
            .map(|o| view_level(model, def, o)),
    );
    out
}

/// Elements outside `x`'s subtree at the other end of a relationship with its subtree.
fn connected(model: &Model, x: ElementId) -> Vec<ElementId> {
    let mut out = Vec::new();
    for &r in model.crossing_relationships(x) {
        let (s, t) = model.ends(r);
        for (a, b) in [(s, t), (t, s)] {
            if model.is_ancestor_or_self(x, a) && !model.is_ancestor_or_self(x, b) {
                out.push(b);
            }
        }
    }
    out
}
