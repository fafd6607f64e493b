//! Model checks that need the whole model and its views.
//!
//! In: a resolved [`Model`] and its computed views (and their Mermaid text).
//! Out: warnings — W001 an element in no view, W002 a relationship without a
//! label, W003 a view past Mermaid's default limits, W015 a step of a flow
//! its view cannot draw; and, when drawing in Mermaid's C4 dialect, W014 an
//! edge to a deployment node drawn as a frame. (Errors are found while
//! resolving, where the offending text is at hand.)

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;
use crate::view::View;

/// Mermaid's default `maxTextSize`.
pub const MERMAID_MAX_TEXT: usize = 50_000;
/// Mermaid's default `maxEdges`.
pub const MERMAID_MAX_EDGES: usize = 500;

/// W014 for each relationship a deployment view draws to (or from) a node
/// drawn as a frame: Mermaid's C4 dialect draws the frame as a
/// `Deployment_Node` boundary, which a `Rel` cannot end on, so the edge is
/// left out of the C4 text (the flowchart dialect draws it).
pub fn c4_dialect(model: &Model, views: &[View], diags: &mut Vec<Diagnostic>) {
    use crate::view::deployment::BoxRef;
    for v in views {
        let crate::view::Content::Deployment(dv) = &v.content else {
            continue;
        };
        let d = model.env(dv.env);
        let framed = |b: BoxRef| match b {
            BoxRef::Item(i, _) => {
                d.items[i].kind == crate::model::deployment::DeplKind::Node && !dv.boxes_node(i)
            }
            BoxRef::Element(_) => false,
        };
        let mut seen = std::collections::HashSet::new();
        for e in dv
            .edges
            .iter()
            .filter(|e| framed(e.source) || framed(e.target))
        {
            let Some(r) = e.rel.filter(|r| seen.insert(*r)) else {
                continue;
            };
            let node = if framed(e.target) { e.target } else { e.source };
            let BoxRef::Item(n, _) = node else { continue };
            diags.push(
                Diagnostic::new(
                    Code::W014,
                    format!(
                        "view `{}`: the C4 dialect cannot draw this edge to `{}`",
                        v.key, d.items[n].path
                    ),
                )
                .label(d.relationships[r].span, "left out of the C4 diagram")
                .note(format!(
                    "`{}` is drawn as a frame (a `Deployment_Node`), and a `Rel` cannot end on one",
                    d.items[n].path
                ))
                .hint(format!(
                    "draw the node as a box: `shape box` in its block, or `nodes box` in view `{}`",
                    v.key
                )),
            );
        }
    }
}

/// `sizes`: the length of each view's Mermaid text, in view order.
pub fn check(model: &Model, views: &[View], sizes: &[usize], diags: &mut Vec<Diagnostic>) {
    for v in views {
        if let crate::view::Content::Flow(f) = &v.content {
            undrawn_steps(model, v, f, diags);
        }
    }
    let mut shown = vec![false; model.graph.node_count()];
    for v in views {
        for e in v.nodes().iter().chain(v.boundaries()) {
            shown[e.index()] = true;
        }
        if let crate::view::Content::Deployment(dv) = &v.content {
            for e in &dv.elements {
                shown[e.index()] = true;
            }
            let d = model.env(dv.env);
            for (i, e) in d.instances() {
                if dv.shows(i) {
                    shown[e.index()] = true;
                }
            }
        }
    }
    for e in model.elements() {
        if !shown[e.index()] && model.element(e).base != crate::model::BaseKind::Annotation {
            let el = model.element(e);
            diags.push(
                Diagnostic::new(Code::W001, format!("`{}` appears in no view", el.path))
                    .label(el.id_span, "not shown in any diagram")
                    .hint("include it in a view (`include *` or `include <id>`), or drop `defaults off` to keep the default views"),
            );
        }
    }
    for r in model.relationships() {
        let rel = model.relationship(r);
        let (s, t) = model.ends(r);
        let annotation = [s, t]
            .iter()
            .any(|e| model.element(*e).base == crate::model::BaseKind::Annotation);
        if rel.label.is_none() && !annotation {
            let (s, t) = model.ends(r);
            diags.push(
                Diagnostic::new(
                    Code::W002,
                    format!(
                        "relationship `{}` → `{}` has no label",
                        model.element(s).path,
                        model.element(t).path
                    ),
                )
                .label(rel.span, "no label")
                .hint("say what the relationship does: `a -> b \"Reads orders from\"`"),
            );
        }
    }
    // `views` are the model's views, in order.
    for ((v, &len), def) in views.iter().zip(sizes).zip(&model.views) {
        if len > MERMAID_MAX_TEXT || v.edge_count() > MERMAID_MAX_EDGES {
            let span = def.span;
            diags.push(
                Diagnostic::new(Code::W003, format!("view `{}` is too large for Mermaid's default limits", v.key))
                    .label(span, format!("{len} characters and {} edges", v.edge_count()))
                    .note(format!("Mermaid renders at most {MERMAID_MAX_TEXT} characters and {MERMAID_MAX_EDGES} edges by default; GitHub shows an error instead"))
                    .hint("split it: a narrower view with `include`/`exclude`, or a container/component view of one system"),
            );
        }
    }
}

/// W015 for each step of a flow that its view cannot draw.
fn undrawn_steps(
    model: &Model,
    v: &View,
    f: &crate::view::flow::FlowView,
    diags: &mut Vec<Diagnostic>,
) {
    use crate::view::flow::Why;
    for u in &f.undrawn {
        let (what, hint) = match u.why {
            Why::OneBox(e) => (
                format!(
                    "both ends of step {} are drawn as `{}` in `{}`",
                    u.number,
                    model.element(e).path,
                    f.base_key
                ),
                "draw the flow over a view that shows its ends apart (a container or component view)".to_string(),
            ),
            Why::Excluded(e) => (
                format!(
                    "step {} names `{}`, which `{}` excludes",
                    u.number,
                    model.element(e).path,
                    f.base_key
                ),
                format!("remove the `exclude` of `{}`, or draw the flow over another view", model.element(e).path),
            ),
        };
        diags.push(
            Diagnostic::new(Code::W015, format!("{what}: not drawn in `{}`", v.key))
                .label(u.span, "this step has no edge in the flowchart")
                .hint(hint),
        );
    }
}
