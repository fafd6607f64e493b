//! Model checks that need the whole model and its views.
//!
//! In: a resolved [`Model`] and its computed views (and their Mermaid text).
//! Out: warnings — W001 an element in no view, W002 a relationship without a
//! label, W003 a view past Mermaid's default limits, W015 a step of a flow
//! its view cannot draw; and, when drawing in Mermaid's C4 dialect, W014 an
//! edge to a deployment node drawn as a frame. (Errors are found while
//! resolving, where the offending text is at hand.)

use crate::diagnostic::{Code, Diagnostic};
use crate::model::deployment::DeplKind;
use crate::model::dynamic::Step;
use crate::model::{BaseKind, ElementId, Model};
use crate::syntax::ast::BoxLevel;
use crate::view::deployment::DeploymentView;
use crate::view::{Content, View};

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

/// Warnings of one kind past this many in a file are summarised in one.
pub const PER_FILE: usize = 10;

/// Pushes `found` (warnings of one code, in model order) to `diags`: in
/// each file the first [`PER_FILE`], then one more, at the next, saying how
/// many more there are (`what`: "elements that appear in no view") and
/// naming a few — so a
/// large model's thousands of identical warnings take a screen, not a log.
fn summarise(found: Vec<Diagnostic>, what: &str, diags: &mut Vec<Diagnostic>) {
    let file = |d: &Diagnostic| d.primary_span().map(|s| s.file);
    let mut by_file: indexmap::IndexMap<_, Vec<Diagnostic>> = indexmap::IndexMap::new();
    for d in found {
        by_file.entry(file(&d)).or_default().push(d);
    }
    for (_, mut list) in by_file {
        if list.len() <= PER_FILE + 1 {
            diags.extend(list);
            continue;
        }
        let rest = list.split_off(PER_FILE);
        diags.extend(list);
        let more = rest.len();
        // What each names: its message from the first backtick to the last.
        let named: Vec<&str> = rest
            .iter()
            .take(6)
            .filter_map(|d| {
                let (i, j) = (d.message.find('`')?, d.message.rfind('`')?);
                d.message.get(i..=j)
            })
            .collect();
        let and = if more > named.len() { ", …" } else { "" };
        let note = format!(
            "this file has {more} more {what}, this one first: {}{and} (a file's first {PER_FILE} are shown one by one, the rest only in this summary)",
            named.join(", ")
        );
        if let Some(first) = rest.into_iter().next() {
            diags.push(first.note(note));
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
        mark_shown(model, v, &mut shown);
    }
    let mut unshown = Vec::new();
    for e in model.elements() {
        if !shown[e.index()] && model.element(e).base != crate::model::BaseKind::Annotation {
            let el = model.element(e);
            unshown.push(
                Diagnostic::new(Code::W001, format!("`{}` appears in no view", el.path))
                    .label(el.id_span, "not shown in any diagram")
                    .hint("include it in a view (`include *` or `include <id>`), or drop `defaults off` to keep the default views"),
            );
        }
    }
    summarise(unshown, "elements that appear in no view", diags);
    let mut unlabelled = Vec::new();
    for r in model.relationships() {
        let rel = model.relationship(r);
        let (s, t) = model.ends(r);
        let annotation = [s, t]
            .iter()
            .any(|e| model.element(*e).base == crate::model::BaseKind::Annotation);
        if rel.label.is_none() && !annotation {
            let (s, t) = model.ends(r);
            unlabelled.push(
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
    summarise(unlabelled, "relationships without a label", diags);
    for (v, &len) in views.iter().zip(sizes) {
        if len > MERMAID_MAX_TEXT || v.edge_count() > MERMAID_MAX_EDGES {
            let hint = if v.as_static().is_some() && v.part.is_none() {
                "draw it in parts: `split frames` in the view's block (an overview and one diagram per boundary or group), or `collapse frames` / `collapse NAME, …` (frames drawn as one box each); or a narrower view with `include`/`exclude`"
            } else if matches!(v.content, Content::Deployment(_)) {
                "fold nodes: `collapse frames` or `collapse NODE, …` in the view's block (each node drawn as one box, edges ending on it); or a narrower view with `include`/`exclude`"
            } else {
                "split it: a narrower view with `include`/`exclude`, or a container/component view of one system"
            };
            diags.push(
                Diagnostic::new(Code::W003, format!("view `{}` is too large for Mermaid's default limits", v.key))
                    .label(v.span, format!("{len} characters and {} edges", v.edge_count()))
                    .note(format!("Mermaid renders at most {MERMAID_MAX_TEXT} characters and {MERMAID_MAX_EDGES} edges by default; GitHub shows an error instead"))
                    .hint(hint),
            );
        }
    }
    frames_unused(model, views, diags);
}

/// W016 for `split frames` or `collapse …` that finds no frame to draw
/// apart or fold. `views`: the model's views in order, a split view's
/// parts after its overview.
fn frames_unused(model: &Model, views: &[View], diags: &mut Vec<Diagnostic>) {
    use crate::model::{Collapse, FrameRef, ViewOf};
    use crate::view::fold::FrameId;
    let primary = views.iter().filter(|v| v.is_primary());
    for (def, v) in model.views.iter().zip(primary) {
        if let (ViewOf::Deployment { options, .. }, crate::view::Content::Deployment(dv)) =
            (&def.of, &v.content)
            && let Some(span) = options.collapse_span
            && dv.collapsed.is_empty()
        {
            diags.push(
                Diagnostic::new(Code::W016, format!("view `{}` draws no node to collapse", v.key))
                    .label(span, "nothing to fold")
                    .hint("`collapse` in a deployment view folds the nodes it draws (`collapse eu.cluster`, or `collapse frames` for every top-level node); or remove the statement"),
            );
            continue;
        }
        let (ViewOf::Static(sd), Some(sv)) = (&def.of, v.as_static()) else {
            continue;
        };
        if v.overflow.is_some() {
            continue;
        }
        let none = |span, what: String| {
            Diagnostic::new(Code::W016, what)
                .label(span, "nothing to draw apart or fold")
                .hint("`split frames` and `collapse` work on the boundaries and groups a view draws: group elements with `group \"Title\" { … }`, or remove the statement")
        };
        if let Some(span) = sd.split
            && v.part.is_none()
        {
            let frames = crate::view::fold::split_frames(sv).len();
            let what = if frames > crate::view::fold::MAX_PARTS {
                format!(
                    "view `{}` has {frames} frames to split it by, more than {} parts: not split",
                    v.key,
                    crate::view::fold::MAX_PARTS
                )
            } else {
                format!("view `{}` draws no boundary or group to split it by", v.key)
            };
            diags.push(none(span, what));
        }
        match &sd.collapse {
            Collapse::Frames(span) if sd.split.is_none() && sv.folds.is_empty() => {
                diags.push(none(
                    *span,
                    format!("view `{}` draws no boundary or group to collapse", v.key),
                ));
            }
            Collapse::Named(names, span) => {
                let mut folded_elements = std::collections::HashSet::new();
                let mut folded_titles = std::collections::HashSet::new();
                for f in &sv.folds {
                    match f.frame {
                        FrameId::Element(e) => folded_elements.insert(e),
                        FrameId::Group(g) => folded_titles.insert(model.group(g).title.as_str()),
                    };
                }
                for n in names {
                    let folded = match n {
                        FrameRef::Element(e) => folded_elements.contains(e),
                        FrameRef::Group(t) => folded_titles.contains(t.as_str()),
                    };
                    if !folded {
                        let name = match n {
                            FrameRef::Element(e) => model.element(*e).path.clone(),
                            FrameRef::Group(t) => t.clone(),
                        };
                        diags.push(none(
                            *span,
                            format!("`collapse {name}`: view `{}` draws no such frame (or it is inside another collapsed one)", v.key),
                        ));
                    }
                }
            }
            _ => {}
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

/// Marks the model elements view `v` draws: a static view's boxes and
/// boundaries; a deployment view's instances (as their elements) and the
/// elements beside the environment; a mesh view's pods and callers; a CDN
/// view's origin instances; a dynamic view's participants and, drawn as a
/// sequence diagram, the systems or containers its `boxes` are named after.
/// Linear in what the view holds.
fn mark_shown(model: &Model, v: &View, shown: &mut [bool]) {
    for e in v.nodes().iter().chain(v.boundaries()) {
        shown[e.index()] = true;
    }
    match &v.content {
        Content::Deployment(dv) => mark_deployment(model, dv, shown),
        Content::Cdn(c) => {
            if let Some(dv) = &c.origin {
                mark_deployment(model, dv, shown);
            }
        }
        Content::Mesh(m) if !m.too_large(model) => {
            if let Some(mesh) = model.meshes.get(m.mesh.index())
                && let Some(d) = model.deployments.get(mesh.env.index())
            {
                for p in &m.pods {
                    if let Some(DeplKind::Instance(e)) = d.items.get(*p).map(|it| it.kind) {
                        shown[e.index()] = true;
                    }
                }
            }
            for e in &m.callers {
                shown[e.index()] = true;
            }
        }
        Content::Dynamic {
            id, as_flowchart, ..
        } => {
            let d = model.dynamic(*id);
            let boxes = if *as_flowchart { None } else { d.boxes };
            mark_steps(model, &d.steps, boxes, shown);
        }
        _ => {}
    }
}

fn mark_deployment(model: &Model, dv: &DeploymentView, shown: &mut [bool]) {
    for e in &dv.elements {
        shown[e.index()] = true;
    }
    if let Some(d) = model.deployments.get(dv.env.index()) {
        for (i, e) in d.instances() {
            if dv.shows(i) {
                shown[e.index()] = true;
            }
        }
    }
}

/// The participants of `steps` (the ends of its messages and what its notes
/// stand over: both forms draw them); with `boxes`, the element each
/// participant's box is named after.
fn mark_steps(model: &Model, steps: &[Step], boxes: Option<BoxLevel>, shown: &mut [bool]) {
    let want = boxes.map(|level| match level {
        BoxLevel::System => BaseKind::System,
        BoxLevel::Container => BaseKind::Container,
    });
    let mark = |e: ElementId, shown: &mut [bool]| {
        shown[e.index()] = true;
        // The nearest enclosing element of the boxes' level names the box.
        let mut at = model.element(e).parent;
        while let (Some(p), Some(want)) = (at, want) {
            if model.element(p).base == want {
                shown[p.index()] = true;
                break;
            }
            at = model.element(p).parent;
        }
    };
    for s in steps {
        match s {
            Step::Message { from, to, .. } => {
                mark(*from, shown);
                mark(*to, shown);
            }
            Step::Note { over, .. } => over.iter().for_each(|e| mark(*e, shown)),
            Step::Parallel(inner) => mark_steps(model, inner, boxes, shown),
            Step::Block { sections, .. } => {
                for section in sections {
                    mark_steps(model, &section.steps, boxes, shown);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    /// A system of `n` containers in a chain, both ways (2(n-1)
    /// relationships), deployed as `n` instances in one node.
    fn chain(n: usize) -> String {
        let mut s = String::from("model {\n  s = system \"S\" {\n");
        for i in 0..n {
            s.push_str(&format!("    c{i} = container \"C{i}\"\n"));
        }
        s.push_str("  }\n");
        for i in 1..n {
            s.push_str(&format!("  s.c{} -> s.c{i} \"Calls\"\n", i - 1));
            s.push_str(&format!("  s.c{i} -> s.c{} \"Replies\"\n", i - 1));
        }
        s.push_str("}\ndeployment prod {\n  n = node \"N\" {\n");
        for i in 0..n {
            s.push_str(&format!("    i{i} = instance s.c{i}\n"));
        }
        s.push_str("  }\n}\n");
        s
    }

    /// The hints of the W003s, by view key in the message.
    fn w003(src: &str) -> Vec<(String, String)> {
        let c = crate::compile_text("t.c4", src);
        c.diagnostics
            .iter()
            .filter(|d| d.code == Code::W003)
            .map(|d| (d.message.clone(), d.hint.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn views_past_mermaids_edge_limit_are_w003_with_a_hint_that_fits_their_kind() {
        let found = w003(&chain(260));
        let hint = |key: &str| {
            found
                .iter()
                .find(|(m, _)| m.contains(&format!("`{key}`")))
                .map(|(_, h)| h.clone())
                .unwrap_or_else(|| panic!("no W003 for {key}: {found:?}"))
        };
        assert!(hint("s-containers").contains("split frames"));
        // A deployment view's edges count too, and its hint folds nodes.
        assert!(hint("prod-deployment").contains("collapse frames"));
        // Under the limit: none.
        assert!(w003(&chain(20)).is_empty());
    }
}
