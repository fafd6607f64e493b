//! Service-mesh view generator: a [`MeshView`] → [`FlowGraph`].
//!
//! In: the model, the view definition and the computed mesh view. Out: the
//! mesh's node (or environment) as a subgraph holding one pod subgraph per
//! service (app + sidecar proxy), the control plane and the ingress gateway;
//! callers outside; edges labelled with the mesh protocol and the control
//! plane's uses. Styles: apps as their element, proxies and the ingress as
//! `proxy`, control plane parts as `control`, themable by those names.
//!
//! Every box gets its key from one [`Keys`] per diagram and every edge names
//! the key its box was given: two control-plane parts of one id are two
//! boxes with their own edges, and a caller whose path reads like the mesh's
//! node never shares its key.

use std::collections::{HashMap, HashSet};

use super::c4::element_label;
use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame};
use super::keys::Keys;
use crate::model::deployment::DeplKind;
use crate::model::style::{Style, edge_style, element_style, named_style};
use crate::model::{ElementId, Model, Shape, ViewDef};
use crate::syntax::ast::Arrow;
use crate::view::mesh::MeshView;

fn two_lines(name: &str, detail: Option<&str>) -> String {
    let mut s = format!("<b>{}</b>", escape::label(name));
    if let Some(d) = detail {
        s.push_str("<br/>");
        s.push_str(&escape::label(d));
    }
    s
}

fn edge(from: String, to: String, arrow: Arrow, style: Style, label: Option<&str>) -> FlowEdge {
    FlowEdge {
        from,
        to,
        arrow,
        style,
        label: label.map(escape::label),
    }
}

/// The keys the boxes of one mesh diagram were given (see [`Keys`]).
struct Boxes {
    callers: HashMap<ElementId, String>,
    /// pod → (app, proxy)
    pods: HashMap<usize, (String, String)>,
    control: Vec<String>,
    ingress: Option<String>,
}

fn proxy_style(model: &Model) -> (Style, String) {
    let base = Style {
        fill: Some("#029E73".into()),
        stroke: Some("#016B4E".into()),
        color: Some("#fff".into()),
        ..Style::default()
    };
    named_style(model, base, "proxy", &["proxy"], &[])
}

fn control_style(model: &Model) -> (Style, String) {
    let base = Style {
        fill: Some("#CA9161".into()),
        stroke: Some("#8A6240".into()),
        color: Some("#000".into()),
        ..Style::default()
    };
    named_style(model, base, "control", &["control"], &[])
}

/// One pod per meshed instance: its app and its sidecar proxy.
fn pods(model: &Model, v: &MeshView, keys: &mut Keys, boxes: &mut Boxes) -> Vec<FlowItem> {
    let m = &model.meshes[v.mesh];
    let d = &model.deployments[m.env];
    let mut out = Vec::new();
    for &i in &v.pods {
        let it = &d.items[i];
        let DeplKind::Instance(e) = it.kind else {
            continue;
        };
        let el = model.element(e);
        let (style, class) = element_style(model, e);
        let (pstyle, pclass) = proxy_style(model);
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
                    label: two_lines(&it.name, Some(kind)),
                    shape: style.shape.unwrap_or(Shape::Box),
                    class,
                    style,
                },
                FlowItem::Node {
                    key: proxy,
                    label: two_lines(&m.sidecar, m.sidecar_description.as_deref()),
                    shape: Shape::Box,
                    class: pclass,
                    style: pstyle,
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
    let m = &model.meshes[v.mesh];
    let scope_key = format!("{}.{}", model.deployments[m.env].name, m.name);
    let mut out = Vec::new();
    if !m.control.is_empty() {
        let (cstyle, cclass) = control_style(model);
        let mut children = Vec::new();
        for c in &m.control {
            let key = keys.claim(format!("{scope_key}#control#{}", c.id));
            boxes.control.push(key.clone());
            children.push(FlowItem::Node {
                key,
                label: two_lines(&c.name, c.description.as_deref()),
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
        let (style, class) = named_style(
            model,
            Style {
                fill: Some("#DE8F05".into()),
                stroke: Some("#8F5C03".into()),
                color: Some("#000".into()),
                ..Style::default()
            },
            "ingress",
            &["ingress"],
            &[],
        );
        let key = keys.claim(format!("{scope_key}#ingress"));
        boxes.ingress = Some(key.clone());
        out.push(FlowItem::Node {
            key,
            label: two_lines(name, desc.as_deref()),
            shape: Shape::Box,
            class,
            style,
        });
    }
    out
}

/// The graph of a mesh view.
pub fn graph(model: &Model, def: &ViewDef, v: &MeshView) -> FlowGraph {
    let m = &model.meshes[v.mesh];
    let d = &model.deployments[m.env];
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
    }
}

/// (from, to, arrow, label) of an edge; an end that was not drawn drops it.
type Ends<'a> = (Option<String>, Option<String>, Arrow, Option<&'a str>);

/// Caller → ingress → proxy (or caller → proxy), proxy → proxy for the
/// calls, proxy ⇢ every control-plane part, proxy ↔ app.
fn edges(model: &Model, v: &MeshView, boxes: &Boxes) -> Vec<FlowEdge> {
    let m = &model.meshes[v.mesh];
    let plain = edge_style(model, Arrow::Sync, &[]);
    let dashed = edge_style(model, Arrow::Async, &[]);
    let app = |p: &usize| boxes.pods.get(p).map(|k| k.0.clone());
    let proxy = |p: &usize| boxes.pods.get(p).map(|k| k.1.clone());
    let mut ends: Vec<Ends> = Vec::new();
    for (caller, pod, label) in &v.entries {
        let from = boxes.callers.get(caller).cloned();
        match &boxes.ingress {
            Some(ingress) => {
                ends.push((from, Some(ingress.clone()), Arrow::Sync, label.as_deref()));
                ends.push((Some(ingress.clone()), proxy(pod), Arrow::Sync, None));
            }
            None => ends.push((from, proxy(pod), Arrow::Sync, label.as_deref())),
        }
    }
    for (a, b) in &v.calls {
        ends.push((proxy(a), proxy(b), Arrow::Sync, Some(&m.protocol)));
    }
    for (c, key) in m.control.iter().zip(&boxes.control) {
        for p in &v.pods {
            ends.push((proxy(p), Some(key.clone()), Arrow::Async, c.uses.as_deref()));
        }
    }
    for p in &v.pods {
        ends.push((proxy(p), app(p), Arrow::Both, None));
    }
    let mut edges = Vec::new();
    // Identical edges (two callers' relationships to one service) once.
    let mut seen = HashSet::new();
    for (from, to, arrow, label) in ends {
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        let style = if arrow == Arrow::Async {
            dashed.clone()
        } else {
            plain.clone()
        };
        let e = edge(from, to, arrow, style, label);
        if seen.insert((e.from.clone(), e.to.clone(), e.label.clone())) {
            edges.push(e);
        }
    }
    edges
}
