//! The layout of a static view in Mermaid's C4 dialect.
//!
//! In: the model, a static view's tree of boxes, boundaries and groups, and
//! its edges. Out: the same tree in the order Mermaid should draw it
//! ([`arrange`]), the `UpdateLayoutConfig` numbers that keep it about
//! 900–1,200 px wide ([`Layout`]), and the edges whose end is drawn as a
//! boundary re-targeted to a box inside it ([`retarget`]).
//!
//! Mermaid's C4 renderer does no layout of its own: it puts the boxes of a
//! boundary in rows of `$c4ShapeInRow`, in the order they are declared, the
//! boxes first and the inner boundaries below them, `$c4BoundaryInRow`
//! boundaries side by side, and draws every relationship as a straight line
//! or a curve between two boxes, across whatever lies between. So the order
//! is the layout: people first (the top row), then the boundaries, each
//! inner row in the order of the relationship chains (a call chain reads
//! left to right), and the external systems last, in the bottom row. The
//! top level's loose boxes other than people are put in rows of their own,
//! drawn as boundaries without a frame or title ([`Slot::Row`]), so that
//! Mermaid stacks them above or below the boundaries rather than beside the
//! people. Everything here is linear in the size of the view.

use std::collections::{HashMap, HashSet};

use crate::model::{BaseKind, ElementId, GroupId, Model};
use crate::view::{Edge, Item};

/// A box, a boundary or a group as the dialect draws it, in drawing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Slot {
    Node(ElementId),
    Boundary(ElementId, Vec<Slot>),
    Group(GroupId, Vec<Slot>),
    /// A row of loose top-level boxes: a boundary with no frame and no
    /// title, only there to put the row above or below the others.
    Row(RowKind, Vec<Slot>),
}

/// Which loose top-level boxes a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowKind {
    /// Internal systems and containers (the subject of a context view).
    Inside,
    /// External systems and containers.
    Outside,
    /// One boundary alone, so that Mermaid counts its boxes afresh
    /// ([`fresh_counts`]).
    Alone,
}

impl RowKind {
    pub(super) fn alias_base(self) -> &'static str {
        match self {
            RowKind::Inside => "row_inside",
            RowKind::Outside => "row_outside",
            RowKind::Alone => "row_alone",
        }
    }
}

/// A box's place in the drawing order and its neighbours.
struct Graph {
    out: HashMap<ElementId, Vec<ElementId>>,
    incoming: HashMap<ElementId, Vec<ElementId>>,
}

impl Graph {
    fn new(edges: &[Edge]) -> Graph {
        let mut out: HashMap<ElementId, Vec<ElementId>> = HashMap::new();
        let mut incoming: HashMap<ElementId, Vec<ElementId>> = HashMap::new();
        for e in edges {
            out.entry(e.source).or_default().push(e.target);
            incoming.entry(e.target).or_default().push(e.source);
        }
        Graph { out, incoming }
    }

    fn neighbours(&self, e: ElementId) -> impl Iterator<Item = ElementId> + '_ {
        let outs = self.out.get(&e).into_iter().flatten();
        let ins = self.incoming.get(&e).into_iter().flatten();
        outs.chain(ins).copied()
    }
}

/// Orders the boxes of one row along the relationship chains: each box
/// nothing in the row points at starts a chain (in source order), followed
/// depth-first by what it points at, then whatever is left (cycles).
fn chain_order(nodes: &[ElementId], g: &Graph) -> Vec<ElementId> {
    let index: HashMap<ElementId, usize> = nodes.iter().enumerate().map(|(i, e)| (*e, i)).collect();
    let starts = nodes.iter().filter(|n| {
        !g.incoming
            .get(n)
            .is_some_and(|ins| ins.iter().any(|s| *s != **n && index.contains_key(s)))
    });
    let mut seen = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    for &start in starts.chain(nodes.iter()) {
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            let Some(&i) = index.get(&n) else { continue };
            if seen[i] {
                continue;
            }
            seen[i] = true;
            order.push(n);
            if let Some(outs) = g.out.get(&n) {
                stack.extend(outs.iter().rev().filter(|t| index.contains_key(t)));
            }
        }
    }
    order
}

/// A boundary's or group's contents: its boxes in chain order, then its
/// inner boundaries and groups (Mermaid draws them below the boxes anyway).
/// Where it holds both, the boxes that nothing links into the inner frames
/// (they are only called from there, or stand alone) go in a row below
/// the frames, so that the frames' lines to them run downwards.
fn inner(items: &[Item], g: &Graph) -> Vec<Slot> {
    let mut frames = Vec::new();
    for item in items {
        match item {
            Item::Node(_) => {}
            Item::Boundary(e, kids) => frames.push(Slot::Boundary(*e, inner(kids, g))),
            Item::Group(gr, kids) => frames.push(Slot::Group(*gr, inner(kids, g))),
            // A view with folded frames has no C4 form (`c4dialect::render`
            // draws it as a flowchart).
            Item::Fold(_) => {}
        }
    }
    let nodes: Vec<ElementId> = items
        .iter()
        .filter_map(|i| match i {
            Item::Node(e) => Some(*e),
            _ => None,
        })
        .collect();
    let (above, below) = downstream(&nodes, &frames, g);
    let mut out: Vec<Slot> = chain_order(&above, g).into_iter().map(Slot::Node).collect();
    out.extend(frames);
    if !below.is_empty() {
        let row = chain_order(&below, g).into_iter().map(Slot::Node).collect();
        out.push(Slot::Row(RowKind::Inside, row));
    }
    out
}

/// Splits loose boxes beside some frames into those drawn above the frames
/// and those drawn below: the boxes that the frames' boxes link to and that
/// link to nothing inside them.
fn downstream(nodes: &[ElementId], frames: &[Slot], g: &Graph) -> (Vec<ElementId>, Vec<ElementId>) {
    if frames.is_empty() {
        return (nodes.to_vec(), Vec::new());
    }
    let framed = boxes_in(frames);
    nodes.iter().partition(|e| {
        let calls_in = g
            .out
            .get(e)
            .is_some_and(|ts| ts.iter().any(|t| framed.contains(t)));
        let called_from = g
            .incoming
            .get(e)
            .is_some_and(|ss| ss.iter().any(|s| framed.contains(s)));
        calls_in || !called_from
    })
}

/// Every box and boundary inside some slots, at any depth (an edge of the
/// view may end on a boundary).
fn boxes_in(slots: &[Slot]) -> HashSet<ElementId> {
    let mut out = HashSet::new();
    let mut stack: Vec<&Slot> = slots.iter().collect();
    while let Some(s) = stack.pop() {
        match s {
            Slot::Node(e) => {
                out.insert(*e);
            }
            Slot::Boundary(e, kids) => {
                out.insert(*e);
                stack.extend(kids);
            }
            Slot::Group(_, kids) | Slot::Row(_, kids) => stack.extend(kids),
        }
    }
    out
}

/// The drawing order of a static view's tree: people, the boundaries and
/// groups (and a row of the loose internal boxes), then a row of the
/// loose external boxes. People and externals are ordered by where the
/// boxes they are linked to stand, so that their lines cross less.
pub(super) fn arrange(model: &Model, tree: &[Item], edges: &[Edge]) -> Vec<Slot> {
    let g = Graph::new(edges);
    let (mut people, mut inside, mut outside) = (Vec::new(), Vec::new(), Vec::new());
    let mut frames = Vec::new();
    for item in tree {
        match item {
            Item::Node(e) => {
                let el = model.element(*e);
                if el.base == BaseKind::Person {
                    people.push(*e);
                } else if el.external {
                    outside.push(*e);
                } else {
                    inside.push(*e);
                }
            }
            Item::Boundary(e, kids) => frames.push(Slot::Boundary(*e, inner(kids, &g))),
            Item::Group(gr, kids) => frames.push(Slot::Group(*gr, inner(kids, &g))),
            // No C4 form (see `inner`).
            Item::Fold(_) => {}
        }
    }
    let (above, below) = downstream(&inside, &frames, &g);
    let mut middle = Vec::new();
    // Without people, the loose internal boxes are the top row themselves
    // (a row's frame would cost its width).
    let top = if people.is_empty() {
        chain_order(&above, &g)
    } else {
        if !above.is_empty() {
            let row = chain_order(&above, &g)
                .into_iter()
                .map(Slot::Node)
                .collect();
            middle.push(Slot::Row(RowKind::Inside, row));
        }
        Vec::new()
    };
    middle.extend(frames);
    if !below.is_empty() {
        let row = chain_order(&below, &g)
            .into_iter()
            .map(Slot::Node)
            .collect();
        middle.push(Slot::Row(RowKind::Inside, row));
    }
    // Where each box of the middle stands, in drawing order.
    let mut rank = HashMap::new();
    let mut stack: Vec<&Slot> = middle.iter().rev().collect();
    while let Some(s) = stack.pop() {
        match s {
            Slot::Node(e) => {
                let next = rank.len();
                rank.entry(*e).or_insert(next);
            }
            Slot::Boundary(_, kids) | Slot::Group(_, kids) | Slot::Row(_, kids) => {
                stack.extend(kids.iter().rev());
            }
        }
    }
    let by_neighbour = |list: &mut Vec<ElementId>| {
        list.sort_by_key(|e| {
            g.neighbours(*e)
                .filter_map(|n| rank.get(&n))
                .min()
                .copied()
                .unwrap_or(usize::MAX)
        });
    };
    by_neighbour(&mut people);
    by_neighbour(&mut outside);
    let mut out: Vec<Slot> = top.into_iter().chain(people).map(Slot::Node).collect();
    out.extend(middle);
    if !outside.is_empty() {
        out.push(Slot::Row(
            RowKind::Outside,
            outside.into_iter().map(Slot::Node).collect(),
        ));
    }
    out
}

/// The first two boxes drawn inside each boundary (depth first): a
/// relationship to the boundary is drawn to the first, or to the second
/// when the first is its other end.
pub(super) fn first_boxes(slots: &[Slot]) -> HashMap<ElementId, Vec<ElementId>> {
    fn walk(
        slots: &[Slot],
        open: &mut Vec<ElementId>,
        out: &mut HashMap<ElementId, Vec<ElementId>>,
    ) {
        for s in slots {
            match s {
                Slot::Node(e) => {
                    open.retain(|b| {
                        let found = out.entry(*b).or_default();
                        found.push(*e);
                        found.len() < 2
                    });
                }
                Slot::Boundary(b, kids) => {
                    open.push(*b);
                    walk(kids, open, out);
                    // Past its end: a boundary with fewer boxes keeps what it has.
                    open.retain(|x| x != b);
                }
                Slot::Group(_, kids) | Slot::Row(_, kids) => walk(kids, open, out),
            }
        }
    }
    let mut out = HashMap::new();
    walk(slots, &mut Vec::new(), &mut out);
    out
}

/// Re-targets the edges whose end is drawn as a boundary (the dialect
/// cannot draw them: Mermaid drops the `Rel`) to the first box inside it
/// (the second, if the first is the other end), and says so in the label:
/// `Uses (to Online Shop)`, `(from …)`, or `(Online Shop → CRM)` when both
/// ends are. Edges drawn as boxes at both ends are kept as they are; one to
/// a boundary with no other box inside is left out.
pub(super) fn retarget(
    model: &Model,
    edges: &[Edge],
    is_box: impl Fn(ElementId) -> bool,
    first: &HashMap<ElementId, Vec<ElementId>>,
) -> Vec<Edge> {
    let mut out = Vec::with_capacity(edges.len());
    for e in edges {
        let inside = |x: ElementId, not: Option<ElementId>| {
            first
                .get(&x)
                .and_then(|bs| bs.iter().find(|b| Some(**b) != not).copied())
        };
        let (moved_s, moved_t) = (!is_box(e.source), !is_box(e.target));
        let (s, t) = match (moved_s, moved_t) {
            (false, false) => (Some(e.source), Some(e.target)),
            (false, true) => (Some(e.source), inside(e.target, Some(e.source))),
            (true, false) => (inside(e.source, Some(e.target)), Some(e.target)),
            (true, true) => {
                let s = inside(e.source, None);
                (s, inside(e.target, s))
            }
        };
        let (Some(s), Some(t)) = (s, t) else {
            continue;
        };
        if s == t && (moved_s || moved_t) {
            continue;
        }
        let name = |x: ElementId| model.element(x).name.as_str();
        let note = match (moved_s, moved_t) {
            (false, false) => None,
            (false, true) => Some(format!("(to {})", name(e.target))),
            (true, false) => Some(format!("(from {})", name(e.source))),
            (true, true) => Some(format!("({} → {})", name(e.source), name(e.target))),
        };
        let mut edge = e.clone();
        edge.source = s;
        edge.target = t;
        if let Some(note) = note {
            edge.label = Some(match &e.label {
                Some(l) => format!("{l} {note}"),
                None => note,
            });
        }
        out.push(edge);
    }
    out
}

/// `UpdateLayoutConfig`'s numbers for a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub shapes_in_row: usize,
    pub boundaries_in_row: usize,
}

/// What a box adds to a row in Mermaid's C4 renderer (216 px and the
/// space between two), what a level of boundaries adds (both sides), and
/// the page's margins: measured on Mermaid 11.17 (one box alone is 516 px
/// wide, three in a row 1,148 px, three in two nested boundaries 1,348 px).
const SHAPE: usize = 316;
const FRAME: usize = 100;
const PAGE: usize = 200;
/// The width a view should stay under, at natural size.
const TARGET: usize = 1_200;

/// What the width of a boundary depends on: its own boxes and the
/// boundaries inside it (a deployment node's too).
#[derive(Debug, Default)]
pub(super) struct Frame {
    pub boxes: usize,
    pub frames: Vec<Frame>,
}

impl Frame {
    fn of(slots: &[Slot]) -> Frame {
        let mut f = Frame::default();
        for s in slots {
            match s {
                Slot::Node(_) => f.boxes += 1,
                Slot::Boundary(_, k) | Slot::Group(_, k) | Slot::Row(_, k) => {
                    f.frames.push(Frame::of(k));
                }
            }
        }
        f
    }

    /// The estimated width of its contents, `n` boxes and `b` boundaries in a row.
    fn width(&self, n: usize, b: usize) -> usize {
        let frames: Vec<usize> = self.frames.iter().map(|f| f.width(n, b) + FRAME).collect();
        let frame_rows = frames
            .chunks(b.max(1))
            .map(|c| c.iter().sum::<usize>())
            .max()
            .unwrap_or(0);
        (SHAPE * self.boxes.min(n)).max(frame_rows)
    }
}

/// The most boxes and boundaries in a row that keep a view of these frames
/// under [`TARGET`] px, as [`layout`] (a dynamic view's boxes).
pub(super) fn layout_of(top: &Frame) -> Layout {
    fit(|n, b| top.width(n, b))
}

/// The most boxes (4 down to 2) and then boundaries (2 or 1) in a row whose
/// `width` keeps the page under [`TARGET`] px; the fewest when none does.
fn fit(width: impl Fn(usize, usize) -> usize) -> Layout {
    for n in (2..=4).rev() {
        for b in [2, 1] {
            if PAGE + width(n, b) <= TARGET {
                return Layout {
                    shapes_in_row: n,
                    boundaries_in_row: b,
                };
            }
        }
    }
    Layout {
        shapes_in_row: 2,
        boundaries_in_row: 1,
    }
}

/// Mermaid counts the boxes of a row across sibling boundaries: after a
/// boundary whose last row holds `k` of `n` boxes, the next sibling's
/// first row holds only `n - k` (two boxes of a group drawn one above the
/// other, a line through the second). A boundary in a frameless boundary
/// of its own is counted afresh and leaves the count alone: so each
/// boundary whose boxes do not fill its last row, and after which a
/// sibling holds boxes, is put alone.
fn fresh_counts(slots: &[Slot], n: usize) -> Vec<Slot> {
    let counts: Vec<Option<usize>> = slots
        .iter()
        .map(|s| match s {
            Slot::Node(_) => None,
            Slot::Boundary(_, k) | Slot::Group(_, k) | Slot::Row(_, k) => {
                Some(k.iter().filter(|x| matches!(x, Slot::Node(_))).count())
            }
        })
        .collect();
    let alone = put_alone(&counts, n);
    slots
        .iter()
        .zip(alone)
        .map(|(s, alone)| {
            let kids = |k: &[Slot]| fresh_counts(k, n);
            let slot = match s {
                Slot::Node(e) => Slot::Node(*e),
                Slot::Boundary(e, k) => Slot::Boundary(*e, kids(k)),
                Slot::Group(g, k) => Slot::Group(*g, kids(k)),
                Slot::Row(r, k) => Slot::Row(*r, kids(k)),
            };
            if alone {
                Slot::Row(RowKind::Alone, vec![slot])
            } else {
                slot
            }
        })
        .collect()
}

/// Which of some siblings to put alone ([`fresh_counts`]), given the
/// boxes each boundary holds itself (`None` for a box), `n` boxes in a row.
pub(super) fn put_alone(counts: &[Option<usize>], n: usize) -> Vec<bool> {
    // The box count of the next sibling boundary holding boxes, for each.
    let mut next = vec![0; counts.len()];
    let mut seen = 0;
    for (i, c) in counts.iter().enumerate().rev() {
        next[i] = seen;
        if let Some(c) = c.filter(|c| *c > 0) {
            seen = c;
        }
    }
    let mut count = 0;
    let mut out = vec![false; counts.len()];
    for (i, c) in counts.iter().enumerate() {
        let Some(boxes) = c.filter(|c| *c > 0) else {
            continue;
        };
        let after = (count + boxes - 1) % n + 1;
        if after < n && next[i] > n - after {
            out[i] = true;
        } else {
            count = after;
        }
    }
    out
}

/// A deployment view's body: a box's line, or a node's frame (its opening
/// line) around what it holds.
pub(super) enum Block {
    Line(String),
    Frame(String, Vec<Block>),
}

impl Block {
    /// The boxes each of some blocks holds itself (`None` for a box).
    pub(super) fn counts(blocks: &[Block]) -> Vec<Option<usize>> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Line(_) => None,
                Block::Frame(_, k) => {
                    Some(k.iter().filter(|x| matches!(x, Block::Line(_))).count())
                }
            })
            .collect()
    }
}

impl Frame {
    /// The frames of some blocks as drawn with `n` boxes in a row (the
    /// ones put alone in a frame of their own), `top` boxes beside them.
    fn of_blocks(blocks: &[Block], n: usize, top: usize) -> Frame {
        let mut f = Frame {
            boxes: top,
            frames: Vec::new(),
        };
        for (b, alone) in blocks.iter().zip(put_alone(&Block::counts(blocks), n)) {
            match b {
                Block::Line(_) => f.boxes += 1,
                Block::Frame(_, k) => {
                    let inner = Frame::of_blocks(k, n, 0);
                    f.frames.push(if alone {
                        Frame {
                            boxes: 0,
                            frames: vec![inner],
                        }
                    } else {
                        inner
                    });
                }
            }
        }
        f
    }
}

/// [`layout`] for a deployment view: its body and the `top` boxes beside it.
pub(super) fn layout_of_blocks(blocks: &[Block], top: usize) -> Layout {
    fit(|n, b| Frame::of_blocks(blocks, n, top).width(n, b))
}

/// The most boxes (up to 4, Mermaid's default) and boundaries (up to 2,
/// its default) in a row that keep the view under [`TARGET`] px by the
/// estimate of [`Frame::width`]: boundaries side by side give way first, then
/// boxes per row, down to two (a single column is harder to read than a
/// view somewhat too wide). With it, the slots as drawn ([`fresh_counts`]).
pub(super) fn layout(slots: &[Slot]) -> (Vec<Slot>, Layout) {
    for n in (2..=4).rev() {
        let drawn = fresh_counts(slots, n);
        for b in [2, 1] {
            if PAGE + Frame::of(&drawn).width(n, b) <= TARGET {
                let lay = Layout {
                    shapes_in_row: n,
                    boundaries_in_row: b,
                };
                return (drawn, lay);
            }
        }
    }
    let lay = Layout {
        shapes_in_row: 2,
        boundaries_in_row: 1,
    };
    (fresh_counts(slots, 2), lay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Arrow;

    fn id(i: u32) -> ElementId {
        ElementId::new(i as usize)
    }

    fn edge(s: u32, t: u32) -> Edge {
        Edge {
            source: id(s),
            target: id(t),
            arrow: Arrow::Sync,
            label: None,
            technology: None,
            tags: Vec::new(),
            relationships: Vec::new(),
            implied: false,
            step: None,
        }
    }

    #[test]
    fn boxes_follow_the_relationship_chains() {
        // 3 -> 1 -> 2, and 0 alone: the chain from 3 comes where 3 stands.
        let g = Graph::new(&[edge(3, 1), edge(1, 2)]);
        let order = chain_order(&[id(0), id(1), id(2), id(3)], &g);
        assert_eq!(order, vec![id(0), id(3), id(1), id(2)]);
        // A cycle still places every box once.
        let g = Graph::new(&[edge(0, 1), edge(1, 0)]);
        assert_eq!(chain_order(&[id(0), id(1)], &g).len(), 2);
    }

    #[test]
    fn a_boundary_that_leaves_its_row_half_full_is_put_alone() {
        let group = |g: u32, boxes: u32| {
            Slot::Group(
                GroupId(g),
                (0..boxes).map(|i| Slot::Node(id(g * 10 + i))).collect(),
            )
        };
        // Three boxes in rows of two, then a group with two: the first is
        // put alone; the second (last) is not.
        let drawn = fresh_counts(&[group(1, 3), group(2, 2)], 2);
        assert!(matches!(&drawn[0], Slot::Row(RowKind::Alone, k) if k.len() == 1));
        assert!(matches!(&drawn[1], Slot::Group(..)));
        // Full rows, or a next group that fits the rest of the row: unchanged.
        let slots = [group(1, 2), group(2, 2)];
        assert_eq!(fresh_counts(&slots, 2), slots.to_vec());
        let slots = [group(1, 1), group(2, 1)];
        assert_eq!(fresh_counts(&slots, 2), slots.to_vec());
    }

    #[test]
    fn the_layout_narrows_as_the_view_nests() {
        let flat: Vec<Slot> = (0..6).map(|i| Slot::Node(id(i))).collect();
        let (_, lay) = layout(&flat);
        assert_eq!(lay.shapes_in_row, 3);
        let mut deep = Slot::Group(GroupId(0), flat);
        for g in 1..4 {
            deep = Slot::Group(GroupId(g), vec![deep]);
        }
        let (_, lay) = layout(&[deep]);
        assert_eq!(lay.shapes_in_row, 2);
        assert_eq!(lay.boundaries_in_row, 1);
    }
}
