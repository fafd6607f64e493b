//! CDN view generator: a CDN declaration → [`FlowGraph`], computed.
//!
//! In: the model, the view definition and the CDN (by index). Out: the users
//! (one per region) in their group; one subgraph per tier with a POP per
//! region labelled with the tier's facts (technology, `Cache: …`, `TTL: …`);
//! the origin node drawn from the deployment with its contents and edges;
//! note groups. Edges: user → first-tier POP (latency), each POP ⇢ the next
//! tier's POP of its region on a miss, last tier ⇢ the origin's entry, and
//! dashed links into notes.

use super::deployment::{box_key, edges as deployment_edges, items as deployment_items};
use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame};
use crate::model::cdn::{Cdn, CdnRef, resolve_ref};
use crate::model::style::{Style, edge_style, named_style};
use crate::model::{Model, Shape, ViewDef};
use crate::syntax::ast::Arrow;
use crate::view::deployment::{BoxRef, subtree};

fn pop_key(cdn: &Cdn, t: usize, r: usize) -> String {
    format!("{}.{}.{}", cdn.name, cdn.tiers[t].id, cdn.regions[r].id)
}

fn user_key(cdn: &Cdn, r: usize) -> String {
    format!("{}.users.{}", cdn.name, cdn.regions[r].id)
}

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

/// The graph of a CDN view; `None` for an unknown CDN.
pub fn graph(model: &Model, def: &ViewDef, index: usize) -> Option<FlowGraph> {
    let cdn = model.cdns.get(index)?;
    let d = model.deployments.get(cdn.env)?;
    let mut items = Vec::new();
    let (ustyle, uclass) = styled(model, "#CC78BC", "#8E4F82", "#000", "user");
    items.push(FlowItem::Subgraph {
        key: format!("{}.users", cdn.name),
        label: escape::nonempty_label(&cdn.users),
        frame: Frame::Group,
        children: (0..cdn.regions.len())
            .map(|r| FlowItem::Node {
                key: user_key(cdn, r),
                label: lines(&cdn.regions[r].user, &[]),
                shape: Shape::Person,
                class: uclass.clone(),
                style: ustyle.clone(),
            })
            .collect(),
    });
    let (pstyle, pclass) = styled(model, "#029E73", "#016B4E", "#fff", "pop");
    for (t, tier) in cdn.tiers.iter().enumerate() {
        let details = [
            tier.technology.clone(),
            tier.description.clone(),
            tier.cache.as_ref().map(|c| format!("Cache: {c}")),
            tier.ttl.as_ref().map(|x| format!("TTL: {x}")),
        ];
        items.push(FlowItem::Subgraph {
            key: format!("{}.{}", cdn.name, tier.id),
            label: escape::nonempty_label(&tier.title),
            frame: Frame::Group,
            children: cdn
                .regions
                .iter()
                .enumerate()
                .filter_map(|(r, region)| {
                    let loc = region.pops.get(&tier.id)?;
                    Some(FlowItem::Node {
                        key: pop_key(cdn, t, r),
                        label: lines(&format!("{} - {loc}", tier.pop), &details),
                        shape: Shape::Box,
                        class: pclass.clone(),
                        style: pstyle.clone(),
                    })
                })
                .collect(),
        });
    }
    let origin_view = cdn.origin.and_then(|o| subtree(model, cdn.env, o));
    if let (Some(o), Some(ov)) = (cdn.origin, &origin_view) {
        items.extend(deployment_items(model, d, ov, &[o]));
    }
    let (nstyle, nclass) = styled(model, "#F5F5F5", "#999999", "#000", "note");
    for g in &cdn.notes {
        items.push(FlowItem::Subgraph {
            key: format!("{}.{}", cdn.name, g.id),
            label: escape::nonempty_label(&g.title),
            frame: Frame::Group,
            children: g
                .notes
                .iter()
                .map(|n| FlowItem::Node {
                    key: format!("{}.{}.{}", cdn.name, g.id, n.id),
                    label: lines(&n.name, std::slice::from_ref(&n.details)),
                    shape: Shape::Box,
                    class: nclass.clone(),
                    style: nstyle.clone(),
                })
                .collect(),
        });
    }

    let plain = edge_style(model, Arrow::Sync, &[]);
    let dashed = edge_style(model, Arrow::Async, &[]);
    let label = |s: Option<String>| s.map(|s| escape::label(&s));
    let mut edges = Vec::new();
    let entry_key = cdn.entry.map(|e| {
        box_key(
            d,
            model,
            BoxRef::Item(e, if d.items[e].expand.is_some() { 1 } else { 0 }),
        )
    });
    for r in 0..cdn.regions.len() {
        if !cdn.tiers.is_empty() {
            edges.push(FlowEdge {
                from: user_key(cdn, r),
                to: pop_key(cdn, 0, r),
                arrow: Arrow::Sync,
                style: plain.clone(),
                label: label(cdn.latency.clone()),
            });
        }
    }
    for t in 0..cdn.tiers.len() {
        let miss = label(
            cdn.tiers[t]
                .miss
                .as_ref()
                .map(|m| format!("Cache miss ({m})")),
        );
        for r in 0..cdn.regions.len() {
            let to = if t + 1 < cdn.tiers.len() {
                Some(pop_key(cdn, t + 1, r))
            } else {
                entry_key.clone()
            };
            if let Some(to) = to {
                edges.push(FlowEdge {
                    from: pop_key(cdn, t, r),
                    to,
                    arrow: Arrow::Async,
                    style: dashed.clone(),
                    label: miss.clone(),
                });
            }
        }
    }
    if let Some(ov) = &origin_view {
        edges.extend(deployment_edges(model, d, ov));
    }
    for g in &cdn.notes {
        for n in &g.notes {
            for (r, l, _) in &n.from {
                let from = match resolve_ref(cdn, d, r) {
                    Some(CdnRef::Pop(t, g)) => pop_key(cdn, t, g),
                    Some(CdnRef::User(g)) => user_key(cdn, g),
                    Some(CdnRef::Origin(i)) => box_key(
                        d,
                        model,
                        BoxRef::Item(i, if d.items[i].expand.is_some() { 1 } else { 0 }),
                    ),
                    None => continue,
                };
                edges.push(FlowEdge {
                    from,
                    to: format!("{}.{}.{}", cdn.name, g.id, n.id),
                    arrow: Arrow::Async,
                    style: dashed.clone(),
                    label: label(l.clone()),
                });
            }
        }
    }
    Some(FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges,
    })
}
