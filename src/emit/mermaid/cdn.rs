//! CDN view generator: a computed [`CdnView`] → [`FlowGraph`].
//!
//! In: the model and the computed CDN view. Out: the users (one per region)
//! in their group; one subgraph per tier with its POP of every region (the
//! labels the view computed); the origin node drawn from the deployment with
//! its contents and edges; note groups; the view's edges and note links.
//! Users, POPs, notes and the request and miss edges are styled, and users
//! and notes labelled, by the theme's parts of those names under the user's
//! rules (`model::style::box_style`).
//!
//! Every box gets its key from one [`Keys`] per diagram, and every edge names
//! the key its box was given: a tier called `users`, a note group named like
//! a tier, two tiers of one id, or a CDN named like its environment (its POP
//! keys then read like origin paths) draw distinct boxes with the right edges.

use super::deployment::{box_key, edges as deployment_edges, items as deployment_items};
use super::escape;
use super::flowchart::{ArrowStyles, FlowEdge, FlowGraph, FlowItem, Frame, box_label, lines_label};
use super::keys::{Keys, Renamed};
use crate::model::cdn::Cdn;
use crate::model::deployment::Deployment;
use crate::model::style::{box_style, label_lines, line_style};
use crate::model::theme::ViewPart;
use crate::model::{Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::View;
use crate::view::cdn::{CdnBox, CdnEdge, CdnView};

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
    /// The key of a box; `None` when it was not drawn.
    fn key(&self, model: &Model, d: &Deployment, b: CdnBox) -> Option<String> {
        match b {
            CdnBox::User(r) => self.users.get(r).cloned(),
            CdnBox::Pop(t, r) => self.pops.get(t)?.get(r)?.clone(),
            CdnBox::Note(g, n) => self.notes.get(g)?.get(n).cloned(),
            // An origin box keeps the key it has, drawn or not (an edge to
            // a key no box has is not written).
            CdnBox::Origin(b) => Some(self.origin.key(box_key(d, model, b))),
        }
    }
}

/// The users' group: one user per region.
fn users(model: &Model, cdn: &Cdn, keys: &mut Keys, items: &mut Vec<FlowItem>) -> Vec<String> {
    let (ustyle, uclass) = box_style(model, ViewPart::User, &[]);
    let mut out = Vec::new();
    let children = cdn
        .regions
        .iter()
        .map(|region| {
            let key = keys.claim(format!("{}.users.{}", cdn.name, region.id));
            out.push(key.clone());
            FlowItem::Node {
                key,
                label: lines_label(&label_lines(
                    &ustyle,
                    ViewPart::User,
                    &[Some(&region.user), Some(&region.id)],
                )),
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
    v: &CdnView,
    keys: &mut Keys,
    items: &mut Vec<FlowItem>,
) -> Vec<Vec<Option<String>>> {
    let (pstyle, pclass) = box_style(model, ViewPart::Pop, &[]);
    let mut pops = Vec::new();
    for (tier, labels) in cdn.tiers.iter().zip(&v.pops) {
        let mut row = Vec::new();
        let mut children = Vec::new();
        for (region, label) in cdn.regions.iter().zip(labels) {
            let Some(label) = label else {
                row.push(None);
                continue;
            };
            let key = keys.claim(format!("{}.{}.{}", cdn.name, tier.id, region.id));
            row.push(Some(key.clone()));
            children.push(FlowItem::Node {
                key,
                label: box_label(&label.name, label.details.iter().map(String::as_str)),
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
    let (nstyle, nclass) = box_style(model, ViewPart::Note, &[]);
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
                    label: lines_label(&label_lines(
                        &nstyle,
                        ViewPart::Note,
                        &[Some(&n.name), n.details.as_deref()],
                    )),
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
pub fn graph(model: &Model, def: &View, v: &CdnView) -> Option<FlowGraph> {
    let cdn = model.cdns.get(v.cdn.index())?;
    let d = model.deployments.get(cdn.env.index())?;
    // Keys are claimed in the order the boxes are drawn, so a box keeps the
    // id it had when it shares no key with one drawn before it.
    let mut keys = Keys::new();
    let mut items = Vec::new();
    let users = users(model, cdn, &mut keys, &mut items);
    let pops = tiers(model, cdn, v, &mut keys, &mut items);
    let mut origin = Renamed::default();
    if let (Some(o), Some(ov)) = (cdn.origin, &v.origin) {
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
    // User → POP is a request, POP ⇢ the next tier a miss.
    let cdn_lines = ArrowStyles::of(
        line_style(model, ViewPart::Request, Arrow::Sync),
        line_style(model, ViewPart::Miss, Arrow::Async),
    );
    let mut edges = cdn_edges(model, d, &boxes, &v.edges, &cdn_lines);
    if let Some(ov) = &v.origin {
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
    let styles = ArrowStyles::new(model);
    edges.extend(cdn_edges(model, d, &boxes, &v.links, &styles));
    Some(FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges,
        node_frame: Some(super::deployment::node_frame(model)),
    })
}

/// Edges between the keys their boxes were given, styled by their arrow.
fn cdn_edges(
    model: &Model,
    d: &Deployment,
    boxes: &Boxes,
    list: &[CdnEdge],
    styles: &ArrowStyles,
) -> Vec<FlowEdge> {
    list.iter()
        .filter_map(|e| {
            let (from, to) = (boxes.key(model, d, e.from)?, boxes.key(model, d, e.to)?);
            Some(styles.edge(from, to, e.arrow, e.label.as_deref()))
        })
        .collect()
}
