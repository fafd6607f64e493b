//! The parts of a model that are neither elements, model relationships nor
//! deployment items, compared by name: relationships written in a
//! deployment, service meshes (and their control-plane parts) and CDNs
//! (and their tiers, regions and notes).
//!
//! In: the compiled models of both sides. Out: added, removed and changed
//! parts in [`ModelDiff`], each named by a readable key (`mesh istio
//! control pilot`, `cdn assets region asia`, `deployment relationship
//! prod.eu.lb -> prod.eu.web`) with its compared fields, so that removing a
//! CDN region or changing a mesh's protocol is a change like any other.

use std::collections::BTreeMap;

use super::{ElementChange, Fields, ModelDiff, field_changes, joined, opt};
use crate::model::Model;
use crate::model::cdn::Cdn;
use crate::model::deployment::{DeplEnd, Deployment};
use crate::model::mesh::{ControlFlow, Mesh};
use crate::pipeline::Compiled;

/// One part: its kind (`mesh`, `cdn region`, …) and compared fields.
type Part = (&'static str, Fields);

fn flow(f: ControlFlow) -> String {
    match f {
        ControlFlow::Pull => "pull",
        ControlFlow::Push => "push",
        ControlFlow::Both => "both",
    }
    .to_string()
}

/// The path of the item `i` of environment `d`, or empty.
fn item_path(d: &Deployment, i: Option<usize>) -> String {
    i.and_then(|i| d.items.get(i))
        .map(|it| it.path.clone())
        .unwrap_or_default()
}

/// Relationships written in a deployment (those carrying a model
/// relationship are compared as model relationships).
fn deployment_relationships(m: &Model, d: &Deployment, out: &mut BTreeMap<String, Part>) {
    let end = |e: &DeplEnd| match e {
        DeplEnd::Item { item, copy } => {
            let p = item_path(d, Some(*item));
            copy.map_or(p.clone(), |c| format!("{p}[{c}]"))
        }
        DeplEnd::Element(id) => m.element(*id).path.clone(),
    };
    for r in d.relationships.iter().filter(|r| r.from_model.is_none()) {
        let arrow = match r.arrow {
            crate::syntax::ast::Arrow::Sync => "->",
            crate::syntax::ast::Arrow::Async => "~>",
            crate::syntax::ast::Arrow::Both => "<->",
        };
        let mut key = format!(
            "deployment relationship {} {arrow} {}",
            end(&r.source),
            end(&r.target)
        );
        if let Some(l) = &r.label {
            key.push_str(&format!(" \"{l}\""));
        }
        let fields = vec![
            ("technology", opt(&r.technology)),
            ("tags", r.tags.join(", ")),
            ("properties", joined(&r.properties)),
            ("url", opt(&r.url)),
        ];
        out.insert(key, ("deployment relationship", fields));
    }
}

fn mesh(m: &Model, mesh: &Mesh, out: &mut BTreeMap<String, Part>) {
    let env = m.env(mesh.env);
    let key = format!("mesh {}", mesh.name);
    let ingress = mesh.ingress.as_ref().map_or(String::new(), |(n, d)| {
        d.as_ref().map_or(n.clone(), |d| format!("{n}: {d}"))
    });
    let fields = vec![
        ("title", mesh.title.clone()),
        ("environment", env.name.clone()),
        ("node", item_path(env, mesh.node)),
        ("sidecar", mesh.sidecar.clone()),
        ("sidecar description", opt(&mesh.sidecar_description)),
        ("protocol", mesh.protocol.clone()),
        ("ingress", ingress),
        ("pod", mesh.pod.clone()),
        ("control", mesh.control_title.clone()),
        ("flow", flow(mesh.flow)),
    ];
    for part in &mesh.control {
        let fields = vec![
            ("name", part.name.clone()),
            ("description", opt(&part.description)),
            ("uses", opt(&part.uses)),
            ("flow", part.flow.map(flow).unwrap_or_default()),
        ];
        out.insert(
            format!("{key} control {}", part.id),
            ("mesh control", fields),
        );
    }
    out.insert(key, ("mesh", fields));
}

fn cdn(m: &Model, cdn: &Cdn, out: &mut BTreeMap<String, Part>) {
    let env = m.env(cdn.env);
    let key = format!("cdn {}", cdn.name);
    let fields = vec![
        ("title", cdn.title.clone()),
        ("environment", env.name.clone()),
        ("origin", item_path(env, cdn.origin)),
        ("entry", item_path(env, cdn.entry)),
        ("users", cdn.users.clone()),
        ("latency", opt(&cdn.latency)),
        (
            "tiers",
            cdn.tiers
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    for t in &cdn.tiers {
        let fields = vec![
            ("title", t.title.clone()),
            ("pop", t.pop.clone()),
            ("technology", opt(&t.technology)),
            ("description", opt(&t.description)),
            ("cache", opt(&t.cache)),
            ("ttl", opt(&t.ttl)),
            ("miss", opt(&t.miss)),
        ];
        out.insert(format!("{key} tier {}", t.id), ("cdn tier", fields));
    }
    for r in &cdn.regions {
        let fields = vec![("users", r.user.clone()), ("pops", joined(&r.pops))];
        out.insert(format!("{key} region {}", r.id), ("cdn region", fields));
    }
    for g in &cdn.notes {
        for n in &g.notes {
            let from = n
                .from
                .iter()
                .map(|l| match &l.label {
                    Some(label) => format!("{} \"{label}\"", l.reference),
                    None => l.reference.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let fields = vec![
                ("group", g.title.clone()),
                ("name", n.name.clone()),
                ("details", opt(&n.details)),
                ("from", from),
            ];
            out.insert(
                format!("{key} note {}.{}", g.id, n.id),
                ("cdn note", fields),
            );
        }
    }
    out.insert(key, ("cdn", fields));
}

/// Every part of a side by its key (the first root's when several roots
/// have one).
fn parts(side: &[Compiled]) -> BTreeMap<String, Part> {
    let mut out = BTreeMap::new();
    for c in side.iter().rev() {
        let m = &c.model;
        for d in &m.deployments {
            deployment_relationships(m, d, &mut out);
        }
        for x in &m.meshes {
            mesh(m, x, &mut out);
        }
        for x in &m.cdns {
            cdn(m, x, &mut out);
        }
    }
    out
}

/// Added, removed and changed parts into `d`.
pub(super) fn diff_parts(old: &[Compiled], new: &[Compiled], d: &mut ModelDiff) {
    let (op, np) = (parts(old), parts(new));
    for (key, (kind, f)) in &op {
        match np.get(key) {
            None => d.removed_parts.push(key.clone()),
            Some((_, g)) => {
                let changes = field_changes(f, g);
                if !changes.is_empty() {
                    d.changed_parts.push(ElementChange {
                        id: key.clone(),
                        kind: (*kind).to_string(),
                        name: key.clone(),
                        changes,
                    });
                }
            }
        }
    }
    d.added_parts
        .extend(np.keys().filter(|k| !op.contains_key(*k)).cloned());
}
