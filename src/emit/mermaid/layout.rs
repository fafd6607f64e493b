//! The direction of a flowchart whose view does not say one.
//!
//! In: a [`FlowGraph`] (its boxes in tree order, its edges and their
//! labels). Out: `TB`, or `LR` when a top-down drawing would be too wide for
//! GitHub's ~900 px column and a left-to-right one would not be much wider.
//!
//! Mermaid lays a flowchart out in ranks (dagre): top-down, a rank's boxes
//! and the labels of the edges leaving it stand side by side, so width
//! grows with the widest rank; left-to-right, ranks stand side by side, so
//! width grows with their number. Both are estimated from the same
//! ranking — longest paths, after reversing the edges a depth-first walk in
//! declaration order finds closing a cycle (as dagre does), sources pulled
//! down next to their first successor — with boxes about [`BOX`] px wide
//! and labels as wide as their longest line. The estimate is rough (dagre
//! leaves gaps and frames add padding, so real widths run up to twice it),
//! which is why LR is chosen only when TB's estimate passes [`WIDE`] and
//! LR's is under [`LR_FACTOR`] times it. Calibrated on the 86 example
//! views rendered by Mermaid 11.17 (docs/language.md, "How wide a diagram
//! gets"). Linear in boxes and edges.

use std::collections::HashMap;

use super::flowchart::{FlowGraph, FlowItem};
use super::wrap;
use crate::syntax::ast::Direction;

/// A box's width (130 px of text, padding, border).
const BOX: f64 = 166.0;
/// Mermaid's `nodeSpacing`, and `rankSpacing` across the page.
const NODE_GAP: f64 = wrap::NODE_SPACING as f64;
const RANK_GAP: f64 = wrap::RANK_SPACING_ACROSS as f64;
/// Pixels per character of 14 px text, and an edge label's padding.
const CHAR: f64 = 7.2;
const LABEL_PAD: f64 = 16.0;
/// A top-down estimate past this is too wide (real widths run higher).
const WIDE: f64 = 900.0;
/// LR is chosen while its estimate is under this times TB's.
const LR_FACTOR: f64 = 1.5;

/// The direction to draw `g` in when its view says none.
pub fn direction(g: &FlowGraph) -> Direction {
    let (tb, lr) = estimate(g);
    if tb > WIDE && lr < LR_FACTOR * tb {
        Direction::LR
    } else {
        Direction::TB
    }
}

/// (top-down width, left-to-right width) estimates, in px.
fn estimate(g: &FlowGraph) -> (f64, f64) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    collect(&g.items, &mut index);
    let n = index.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    // Edges between two boxes (an edge may end on a frame: left out).
    let edges: Vec<(usize, usize, f64)> = g
        .edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (*index.get(e.from.as_str())?, *index.get(e.to.as_str())?);
            (a != b).then(|| (a, b, label_width(e.label.as_deref())))
        })
        .collect();
    let edges = acyclic(n, edges);
    let rank = ranks(n, &edges);
    let ranks = rank.iter().max().map_or(1, |r| r + 1);

    let mut boxes = vec![0usize; ranks];
    for &r in &rank {
        boxes[r] += 1;
    }
    // Per gap below rank r: the labels side by side (top-down) and the
    // widest label (left-to-right); per rank: long edges passing through
    // (a difference array, so linear).
    let mut labels = vec![0.0f64; ranks];
    let mut widest = vec![0.0f64; ranks];
    let mut passing = vec![0i64; ranks + 1];
    for &(a, b, w) in &edges {
        let (lo, hi) = (rank[a].min(rank[b]), rank[a].max(rank[b]));
        if lo == hi {
            continue;
        }
        labels[lo] += w + NODE_GAP;
        widest[lo] = widest[lo].max(w);
        passing[lo + 1] += 1;
        passing[hi] -= 1;
    }
    let mut tb: f64 = 0.0;
    let mut through = 0i64;
    for r in 0..ranks {
        through += passing[r];
        let row = boxes[r] as f64 * (BOX + NODE_GAP) + through.max(0) as f64 * NODE_GAP;
        tb = tb.max(row).max(labels[r]);
    }
    let lr =
        ranks as f64 * BOX + (ranks as f64 - 1.0) * 2.0 * RANK_GAP + widest.iter().sum::<f64>();
    (tb, lr)
}

/// Every box of the tree, in declaration order, by key.
fn collect<'a>(items: &'a [FlowItem], index: &mut HashMap<&'a str, usize>) {
    for item in items {
        match item {
            FlowItem::Node { key, .. } => {
                let next = index.len();
                index.entry(key.as_str()).or_insert(next);
            }
            FlowItem::Subgraph { children, .. } => collect(children, index),
        }
    }
}

/// An edge label's width: its longest line (entities as one character).
fn label_width(label: Option<&str>) -> f64 {
    let Some(label) = label else { return 0.0 };
    let longest = label
        .split("<br/>")
        .map(|line| {
            // `#nbsp;`, `#quot;`, … count as one character.
            let entities = line.matches('#').count();
            let chars = line.chars().count();
            chars.saturating_sub(entities * 5)
        })
        .max()
        .unwrap_or(0);
    if longest == 0 {
        0.0
    } else {
        longest as f64 * CHAR + LABEL_PAD
    }
}

/// The edges with those that close a cycle reversed: a depth-first walk
/// from each box in declaration order reverses an edge to a box still on
/// its path.
fn acyclic(n: usize, edges: Vec<(usize, usize, f64)>) -> Vec<(usize, usize, f64)> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, _, _)) in edges.iter().enumerate() {
        out[a].push(i);
    }
    // 0: not seen, 1: on the path, 2: done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&e) = out[v].get(*next) {
                *next += 1;
                let w = edges[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    edges
        .into_iter()
        .zip(back)
        .map(|((a, b, w), rev)| if rev { (b, a, w) } else { (a, b, w) })
        .collect()
}

/// Longest-path ranks of an acyclic graph (Kahn's order), sources then
/// moved down to just above their highest successor.
fn ranks(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b, _) in edges {
        succ[a].push(b);
        indeg[b] += 1;
    }
    let sources: Vec<bool> = indeg.iter().map(|&d| d == 0).collect();
    let mut rank = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    for v in 0..n {
        if let (true, Some(min)) = (sources[v], succ[v].iter().map(|&w| rank[w]).min()) {
            rank[v] = min.saturating_sub(1);
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::mermaid::flowchart::FlowEdge;
    use crate::model::Shape;
    use crate::model::style::Style;
    use crate::syntax::ast::Arrow;

    fn graph(boxes: &[&str], edges: &[(&str, &str, &str)]) -> FlowGraph {
        FlowGraph {
            key: "k".into(),
            title: "t".into(),
            direction: None,
            items: boxes
                .iter()
                .map(|b| FlowItem::Node {
                    key: (*b).into(),
                    label: (*b).into(),
                    shape: Shape::Box,
                    class: "c".into(),
                    style: Style::default(),
                })
                .collect(),
            edges: edges
                .iter()
                .map(|(a, b, l)| FlowEdge {
                    from: (*a).into(),
                    to: (*b).into(),
                    arrow: Arrow::Sync,
                    style: Style::default(),
                    label: (!l.is_empty()).then(|| (*l).to_string()),
                })
                .collect(),
            node_frame: None,
        }
    }

    #[test]
    fn a_small_or_deep_view_stays_top_down() {
        let chain = graph(
            &["a", "b", "c", "d"],
            &[("a", "b", "x"), ("b", "c", "y"), ("c", "d", "z")],
        );
        assert_eq!(direction(&chain), Direction::TB);
        assert_eq!(direction(&graph(&[], &[])), Direction::TB);
    }

    #[test]
    fn a_wide_fan_out_over_few_ranks_goes_left_to_right() {
        let names: Vec<String> = (0..9).map(|i| format!("b{i}")).collect();
        let mut boxes = vec!["hub"];
        boxes.extend(names.iter().map(String::as_str));
        let edges: Vec<(&str, &str, &str)> = names
            .iter()
            .map(|b| ("hub", b.as_str(), "Reads and writes"))
            .collect();
        let g = graph(&boxes, &edges);
        let (tb, lr) = estimate(&g);
        assert!(tb > WIDE && lr < tb, "{tb} {lr}");
        assert_eq!(direction(&g), Direction::LR);
    }

    #[test]
    fn cycles_and_frame_ends_do_not_break_the_ranking() {
        let g = graph(
            &["a", "b", "c"],
            &[
                ("a", "b", ""),
                ("b", "c", ""),
                ("c", "a", ""),
                ("a", "frame", ""),
            ],
        );
        let (tb, lr) = estimate(&g);
        assert!(tb > 0.0 && lr > 0.0);
    }

    #[test]
    fn labels_count_their_longest_line_with_entities_as_one_character() {
        assert_eq!(label_width(None), 0.0);
        assert_eq!(
            label_width(Some("ab<br/>[a#nbsp;b]")),
            5.0 * CHAR + LABEL_PAD
        );
    }
}
