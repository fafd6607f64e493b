//! Highlighting by drawing: the change in a deployment, mesh or CDN view,
//! read off its two diagrams.
//!
//! In: the view's graph on the old side (if the view was there) and on the
//! new side. Out: the new graph, restyled: a box only the new graph has is
//! added (green), one whose label or shape changed is changed (yellow), and
//! boxes only the old graph had are drawn from it, dashed red; an edge only
//! the new graph has is added, one whose label changed between the same
//! boxes is changed, and one only the old graph had is drawn dashed red with
//! its old label. Boxes are matched by key (a deployment item's path, a
//! pod's, a CDN tier's), edges by ends, arrow and label, so what is
//! highlighted is exactly what the drawing changed. Linear in the size of
//! the two graphs (hash maps, one pass each).

use std::collections::{HashMap, HashSet};

use crate::emit::mermaid::flowchart::{FlowEdge, FlowGraph, FlowItem};
use crate::model::Shape;
use crate::model::palette;
use crate::model::style::Style;
use crate::syntax::ast::Arrow;

/// A box's look: its label and shape.
type Look<'g> = (&'g str, Shape);

/// Every box and frame of a graph by key, with its look (a frame's shape is
/// [`Shape::Box`]).
fn boxes<'g>(items: &'g [FlowItem], out: &mut HashMap<&'g str, (Look<'g>, &'g FlowItem)>) {
    for item in items {
        match item {
            FlowItem::Node {
                key, label, shape, ..
            } => {
                out.insert(key, ((label, *shape), item));
            }
            FlowItem::Subgraph {
                key,
                label,
                children,
                ..
            } => {
                out.insert(key, ((label, Shape::Box), item));
                boxes(children, out);
            }
        }
    }
}

fn mark(style: &mut Style, c: palette::Colours) {
    style.fill = Some(c.fill.into());
    style.stroke = Some(c.stroke.into());
    style.color = Some(c.text.into());
    style.stroke_width = Some("3px".into());
}

/// Restyles the boxes of the new graph: added green, changed yellow (frames
/// keep their look: their boxes inside say what changed).
fn mark_boxes(items: &mut [FlowItem], old: &HashMap<&str, (Look<'_>, &FlowItem)>) {
    for item in items {
        match item {
            FlowItem::Node {
                key,
                label,
                shape,
                class,
                style,
            } => match old.get(key.as_str()) {
                None => {
                    *class = "c4c_added".into();
                    mark(style, palette::ADDED);
                }
                Some(((l, s), _)) if *l != label.as_str() || s != shape => {
                    *class = "c4c_changed".into();
                    mark(style, palette::CHANGED);
                }
                Some(_) => {}
            },
            FlowItem::Subgraph { children, .. } => mark_boxes(children, old),
        }
    }
}

/// An edge's identity: (from, to, arrow).
type Ends<'g> = (&'g str, &'g str, Arrow);

/// `new` restyled against `old` (see the module documentation); `None` for
/// an added view: nothing to compare with, drawn as it is.
pub(super) fn highlight(old: Option<&FlowGraph>, new: &mut FlowGraph) {
    let Some(old) = old else {
        return;
    };
    let mut old_boxes = HashMap::new();
    boxes(&old.items, &mut old_boxes);
    let mut new_keys: HashSet<String> = HashSet::new();
    {
        let mut nb = HashMap::new();
        boxes(&new.items, &mut nb);
        new_keys.extend(nb.keys().map(|k| k.to_string()));
    }
    mark_boxes(&mut new.items, &old_boxes);
    // Boxes only the old graph had, in its order, drawn loose (their frame
    // may be gone too).
    let red = super::report::removed_style();
    let mut gone = Vec::new();
    removed_boxes(&old.items, &new_keys, &red, &mut gone);
    for item in &gone {
        if let FlowItem::Node { key, .. } = item {
            new_keys.insert(key.clone());
        }
    }
    new.items.extend(gone);
    highlight_edges(old, new, &new_keys);
}

/// The boxes and frames of `items` the new graph lacks, as red boxes.
fn removed_boxes(items: &[FlowItem], have: &HashSet<String>, red: &Style, out: &mut Vec<FlowItem>) {
    for item in items {
        let (key, label, shape) = match item {
            FlowItem::Node {
                key, label, shape, ..
            } => (key, label, *shape),
            FlowItem::Subgraph {
                key,
                label,
                children,
                ..
            } => {
                removed_boxes(children, have, red, out);
                (key, label, Shape::Box)
            }
        };
        if !have.contains(key) {
            out.push(FlowItem::Node {
                key: key.clone(),
                label: format!("{label}<br/>[removed]"),
                shape,
                class: "c4c_removed".into(),
                style: red.clone(),
            });
        }
    }
}

/// Edges: added green, relabelled yellow, and the old graph's edges the new
/// one lacks appended dashed red (when both their ends are drawn).
fn highlight_edges(old: &FlowGraph, new: &mut FlowGraph, drawn: &HashSet<String>) {
    // Old edges by ends, each with its labels (several edges may join two boxes).
    let mut was: HashMap<Ends<'_>, Vec<Option<&str>>> = HashMap::new();
    for e in &old.edges {
        was.entry((e.from.as_str(), e.to.as_str(), e.arrow))
            .or_default()
            .push(e.label.as_deref());
    }
    let mut relabelled = Vec::new();
    for (i, e) in new.edges.iter().enumerate() {
        let Some(labels) = was.get_mut(&(e.from.as_str(), e.to.as_str(), e.arrow)) else {
            relabelled.push((i, palette::ADDED));
            continue;
        };
        if let Some(at) = labels.iter().position(|l| *l == e.label.as_deref()) {
            labels.swap_remove(at);
        } else if labels.pop().is_some() {
            relabelled.push((i, palette::CHANGED));
        } else {
            relabelled.push((i, palette::ADDED));
        }
    }
    // What is left of the old edges: removed.
    let mut removed: Vec<FlowEdge> = Vec::new();
    for e in &old.edges {
        let ends = (e.from.as_str(), e.to.as_str(), e.arrow);
        let Some(labels) = was.get_mut(&ends) else {
            continue;
        };
        let Some(at) = labels.iter().position(|l| *l == e.label.as_deref()) else {
            continue;
        };
        labels.swap_remove(at);
        if drawn.contains(&e.from) && drawn.contains(&e.to) {
            removed.push(FlowEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                arrow: e.arrow,
                style: Style {
                    stroke: Some(palette::REMOVED.stroke.into()),
                    color: Some(palette::REMOVED.text.into()),
                    dashed: Some(true),
                    ..Style::default()
                },
                label: Some(match e.label.as_deref() {
                    Some(l) if !l.is_empty() => format!("removed: {l}"),
                    _ => "removed".into(),
                }),
            });
        }
    }
    for (i, c) in relabelled {
        if let Some(e) = new.edges.get_mut(i) {
            e.style.stroke = Some(c.stroke.into());
            e.style.stroke_width = Some("3px".into());
        }
    }
    new.edges.extend(removed);
}
