//! The keys of one diagram's boxes, distinct by construction.
//!
//! In: the key a generator would give a box — an identifier path from the
//! model (`assets.edge.us`), or one with a part the generator adds
//! (`prod.k8s.api#proxy`). Out: that key when no box of the diagram has it
//! yet, else the key with `~2`, `~3`, … appended. `~` is in no identifier
//! and no key a generator builds, so the result names no other box; as an
//! id it reads `…_2`, the suffix [`super::escape::IdMap`] gives the second
//! of two boxes anyway, so ids change only where boxes would have shared one.
//!
//! Edges name a box by the key it was given, never by a key rebuilt from
//! names: a CDN tier called `users`, or a CDN named like its environment,
//! cannot send an edge to another box. Groups are not boxes (no edge ends
//! at one; their ids are made unique by the flowchart writer).

use std::collections::{HashMap, HashSet};

use super::flowchart::{FlowItem, Frame};

/// The keys handed out for one diagram.
#[derive(Debug, Default)]
pub struct Keys {
    used: HashSet<String>,
    /// base → the next suffix to try, so `n` boxes of one base cost `O(n)`.
    next: HashMap<String, usize>,
}

/// The identifier path a box's key was built from: the key without the
/// `~N` [`Keys::claim`] adds and the `#part` a generator adds
/// (`prod.k8s.api#1~2` → `prod.k8s.api`).
pub fn base_path(key: &str) -> &str {
    let key = key.split('~').next().unwrap_or(key);
    key.split('#').next().unwrap_or(key)
}

impl Keys {
    pub fn new() -> Keys {
        Keys::default()
    }

    /// A key for the next box: `base` if it is free, else `base~N`.
    pub fn claim(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let key = format!("{base}~{n}");
            *n += 1;
            if self.used.insert(key.clone()) {
                return key;
            }
        }
    }

    /// Claims a key for every box of `items` (nodes and node frames; groups
    /// are left as they are), in tree order, and returns the keys that
    /// changed: old → new. For items built elsewhere whose keys are
    /// distinct among themselves (a deployment's items), so edges between
    /// them can be renamed after.
    pub fn rekey(&mut self, items: &mut [FlowItem]) -> Renamed {
        let mut renamed = Renamed::default();
        self.rekey_into(items, &mut renamed.0);
        renamed
    }

    fn rekey_into(&mut self, items: &mut [FlowItem], renamed: &mut HashMap<String, String>) {
        for item in items {
            let group = matches!(
                item,
                FlowItem::Subgraph {
                    frame: Frame::Group,
                    ..
                }
            );
            let (FlowItem::Node { key, .. } | FlowItem::Subgraph { key, .. }) = item;
            if !group {
                let new = self.claim(key.clone());
                if new != *key {
                    renamed.insert(std::mem::replace(key, new.clone()), new);
                }
            }
            if let FlowItem::Subgraph { children, .. } = item {
                self.rekey_into(children, renamed);
            }
        }
    }
}

/// The keys [`Keys::rekey`] changed.
#[derive(Debug, Default)]
pub struct Renamed(HashMap<String, String>);

impl Renamed {
    /// `key` as it is now.
    pub fn key(&self, key: String) -> String {
        self.0.get(&key).cloned().unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_key_gets_a_suffix_no_identifier_has() {
        let mut k = Keys::new();
        assert_eq!(k.claim("a.users.us".into()), "a.users.us");
        assert_eq!(k.claim("a.users.us".into()), "a.users.us~2");
        assert_eq!(k.claim("a.users.us".into()), "a.users.us~3");
        assert_eq!(k.claim("a.users.us~2".into()), "a.users.us~2~2");
        assert_eq!(k.claim("a.b".into()), "a.b");
    }
}
