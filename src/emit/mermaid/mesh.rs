//! Service-mesh view generator: a [`MeshView`] → [`FlowGraph`].
//!
//! In: the model, the view definition and the computed mesh view. Out: the
//! mesh's node (or environment) as a subgraph holding one pod subgraph per
//! service (app + sidecar proxy), the control plane and the ingress gateway;
//! callers outside; edges labelled with the mesh protocol and the control
//! plane's uses. Styles: apps as their element, proxies and the ingress as
//! `proxy`, control plane parts as `control`, themable by those names.

use super::c4::element_label;
use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame};
use crate::model::deployment::DeplKind;
use crate::model::style::{Style, edge_style, element_style, named_style};
use crate::model::{Model, Shape, ViewDef};
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

/// The graph of a mesh view.
pub fn graph(model: &Model, def: &ViewDef, v: &MeshView) -> FlowGraph {
    let m = &model.meshes[v.mesh];
    let d = &model.deployments[m.env];
    let scope_key = format!("{}.{}", d.name, m.name);
    let proxy_style = || {
        let base = Style {
            fill: Some("#029E73".into()),
            stroke: Some("#016B4E".into()),
            color: Some("#fff".into()),
            ..Style::default()
        };
        named_style(model, base, "proxy", &["proxy"], &[])
    };
    let control_style = || {
        let base = Style {
            fill: Some("#CA9161".into()),
            stroke: Some("#8A6240".into()),
            color: Some("#000".into()),
            ..Style::default()
        };
        named_style(model, base, "control", &["control"], &[])
    };
    // Keys of the parts the mesh adds use `#`, which is in no identifier, so
    // they never name a deployment item or an element (ids are unchanged:
    // `#` and `.` both become `_`).
    let app_key = |i: usize| format!("{}#app", d.items[i].path);
    let proxy_key = |i: usize| format!("{}#proxy", d.items[i].path);

    let mut inside = Vec::new();
    for &i in &v.pods {
        let it = &d.items[i];
        let DeplKind::Instance(e) = it.kind else {
            continue;
        };
        let el = model.element(e);
        let (style, class) = element_style(model, e);
        let (pstyle, pclass) = proxy_style();
        let kind = el.base.label(el.external);
        inside.push(FlowItem::Subgraph {
            key: format!("{}#pod", it.path),
            label: escape::nonempty_label(&m.pod.replace("{name}", &el.name)),
            frame: Frame::Group,
            children: vec![
                FlowItem::Node {
                    key: app_key(i),
                    label: two_lines(&it.name, Some(kind)),
                    shape: style.shape.unwrap_or(Shape::Box),
                    class,
                    style,
                },
                FlowItem::Node {
                    key: proxy_key(i),
                    label: two_lines(&m.sidecar, m.sidecar_description.as_deref()),
                    shape: Shape::Box,
                    class: pclass,
                    style: pstyle,
                },
            ],
        });
    }
    if !m.control.is_empty() {
        let (cstyle, cclass) = control_style();
        inside.push(FlowItem::Subgraph {
            key: format!("{scope_key}#control"),
            label: escape::nonempty_label(&m.control_title),
            frame: Frame::Group,
            children: m
                .control
                .iter()
                .map(|c| FlowItem::Node {
                    key: format!("{scope_key}#control#{}", c.id),
                    label: two_lines(&c.name, c.description.as_deref()),
                    shape: Shape::Box,
                    class: cclass.clone(),
                    style: cstyle.clone(),
                })
                .collect(),
        });
    }
    let ingress_key = format!("{scope_key}#ingress");
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
        inside.push(FlowItem::Node {
            key: ingress_key.clone(),
            label: two_lines(name, desc.as_deref()),
            shape: Shape::Box,
            class,
            style,
        });
    }
    let mut items = Vec::new();
    for &c in &v.callers {
        let (style, class) = element_style(model, c);
        items.push(FlowItem::Node {
            key: model.element(c).path.clone(),
            label: element_label(model, c),
            shape: style
                .shape
                .unwrap_or(Shape::default_for(model.element(c).base)),
            class,
            style,
        });
    }
    match m.node {
        Some(n) => items.push(FlowItem::Subgraph {
            key: d.items[n].path.clone(),
            label: escape::nonempty_label(&d.items[n].name),
            frame: Frame::Node,
            children: inside,
        }),
        None => items.extend(inside),
    }

    let plain = edge_style(model, Arrow::Sync, &[]);
    let dashed = edge_style(model, Arrow::Async, &[]);
    let mut edges = Vec::new();
    for (caller, pod, label) in &v.entries {
        let from = model.element(*caller).path.clone();
        if m.ingress.is_some() {
            edges.push(edge(
                from,
                ingress_key.clone(),
                Arrow::Sync,
                plain.clone(),
                label.as_deref(),
            ));
            edges.push(edge(
                ingress_key.clone(),
                proxy_key(*pod),
                Arrow::Sync,
                plain.clone(),
                None,
            ));
        } else {
            edges.push(edge(
                from,
                proxy_key(*pod),
                Arrow::Sync,
                plain.clone(),
                label.as_deref(),
            ));
        }
    }
    for (a, b) in &v.calls {
        edges.push(edge(
            proxy_key(*a),
            proxy_key(*b),
            Arrow::Sync,
            plain.clone(),
            Some(&m.protocol),
        ));
    }
    for c in &m.control {
        for &p in &v.pods {
            let to = format!("{scope_key}#control#{}", c.id);
            edges.push(edge(
                proxy_key(p),
                to,
                Arrow::Async,
                dashed.clone(),
                c.uses.as_deref(),
            ));
        }
    }
    for &p in &v.pods {
        edges.push(edge(
            proxy_key(p),
            app_key(p),
            Arrow::Both,
            plain.clone(),
            None,
        ));
    }
    // Identical edges (two callers' relationships to one service) once.
    let mut seen = std::collections::HashSet::new();
    edges.retain(|e| seen.insert((e.from.clone(), e.to.clone(), e.label.clone())));
    FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges,
    }
}
