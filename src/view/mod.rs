//! Views: a view definition + the model → what one diagram shows.
//!
//! In: a [`ViewDef`] (kind, subject, include/exclude selections) and the [`Model`].
//! Out: a [`View`]: the elements drawn as boxes, the elements drawn as
//! boundaries (subgraphs), the groups, a display tree nesting them, and the
//! edges — relationships lifted to the nearest visible ancestor of each end
//! (implied relationships), merged per pair, in source order.
//!
//! The same algorithm serves every C4 level; a view kind only decides the
//! default content (`*`):
//! - landscape: every person and system;
//! - context X: X and the people and systems connected to anything in X;
//! - container X: X's containers (X drawn as a boundary) and the people and
//!   systems connected to them;
//! - component C: C's components (C and its system as boundaries), the sibling
//!   containers and the people/systems connected to them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

pub mod budget;
pub mod deployment;
pub mod mesh;

use crate::model::{BaseKind, ElementId, GroupId, Model, RelId, Selection, ViewDef};
use crate::syntax::ast::{Arrow, Direction, ViewKind};

/// One computed diagram.
#[derive(Debug, Clone)]
pub struct View {
    pub key: String,
    pub kind: ViewKind,
    pub title: String,
    pub description: Option<String>,
    pub subject: Option<ElementId>,
    pub direction: Direction,
    /// Elements drawn as boxes, in source order.
    pub nodes: Vec<ElementId>,
    /// Elements drawn as subgraphs, in source order.
    pub boundaries: Vec<ElementId>,
    /// Groups drawn as subgraphs, in source order.
    pub groups: Vec<GroupId>,
    /// The nesting of everything drawn.
    pub tree: Vec<Item>,
    pub edges: Vec<Edge>,
    /// For a deployment view, what it shows (the fields above stay empty).
    pub deployment: Option<deployment::DeploymentView>,
    /// For a mesh view, what it shows (the fields above stay empty).
    pub mesh: Option<mesh::MeshView>,
    /// Set when the view is too large to draw (E056, E057): it is left empty.
    pub overflow: Option<budget::Overflow>,
}

/// A drawn thing and what it contains.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Node(ElementId),
    Boundary(ElementId, Vec<Item>),
    Group(GroupId, Vec<Item>),
}

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

/// Computes every view of a model.
pub fn compute_all(model: &Model) -> Vec<View> {
    let mut scratch = Scratch::new(model);
    model
        .views
        .iter()
        .map(|v| compute_with(model, v, &mut scratch))
        .collect()
}

/// Per-model marks reused across views, so membership tests are O(1) and no
/// view pays for the size of the whole model.
pub struct Scratch {
    generation: u32,
    drawn: Vec<u32>,
    boundary: Vec<u32>,
    rels: Vec<u32>,
    /// Elements and relationships the last view looked at ([`budget`]).
    pub work: u64,
    /// The work a view may take: past it, the view stops (left empty).
    pub cap: u64,
}

impl Scratch {
    pub fn new(model: &Model) -> Scratch {
        Scratch {
            generation: 0,
            drawn: vec![0; model.graph.node_count()],
            boundary: vec![0; model.graph.node_count()],
            rels: vec![0; model.graph.edge_count()],
            work: 0,
            cap: u64::MAX,
        }
    }

    /// Counts `n` steps of work; `false` once the view is past its cap.
    fn charge(&mut self, n: usize) -> bool {
        self.work = self.work.saturating_add(n as u64);
        self.work <= self.cap
    }

    fn next(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.drawn.iter_mut().for_each(|m| *m = 0);
            self.boundary.iter_mut().for_each(|m| *m = 0);
            self.rels.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        self.generation
    }
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

/// Membership in a small sorted set of elements.
fn has(set: &[ElementId], e: ElementId) -> bool {
    set.binary_search(&e).is_ok()
}

/// Computes one view.
pub fn compute(model: &Model, def: &ViewDef) -> View {
    compute_with(model, def, &mut Scratch::new(model))
}

/// Computes one view with reusable scratch space. Work is proportional to what
/// the view shows (and the relationships touching it), not to the model's size.
pub fn compute_with(model: &Model, def: &ViewDef, scratch: &mut Scratch) -> View {
    scratch.work = 0;
    // Views computed elsewhere (or rendered straight from the model) carry no
    // C4 content here: only their own computed part, if any.
    if !matches!(
        def.kind,
        ViewKind::Landscape
            | ViewKind::Context
            | ViewKind::Container
            | ViewKind::Component
            | ViewKind::Custom
    ) {
        let mut v = empty(def, None);
        v.deployment = (def.kind == ViewKind::Deployment)
            .then(|| deployment::compute(model, def))
            .flatten();
        v.mesh = (def.kind == ViewKind::Mesh)
            .then(|| def.deployment.and_then(|m| mesh::compute(model, m)))
            .flatten();
        return v;
    }
    let mut rel_excludes: Vec<(&Selection, Arrow, &Selection)> = Vec::new();
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
        return empty(def, Some(budget::Overflow::Budget));
    }
    if !excluded.is_empty() {
        excluded.sort_unstable();
        visible.retain(|e| !has(&excluded, *e));
    }

    // Boundaries: ancestors of anything visible (a visible element with
    // visible descendants is drawn as a boundary too).
    let mut boundary: Vec<ElementId> = Vec::new();
    // A custom view draws no C4 boundaries: only groups frame its elements.
    for &v in visible.iter().filter(|_| def.kind != ViewKind::Custom) {
        let mut cur = model.element(v).parent;
        while let Some(p) = cur {
            boundary.push(p);
            cur = model.element(p).parent;
        }
    }
    boundary.sort_unstable();
    boundary.dedup();
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
    let edges = match lift_edges(
        model,
        scratch,
        generation,
        &visible,
        &boundary,
        &rel_excludes,
    ) {
        Ok(edges) => edges,
        Err(overflow) => return empty(def, Some(overflow)),
    };

    // The group an element is drawn in: its own, or — when its parent is not
    // drawn as a frame (custom views) — the nearest ancestor's.
    let home_group = |e: ElementId| -> Option<GroupId> {
        let mut cur = e;
        loop {
            let el = model.element(cur);
            if el.group.is_some() {
                return el.group;
            }
            let p = el.parent?;
            if has(&boundary, p) {
                return None;
            }
            cur = p;
        }
    };
    // Groups around drawn items.
    let mut groups: Vec<GroupId> = Vec::new();
    for &d in &drawn {
        let mut g = home_group(d);
        while let Some(gid) = g {
            groups.push(gid);
            g = model.group(gid).parent;
        }
    }
    groups.sort_unstable();
    groups.dedup();

    // Display parents.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Slot {
        Root,
        El(ElementId),
        Gr(GroupId),
    }
    let parent_of_element = |e: ElementId| -> Slot {
        let el = model.element(e);
        if let Some(g) = home_group(e) {
            return Slot::Gr(g);
        }
        match el.parent {
            Some(p) if has(&boundary, p) => Slot::El(p),
            _ => Slot::Root,
        }
    };
    let parent_of_group = |g: GroupId| -> Slot {
        let gr = model.group(g);
        if let Some(p) = gr.parent {
            return Slot::Gr(p);
        }
        match gr.element {
            Some(e) if has(&boundary, e) => Slot::El(e),
            // The element holding the group is not a frame here (a custom
            // view): keep the group inside the element's own group, if drawn.
            Some(e) => match model.element(e).group {
                Some(outer) if groups.binary_search(&outer).is_ok() => Slot::Gr(outer),
                _ => Slot::Root,
            },
            None => Slot::Root,
        }
    };
    let mut kids: HashMap<Slot, Vec<(u32, Slot)>> = HashMap::new();
    for &d in &drawn {
        kids.entry(parent_of_element(d))
            .or_default()
            .push((model.element(d).order, Slot::El(d)));
    }
    for &g in &groups {
        kids.entry(parent_of_group(g))
            .or_default()
            .push((model.group(g).order, Slot::Gr(g)));
    }
    for list in kids.values_mut() {
        list.sort_by_key(|(o, _)| *o);
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
    let mut tree = build(Slot::Root, &kids, &boundary, 0);
    if def.kind == ViewKind::Custom {
        merge_groups(model, &mut tree);
    }

    View {
        nodes: drawn
            .iter()
            .copied()
            .filter(|d| !has(&boundary, *d))
            .collect(),
        boundaries: boundary,
        groups,
        tree,
        edges,
        ..empty(def, None)
    }
}

/// A view with nothing drawn: for the kinds computed elsewhere, and for a
/// view too large to draw (`overflow`).
pub fn empty(def: &ViewDef, overflow: Option<budget::Overflow>) -> View {
    View {
        key: def.key.clone(),
        kind: def.kind,
        title: def.title.clone(),
        description: def.description.clone(),
        subject: def.subject,
        direction: def.direction,
        nodes: Vec::new(),
        boundaries: Vec::new(),
        groups: Vec::new(),
        tree: Vec::new(),
        edges: Vec::new(),
        deployment: None,
        mesh: None,
        overflow,
    }
}

/// The elements a selection stands for in this view (none once the view is
/// past its work cap: what it looks at is counted first).
fn select(model: &Model, def: &ViewDef, sel: &Selection, scratch: &mut Scratch) -> Vec<ElementId> {
    let cost = match sel {
        Selection::Default => match def.subject.filter(|_| def.kind != ViewKind::Landscape) {
            _ if def.kind == ViewKind::Custom => model.graph.node_count(),
            Some(s) => model.element(s).children.len() + model.crossing_relationships(s).len(),
            None => model.roots.len(),
        },
        Selection::Element(_) | Selection::Any => 1,
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
        Selection::Any => Vec::new(),
    }
}

/// Whether `kind` is `want` or extends it.
pub(crate) fn kind_is(model: &Model, kind: &str, want: &str) -> bool {
    let mut cur = Some(kind);
    let mut steps = 0;
    while let Some(k) = cur {
        if k == want {
            return true;
        }
        steps += 1;
        if steps > 64 {
            return false;
        }
        cur = model.kinds.get(k).and_then(|k| k.extends.as_deref());
        if cur.is_none() {
            // built-in base kind at the end of the chain
            return model
                .kinds
                .get(kind)
                .is_some_and(|k| k.base.keyword() == want);
        }
    }
    false
}

/// Whether a relationship selector's arrow accepts a relationship's arrow.
pub(crate) fn arrow_matches(selector: Arrow, rel: Arrow) -> bool {
    selector == Arrow::Sync || selector == rel
}

/// The element shown for relationship end `e` matched by `sel`: the selected
/// element itself, or for `*` the element at the view's level.
fn representative(model: &Model, def: &ViewDef, sel: &Selection, e: ElementId) -> ElementId {
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
fn view_level(model: &Model, def: &ViewDef, e: ElementId) -> ElementId {
    match (def.kind, def.subject) {
        (ViewKind::Container, Some(s)) => model.child_towards(s, e).unwrap_or_else(|| model.top(e)),
        (ViewKind::Component, Some(c)) => model
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

/// Whether element `e` falls under a selection used as a relationship end.
pub(crate) fn matches(model: &Model, sel: &Selection, e: ElementId) -> bool {
    match sel {
        Selection::Any => true,
        Selection::Element(x) | Selection::Descendants(x) => model.is_ancestor_or_self(*x, e),
        Selection::Children(x) => model.is_ancestor_or_self(*x, e) && *x != e,
        Selection::Tag(t) => model.has_tag(e, t),
        Selection::Kind(k) => kind_is(model, &model.element(e).kind, k),
        // `*` at a relationship end is `Any`; the others cannot occur there.
        Selection::Default | Selection::Relationships(..) => false,
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
fn default_content(model: &Model, def: &ViewDef) -> Vec<ElementId> {
    if def.kind == ViewKind::Custom {
        // `*` in a custom view: every element of the model.
        return model.elements().collect();
    }
    // Annotations appear only where a view includes them by name, tag or kind.
    let software = |e: &ElementId| model.element(*e).base != BaseKind::Annotation;
    let Some(subject) = def.subject.filter(|_| def.kind != ViewKind::Landscape) else {
        return model.roots.iter().copied().filter(software).collect();
    };
    let mut out: Vec<ElementId> = match def.kind {
        ViewKind::Context => vec![subject],
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

/// Lifts every relationship touching a drawn element to the nearest drawn
/// (visible or boundary) ancestors of its ends and merges those that land on
/// the same pair. Stops, with the reason, past [`budget::MAX_EDGES`] edges or
/// the view's work cap.
fn lift_edges(
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
fn merge_values<'m>(
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

/// Whether an element is a person (drawn with the person shape by default).
pub fn is_person(model: &Model, e: ElementId) -> bool {
    model.element(e).base == BaseKind::Person
}
