//! Relationships written in a deployment: `a -> b "label" { … }`.
//!
//! In: a relationship statement, the node it is written in and the
//! environment's items.
//! Out: a [`DeplRel`] between two items (or an item and a model element),
//! its attributes read by [`crate::model::relationship::attributes`] like a
//! model relationship's; E021, E022, E025, E029, E053 and W006 on the way.

use super::{DeplEnd, DeplRel, Deployment};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::relationship::{self, Place};
use crate::model::{BaseKind, ElementId, Model};
use crate::syntax::ast::{self, PathRef};

/// Resolves a reference inside a deployment: an item, searched from the
/// enclosing node outwards, then by unique identifier anywhere in the
/// environment; otherwise a model element.
pub(super) fn lookup_end(
    model: &Model,
    d: &Deployment,
    path: &PathRef,
    scope: Option<usize>,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
) -> Result<DeplEnd, Diagnostic> {
    let child = |parent: Option<usize>, id: &str| -> Option<usize> {
        let list = match parent {
            Some(p) => &d.items[p].children,
            None => &d.roots,
        };
        list.iter().copied().find(|c| d.items[*c].id == id)
    };
    let mut segs = path.segments.iter();
    let first = segs.next().map(String::as_str).unwrap_or("");
    let mut found = None;
    let mut cur = scope;
    loop {
        if let Some(c) = child(cur, first) {
            found = Some(c);
            break;
        }
        match cur {
            Some(c) => cur = d.items[c].parent,
            None => break,
        }
    }
    if found.is_none() && first == d.name {
        // `production.us.api`: the environment's own name in front.
        let rest: Vec<String> = segs.clone().cloned().collect();
        if let Some(next) = rest.first() {
            found = child(None, next);
            segs.next();
        }
    }
    if found.is_none() {
        let matches: Vec<usize> = (0..d.items.len())
            .filter(|i| d.items[*i].id == first)
            .collect();
        if matches.len() == 1 {
            found = Some(matches[0]);
        } else if matches.len() > 1 && lookup(path).is_err() {
            let paths: Vec<String> = matches
                .iter()
                .map(|i| format!("`{}`", d.items[*i].path))
                .collect();
            return Err(Diagnostic::new(
                Code::E022,
                format!("`{first}` is ambiguous in deployment `{}`", d.name),
            )
            .label(
                path.span,
                format!("{} items are called `{first}`", matches.len()),
            )
            .note(format!("candidates: {}", paths.join(", ")))
            .hint("write the path from a node: `region.api`"));
        }
    }
    let Some(mut item) = found else {
        let e = lookup(path)?;
        if path.index.is_some() {
            return Err(
                Diagnostic::new(Code::E053, "`[n]` picks a copy of an expanded instance")
                    .label(
                        path.span,
                        format!("`{}` is a model element", model.element(e).path),
                    )
                    .hint("refer to an instance in the deployment: `node.instance[2]`"),
            );
        }
        return Ok(DeplEnd::Element(e));
    };
    for seg in segs {
        match child(Some(item), seg) {
            Some(c) => item = c,
            None => {
                let kids: Vec<&str> = d.items[item]
                    .children
                    .iter()
                    .map(|c| d.items[*c].id.as_str())
                    .collect();
                let mut diag = Diagnostic::new(
                    Code::E021,
                    format!("unknown deployment item `{}`", path.dotted()),
                )
                .label(
                    path.span,
                    format!("`{}` has no item `{seg}`", d.items[item].path),
                );
                if let Some(s) = did_you_mean(seg, kids.iter().copied()) {
                    diag = diag.hint(format!("did you mean `{s}`?"));
                }
                return Err(diag);
            }
        }
    }
    let copy = match path.index {
        None => None,
        Some(n) => {
            let it = &d.items[item];
            if it.expand.is_none() || n == 0 || n > it.replicas {
                let why = if it.expand.is_none() {
                    format!("`{}` is not expanded", it.path)
                } else {
                    format!("`{}` has copies 1 to {}", it.path, it.replicas)
                };
                return Err(Diagnostic::new(Code::E053, format!("no copy {n} of `{}`", it.path))
                    .label(path.span, why)
                    .hint("`[n]` picks one box of an item with `replicas N` and `expand`, counting from 1"));
            }
            Some(n)
        }
    };
    Ok(DeplEnd::Item { item, copy })
}

pub(super) fn explicit_relationship(
    model: &Model,
    d: &Deployment,
    r: &ast::RelStmt,
    scope: Option<usize>,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Option<DeplRel> {
    let source = match &r.source {
        Some(p) => lookup_end(model, d, p, scope, lookup),
        None => scope
            .map(|s| DeplEnd::Item {
                item: s,
                copy: None,
            })
            .ok_or_else(|| {
                Diagnostic::new(Code::E029, "relationship without a source")
                    .label(r.arrow_span, "nothing before the arrow")
                    .hint("`-> x` works only inside a node's or instance's block")
            }),
    };
    let target = lookup_end(model, d, &r.target, scope, lookup);
    let (source, target) = match (source, target) {
        (Ok(s), Ok(t)) => (s, t),
        (s, t) => {
            diags.extend(s.err());
            diags.extend(t.err());
            return None;
        }
    };
    if source == target {
        diags.push(
            Diagnostic::new(Code::E025, "relationship from an item to itself")
                .label(r.span, "source and target are the same")
                .hint("relationships connect two different items"),
        );
        return None;
    }
    for (end, path) in [(source, r.source.as_ref()), (target, Some(&r.target))] {
        if let DeplEnd::Element(e) = end {
            let el = model.element(e);
            let covered = d
                .instances()
                .any(|(_, x)| model.is_ancestor_or_self(x, e) || model.is_ancestor_or_self(e, x));
            // People and annotations are never deployed: drawn beside the
            // environment as themselves, with no warning.
            let undeployable = matches!(el.base, BaseKind::Person | BaseKind::Annotation);
            if !undeployable && !covered {
                diags.push(
                    Diagnostic::new(
                        Code::W006,
                        format!("`{}` has no instance in deployment `{}`", el.path, d.name),
                    )
                    .label(
                        path.map(|p| p.span).unwrap_or(r.span),
                        "drawn as the model element itself",
                    )
                    .hint("deploy it with `instance`, or refer to the instance that realises it"),
                );
            }
        }
    }
    let a = relationship::attributes(r, Place::Deployment, diags);
    Some(DeplRel {
        source,
        target,
        arrow: r.arrow,
        label: a.label,
        technology: a.technology,
        tags: a.tags,
        url: a.url,
        properties: a.properties,
        span: r.span,
        from_model: None,
    })
}
