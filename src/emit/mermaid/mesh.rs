//! Service-mesh view generator: a [`MeshView`] → [`FlowGraph`].
//!
//! In: the model and the computed mesh view (its boxes and edges). Out: the
//! mesh's node (or environment) as a subgraph holding one pod subgraph per
//! service (app + sidecar proxy), the control plane and the ingress gateway;
//! callers outside; the view's edges. Styles and label formats: apps as
//! their element, proxies as `proxy`, control plane parts as `control`, the
//! ingress as `ingress` (the theme's, under the user's rules of those names).
//!
//! Every box gets its key from one [`Keys`] per diagram and every edge names
//! the key its box was given: two control-plane parts of one id are two
//! boxes with their own edges, and a caller whose path reads like the mesh's
//! node never shares its key.

use std::collections::HashMap;

use super::c4::element_label;
use super::escape;
use super::flowchart::{ArrowStyles, FlowEdge, FlowGraph, FlowItem, Frame, box_label, lines_label};
use super::keys::Keys;
use crate::model::deployment::DeplKind;
use crate::model::style::{box_style, element_style, label_lines, line_style};
use crate::model::theme::ViewPart;
use crate::model::{ElementId, Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::View;
use crate::view::mesh::{MeshBox, MeshView};

/// The keys the boxes of one mesh diagram were given (see [`Keys`]).
struct Boxes {
    callers: HashMap<ElementId, String>,
    /// pod → (app, proxy)
    pods: HashMap<usize, (String, String)>,
    control: Vec<String>,
    ingress: Option<String>,
}

/// One pod per meshed instance: its app and its sidecar proxy.
fn pods(model: &Model, v: &MeshView, keys: &mut Keys, boxes: &mut Boxes) -> Vec<FlowItem> {
    let m = model.mesh(v.mesh);
    let d = model.env(m.env);
    let (pstyle, pclass) = box_style(model, ViewPart::Proxy, &[]);
    let mut out = Vec::new();
    for &i in &v.pods {
        let it = &d.items[i];
        let DeplKind::Instance(e) = it.kind else {
            continue;
        };
        let el = model.element(e);
        let (style, class) = element_style(model, e);
        let kind = el.base.label(el.external);
        // `#` is in no identifier: these keys name no deployment item or
        // element (and the ids are as readable: `#` and `.` both become `_`).
        let app = keys.claim(format!("{}#app", it.path));
        let proxy = keys.claim(format!("{}#proxy", it.path));
        boxes.pods.insert(i, (app.clone(), proxy.clone()));
        out.push(FlowItem::Subgraph {
            key: format!("{}#pod", it.path),
            label: escape::nonempty_label(&m.pod.replace("{name}", &el.name)),
            frame: Frame::Group,
            children: vec![
                FlowItem::Node {
                    key: app,
                    label: box_label(&it.name, Some(kind)),
                    shape: style.shape.unwrap_or(Shape::Box),
                    class,
                    style,
                },
                FlowItem::Node {
                    key: proxy,
                    label: lines_label(&label_lines(
                        &pstyle,
                        ViewPart::Proxy,
                        &[
                            Some(&m.sidecar),
                            m.sidecar_description.as_deref(),
                            Some(&el.name),
                        ],
                    )),
                    shape: Shape::Box,
                    class: pclass.clone(),
                    style: pstyle.clone(),
                },
            ],
        });
    }
    out
}

/// The control plane's group and the ingress gateway.
fn control_and_ingress(
    model: &Model,
    v: &MeshView,
    keys: &mut Keys,
    boxes: &mut Boxes,
) -> Vec<FlowItem> {
    let m = model.mesh(v.mesh);
    let scope_key = format!("{}.{}", model.env(m.env).name, m.name);
    let mut out = Vec::new();
    if !m.control.is_empty() {
        let (cstyle, cclass) = box_style(model, ViewPart::Control, &[]);
        let mut children = Vec::new();
        for c in &m.control {
            let key = keys.claim(format!("{scope_key}#control#{}", c.id));
            boxes.control.push(key.clone());
            children.push(FlowItem::Node {
                key,
                label: lines_label(&label_lines(
                    &cstyle,
                    ViewPart::Control,
                    &[Some(&c.name), c.description.as_deref()],
                )),
                shape: Shape::Box,
                class: cclass.clone(),
                style: cstyle.clone(),
            });
        }
        out.push(FlowItem::Subgraph {
            key: format!("{scope_key}#control"),
            label: escape::nonempty_label(&m.control_title),
            frame: Frame::Group,
            children,
        });
    }
    if let Some((name, desc)) = &m.ingress {
        let (style, class) = box_style(model, ViewPart::Ingress, &[]);
        let key = keys.claim(format!("{scope_key}#ingress"));
        boxes.ingress = Some(key.clone());
        out.push(FlowItem::Node {
            key,
            label: lines_label(&label_lines(
                &style,
                ViewPart::Ingress,
                &[Some(name), desc.as_deref()],
            )),
            shape: Shape::Box,
            class,
            style,
        });
    }
    out
}

/// The graph of a mesh view.
pub fn graph(model: &Model, def: &View, v: &MeshView) -> FlowGraph {
    let m = model.mesh(v.mesh);
    let d = model.env(m.env);
    // Keys are claimed in the order the boxes are drawn, so a box keeps the
    // id it had when it shares no key with one drawn before it.
    let mut keys = Keys::new();
    let mut boxes = Boxes {
        callers: HashMap::new(),
        pods: HashMap::new(),
        control: Vec::new(),
        ingress: None,
    };
    let mut items = Vec::new();
    for &c in &v.callers {
        let (style, class) = element_style(model, c);
        let key = keys.claim(model.element(c).path.clone());
        boxes.callers.insert(c, key.clone());
        items.push(FlowItem::Node {
            key,
            label: element_label(model, c),
            shape: style
                .shape
                .unwrap_or(Shape::default_for(model.element(c).base)),
            class,
            style,
        });
    }
    let node_key = m.node.map(|n| keys.claim(d.items[n].path.clone()));
    let mut inside = pods(model, v, &mut keys, &mut boxes);
    inside.extend(control_and_ingress(model, v, &mut keys, &mut boxes));
    match (m.node, node_key) {
        (Some(n), Some(key)) => items.push(FlowItem::Subgraph {
            key,
            label: escape::nonempty_label(&d.items[n].name),
            frame: Frame::Node,
            children: inside,
        }),
        _ => items.extend(inside),
    }
    FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges: edges(model, v, &boxes),
        node_frame: Some(super::deployment::node_frame(model)),
    }
}

/// The view's edges, between the keys their boxes were given; an end that
/// was not drawn drops its edge.
fn edges(model: &Model, v: &MeshView, boxes: &Boxes) -> Vec<FlowEdge> {
    let styles = ArrowStyles::new(model);
    let key = |b: MeshBox| -> Option<String> {
        match b {
            MeshBox::Caller(c) => boxes.callers.get(&c).cloned(),
            MeshBox::App(p) => boxes.pods.get(&p).map(|k| k.0.clone()),
            MeshBox::Proxy(p) => boxes.pods.get(&p).map(|k| k.1.clone()),
            MeshBox::Control(c) => boxes.control.get(c).cloned(),
            MeshBox::Ingress => boxes.ingress.clone(),
        }
    };
    // The derived edges' lines: the theme's, under `relationship NAME` rules.
    let mut lines: HashMap<(ViewPart, Arrow), crate::model::Style> = HashMap::new();
    v.edges
        .iter()
        .filter_map(|e| {
            let mut edge = styles.edge(key(e.from)?, key(e.to)?, e.arrow, e.label.as_deref());
            if let Some(part) = e.part {
                // Control-plane traffic is drawn dashed (as `~>`), whichever way it flows.
                let arrow = if part == ViewPart::ControlLink {
                    Arrow::Async
                } else {
                    e.arrow
                };
                edge.style = lines
                    .entry((part, arrow))
                    .or_insert_with(|| line_style(model, part, arrow))
                    .clone();
            }
            Some(edge)
        })
        .collect()
}
