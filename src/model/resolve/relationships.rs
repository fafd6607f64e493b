//! Model relationships: `a -> b "label" { … }` → edges of the graph.
//!
//! In: a relationship statement and the element whose block it is in.
//! Out: an edge between two resolved elements, with its attributes read by
//! [`crate::model::relationship::attributes`] (the same reader deployment
//! relationships use); E025 (to itself), E026 (to its own part), E029 (no
//! source) and W004 (an exact duplicate) on the way.

use super::*;
use crate::model::relationship::{self, Place};

impl<'a> Resolver<'_, 'a> {
    pub(super) fn relationship(&mut self, r: &ast::RelStmt, scope: Option<ElementId>) {
        let source = match &r.source {
            Some(p) => self.lookup(p, scope),
            None => scope.ok_or_else(|| {
                Diagnostic::new(Code::E029, "relationship without a source")
                    .label(r.arrow_span, "nothing before the arrow")
                    .hint("`-> x` works only inside an element's block; at the top level write `a -> x`")
            }),
        };
        let target = self.lookup(&r.target, scope);
        let (source, target) = match (source, target) {
            (Ok(s), Ok(t)) => (s, t),
            (s, t) => {
                let paths = [r.source.as_ref(), Some(&r.target)];
                for (res, path) in [s, t].into_iter().zip(paths) {
                    match (res, path) {
                        (Err(_), Some(p)) if self.dropped.covers(p) => {}
                        (Err(d), _) => self.diags.push(d),
                        _ => {}
                    }
                }
                return;
            }
        };
        if source == target {
            self.diags.push(
                Diagnostic::new(Code::E025, format!("relationship from `{}` to itself", self.m.graph[source].path))
                    .label(r.span, "source and target are the same element")
                    .hint("relationships connect two different elements; describe internal behaviour in a component view"),
            );
            return;
        }
        if self.m.is_ancestor_or_self(source, target) || self.m.is_ancestor_or_self(target, source)
        {
            let (outer, inner) = if self.m.is_ancestor_or_self(source, target) {
                (source, target)
            } else {
                (target, source)
            };
            self.diags.push(
                Diagnostic::new(
                    Code::E026,
                    format!(
                        "relationship between `{}` and its own part `{}`",
                        self.m.graph[outer].path, self.m.graph[inner].path
                    ),
                )
                .label(r.span, "an element contains the other")
                .hint("connect the part to a sibling or to an element outside instead"),
            );
            return;
        }
        let a = relationship::attributes(r, Place::Model, self.diags);
        let rel = Relationship {
            arrow: r.arrow,
            label: a.label,
            technology: a.technology,
            tags: a.tags,
            properties: a.properties,
            url: a.url,
            step: a.step,
            span: r.span,
        };
        // Exact duplicates are reported once and not drawn twice.
        if let Some(prev) = self.rel_index.duplicate(&self.m, source, target, &rel) {
            let prev_span = self.m.graph[prev].span;
            self.diags.push(
                Diagnostic::new(Code::W004, "duplicate relationship")
                    .label(r.span, "same source, target, arrow and label as before")
                    .secondary(prev_span, "first declared here")
                    .hint("remove one of them"),
            );
            return;
        }
        let id = self.m.graph.add_edge(source, target, rel);
        self.rel_index.insert(&self.m, id);
    }
}
