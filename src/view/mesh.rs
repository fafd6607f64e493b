//! Service-mesh views: a mesh declaration + its deployment → what the
//! diagram shows, computed, never drawn by hand.
//!
//! In: a [`Mesh`] and the model. Out: a [`MeshView`]: one pod per meshed
//! instance (its app and a sidecar proxy), the control plane, the ingress
//! gateway, the outside callers, and the edges — app ↔ proxy, proxy → proxy
//! (the mesh protocol) for every carried service-to-service relationship,
//! proxy ⇢ control plane, caller → ingress → the called service's proxy
//! ([`MeshView::edges`], each once).

use crate::model::deployment::{DeplEnd, DeplKind};
use crate::model::mesh::{ControlFlow, Mesh};
use crate::model::style::{label_lines, line_style};
use crate::model::theme::ViewPart;
use crate::model::{ElementId, MeshId, Model};
use crate::syntax::ast::Arrow;

#[derive(Debug, Clone)]
pub struct MeshView {
    pub mesh: MeshId,
    /// Meshed instances (deployment item indexes), in source order.
    pub pods: Vec<usize>,
    /// Callers from outside the mesh (people and other elements), in source order.
    pub callers: Vec<ElementId>,
    /// (from pod, to pod) for service-to-service calls.
    pub calls: Vec<(usize, usize)>,
    /// (caller, pod, label) for traffic entering through the ingress.
    pub entries: Vec<(ElementId, usize, Option<String>)>,
    /// What is drawn between the boxes, in drawing order; empty when the
    /// view is too large to draw ([`MeshView::too_large`]).
    pub edges: Vec<MeshEdge>,
}

/// A box of a mesh diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeshBox {
    /// A caller from outside the mesh.
    Caller(ElementId),
    /// The app of a pod (a deployment item index).
    App(usize),
    /// The sidecar proxy of a pod (a deployment item index).
    Proxy(usize),
    /// A control-plane part (an index into the mesh's `control`).
    Control(usize),
    Ingress,
}

/// An edge of a mesh diagram.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeshEdge {
    pub from: MeshBox,
    pub to: MeshBox,
    pub arrow: Arrow,
    /// The theme part it is styled as (`None`: a caller's relationship,
    /// styled as the model's).
    pub part: Option<ViewPart>,
    pub label: Option<String>,
}

impl MeshView {
    /// How many edges its diagram has at most: every proxy to every
    /// control-plane part it uses, app ↔ proxy in every pod, the calls and the
    /// entries. Above [`super::deployment::MAX_EDGES`] the view is not drawn
    /// (E055): a few lines of model could otherwise ask for billions.
    pub fn edge_count(&self, model: &Model) -> usize {
        let control = model
            .meshes
            .get(self.mesh.index())
            .map_or(0, |m| m.control.len());
        self.pods
            .len()
            .saturating_mul(control + 1)
            .saturating_add(self.calls.len())
            .saturating_add(self.entries.len().saturating_mul(3))
    }

    /// Past [`super::deployment::MAX_EDGES`]: not drawn (E055).
    pub fn too_large(&self, model: &Model) -> bool {
        self.edge_count(model) > super::deployment::MAX_EDGES
    }

    /// Nothing drawn.
    pub fn empty(mesh: MeshId) -> MeshView {
        MeshView {
            mesh,
            pods: Vec::new(),
            callers: Vec::new(),
            calls: Vec::new(),
            entries: Vec::new(),
            edges: Vec::new(),
        }
    }
}

/// Computes a mesh view.
pub fn compute(model: &Model, mesh: MeshId) -> MeshView {
    let mut v = boxes(model, mesh).unwrap_or_else(|| MeshView::empty(mesh));
    if !v.too_large(model) {
        v.edges = edges(model, &v);
    }
    v
}

/// The pods, callers, calls and entries; `None` for an unknown mesh.
fn boxes(model: &Model, mesh: MeshId) -> Option<MeshView> {
    let m: &Mesh = model.meshes.get(mesh.index())?;
    let d = model.deployments.get(m.env.index())?;
    let in_scope = |i: usize| match m.node {
        None => true,
        Some(n) => d.ancestors(i).any(|a| a == n),
    };
    let pods: Vec<usize> = d
        .instances()
        .filter(|(i, _)| in_scope(*i))
        .map(|(i, _)| i)
        .collect();
    let mut calls = Vec::new();
    for rel in &d.relationships {
        if rel.from_model.is_none() {
            continue;
        }
        if let (DeplEnd::Item { item: a, .. }, DeplEnd::Item { item: b, .. }) =
            (rel.source, rel.target)
            && pods.contains(&a)
            && pods.contains(&b)
            && !calls.contains(&(a, b))
        {
            calls.push((a, b));
        }
    }
    // Model relationships from outside the mesh into a meshed service.
    let covers = |pod: usize, e: ElementId| match d.items[pod].kind {
        DeplKind::Instance(x) => model.is_ancestor_or_self(x, e),
        _ => false,
    };
    let mut callers = Vec::new();
    let mut entries = Vec::new();
    for r in model.relationships() {
        let (s, t) = model.ends(r);
        if pods.iter().any(|p| covers(*p, s)) {
            continue;
        }
        for &p in pods.iter().filter(|p| covers(**p, t)) {
            let rel = model.relationship(r);
            let label = rel.technology.clone().or_else(|| rel.label.clone());
            if !callers.contains(&s) {
                callers.push(s);
            }
            entries.push((s, p, label));
        }
    }
    callers.sort();
    Some(MeshView {
        mesh,
        pods,
        callers,
        calls,
        entries,
        edges: Vec::new(),
    })
}

/// Caller → ingress → proxy (or caller → proxy), proxy → proxy for the
/// calls, proxies and every control-plane part (each way its `flow` says),
/// proxy ↔ app; identical edges (two callers' relationships to one service)
/// once. The edges c4c derives are labelled by the theme's formats
/// (`relationship ingress|sidecar|call|control`, under the user's rules)
/// filled from the mesh's options.
fn edges(model: &Model, v: &MeshView) -> Vec<MeshEdge> {
    let Some(m) = model.meshes.get(v.mesh.index()) else {
        return Vec::new();
    };
    let d = model.env(m.env);
    let service = |pod: usize| match d.items[pod].kind {
        DeplKind::Instance(e) => Some(model.element(e).name.as_str()),
        _ => None,
    };
    let label = |part: ViewPart, arrow: Arrow, values: &[Option<&str>]| {
        let lines = label_lines(&line_style(model, part, arrow), part, values);
        let text: Vec<String> = lines.into_iter().filter(|l| !l.is_empty()).collect();
        (!text.is_empty()).then(|| text.join("\n"))
    };
    let edge = |from, to, arrow, part, label: Option<String>| MeshEdge {
        from,
        to,
        arrow,
        part,
        label,
    };
    let protocol = Some(m.protocol.as_str());
    let mut all = Vec::new();
    for (caller, pod, text) in &v.entries {
        let from = MeshBox::Caller(*caller);
        let to = MeshBox::Proxy(*pod);
        if let Some((ingress, _)) = &m.ingress {
            all.push(edge(
                from,
                MeshBox::Ingress,
                Arrow::Sync,
                None,
                text.clone(),
            ));
            let part = ViewPart::IngressLink;
            let l = label(part, Arrow::Sync, &[protocol, Some(ingress), service(*pod)]);
            all.push(edge(MeshBox::Ingress, to, Arrow::Sync, Some(part), l));
        } else {
            all.push(edge(from, to, Arrow::Sync, None, text.clone()));
        }
    }
    for (a, b) in &v.calls {
        let part = ViewPart::CallLink;
        let l = label(part, Arrow::Sync, &[protocol, service(*a), service(*b)]);
        all.push(edge(
            MeshBox::Proxy(*a),
            MeshBox::Proxy(*b),
            Arrow::Sync,
            Some(part),
            l,
        ));
    }
    for (c, cp) in m.control.iter().enumerate() {
        let (flow, arrow) = match cp.flow.unwrap_or(m.flow) {
            ControlFlow::Both => (ControlFlow::Both, Arrow::Both),
            f => (f, Arrow::Async),
        };
        for &p in &v.pods {
            let part = ViewPart::ControlLink;
            let values = [
                cp.uses.as_deref(),
                Some(cp.name.as_str()),
                service(p),
                protocol,
            ];
            let l = label(part, Arrow::Async, &values);
            let (proxy, control) = (MeshBox::Proxy(p), MeshBox::Control(c));
            all.push(match flow {
                ControlFlow::Push => edge(control, proxy, arrow, Some(part), l),
                _ => edge(proxy, control, arrow, Some(part), l),
            });
        }
    }
    for &p in &v.pods {
        let part = ViewPart::SidecarLink;
        let l = label(part, Arrow::Both, &[protocol, Some(&m.sidecar), service(p)]);
        all.push(edge(
            MeshBox::Proxy(p),
            MeshBox::App(p),
            Arrow::Both,
            Some(part),
            l,
        ));
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|e| seen.insert((e.from, e.to, e.label.clone())));
    all
}
