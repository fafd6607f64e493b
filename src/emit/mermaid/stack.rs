//! Stacking of sibling subgraphs that no edge links, in top-down flowcharts.
//!
//! In: a graph's items in tree order (who holds whom, which are
//! subgraphs), the Mermaid id of each, and its edges as pairs of those ids. Out: invisible links (`a ~~~ b`) between consecutive sibling
//! subgraphs that no edge joins, in tree order. Mermaid lays such siblings
//! side by side, which makes a top-down diagram as wide as all of them
//! together; an invisible link puts one below the other.
//!
//! Cost: one walk of the tree, then per edge one climb to the nearest common
//! subgraph (nesting depth), so linear in the size of the graph for a
//! bounded depth.

use std::collections::{HashMap, HashSet};

/// One item of the graph, in tree order: the index of the subgraph that
/// holds it (parents come before their children) and whether it is one.
pub(super) struct Slot {
    pub parent: Option<usize>,
    pub subgraph: bool,
}

/// The invisible links that stack unlinked sibling subgraphs, as pairs of
/// Mermaid ids (`from`, `to`), in tree order. `item_ids` has one id per slot.
pub(super) fn invisible_links(
    tree: &[Slot],
    item_ids: &[String],
    edges: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut depths: Vec<usize> = Vec::with_capacity(tree.len());
    // Subgraphs by the subgraph that holds them (`None`: the top level).
    let mut siblings: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (i, slot) in tree.iter().enumerate() {
        let depth = slot.parent.and_then(|p| depths.get(p)).map_or(0, |d| d + 1);
        depths.push(depth);
        if slot.subgraph {
            let list = siblings.entry(slot.parent).or_default();
            if list.is_empty() {
                order.push(slot.parent);
            }
            list.push(i);
        }
    }

    let index: HashMap<&str, usize> = item_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut linked = HashSet::new();
    for (from, to) in edges {
        let (Some(&a), Some(&b)) = (index.get(from), index.get(to)) else {
            continue;
        };
        if let Some(pair) = sibling_pair(tree, &depths, a, b) {
            linked.insert(pair);
        }
    }

    let mut links = Vec::new();
    for parent in order {
        let Some(list) = siblings.get(&parent) else {
            continue;
        };
        for pair in list.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if linked.contains(&(a.min(b), a.max(b))) {
                continue;
            }
            if let (Some(from), Some(to)) = (item_ids.get(a), item_ids.get(b)) {
                links.push((from.clone(), to.clone()));
            }
        }
    }
    links
}

/// The two siblings (smaller index first) under the nearest common parent
/// of items `a` and `b` that hold them, or `None` when one holds the other.
fn sibling_pair(
    tree: &[Slot],
    depths: &[usize],
    mut a: usize,
    mut b: usize,
) -> Option<(usize, usize)> {
    let depth = |i: usize| depths.get(i).copied().unwrap_or(0);
    let parent = |i: usize| tree.get(i).and_then(|s| s.parent);
    while depth(a) > depth(b) {
        a = parent(a)?;
    }
    while depth(b) > depth(a) {
        b = parent(b)?;
    }
    while parent(a) != parent(b) {
        a = parent(a)?;
        b = parent(b)?;
    }
    (a != b).then(|| (a.min(b), a.max(b)))
}
