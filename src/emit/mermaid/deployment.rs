//! Deployment view generator: a [`DeploymentView`] → [`FlowGraph`].
//!
//! In: the model and the computed deployment view.
//! Out: nodes as nested subgraphs titled by the `node` label format
//! (`US-EAST Region [AWS] ×3` by default) or, when the view draws them as
//! boxes, as boxes labelled by the same format with what they hold beside
//! them (and `hosts` edges labelled by the theme), instances and infrastructure
//! nodes as boxes labelled C4-style (`[Container: EC2]`, replicas `×5`, role
//! and version), an expanded item as one box per replica, people and
//! systems beside them, a collapsed node as one box saying how many items it
//! holds (`[Node · 3 items]`), and the edges. Node frames and infrastructure nodes
//! take the theme's `node` and `infra` styles under the user's rules.

use super::c4::element_label;
use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame, lines_label};
use super::wrap;
use crate::model::deployment::{DeplItem, DeplKind, Deployment, NodeShape};
use crate::model::style::{
    Style, box_style, edge_style, element_style, label_lines, line_style, named_style, part_default,
};
use crate::model::theme::{ViewPart, substitute};
use crate::model::{BaseKind, Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::View;
use crate::view::deployment::{BoxRef, DeplEdge, DeploymentView, copies};

/// The key (and id base) of a box. A replica's key is `path#n`: `#` is in
/// no identifier, so it never names a sibling called `web_1` (its id is
/// still `…_web_1`, or `…_web_1_2` when the sibling came first).
pub(crate) fn box_key(d: &Deployment, model: &Model, b: BoxRef) -> String {
    match b {
        BoxRef::Item(i, 0) => d.items[i].path.clone(),
        BoxRef::Item(i, c) => format!("{}#{c}", d.items[i].path),
        BoxRef::Element(e) => model.element(e).path.clone(),
    }
}

fn item_label(model: &Model, it: &DeplItem, copy: u32) -> String {
    let (name, instance_line) = match (&it.expand, copy) {
        (Some(Some(template)), c) if c > 0 => (
            substitute(template, &[("name", &it.name), ("n", &c.to_string())]),
            None,
        ),
        (Some(None), c) if c > 0 => (it.name.clone(), Some(format!("Instance {c}"))),
        _ => (it.name.clone(), None),
    };
    let kind = match it.kind {
        DeplKind::Instance(e) => {
            let el = model.element(e);
            if el.base == BaseKind::Annotation {
                // Captioned by its kind (`[Note]`), as in every other view.
                model.type_label(e)
            } else {
                el.base.label(el.external).to_string()
            }
        }
        _ => "Infrastructure Node".to_string(),
    };
    let kind_line = match &it.technology {
        Some(t) => format!("{kind}: {t}"),
        None => kind,
    };
    let mut s = format!(
        "<b>{}</b><br/>[{}]",
        escape::label(&name),
        escape::label(&wrap::type_line(&kind_line))
    );
    if let Some(line) = instance_line {
        s.push_str("<br/>");
        s.push_str(&escape::label(&line));
    }
    if it.replicas > 1 && it.expand.is_none() {
        s.push_str(&format!("<br/>×{}", it.replicas));
    }
    for key in ["role", "version"] {
        if let Some(v) = it.properties.get(key) {
            s.push_str("<br/>");
            s.push_str(&escape::label(v));
        }
    }
    if let Some(desc) = description(model, it) {
        s.push_str("<br/><br/>");
        s.push_str(&escape::label(&wrap::words(desc, wrap::TEXT)));
    }
    s
}

/// What an item's box says about it: its own description, else (for an
/// instance) its element's.
fn description<'m>(model: &'m Model, it: &'m DeplItem) -> Option<&'m str> {
    let own = it.description.as_deref();
    let element = match it.kind {
        DeplKind::Instance(e) => model.element(e).description.as_deref(),
        _ => None,
    };
    own.or(element).filter(|d| !d.trim().is_empty())
}

fn item_style(model: &Model, it: &DeplItem) -> (Style, String, Shape) {
    match it.kind {
        DeplKind::Instance(e) => {
            let (base, class) = element_style(model, e);
            let shape = base
                .shape
                .unwrap_or(Shape::default_for(model.element(e).base));
            let (style, class) = named_style(model, base, &class, &[], &it.tags);
            (style, class, shape)
        }
        _ => {
            let (style, class) = box_style(model, ViewPart::Infra, &it.tags);
            let shape = style.shape.unwrap_or(Shape::Box);
            (style, class, shape)
        }
    }
}

/// The lines of a node's `node` label format (by default `EU`,
/// `[AWS eu-west-1]`, `×3`), in `style`.
fn node_lines(style: &Style, it: &DeplItem) -> Vec<String> {
    let replicas = (it.replicas > 1).then(|| it.replicas.to_string());
    let values = [
        Some(it.name.as_str()),
        it.technology.as_deref(),
        replicas.as_deref(),
    ];
    label_lines(style, ViewPart::Node, &values)
}

/// A node frame's title: the `node` label format's lines on one line
/// (by default `EU [AWS eu-west-1] ×3`), and its description below.
fn node_title(model: &Model, it: &DeplItem) -> String {
    let style = box_style(model, ViewPart::Node, &[]).0;
    let mut s = escape::label(&node_lines(&style, it).join(" "));
    if let Some(desc) = description(model, it) {
        s.push_str("<br/>");
        s.push_str(&escape::label(desc));
    }
    s
}

/// A node drawn as a box: the `node` format's lines, the first in bold
/// (a collapsed node's: and `[Node · 3 items]`, what it holds), styled as `element node` and the node's tags (its class is `nodebox`,
/// apart from the frames' `node`).
fn node_box(model: &Model, d: &Deployment, i: usize, held: Option<usize>) -> FlowItem {
    let it = &d.items[i];
    let base = part_default(ViewPart::Node);
    let (style, class) = named_style(model, base, "nodebox", &["node"], &it.tags);
    let mut label = lines_label(&node_lines(&style, it));
    if let Some(n) = held {
        let items = if n == 1 { "item" } else { "items" };
        label.push_str(&format!("<br/>[Node · {n} {items}]"));
    }
    if let Some(desc) = description(model, it) {
        label.push_str("<br/><br/>");
        label.push_str(&escape::label(&wrap::words(desc, wrap::TEXT)));
    }
    let shape = match it.shape {
        Some(NodeShape::Box(own)) => own,
        _ => style.shape.unwrap_or(Shape::Box),
    };
    FlowItem::Node {
        key: box_key(d, model, BoxRef::Item(i, 0)),
        label,
        shape,
        class,
        style,
    }
}

/// How node frames look: the theme's `node`, under `element node` rules.
pub(crate) fn node_frame(model: &Model) -> Style {
    box_style(model, ViewPart::Node, &[]).0
}

pub(crate) fn items(
    model: &Model,
    d: &Deployment,
    v: &DeploymentView,
    list: &[usize],
) -> Vec<FlowItem> {
    let mut out = Vec::new();
    for &i in list {
        if !v.shows(i) {
            continue;
        }
        let it = &d.items[i];
        match it.kind {
            DeplKind::Node if v.boxes_node(i) => {
                let held = v
                    .collapsed
                    .binary_search_by_key(&i, |(c, _)| *c)
                    .ok()
                    .and_then(|k| v.collapsed.get(k))
                    .map(|(_, n)| *n);
                out.push(node_box(model, d, i, held));
                out.extend(items(model, d, v, &it.children));
            }
            DeplKind::Node => {
                out.push(FlowItem::Subgraph {
                    key: it.path.clone(),
                    label: node_title(model, it),
                    frame: Frame::Node,
                    children: items(model, d, v, &it.children),
                });
            }
            _ => {
                let (style, class, shape) = item_style(model, it);
                for c in copies(it) {
                    out.push(FlowItem::Node {
                        key: box_key(d, model, BoxRef::Item(i, c)),
                        label: item_label(model, it, c),
                        shape,
                        class: class.clone(),
                        style: style.clone(),
                    });
                }
            }
        }
    }
    out
}

/// A `hosts` edge's label: the theme's `hosts` format (by default `hosts`).
fn hosts_label(model: &Model, d: &Deployment, style: &Style, e: &DeplEdge) -> Option<String> {
    let name = |b: BoxRef| match b {
        BoxRef::Item(i, _) => d.items[i].name.as_str(),
        BoxRef::Element(x) => model.element(x).name.as_str(),
    };
    let lines = label_lines(
        style,
        ViewPart::Hosts,
        &[Some(name(e.source)), Some(name(e.target))],
    );
    let text: Vec<String> = lines.iter().map(|l| escape::label(l)).collect();
    (!text.is_empty()).then(|| text.join("<br/>"))
}

/// The edges of a deployment view.
pub(crate) fn edges(model: &Model, d: &Deployment, v: &DeploymentView) -> Vec<FlowEdge> {
    let hosts = v
        .edges
        .iter()
        .any(|e| e.hosts)
        .then(|| line_style(model, ViewPart::Hosts, Arrow::Sync));
    v.edges
        .iter()
        .map(|e| {
            if let (true, Some(style)) = (e.hosts, &hosts) {
                return FlowEdge {
                    from: box_key(d, model, e.source),
                    to: box_key(d, model, e.target),
                    arrow: e.arrow,
                    style: style.clone(),
                    label: hosts_label(model, d, style, e),
                };
            }
            let mut text = e
                .label
                .as_deref()
                .map(|l| escape::label(&wrap::words(l, wrap::EDGE)))
                .unwrap_or_default();
            if let Some(t) = &e.technology {
                if !text.is_empty() {
                    text.push_str("<br/>");
                }
                text.push_str(&format!("[{}]", escape::label(&wrap::technology(t))));
            }
            FlowEdge {
                from: box_key(d, model, e.source),
                to: box_key(d, model, e.target),
                arrow: e.arrow,
                style: edge_style(model, e.arrow, &e.tags),
                label: (!text.is_empty()).then_some(text),
            }
        })
        .collect()
}

/// The graph of a deployment view.
pub fn graph(model: &Model, def: &View, v: &DeploymentView) -> FlowGraph {
    let d = model.env(v.env);
    let mut all = Vec::new();
    for &e in &v.elements {
        let (style, class) = element_style(model, e);
        let shape = style
            .shape
            .unwrap_or(Shape::default_for(model.element(e).base));
        all.push(FlowItem::Node {
            key: model.element(e).path.clone(),
            label: element_label(model, e),
            shape,
            class,
            style,
        });
    }
    all.extend(items(model, d, v, &d.roots));
    let edges = edges(model, d, v);
    FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items: all,
        edges,
        node_frame: Some(node_frame(model)),
    }
}
