//! Indexes built while a model is resolved, so that no step scans what came
//! before it (which would be quadratic in the input).
//!
//! In: elements, relationships and deployment items as they are added.
//! Out: tags without repeats ([`dedup_tags`]), the duplicate of a relationship
//! (W004, [`RelIndex`]), the relationships crossing each subtree
//! ([`crossing`]), the elements by tag ([`tags`]), and deployment items by
//! parent ([`ItemIndex`]).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::{ElementId, Model, RelId, Relationship};

/// foldhash seeded at random once per process: several times faster than
/// SipHash on these small keys, and a model cannot aim at its collisions.
type Seeded = foldhash::fast::RandomState;

fn hash_of(value: impl Hash) -> u64 {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<foldhash::quality::RandomState> = std::sync::OnceLock::new();
    SEED.get_or_init(Default::default).hash_one(value)
}

/// Drops repeated tags, keeping the first of each (one pass with a set).
pub fn dedup_tags(tags: &mut Vec<String>) {
    if tags.len() < 2 {
        return;
    }
    let keep: Vec<bool> = {
        let mut seen: HashSet<&str> = HashSet::with_capacity(tags.len());
        tags.iter().map(|t| seen.insert(t.as_str())).collect()
    };
    let mut i = 0;
    tags.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Relationships by a hash of what makes two of them duplicates: source,
/// target, arrow, label, technology and step (the same call at two steps of
/// a flow is two relationships).
#[derive(Default)]
pub struct RelIndex {
    by_hash: HashMap<u64, Vec<RelId>, Seeded>,
}

impl RelIndex {
    /// The relationship already in `model` that `rel` from `s` to `t` repeats.
    pub fn duplicate(
        &self,
        model: &Model,
        s: ElementId,
        t: ElementId,
        rel: &Relationship,
    ) -> Option<RelId> {
        let key = hash_of((s, t, rel.arrow, &rel.label, &rel.technology, &rel.step));
        self.by_hash.get(&key)?.iter().copied().find(|r| {
            let w = model.relationship(*r);
            model.ends(*r) == (s, t)
                && w.arrow == rel.arrow
                && w.label == rel.label
                && w.technology == rel.technology
                && w.step == rel.step
        })
    }

    pub fn insert(&mut self, model: &Model, r: RelId) {
        let (s, t) = model.ends(r);
        let w = model.relationship(r);
        let key = hash_of((s, t, w.arrow, &w.label, &w.technology, &w.step));
        self.by_hash.entry(key).or_default().push(r);
    }
}

/// Each element's parent and each relationship's ends, in index order.
pub fn compact(model: &Model) -> (Vec<Option<ElementId>>, Vec<(ElementId, ElementId)>) {
    let parents = model.graph.node_weights().map(|e| e.parent).collect();
    let ends = model
        .graph
        .raw_edges()
        .iter()
        .map(|e| (e.source(), e.target()))
        .collect();
    (parents, ends)
}

/// For each element, the relationships that cross the edge of its subtree
/// (one end inside, one outside): the only ones a view can draw from it.
/// Linear in the relationships times the depth of their ends.
pub fn crossing(model: &Model) -> Vec<Vec<RelId>> {
    let mut idx: Vec<Vec<RelId>> = vec![Vec::new(); model.graph.node_count()];
    let mut up_s = Vec::with_capacity(8);
    let mut up_t = Vec::with_capacity(8);
    for rel in model.relationships() {
        let (s, t) = model.ends(rel);
        for (end, up) in [(s, &mut up_s), (t, &mut up_t)] {
            up.clear();
            let mut cur = Some(end);
            while let Some(c) = cur {
                up.push(c);
                cur = model.parent(c);
            }
        }
        // The common ancestors are a common tail of both chains: drop it.
        let (mut i, mut j) = (up_s.len(), up_t.len());
        while i > 0 && j > 0 && up_s[i - 1] == up_t[j - 1] {
            i -= 1;
            j -= 1;
        }
        for a in up_s[..i].iter().chain(&up_t[..j]) {
            idx[a.index()].push(rel);
        }
    }
    idx
}

/// Each element tag → the elements with it (in index order), and every
/// relationship tag: what a `tag:` selection or a tag check looks up.
pub fn tags(model: &Model) -> (HashMap<String, Vec<ElementId>>, HashSet<String>) {
    let mut tagged: HashMap<String, Vec<ElementId>> = HashMap::new();
    for e in model.elements() {
        for t in &model.element(e).tags {
            tagged.entry(t.clone()).or_default().push(e);
        }
    }
    let rel_tags = model
        .relationships()
        .flat_map(|r| model.relationship(r).tags.iter().cloned())
        .collect();
    (tagged, rel_tags)
}

/// An environment's deployment items by parent: identifiers (E020) and a
/// hash of the names (W007), so adding an item never scans its siblings.
#[derive(Default)]
pub struct ItemIndex {
    pub ids: HashMap<(Option<usize>, String), usize>,
    names: HashMap<(Option<usize>, u64), Vec<usize>, Seeded>,
}

impl ItemIndex {
    /// Items under `parent` that may be called `name` (check the name).
    pub fn named(&self, parent: Option<usize>, name: &str) -> &[usize] {
        self.names
            .get(&(parent, hash_of(name)))
            .map_or(&[], Vec::as_slice)
    }

    pub fn insert(&mut self, parent: Option<usize>, id: String, name: &str, item: usize) {
        self.ids.insert((parent, id), item);
        self.names
            .entry((parent, hash_of(name)))
            .or_default()
            .push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::dedup_tags;

    #[test]
    fn repeated_tags_are_dropped_keeping_the_first() {
        let mut t: Vec<String> = ["a", "b", "a", "c", "b"].map(String::from).to_vec();
        dedup_tags(&mut t);
        assert_eq!(t, ["a", "b", "c"]);
    }
}
