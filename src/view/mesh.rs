//! Service-mesh views: a mesh declaration + its deployment → what the
//! diagram shows, computed, never drawn by hand.
//!
//! In: a [`Mesh`] and the model. Out: a [`MeshView`]: one pod per meshed
//! instance (its app and a sidecar proxy), the control plane, the ingress
//! gateway, the outside callers, and the edges — app ↔ proxy, proxy → proxy
//! (the mesh protocol) for every carried service-to-service relationship,
//! proxy ⇢ control plane, caller → ingress → the called service's proxy.

use crate::model::deployment::{DeplEnd, DeplKind};
use crate::model::mesh::Mesh;
use crate::model::{ElementId, Model};

#[derive(Debug, Clone)]
pub struct MeshView {
    /// Index into `Model::meshes`.
    pub mesh: usize,
    /// Meshed instances (deployment item indexes), in source order.
    pub pods: Vec<usize>,
    /// Callers from outside the mesh (people and other elements), in source order.
    pub callers: Vec<ElementId>,
    /// (from pod, to pod) for service-to-service calls.
    pub calls: Vec<(usize, usize)>,
    /// (caller, pod, label) for traffic entering through the ingress.
    pub entries: Vec<(ElementId, usize, Option<String>)>,
}

impl MeshView {
    /// How many edges its diagram has at most: every proxy to every
    /// control-plane part it uses, app ↔ proxy in every pod, the calls and the
    /// entries. Above [`super::deployment::MAX_EDGES`] the view is not drawn
    /// (E055): a few lines of model could otherwise ask for billions.
    pub fn edge_count(&self, model: &Model) -> usize {
        let control = model.meshes.get(self.mesh).map_or(0, |m| m.control.len());
        self.pods
            .len()
            .saturating_mul(control + 1)
            .saturating_add(self.calls.len())
            .saturating_add(self.entries.len().saturating_mul(3))
    }
}

/// Computes a mesh view; `None` for an unknown mesh index.
pub fn compute(model: &Model, mesh: usize) -> Option<MeshView> {
    let m: &Mesh = model.meshes.get(mesh)?;
    let d = model.deployments.get(m.env)?;
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
    })
}
