//! CDN view generator: a CDN declaration → [`FlowGraph`], computed.
//!
//! In: the model, the view definition and the CDN (by index). Out: the users
//! (one per region) in their group; one subgraph per tier with a POP per
//! region labelled with the tier's facts (technology, `Cache: …`, `TTL: …`);
//! the origin node drawn from the deployment with its contents and edges;
//! note groups. Edges: user → first-tier POP (latency), each POP ⇢ the next
//! tier's POP of its region on a miss, last tier ⇢ the origin's entry, and
//! dashed links into notes.
//!
//! Every box gets its key from one [`Keys`] per diagram, and every edge names
//! the key its box was given: a tier called `users`, a note group named like
//! a tier, two tiers of one id, or a CDN named like its environment (its POP
//! keys then read like origin paths) draw distinct boxes with the right edges.

use super::deployment::{box_key, edges as deployment_edges, items as deployment_items};
use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame};
use super::keys::{Keys, Renamed};
use crate::model::cdn::{Cdn, CdnRef};
use crate::model::deployment::Deployment;
use crate::model::style::{Style, edge_style, named_style};
use crate::model::{Model, Shape, ViewDef};
use crate::syntax::ast::Arrow;
use crate::view::deployment::{BoxRef, subtree};

fn lines(name: &str, details: &[Option<String>]) -> String {
    let mut s = format!("<b>{}</b>", escape::label(name));
    for d in details.iter().flatten() {
        s.push_str("<br/>");
        s.push_str(&escape::label(d));
    }
    s
}

fn styled(model: &Model, fill: &str, stroke: &str, color: &str, class: &str) -> (Style, String) {
    let base = Style {
        fill: Some(fill.into()),
        stroke: Some(stroke.into()),
        color: Some(color.into()),
        ..Style::default()
    };
    named_style(model, base, class, &[class], &[])
}

/// The keys the boxes of one CDN diagram were given (see [`Keys`]): the
/// users by region, the POPs by tier and region (`None`: the region has no
/// POP in that tier, an error), the notes by group, and the origin's renames.
struct Boxes {
    users: Vec<String>,
    pops: Vec<Vec<Option<String>>>,
    notes: Vec<Vec<String>>,
    origin: Renamed,
}

impl Boxes {
    fn pop(&self, t: usize, r: usize) -> Option<String> {
        self.pops.get(t)?.get(r)?.clone()
    }

    /// The box of an origin item (its first copy, when expanded).
    fn origin_item(&self, model: &Model, d: &Deployment, i: usize) -> String {
        let copy = if d.items[i].expand.is_some() { 1 } else { 0 };
        self.origin.key(box_key(d, model, BoxRef::Item(i, copy)))
    }
}

/// The users' group: one user per region.
fn users(model: &Model, cdn: &Cdn, keys: &mut Keys, items: &mut Vec<FlowItem>) -> Vec<String> {
    let (ustyle, uclass) = styled(model, "#CC78BC", "#8E4F82", "#000", "user");
    let mut out = Vec::new();
    let children = cdn
        .regions
        .iter()
        .map(|region| {
            let key = keys.claim(format!("{}.users.{}", cdn.name, region.id));
            out.push(key.clone());
            FlowItem::Node {
                key,
                label: lines(&region.user, &[]),
                shape: Shape::Person,
                class: uclass.clone(),
                style: ustyle.clone(),
            }
        })
        .collect();
    items.push(FlowItem::Subgraph {
        key: format!("{}.users", cdn.name),
        label: escape::nonempty_label(&cdn.users),
        frame: Frame::Group,
        children,
    });
    out
}

/// One group per tier holding its POP of every region.
fn tiers(
    model: &Model,
    cdn: &Cdn,
    keys: &mut Keys,
    items: &mut Vec<FlowItem>,
) -> Vec<Vec<Option<String>>> {
    let (pstyle, pclass) = styled(model, "#029E73", "#016B4E", "#fff", "pop");
    let mut pops = Vec::new();
    for tier in &cdn.tiers {
        let details = [
            tier.technology.clone(),
            tier.description.clone(),
            tier.cache.as_ref().map(|c| format!("Cache: {c}")),
            tier.ttl.as_ref().map(|x| format!("TTL: {x}")),
        ];
        let mut row = Vec::new();
        let mut children = Vec::new();
        for region in &cdn.regions {
            let Some(loc) = region.pops.get(&tier.id) else {
                row.push(None);
                continue;
            };
            let key = keys.claim(format!("{}.{}.{}", cdn.name, tier.id, region.id));
            row.push(Some(key.clone()));
            children.push(FlowItem::Node {
                key,
                label: lines(&format!("{} - {loc}", tier.pop), &details),
                shape: Shape::Box,
                class: pclass.clone(),
                style: pstyle.clone(),
            });
        }
        pops.push(row);
        items.push(FlowItem::Subgraph {
            key: format!("{}.{}", cdn.name, tier.id),
            label: escape::nonempty_label(&tier.title),
            frame: Frame::Group,
            children,
        });
    }
    pops
}

/// One group per `notes` block.
fn notes(model: &Model, cdn: &Cdn, keys: &mut Keys, items: &mut Vec<FlowItem>) -> Vec<Vec<String>> {
    let (nstyle, nclass) = styled(model, "#F5F5F5", "#999999", "#000", "note");
    let mut out = Vec::new();
    for g in &cdn.notes {
        let mut group = Vec::new();
        let children = g
            .notes
            .iter()
            .map(|n| {
                let key = keys.claim(format!("{}.{}.{}", cdn.name, g.id, n.id));
                group.push(key.clone());
                FlowItem::Node {
                    key,
                    label: lines(&n.name, std::slice::from_ref(&n.details)),
                    shape: Shape::Box,
                    class: nclass.clone(),
                    style: nstyle.clone(),
                }
            })
            .collect();
        out.push(group);
        items.push(FlowItem::Subgraph {
            key: format!("{}.{}", cdn.name, g.id),
            label: escape::nonempty_label(&g.title),
            frame: Frame::Group,
            children,
        });
    }
    out
}

/// The graph of a CDN view; `None` for an unknown CDN.
pub fn graph(model: &Model, def: &ViewDef, index: usize) -> Option<FlowGraph> {
    let cdn = model.cdns.get(index)?;
    let d = model.deployments.get(cdn.env)?;
    // Keys are claimed in the order the boxes are drawn, so a box keeps the
    // id it had when it shares no key with one drawn before it.
    let mut keys = Keys::new();
    let mut items = Vec::new();
    let users = users(model, cdn, &mut keys, &mut items);
    let pops = tiers(model, cdn, &mut keys, &mut items);
    let origin_view = cdn.origin.and_then(|o| subtree(model, cdn.env, o));
    let mut origin = Renamed::default();
    if let (Some(o), Some(ov)) = (cdn.origin, &origin_view) {
        let mut drawn = deployment_items(model, d, ov, &[o]);
        origin = keys.rekey(&mut drawn);
        items.extend(drawn);
    }
    let notes = notes(model, cdn, &mut keys, &mut items);
    let boxes = Boxes {
        users,
        pops,
        notes,
        origin,
    };
    let mut edges = cdn_edges(model, cdn, d, &boxes);
    if let Some(ov) = &origin_view {
        edges.extend(
            deployment_edges(model, d, ov)
                .into_iter()
                .map(|e| FlowEdge {
                    from: boxes.origin.key(e.from),
                    to: boxes.origin.key(e.to),
                    ..e
                }),
        );
    }
    edges.extend(note_edges(model, cdn, d, &boxes));
    Some(FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges,
    })
}

/// User → first-tier POP, and on a miss each POP ⇢ the next tier's POP of
/// its region, the last tier ⇢ the origin's entry.
fn cdn_edges(model: &Model, cdn: &Cdn, d: &Deployment, boxes: &Boxes) -> Vec<FlowEdge> {
    let plain = edge_style(model, Arrow::Sync, &[]);
    let dashed = edge_style(model, Arrow::Async, &[]);
    let entry = cdn.entry.map(|e| boxes.origin_item(model, d, e));
    let mut edges = Vec::new();
    for (r, user) in boxes.users.iter().enumerate() {
        if let Some(to) = boxes.pop(0, r) {
            edges.push(FlowEdge {
                from: user.clone(),
                to,
                arrow: Arrow::Sync,
                style: plain.clone(),
                label: label(cdn.latency.as_deref()),
            });
        }
    }
    for (t, tier) in cdn.tiers.iter().enumerate() {
        let miss = tier.miss.as_ref().map(|m| format!("Cache miss ({m})"));
        for r in 0..cdn.regions.len() {
            let to = if t + 1 < cdn.tiers.len() {
                boxes.pop(t + 1, r)
            } else {
                entry.clone()
            };
            if let (Some(from), Some(to)) = (boxes.pop(t, r), to) {
                edges.push(FlowEdge {
                    from,
                    to,
                    arrow: Arrow::Async,
                    style: dashed.clone(),
                    label: label(miss.as_deref()),
                });
            }
        }
    }
    edges
}

/// Dashed links into notes from the POPs, users and origin items they name.
fn note_edges(model: &Model, cdn: &Cdn, d: &Deployment, boxes: &Boxes) -> Vec<FlowEdge> {
    let dashed = edge_style(model, Arrow::Async, &[]);
    let mut edges = Vec::new();
    for (g, group) in cdn.notes.iter().enumerate() {
        for (n, note) in group.notes.iter().enumerate() {
            let Some(to) = boxes.notes.get(g).and_then(|keys| keys.get(n)) else {
                continue;
            };
            for link in &note.from {
                let from = match link.target {
                    Some(CdnRef::Pop(t, r)) => boxes.pop(t, r),
                    Some(CdnRef::User(r)) => boxes.users.get(r).cloned(),
                    Some(CdnRef::Origin(i)) => Some(boxes.origin_item(model, d, i)),
                    None => None,
                };
                let Some(from) = from else { continue };
                edges.push(FlowEdge {
                    from,
                    to: to.clone(),
                    arrow: Arrow::Async,
                    style: dashed.clone(),
                    label: label(link.label.as_deref()),
                });
            }
        }
    }
    edges
}

fn label(s: Option<&str>) -> Option<String> {
    s.map(escape::label)
}
