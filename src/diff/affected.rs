//! Which views a change affects, and what each of them shows of it.
//!
//! In: the two compiled sides (their views and rendered diagrams, or the
//! diagrams' fingerprints) and the
//! model diff. Out: [`AffectedView`]s in key order. A view is affected
//! exactly when it is on both sides and its diagram (the Mermaid text `c4c
//! build` writes, without any diff highlighting) differs: a view that never
//! drew a removed relationship is not affected, and one whose drawing
//! changes is, whatever changed it. Added and removed views are listed
//! apart ([`super::ModelDiff::added_views`]). What a view shows of the
//! change ([`Shown`]) is read from what it draws: its boxes and frames, and
//! the relationships its edges stand for (new side for added, changed and
//! moved; old side for removed).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::{ModelDiff, RelRef};
use crate::model::RelId;
use crate::pipeline::Compiled;
use crate::syntax::ast::ViewKind;
use crate::view::{Content, View};

/// A view whose drawing changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AffectedView {
    pub key: String,
    /// `landscape`, `context`, `container`, `component`, `deployment`, …
    pub kind: ViewKind,
    /// The new side's title.
    pub title: String,
    /// What of the change it draws; empty when only its drawing says (a
    /// changed view definition, or an order of statements).
    pub shows: Vec<Shown>,
}

/// How a shown thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    Moved,
}

/// What changed: an element (its identifier), a relationship, a
/// deployment item (its path), or another part (its key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Element(String),
    Relationship(RelRef),
    DeploymentItem(String),
    /// A mesh or CDN part, or a relationship written in a deployment, by
    /// its key (`cdn assets region asia`).
    Part(String),
}

/// One change a view draws: `{"change": "removed", "relationship": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Shown {
    pub change: Change,
    #[serde(flatten)]
    pub subject: Subject,
}

/// The views on both sides whose diagrams differ, in key order. Empty when
/// the model did not change (formatting and order only).
pub(super) fn affected(old: &[Compiled], new: &[Compiled], d: &ModelDiff) -> Vec<AffectedView> {
    if d.is_empty() {
        return Vec::new();
    }
    let index = |side: &[Compiled]| -> BTreeMap<String, (usize, usize)> {
        let mut map = BTreeMap::new();
        for (w, c) in side.iter().enumerate() {
            for (i, v) in c.views.iter().enumerate() {
                map.entry(v.key.clone()).or_insert((w, i));
            }
        }
        map
    };
    // A view's diagram is the one at its index (`Compiled::diagrams`):
    // looked up, not searched for, so a model of many views stays linear.
    // Compared by fingerprint: the one the run kept (`diff`), else the text's.
    fn drawing(side: &[Compiled], (w, i): (usize, usize)) -> Option<u64> {
        let c = &side[w];
        c.diagrams
            .get(i)
            .filter(|g| g.key == c.views[i].key)
            .map(|g| {
                g.fingerprint
                    .unwrap_or_else(|| crate::pipeline::fingerprint(&g.text))
            })
    }
    let (oi, ni) = (index(old), index(new));
    let mut out = Vec::new();
    for (key, &at) in &ni {
        let Some(&was) = oi.get(key) else { continue };
        if drawing(old, was) == drawing(new, at) {
            continue;
        }
        let (oc, ov) = (&old[was.0], &old[was.0].views[was.1]);
        let (nc, nv) = (&new[at.0], &new[at.0].views[at.1]);
        let mut shows: BTreeSet<Shown> = BTreeSet::new();
        new_side(nc, nv, d, &mut shows);
        old_side(oc, ov, d, &mut shows);
        deployment(oc, ov, nc, nv, d, &mut shows);
        parts(oc, ov, nc, nv, d, &mut shows);
        out.push(AffectedView {
            key: key.clone(),
            kind: nv.kind(),
            title: nv.title.clone(),
            shows: shows.into_iter().collect(),
        });
    }
    out
}

/// The identifiers of the elements a view draws: boxes, frames, and frames
/// folded into one box.
fn drawn_elements<'c>(c: &'c Compiled, v: &View) -> HashSet<&'c str> {
    let folded = v.as_static().into_iter().flat_map(|s| {
        s.folds.iter().filter_map(|f| match f.frame {
            crate::view::fold::FrameId::Element(e) => Some(e),
            crate::view::fold::FrameId::Group(_) => None,
        })
    });
    let mut out: HashSet<&str> = v
        .nodes()
        .iter()
        .chain(v.boundaries())
        .copied()
        .chain(folded)
        .map(|e| c.model.element(e).path.as_str())
        .collect();
    if let Content::Deployment(dv) = &v.content {
        out.extend(
            dv.elements
                .iter()
                .map(|e| c.model.element(*e).path.as_str()),
        );
    }
    out
}

/// The model relationships a view's edges stand for: plain edges, edges to
/// folded frames and a flow's steps; a deployment view's edges carrying one.
pub(super) fn drawn_relationships(c: &Compiled, v: &View) -> Vec<RelId> {
    if let Content::Deployment(dv) = &v.content {
        let Some(env) = c.model.deployments.get(dv.env.index()) else {
            return Vec::new();
        };
        return dv
            .edges
            .iter()
            .filter_map(|e| env.relationships.get(e.rel?)?.from_model)
            .collect();
    }
    let Some(s) = v.as_static() else {
        return Vec::new();
    };
    let mut out: Vec<RelId> = s
        .edges
        .iter()
        .flat_map(|e| e.relationships.iter().copied())
        .chain(
            s.fold_edges
                .iter()
                .flat_map(|e| e.relationships.iter().copied()),
        )
        .collect();
    if let Content::Flow(f) = &v.content {
        out.extend(f.steps.iter().flat_map(|s| s.follows.iter().copied()));
    }
    out
}

/// The [`RelRef`] of a relationship of `c`.
pub(super) fn rel_ref(c: &Compiled, r: RelId) -> RelRef {
    let (a, b) = c.model.ends(r);
    let rel = c.model.relationship(r);
    RelRef {
        source: c.model.element(a).path.clone(),
        target: c.model.element(b).path.clone(),
        arrow: rel.arrow,
        label: rel.label.clone(),
    }
}

/// Added, changed and moved elements and relationships the new view draws.
fn new_side(c: &Compiled, v: &View, d: &ModelDiff, shows: &mut BTreeSet<Shown>) {
    let drawn = drawn_elements(c, v);
    let mut element = |change: Change, id: &String| {
        if drawn.contains(id.as_str()) {
            shows.insert(Shown {
                change,
                subject: Subject::Element(id.clone()),
            });
        }
    };
    d.added_elements
        .iter()
        .for_each(|e| element(Change::Added, &e.id));
    d.changed_elements
        .iter()
        .for_each(|e| element(Change::Changed, &e.id));
    d.moved_elements
        .iter()
        .for_each(|m| element(Change::Moved, &m.to));
    let rels: HashSet<RelRef> = drawn_relationships(c, v)
        .into_iter()
        .map(|r| rel_ref(c, r))
        .collect();
    let mut relationship = |change: Change, r: &RelRef| {
        if rels.contains(r) {
            shows.insert(Shown {
                change,
                subject: Subject::Relationship(r.clone()),
            });
        }
    };
    d.added_relationships
        .iter()
        .for_each(|r| relationship(Change::Added, r));
    d.changed_relationships
        .iter()
        .for_each(|r| relationship(Change::Changed, &r.rel));
}

/// Removed elements and relationships the old view drew.
fn old_side(c: &Compiled, v: &View, d: &ModelDiff, shows: &mut BTreeSet<Shown>) {
    let drawn = drawn_elements(c, v);
    for e in &d.removed_elements {
        if drawn.contains(e.id.as_str()) {
            shows.insert(Shown {
                change: Change::Removed,
                subject: Subject::Element(e.id.clone()),
            });
        }
    }
    for m in &d.moved_elements {
        if drawn.contains(m.from.as_str()) {
            shows.insert(Shown {
                change: Change::Moved,
                subject: Subject::Element(m.to.clone()),
            });
        }
    }
    // Old relationships are compared by their old ends, unmoved.
    let rels: HashSet<RelRef> = drawn_relationships(c, v)
        .into_iter()
        .map(|r| rel_ref(c, r))
        .collect();
    let moved_back: BTreeMap<&str, &str> = d
        .moved_elements
        .iter()
        .map(|m| (m.to.as_str(), m.from.as_str()))
        .collect();
    let unmove = |p: &String| {
        moved_back
            .get(p.as_str())
            .map_or(p.clone(), |s| s.to_string())
    };
    for r in &d.removed_relationships {
        let old_ref = RelRef {
            source: unmove(&r.source),
            target: unmove(&r.target),
            ..r.clone()
        };
        if rels.contains(&old_ref) {
            shows.insert(Shown {
                change: Change::Removed,
                subject: Subject::Relationship(r.clone()),
            });
        }
    }
}

/// Deployment items of the environment a deployment, CDN or mesh view
/// draws (an item's path starts with its environment's name): added and
/// changed on the new side, removed on the old.
fn deployment(
    oc: &Compiled,
    ov: &View,
    nc: &Compiled,
    nv: &View,
    d: &ModelDiff,
    shows: &mut BTreeSet<Shown>,
) {
    // The environment a deployment view draws, a CDN's origin is in, or a
    // mesh covers.
    let prefix = |c: &Compiled, v: &View| -> Option<String> {
        let env = match &v.content {
            Content::Deployment(dv) => dv.env,
            Content::Cdn(cv) => cv.origin.as_ref()?.env,
            Content::Mesh(mv) => c.model.mesh(mv.mesh).env,
            _ => return None,
        };
        c.model
            .deployments
            .get(env.index())
            .map(|env| format!("{}.", env.name))
    };
    let mut item = |change: Change, p: &String, within: &Option<String>| {
        if within.as_ref().is_some_and(|w| p.starts_with(w.as_str())) {
            shows.insert(Shown {
                change,
                subject: Subject::DeploymentItem(p.clone()),
            });
        }
    };
    let (was, is) = (prefix(oc, ov), prefix(nc, nv));
    d.added_deployment_items
        .iter()
        .for_each(|p| item(Change::Added, p, &is));
    d.changed_deployment_items
        .iter()
        .for_each(|e| item(Change::Changed, &e.id, &is));
    d.removed_deployment_items
        .iter()
        .for_each(|p| item(Change::Removed, p, &was));
}

/// The parts a view draws: a mesh view its mesh's, a CDN view its CDN's,
/// and a deployment, mesh or CDN view the relationships written in its
/// environment (added and changed on the new side, removed on the old).
fn parts(
    oc: &Compiled,
    ov: &View,
    nc: &Compiled,
    nv: &View,
    d: &ModelDiff,
    shows: &mut BTreeSet<Shown>,
) {
    // The key prefixes of the parts a view draws.
    let prefixes = |c: &Compiled, v: &View| -> Vec<String> {
        let m = &c.model;
        let (own, env) = match &v.content {
            Content::Deployment(dv) => (None, dv.env),
            Content::Mesh(mv) => {
                let x = m.mesh(mv.mesh);
                (Some(format!("mesh {}", x.name)), x.env)
            }
            Content::Cdn(cv) => {
                let x = m.cdn(cv.cdn);
                (Some(format!("cdn {}", x.name)), x.env)
            }
            _ => return Vec::new(),
        };
        let env = m.deployments.get(env.index()).map(|e| e.name.as_str());
        own.into_iter()
            .chain(env.map(|e| format!("deployment relationship {e}.")))
            .collect()
    };
    let within = |key: &str, prefixes: &[String]| {
        prefixes.iter().any(|p| {
            key.strip_prefix(p.as_str())
                .is_some_and(|rest| p.ends_with('.') || rest.is_empty() || rest.starts_with(' '))
        })
    };
    let (was, is) = (prefixes(oc, ov), prefixes(nc, nv));
    let mut part = |change: Change, key: &String, at: &[String]| {
        if within(key, at) {
            shows.insert(Shown {
                change,
                subject: Subject::Part(key.clone()),
            });
        }
    };
    d.added_parts
        .iter()
        .for_each(|k| part(Change::Added, k, &is));
    d.changed_parts
        .iter()
        .for_each(|e| part(Change::Changed, &e.id, &is));
    d.removed_parts
        .iter()
        .for_each(|k| part(Change::Removed, k, &was));
}
