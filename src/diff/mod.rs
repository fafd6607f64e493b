//! Semantic diff of two models: what was added, removed, changed or moved.
//!
//! In: two compiled models (old and new). Out: a [`ModelDiff`] — elements
//! (identity: the hierarchical identifier; an element that keeps its kind and
//! name but changes identifier or parent is *moved*, not removed and added),
//! relationships (identity: their ends, mapped through moves, and arrow),
//! deployment items, views, and which views each change affects. Formatting
//! and comments never show up: only the model is compared.
//! Reports: [`report::text`], [`report::json`], [`report::markdown`]. The
//! old side of `diff --git` is read out of git by [`git::export`].

pub mod affected;
pub mod git;
mod parts;
mod redraw;
pub mod report;

pub use affected::{AffectedView, Change, Shown, Subject};

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::model::{ElementId, Model};
use crate::pipeline::Compiled;
use crate::syntax::ast::Arrow;

/// One changed field: (field, old value, new value).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementChange {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub from: String,
    pub to: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RelRef {
    pub source: String,
    pub target: String,
    pub arrow: Arrow,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelChange {
    pub rel: RelRef,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelDiff {
    pub added_elements: Vec<ElementChange>,
    pub removed_elements: Vec<ElementChange>,
    pub changed_elements: Vec<ElementChange>,
    pub moved_elements: Vec<Moved>,
    pub added_relationships: Vec<RelRef>,
    pub removed_relationships: Vec<RelRef>,
    pub changed_relationships: Vec<RelChange>,
    pub added_deployment_items: Vec<String>,
    pub removed_deployment_items: Vec<String>,
    pub changed_deployment_items: Vec<ElementChange>,
    /// Other parts ([`parts`]): relationships written in a deployment,
    /// meshes and their control-plane parts, CDNs and their tiers, regions
    /// and notes, each by a readable key (`cdn assets region asia`).
    pub added_parts: Vec<String>,
    pub removed_parts: Vec<String>,
    pub changed_parts: Vec<ElementChange>,
    pub added_views: Vec<String>,
    pub removed_views: Vec<String>,
    /// The views whose drawing changes, in key order.
    pub affected_views: Vec<AffectedView>,
}

impl ModelDiff {
    /// No model change (the affected views are not counted: they follow
    /// from the rest).
    pub fn is_empty(&self) -> bool {
        self.added_elements.is_empty()
            && self.removed_elements.is_empty()
            && self.changed_elements.is_empty()
            && self.moved_elements.is_empty()
            && self.added_relationships.is_empty()
            && self.removed_relationships.is_empty()
            && self.changed_relationships.is_empty()
            && self.added_deployment_items.is_empty()
            && self.removed_deployment_items.is_empty()
            && self.changed_deployment_items.is_empty()
            && self.added_parts.is_empty()
            && self.removed_parts.is_empty()
            && self.changed_parts.is_empty()
            && self.added_views.is_empty()
            && self.removed_views.is_empty()
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Properties as one comparable value: `k=v, k=v` in source order.
fn joined(props: &indexmap::IndexMap<String, String>) -> String {
    props
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The comparable fields of an element.
fn fields(m: &Model, e: ElementId) -> Vec<(&'static str, String)> {
    let el = m.element(e);
    vec![
        ("name", el.name.clone()),
        ("kind", el.kind.clone()),
        ("description", opt(&el.description)),
        ("technology", opt(&el.technology)),
        ("tags", el.tags.join(", ")),
        ("properties", joined(&el.properties)),
        ("url", opt(&el.url)),
        ("external", el.external.to_string()),
    ]
}

fn field_changes(
    old: &[(&'static str, String)],
    new: &[(&'static str, String)],
) -> Vec<FieldChange> {
    old.iter()
        .zip(new)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, b)| FieldChange {
            field: a.0.to_string(),
            old: a.1.clone(),
            new: b.1.clone(),
        })
        .collect()
}

fn summary(m: &Model, e: ElementId) -> ElementChange {
    let el = m.element(e);
    ElementChange {
        id: el.path.clone(),
        kind: el.kind.clone(),
        name: el.name.clone(),
        changes: Vec::new(),
    }
}

/// Diffs two sets of compiled models (all roots of each side together).
pub fn diff(old: &[Compiled], new: &[Compiled]) -> ModelDiff {
    let mut d = ModelDiff::default();
    let moves = diff_elements(old, new, &mut d);
    diff_relationships(old, new, &moves, &mut d);
    diff_deployment_items(old, new, &mut d);
    parts::diff_parts(old, new, &mut d);
    let view_keys = |side: &[Compiled]| -> BTreeSet<String> {
        side.iter()
            .flat_map(|c| c.views.iter().map(|v| v.key.clone()))
            .collect()
    };
    let (ov, nv) = (view_keys(old), view_keys(new));
    d.added_views = nv.difference(&ov).cloned().collect();
    d.removed_views = ov.difference(&nv).cloned().collect();
    d.affected_views = affected::affected(old, new, &d);
    d
}

/// An element of one side: (hierarchical identifier, root index, id).
type Located = (String, usize, ElementId);

/// Every element of a side by its identifier: (root index, id), the first
/// root's when several roots declare it.
fn element_index(side: &[Compiled]) -> BTreeMap<String, (usize, ElementId)> {
    let mut map = BTreeMap::new();
    for (w, c) in side.iter().enumerate() {
        for e in c.model.elements() {
            map.entry(c.model.element(e).path.clone()).or_insert((w, e));
        }
    }
    map
}

/// Added, removed, changed and moved elements into `d`; returns the moves
/// (old identifier → new one).
fn diff_elements(old: &[Compiled], new: &[Compiled], d: &mut ModelDiff) -> HashMap<String, String> {
    let old_ix = element_index(old);
    let new_ix = element_index(new);
    let om = |w: usize| &old[w].model;
    let nm = |w: usize| &new[w].model;

    let mut removed: Vec<Located> = Vec::new();
    let mut added: Vec<Located> = Vec::new();
    for (path, (w, e)) in &old_ix {
        match new_ix.get(path) {
            Some((w2, e2)) => {
                let changes = field_changes(&fields(om(*w), *e), &fields(nm(*w2), *e2));
                if !changes.is_empty() {
                    let mut c = summary(nm(*w2), *e2);
                    c.changes = changes;
                    d.changed_elements.push(c);
                }
            }
            None => removed.push((path.clone(), *w, *e)),
        }
    }
    for (path, (w, e)) in &new_ix {
        if !old_ix.contains_key(path) {
            added.push((path.clone(), *w, *e));
        }
    }
    let (moves, used) = pair_moves(old, new, &removed, &added, d);
    for (p, w, e) in &removed {
        if !moves.contains_key(p) {
            d.removed_elements.push(summary(om(*w), *e));
        }
    }
    for (p, w, e) in &added {
        if !used.contains(p) {
            d.added_elements.push(summary(nm(*w), *e));
        }
    }
    moves
}

/// Moves: a removed and an added element with the same kind and name.
/// Each removed element takes the first added one (in path order) of the
/// same kind and name not taken yet: a queue per (kind, name), so a diff
/// that renames every element stays linear. Pushes the moves to `d`;
/// returns them (old → new) and the added identifiers they took.
fn pair_moves(
    old: &[Compiled],
    new: &[Compiled],
    removed: &[Located],
    added: &[Located],
    d: &mut ModelDiff,
) -> (HashMap<String, String>, BTreeSet<String>) {
    let om = |w: usize| &old[w].model;
    let nm = |w: usize| &new[w].model;
    let mut moves: HashMap<String, String> = HashMap::new();
    let mut used = BTreeSet::new();
    let mut candidates: HashMap<(&str, &str), std::collections::VecDeque<usize>> = HashMap::new();
    for (i, (_, aw, ae)) in added.iter().enumerate() {
        let el = nm(*aw).element(*ae);
        candidates
            .entry((el.kind.as_str(), el.name.as_str()))
            .or_default()
            .push_back(i);
    }
    for (rp, rw, re) in removed {
        let (rk, rn) = (&om(*rw).element(*re).kind, &om(*rw).element(*re).name);
        let taken = candidates
            .get_mut(&(rk.as_str(), rn.as_str()))
            .and_then(|q| q.pop_front());
        if let Some((ap, aw, ae)) = taken.map(|i| &added[i]) {
            used.insert(ap.clone());
            moves.insert(rp.clone(), ap.clone());
            let changes = field_changes(&fields(om(*rw), *re), &fields(nm(*aw), *ae));
            d.moved_elements.push(Moved {
                from: rp.clone(),
                to: ap.clone(),
                changes,
            });
        }
    }
    (moves, used)
}

type Fields = Vec<(&'static str, String)>;

/// One relationship of one side: its model and id.
type Rel<'c> = (&'c Model, crate::model::RelId);

/// The relationships of a side by (source, target, arrow), ends mapped
/// through `moves`. Borrowed: what is compared is read only for the
/// relationships that need it.
fn relationships<'c>(
    side: &'c [Compiled],
    moves: Option<&'c HashMap<String, String>>,
) -> BTreeMap<(&'c str, &'c str, Arrow), Vec<Rel<'c>>> {
    let mut out: BTreeMap<(&str, &str, Arrow), Vec<Rel>> = BTreeMap::new();
    let fix = |p: &'c str| -> &'c str { moves.and_then(|mm| mm.get(p)).map_or(p, String::as_str) };
    for c in side {
        let m = &c.model;
        for r in m.relationships() {
            let (s, t) = m.ends(r);
            let key = (
                fix(m.element(s).path.as_str()),
                fix(m.element(t).path.as_str()),
                m.relationship(r).arrow,
            );
            out.entry(key).or_default().push((m, r));
        }
    }
    out
}

/// A relationship as the report names it, ends as in `key`.
fn rel_ref(key: &(&str, &str, Arrow), (m, r): Rel) -> RelRef {
    RelRef {
        source: key.0.to_string(),
        target: key.1.to_string(),
        arrow: key.2,
        label: m.relationship(r).label.clone(),
    }
}

/// The fields of a relationship compared beyond its label: technology,
/// tags (which pick the style), properties and link.
fn rel_fields((m, r): Rel) -> Fields {
    let rel = m.relationship(r);
    vec![
        ("technology", opt(&rel.technology)),
        ("tags", rel.tags.join(", ")),
        ("properties", joined(&rel.properties)),
        ("url", opt(&rel.url)),
    ]
}

/// A relationship's label.
fn label<'c>((m, r): &Rel<'c>) -> Option<&'c str> {
    m.relationship(*r).label.as_deref()
}

/// Added, removed and changed relationships into `d` (old ends mapped
/// through the moves).
fn diff_relationships(
    old: &[Compiled],
    new: &[Compiled],
    moves: &HashMap<String, String>,
    d: &mut ModelDiff,
) {
    let old_rels = relationships(old, Some(moves));
    let new_rels = relationships(new, None);
    let keys: BTreeSet<&(&str, &str, Arrow)> = old_rels.keys().chain(new_rels.keys()).collect();
    for k in keys {
        let o: &[Rel] = old_rels.get(k).map_or(&[], Vec::as_slice);
        let n: &[Rel] = new_rels.get(k).map_or(&[], Vec::as_slice);
        if let ([a], [b]) = (o, n) {
            let mut changes = Vec::new();
            if label(a) != label(b) {
                changes.push(FieldChange {
                    field: "label".into(),
                    old: label(a).unwrap_or_default().to_string(),
                    new: label(b).unwrap_or_default().to_string(),
                });
            }
            changes.extend(field_changes(&rel_fields(*a), &rel_fields(*b)));
            if !changes.is_empty() {
                d.changed_relationships.push(RelChange {
                    rel: rel_ref(k, *b),
                    changes,
                });
            }
            continue;
        }
        // Between the same ends with the same arrow, relationships differ
        // by label: compared as sets, so many of them stay linear.
        let (ol, nl): (HashSet<Option<&str>>, HashSet<Option<&str>>) =
            (o.iter().map(label).collect(), n.iter().map(label).collect());
        for r in o {
            if !nl.contains(&label(r)) {
                d.removed_relationships.push(rel_ref(k, *r));
            }
        }
        for r in n {
            if !ol.contains(&label(r)) {
                d.added_relationships.push(rel_ref(k, *r));
            }
        }
    }
}

/// What a deployment item is: `node`, `infra`, or `instance of PATH`.
fn item_kind(m: &Model, it: &crate::model::deployment::DeplItem) -> String {
    use crate::model::deployment::DeplKind;
    match it.kind {
        DeplKind::Node => "node".into(),
        DeplKind::Infra => "infra".into(),
        DeplKind::Instance(e) => format!("instance of {}", m.element(e).path),
    }
}

/// `expand` as written: empty (not expanded), `expand`, or `expand "TEMPLATE"`.
fn expand(e: &Option<Option<String>>) -> String {
    match e {
        None => String::new(),
        Some(None) => "expand".into(),
        Some(Some(t)) => format!("expand \"{t}\""),
    }
}

/// A node's own `shape`: `frame` or the shape's name.
fn shape(s: crate::model::deployment::NodeShape) -> String {
    match s {
        crate::model::deployment::NodeShape::Frame => "frame".into(),
        crate::model::deployment::NodeShape::Box(b) => format!("{b:?}").to_lowercase(),
    }
}

/// Every deployment item of a side by its path, with its compared fields.
fn deployment_items(side: &[Compiled]) -> BTreeMap<String, Fields> {
    let mut out = BTreeMap::new();
    for c in side {
        for dep in &c.model.deployments {
            for it in &dep.items {
                out.insert(
                    it.path.clone(),
                    vec![
                        ("name", it.name.clone()),
                        ("kind", item_kind(&c.model, it)),
                        ("description", opt(&it.description)),
                        ("technology", opt(&it.technology)),
                        ("replicas", it.replicas.to_string()),
                        ("expand", expand(&it.expand)),
                        ("tags", it.tags.join(", ")),
                        ("properties", joined(&it.properties)),
                        ("shape", it.shape.map(shape).unwrap_or_default()),
                    ],
                );
            }
        }
    }
    out
}

/// Added, removed and changed deployment items into `d`.
fn diff_deployment_items(old: &[Compiled], new: &[Compiled], d: &mut ModelDiff) {
    let (oi, ni) = (deployment_items(old), deployment_items(new));
    for (p, f) in &oi {
        match ni.get(p) {
            None => d.removed_deployment_items.push(p.clone()),
            Some(g) => {
                let changes = field_changes(f, g);
                if !changes.is_empty() {
                    d.changed_deployment_items.push(ElementChange {
                        id: p.clone(),
                        kind: "deployment".into(),
                        name: g[0].1.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for p in ni.keys() {
        if !oi.contains_key(p) {
            d.added_deployment_items.push(p.clone());
        }
    }
}
