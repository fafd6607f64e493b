//! Model relationships carried into a deployment.
//!
//! In: the model and one environment with its explicit relationships.
//! Out: a [`DeplRel`] for each model relationship between the instances that
//! realise its ends, nearest first (see the rule in [`super`]).

use std::collections::HashMap;

use super::{DeplEnd, DeplRel, Deployment};
use crate::model::{ElementId, Model};
use crate::syntax::ast::Arrow;

/// Model relationships carried to the instances that realise them (see the
/// module documentation for the nearest-first rule).
pub(super) fn carry(model: &Model, d: &Deployment) -> Vec<DeplRel> {
    let instances: Vec<(usize, ElementId)> = d.instances().collect();
    if instances.is_empty() {
        return Vec::new();
    }
    let covering = |e: ElementId| -> Vec<usize> {
        instances
            .iter()
            .filter(|(_, x)| model.is_ancestor_or_self(*x, e))
            .map(|(i, _)| *i)
            .collect()
    };
    let mut out: Vec<DeplRel> = Vec::new();
    let mut seen: HashMap<(usize, usize, Arrow, Option<String>), usize> = HashMap::new();
    for r in model.relationships() {
        let (s, t) = model.ends(r);
        let from = covering(s);
        if from.is_empty() {
            continue;
        }
        let to = covering(t);
        if to.is_empty() {
            continue;
        }
        let rel = model.relationship(r);
        for &a in &from {
            // Routed explicitly (say through a load balancer): an explicit
            // relationship from this instance with the same label replaces it.
            let routed = d.relationships.iter().any(|x| {
                x.from_model.is_none()
                    && matches!(x.source, DeplEnd::Item { item, .. } if item == a)
                    && x.label.is_some()
                    && x.label == rel.label
            });
            if routed {
                continue;
            }
            // The lowest enclosing node of `a` that holds a target instance.
            let mut scopes: Vec<Option<usize>> = d.ancestors(a).map(Some).collect();
            scopes.push(None);
            let under = |node: Option<usize>, b: usize| match node {
                None => true,
                Some(n) => d.ancestors(b).any(|x| x == n),
            };
            let Some(scope) = scopes
                .into_iter()
                .find(|n| to.iter().any(|b| under(*n, *b)))
            else {
                continue;
            };
            for &b in to.iter().filter(|b| under(scope, **b) && **b != a) {
                // One edge per distinct relationship (arrow and label) between two instances.
                let key = (a, b, rel.arrow, rel.label.clone());
                if seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, out.len());
                out.push(DeplRel {
                    source: DeplEnd::Item {
                        item: a,
                        copy: None,
                    },
                    target: DeplEnd::Item {
                        item: b,
                        copy: None,
                    },
                    arrow: rel.arrow,
                    label: rel.label.clone(),
                    technology: rel.technology.clone(),
                    tags: rel.tags.clone(),
                    url: rel.url.clone(),
                    properties: rel.properties.clone(),
                    span: rel.span,
                    from_model: Some(r),
                });
            }
        }
    }
    out
}
