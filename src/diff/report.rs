//! Diff reports: text for the terminal, JSON for tools, Markdown for a pull
//! request comment.
//!
//! In: a [`ModelDiff`] (and, for Markdown, the new and old compilations).
//! Out: text. The JSON shape is the serde form of [`ModelDiff`], documented in
//! `docs/ci.md`. The Markdown has a summary table, the lists (collapsed when
//! long), and for each affected or added view the new diagram with added
//! elements green, changed ones yellow, and removed ones drawn from the old
//! model in dashed red (a red edge says only what was removed: the other
//! relationships of a merged edge stay on the new view's edge). A legend
//! explains the colours, views drawing the same diagram share one, and the
//! diagrams past the third fold into `<details>`.
//!
//! Model text never leaves its place. In the text report every value is one
//! visible line (hidden characters escaped by [`terminal_text::line`]), so a
//! value holding a line break or a CR cannot start a line of its own. In the
//! Markdown report, model text only appears inside code: the list of changes
//! in a fenced block longer than any backtick run in it (each change one
//! line, starting with c4c's marker), view keys in code spans, diagrams in
//! fenced `mermaid` blocks.

use std::collections::BTreeSet;

use super::{Change, ModelDiff, RelRef, Shown, Subject};
use crate::emit::markdown::{code_span, fence};
use crate::emit::mermaid::Dialect;
use crate::emit::mermaid::c4::edge_label;
use crate::emit::mermaid::escape;
use crate::emit::mermaid::flowchart::{FlowEdge, FlowGraph, FlowItem, render_graph};
use crate::model::palette;
use crate::model::style::Style;
use crate::pipeline::Compiled;
use crate::terminal_text;
use crate::view::lift::Said;
use crate::view::{Content, View};

fn rel(r: &RelRef) -> String {
    let arrow = match r.arrow {
        crate::syntax::ast::Arrow::Sync => "->",
        crate::syntax::ast::Arrow::Async => "~>",
        crate::syntax::ast::Arrow::Both => "<->",
    };
    match &r.label {
        Some(l) => format!("{} {arrow} {} \"{l}\"", r.source, r.target),
        None => format!("{} {arrow} {}", r.source, r.target),
    }
}

/// One change a view shows: `removed relationship a -> b "Label"`.
fn shown_text(s: &Shown) -> String {
    let change = match s.change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
        Change::Moved => "moved",
    };
    match &s.subject {
        Subject::Element(id) => format!("{change} element {id}"),
        Subject::Relationship(r) => format!("{change} relationship {}", rel(r)),
        Subject::DeploymentItem(p) => format!("{change} deployment item {p}"),
        Subject::Part(p) => format!("{change} {p}"),
    }
}

/// What a view shows of the change, on one line (unescaped).
fn shows_text(shows: &[Shown]) -> String {
    if shows.is_empty() {
        return "its drawing changed".into();
    }
    shows.iter().map(shown_text).collect::<Vec<_>>().join("; ")
}

/// Lines of the diff: (marker, text), marker one of `+ - ~ >`; each text
/// one visible line.
fn lines(d: &ModelDiff) -> Vec<(char, String)> {
    let mut out = raw_lines(d);
    for (_, l) in &mut out {
        if let std::borrow::Cow::Owned(shown) = terminal_text::line(l) {
            *l = shown;
        }
    }
    out
}

/// The lines of the diff, with the model's values as they are.
fn raw_lines(d: &ModelDiff) -> Vec<(char, String)> {
    let mut out = Vec::new();
    for e in &d.added_elements {
        out.push(('+', format!("element {} ({} \"{}\")", e.id, e.kind, e.name)));
    }
    for e in &d.removed_elements {
        out.push(('-', format!("element {} ({} \"{}\")", e.id, e.kind, e.name)));
    }
    for m in &d.moved_elements {
        out.push(('>', format!("element {} moved to {}", m.from, m.to)));
        for c in &m.changes {
            out.push(('~', format!("  {}: \"{}\" → \"{}\"", c.field, c.old, c.new)));
        }
    }
    for e in &d.changed_elements {
        out.push(('~', format!("element {}", e.id)));
        for c in &e.changes {
            out.push(('~', format!("  {}: \"{}\" → \"{}\"", c.field, c.old, c.new)));
        }
    }
    for r in &d.added_relationships {
        out.push(('+', format!("relationship {}", rel(r))));
    }
    for r in &d.removed_relationships {
        out.push(('-', format!("relationship {}", rel(r))));
    }
    for c in &d.changed_relationships {
        out.push(('~', format!("relationship {}", rel(&c.rel))));
        for f in &c.changes {
            out.push(('~', format!("  {}: \"{}\" → \"{}\"", f.field, f.old, f.new)));
        }
    }
    for p in &d.added_deployment_items {
        out.push(('+', format!("deployment item {p}")));
    }
    for p in &d.removed_deployment_items {
        out.push(('-', format!("deployment item {p}")));
    }
    for e in &d.changed_deployment_items {
        out.push(('~', format!("deployment item {}", e.id)));
        for c in &e.changes {
            out.push(('~', format!("  {}: \"{}\" → \"{}\"", c.field, c.old, c.new)));
        }
    }
    for p in &d.added_parts {
        out.push(('+', p.clone()));
    }
    for p in &d.removed_parts {
        out.push(('-', p.clone()));
    }
    for e in &d.changed_parts {
        out.push(('~', e.id.clone()));
        for c in &e.changes {
            out.push(('~', format!("  {}: \"{}\" → \"{}\"", c.field, c.old, c.new)));
        }
    }
    for v in &d.added_views {
        out.push(('+', format!("view {v}")));
    }
    for v in &d.removed_views {
        out.push(('-', format!("view {v}")));
    }
    out
}

/// Terminal text; `color` adds ANSI colours.
pub fn text(d: &ModelDiff, color: bool) -> String {
    if d.is_empty() {
        return "no architecture changes\n".into();
    }
    let mut out = String::new();
    for (m, l) in lines(d) {
        let (start, end) = match (color, m) {
            (false, _) => ("", ""),
            (true, '+') => ("\x1b[32m", "\x1b[0m"),
            (true, '-') => ("\x1b[31m", "\x1b[0m"),
            (true, _) => ("\x1b[33m", "\x1b[0m"),
        };
        out.push_str(&format!("{start}{m} {l}{end}\n"));
    }
    if !d.affected_views.is_empty() {
        out.push_str("\naffected views:\n");
        for v in &d.affected_views {
            let line = format!("{}: {}", v.key, shows_text(&v.shows));
            out.push_str(&format!("  {}\n", terminal_text::line(&line)));
        }
    }
    out
}

/// JSON (pretty, ends with a newline; hidden characters in values are
/// `\uXXXX` escapes, see [`terminal_text::json`]).
pub fn json(d: &ModelDiff) -> String {
    #[derive(serde::Serialize)]
    struct Summary {
        elements_added: usize,
        elements_removed: usize,
        elements_changed: usize,
        elements_moved: usize,
        relationships_added: usize,
        relationships_removed: usize,
        relationships_changed: usize,
        deployment_added: usize,
        deployment_removed: usize,
        deployment_changed: usize,
        parts_added: usize,
        parts_removed: usize,
        parts_changed: usize,
        views_added: usize,
        views_removed: usize,
        total: usize,
    }
    #[derive(serde::Serialize)]
    struct Document<'a> {
        schema: &'static str,
        summary: Summary,
        #[serde(flatten)]
        diff: &'a ModelDiff,
    }
    let counts = [
        d.added_elements.len(),
        d.removed_elements.len(),
        d.changed_elements.len(),
        d.moved_elements.len(),
        d.added_relationships.len(),
        d.removed_relationships.len(),
        d.changed_relationships.len(),
        d.added_deployment_items.len(),
        d.removed_deployment_items.len(),
        d.changed_deployment_items.len(),
        d.added_parts.len(),
        d.removed_parts.len(),
        d.changed_parts.len(),
        d.added_views.len(),
        d.removed_views.len(),
    ];
    let [ea, er, ec, em, ra, rr, rc, da, dr, dc, pa, pr, pc, va, vr] = counts;
    let doc = Document {
        schema: "c4c-diff/2",
        summary: Summary {
            elements_added: ea,
            elements_removed: er,
            elements_changed: ec,
            elements_moved: em,
            relationships_added: ra,
            relationships_removed: rr,
            relationships_changed: rc,
            deployment_added: da,
            deployment_removed: dr,
            deployment_changed: dc,
            parts_added: pa,
            parts_removed: pr,
            parts_changed: pc,
            views_added: va,
            views_removed: vr,
            total: counts.iter().sum(),
        },
        diff: d,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    terminal_text::json(s)
}

/// Markdown for a pull-request comment. With `limit`, the report stays under
/// that many bytes (GitHub refuses comments over 65,536 characters): the list of
/// changes is cut first to half the budget, then views are drawn in key order
/// while they fit, and the rest are named.
pub fn markdown(d: &ModelDiff, old: &[Compiled], new: &[Compiled], limit: Option<usize>) -> String {
    let mut out = String::from("## Architecture changes\n\n");
    if d.is_empty() {
        out.push_str("No architecture changes.\n");
        return out;
    }
    let count = |n: usize| n.to_string();
    out.push_str("| | added | removed | changed | moved |\n|---|---:|---:|---:|---:|\n");
    out.push_str(&format!(
        "| elements | {} | {} | {} | {} |\n",
        count(d.added_elements.len()),
        count(d.removed_elements.len()),
        count(d.changed_elements.len()),
        count(d.moved_elements.len())
    ));
    out.push_str(&format!(
        "| relationships | {} | {} | {} | |\n",
        count(d.added_relationships.len()),
        count(d.removed_relationships.len()),
        count(d.changed_relationships.len())
    ));
    out.push_str(&format!(
        "| deployment | {} | {} | {} | |\n",
        count(d.added_deployment_items.len()),
        count(d.removed_deployment_items.len()),
        count(d.changed_deployment_items.len())
    ));
    if !(d.added_parts.is_empty() && d.removed_parts.is_empty() && d.changed_parts.is_empty()) {
        out.push_str(&format!(
            "| meshes, CDNs, deployment links | {} | {} | {} | |\n",
            count(d.added_parts.len()),
            count(d.removed_parts.len()),
            count(d.changed_parts.len())
        ));
    }
    out.push_str(&format!(
        "| views | {} | {} | | |\n\n",
        count(d.added_views.len()),
        count(d.removed_views.len())
    ));
    let all = lines(d);
    let mut body = String::new();
    for (i, (m, l)) in all.iter().enumerate() {
        let line = format!("{m} {l}\n");
        if limit.is_some_and(|max| body.len() + line.len() > max / 2) {
            body.push_str(&format!(
                "… {} more (run `c4c diff --format text` for the full list)\n",
                all.len() - i
            ));
            break;
        }
        body.push_str(&line);
    }
    let list_fence = fence(&body);
    if all.len() > 20 {
        out.push_str(&format!(
            "<details><summary>All {} changes</summary>\n\n{list_fence}diff\n{body}{list_fence}\n\n</details>\n\n",
            all.len()
        ));
    } else {
        out.push_str(&format!("{list_fence}diff\n{body}{list_fence}\n\n"));
    }
    let drawn = drawn_views(d, old, new)
        .into_iter()
        .map(|v| {
            (
                v.key,
                Highlighted {
                    text: v.text,
                    plain: v.plain,
                },
            )
        })
        .collect();
    views_part(drawn, limit, &mut out);
    out
}

/// An affected or added view's diagram in a diff report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnView {
    pub key: String,
    /// Mermaid text: the new view with the change highlighted.
    pub text: String,
    /// Drawn as it is now, without highlighting (code, state, dynamic views).
    pub plain: bool,
}

/// The diagrams of the affected and added views, in key order, the change
/// highlighted (what the Markdown report draws; also `c4c serve --git`).
pub fn drawn_views(d: &ModelDiff, old: &[Compiled], new: &[Compiled]) -> Vec<DrawnView> {
    // One renderer per model: it caches element labels and styles across views.
    let renderers: Vec<_> = new
        .iter()
        .map(|c| crate::emit::mermaid::c4::Renderer::new(&c.model))
        .collect();
    // The affected views and the added ones (all new), in key order, drawn
    // on all cores.
    let mut keys: Vec<&String> = d
        .affected_views
        .iter()
        .map(|v| &v.key)
        .chain(&d.added_views)
        .collect();
    keys.sort();
    keys.dedup();
    let render = |keys: &[&String]| -> Vec<DrawnView> {
        keys.iter()
            .filter_map(|key| {
                let h = highlighted(d, old, new, &renderers, key)?;
                Some(DrawnView {
                    key: key.to_string(),
                    text: h.text,
                    plain: h.plain,
                })
            })
            .collect()
    };
    crate::parallel::map_chunks(&keys, 8, 8, render)
        .into_iter()
        .flatten()
        .collect()
}

/// Views drawn in full; the others fold into a `<details>` block.
const OPEN_VIEWS: usize = 3;

/// The diagrams of the report: a legend, each distinct diagram once (under
/// the keys of every view drawing it), the first [`OPEN_VIEWS`] open and the
/// rest folded, within `limit` bytes (the views left out named at the end).
fn views_part(drawn: Vec<(String, Highlighted)>, limit: Option<usize>, out: &mut String) {
    // Identical diagrams (but for the comment line naming the view) once.
    let mut groups: Vec<(Vec<String>, Highlighted)> = Vec::new();
    let mut by_body: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (key, h) in drawn {
        let body = h.text.split_once('\n').map_or("", |(_, b)| b).to_string();
        match by_body.get(&body) {
            Some(&i) => groups[i].0.push(key),
            None => {
                by_body.insert(body, groups.len());
                groups.push((vec![key], h));
            }
        }
    }
    if groups.iter().any(|(_, h)| !h.plain) {
        out.push_str(
            "Legend: green boxes and lines are added, yellow ones changed or moved, \
             dashed red ones removed (drawn from the old model); a red line names only \
             what was removed.\n\n",
        );
    }
    // Room kept for the note naming the views left out, and the fold.
    let note_room = limit.map_or(2_000, |max| (max / 10).clamp(200, 2_000));
    let folded: usize = groups.iter().skip(OPEN_VIEWS).map(|(k, _)| k.len()).sum();
    let fold = format!(
        "<details><summary>{folded} more view{}</summary>\n\n",
        if folded == 1 { "" } else { "s" }
    );
    let mut left_out = Vec::new();
    for (i, (keys, Highlighted { text, plain })) in groups.into_iter().enumerate() {
        let fence = fence(&text);
        let note = if plain {
            "_Drawn as it is now (this kind of view is not highlighted)._\n\n"
        } else {
            ""
        };
        let names: Vec<String> = keys.iter().map(|k| code_span(k)).collect();
        let heading = match names.as_slice() {
            [one] => format!("### View {one}\n\n"),
            many => format!(
                "### Views {}\n\n_These {} views draw the same diagram._\n\n",
                many.join(", "),
                many.len()
            ),
        };
        let mut section = format!("{heading}{note}{fence}mermaid\n{text}{fence}\n\n");
        if i == OPEN_VIEWS {
            section.insert_str(0, &fold);
        }
        let fits = limit.is_none_or(|max| out.len() + section.len() + note_room <= max);
        if fits {
            out.push_str(&section);
        } else {
            if i == OPEN_VIEWS {
                out.push_str(&fold);
            }
            left_out.extend(keys);
        }
    }
    if folded > 0 {
        out.push_str("</details>\n\n");
    }
    if !left_out.is_empty() {
        let mut note = format!(
            "_{} more affected view(s) not drawn, to keep this comment under the size limit:",
            left_out.len()
        );
        for (i, key) in left_out.iter().enumerate() {
            if note.len() + key.len() + 4 > note_room.saturating_sub(150) {
                note.push_str(&format!(" … and {} more", left_out.len() - i));
                break;
            }
            note.push_str(&format!(" {}", code_span(key)));
        }
        note.push_str(" (see `c4c diff --format markdown --comment-limit 0`)._\n");
        out.push_str(&note);
    }
}

/// What identifies a relationship across the two sides of a diff: source,
/// target, arrow and label (two relationships between one pair are two
/// edges, and only the one that changed is highlighted).
type RelKey = (String, String, crate::syntax::ast::Arrow, Option<String>);

/// The [`RelKey`]s of the model relationships `rels`.
fn rel_keys(c: &Compiled, rels: &[crate::model::RelId]) -> Vec<RelKey> {
    rels.iter()
        .map(|r| {
            let (a, b) = c.model.ends(*r);
            let rel = c.model.relationship(*r);
            (
                c.model.element(a).path.clone(),
                c.model.element(b).path.clone(),
                rel.arrow,
                rel.label.clone(),
            )
        })
        .collect()
}

fn rel_key(r: &RelRef) -> RelKey {
    (r.source.clone(), r.target.clone(), r.arrow, r.label.clone())
}

fn mark(style: &mut Style, c: palette::Colours) {
    style.fill = Some(c.fill.into());
    style.stroke = Some(c.stroke.into());
    style.color = Some(c.text.into());
    style.stroke_width = Some("3px".into());
}

/// Restyles the nodes of a flowchart tree: added green, changed yellow.
fn mark_items(items: &mut [FlowItem], added: &BTreeSet<&str>, changed: &BTreeSet<&str>) {
    for item in items {
        match item {
            FlowItem::Node {
                key, class, style, ..
            } => {
                if added.contains(key.as_str()) {
                    *class = "c4c_added".into();
                    mark(style, palette::ADDED);
                } else if changed.contains(key.as_str()) {
                    *class = "c4c_changed".into();
                    mark(style, palette::CHANGED);
                }
            }
            FlowItem::Subgraph { children, .. } => mark_items(children, added, changed),
        }
    }
}

fn has_key(items: &[FlowItem], wanted: &str) -> bool {
    items.iter().any(|i| match i {
        FlowItem::Node { key, .. } => key == wanted,
        FlowItem::Subgraph { key, children, .. } => key == wanted || has_key(children, wanted),
    })
}

/// The graph of a deployment, mesh or CDN view (`None` for other kinds and
/// views too large to draw).
fn graph_apart(c: &Compiled, v: &View) -> Option<FlowGraph> {
    use crate::emit::mermaid::{cdn, deployment, mesh};
    if v.overflow.is_some() {
        return None;
    }
    match &v.content {
        Content::Deployment(dv) => Some(deployment::graph(&c.model, v, dv)),
        Content::Mesh(mv) if !mv.too_large(&c.model) => Some(mesh::graph(&c.model, v, mv)),
        Content::Cdn(cv) => cdn::graph(&c.model, v, cv),
        _ => None,
    }
}

/// The diagram of a view that is not a C4 flowchart: a deployment, mesh or
/// CDN view highlighted against the old side's drawing
/// ([`super::redraw`]); a code, state or dynamic view as it is drawn.
fn drawn_apart(old: &[Compiled], c: &Compiled, view: &View) -> Option<Highlighted> {
    let Some(mut g) = graph_apart(c, view) else {
        let text = crate::emit::mermaid::render(&c.model, view, Dialect::Flowchart);
        return (!text.is_empty()).then_some(Highlighted { text, plain: true });
    };
    let was = old
        .iter()
        .find_map(|oc| oc.views.iter().find(|v| v.key == view.key).map(|v| (oc, v)))
        .and_then(|(oc, ov)| graph_apart(oc, ov));
    super::redraw::highlight(was.as_ref(), &mut g);
    Some(Highlighted {
        text: render_graph(&g),
        plain: false,
    })
}

/// A view's diagram in the report; `plain`: drawn without highlighting.
struct Highlighted {
    text: String,
    plain: bool,
}

/// The new view's diagram with the change highlighted (C4 flowchart views):
/// added elements and edges green, changed or moved ones yellow, and removed
/// ones drawn from the old model, dashed red.
fn highlighted(
    d: &ModelDiff,
    old: &[Compiled],
    new: &[Compiled],
    renderers: &[crate::emit::mermaid::c4::Renderer],
    key: &str,
) -> Option<Highlighted> {
    let (i, c, view) = new
        .iter()
        .enumerate()
        .find_map(|(i, c)| c.views.iter().find(|v| v.key == key).map(|v| (i, c, v)))?;
    if view.overflow.is_some() {
        return None; // not drawn
    }
    let Some(sv) = view.as_static() else {
        return drawn_apart(old, c, view);
    };
    let mut g = renderers.get(i)?.graph(view);
    let added: BTreeSet<&str> = d.added_elements.iter().map(|e| e.id.as_str()).collect();
    let changed: BTreeSet<&str> = d
        .changed_elements
        .iter()
        .map(|e| e.id.as_str())
        .chain(d.moved_elements.iter().map(|m| m.to.as_str()))
        .collect();
    mark_items(&mut g.items, &added, &changed);

    let added_rels: BTreeSet<_> = d.added_relationships.iter().map(rel_key).collect();
    let changed_rels: BTreeSet<_> = d
        .changed_relationships
        .iter()
        .map(|r| rel_key(&r.rel))
        .collect();
    // What each drawn edge stands for: the plain edges, then a flow's steps
    // (each the relationships it follows), in the graph's order.
    let mut stands_for: Vec<&[crate::model::RelId]> = sv
        .edges
        .iter()
        .map(|e| e.relationships.as_slice())
        .chain(sv.fold_edges.iter().map(|e| e.relationships.as_slice()))
        .collect();
    if let crate::view::Content::Flow(f) = &view.content {
        stands_for.extend(f.steps.iter().map(|s| s.follows.as_slice()));
    }
    for (fe, rels) in g.edges.iter_mut().zip(stands_for) {
        let keys = rel_keys(c, rels);
        if keys.iter().any(|k| added_rels.contains(k)) {
            fe.style.stroke = Some(palette::ADDED.stroke.into());
            fe.style.stroke_width = Some("3px".into());
        } else if keys.iter().any(|k| changed_rels.contains(k)) {
            fe.style.stroke = Some(palette::CHANGED.stroke.into());
            fe.style.stroke_width = Some("3px".into());
        }
    }

    draw_removed(d, old, key, &mut g);
    Some(Highlighted {
        text: render_graph(&g),
        plain: false,
    })
}

/// How a removed box or edge is drawn: dashed, in [`palette::REMOVED`].
pub(super) fn removed_style() -> Style {
    Style {
        fill: Some(palette::REMOVED.fill.into()),
        stroke: Some(palette::REMOVED.stroke.into()),
        color: Some(palette::REMOVED.text.into()),
        dashed: Some(true),
        ..Style::default()
    }
}

/// Removed elements and relationships, as the old view showed them, added
/// to the new view's graph in dashed red.
fn draw_removed(d: &ModelDiff, old: &[Compiled], key: &str, g: &mut FlowGraph) {
    let removed: BTreeSet<&str> = d.removed_elements.iter().map(|e| e.id.as_str()).collect();
    let removed_rels: BTreeSet<_> = d.removed_relationships.iter().map(rel_key).collect();
    let red = removed_style();
    if let Some((oc, ov)) = old
        .iter()
        .find_map(|c| c.views.iter().find(|v| v.key == key).map(|v| (c, v)))
    {
        for e in ov.nodes() {
            let el = oc.model.element(*e);
            if removed.contains(el.path.as_str()) && !has_key(&g.items, &el.path) {
                g.items.push(FlowItem::Node {
                    key: el.path.clone(),
                    label: format!(
                        "<b>{}</b><br/>[removed {}]",
                        escape::label(&el.name),
                        escape::label(&el.kind)
                    ),
                    shape: crate::model::Shape::Box,
                    class: "c4c_removed".into(),
                    style: red.clone(),
                });
            }
        }
        for ve in ov.edges() {
            // The removed relationships of the edge: only they are drawn red
            // (the others stay on the new view's edge).
            let gone: Vec<crate::model::RelId> = ve
                .relationships
                .iter()
                .copied()
                .filter(|r| {
                    rel_keys(oc, std::slice::from_ref(r))
                        .iter()
                        .any(|k| removed_rels.contains(k))
                })
                .collect();
            let (from, to) = (
                oc.model.element(ve.source).path.clone(),
                oc.model.element(ve.target).path.clone(),
            );
            let gone_end = removed.contains(from.as_str()) || removed.contains(to.as_str());
            // Every relationship of an edge to a removed element is removed.
            let said = if gone_end {
                Said::of(&oc.model, &ve.relationships)
            } else {
                Said::of(&oc.model, &gone)
            };
            if (!gone.is_empty() || gone_end) && has_key(&g.items, &from) && has_key(&g.items, &to)
            {
                g.edges.push(FlowEdge {
                    from,
                    to,
                    arrow: ve.arrow,
                    style: Style {
                        stroke: Some(palette::REMOVED.stroke.into()),
                        color: Some(palette::REMOVED.text.into()),
                        dashed: Some(true),
                        ..Style::default()
                    },
                    label: Some(
                        match edge_label(
                            said.label.as_deref(),
                            said.step.as_deref(),
                            said.technology.as_deref(),
                        ) {
                            Some(l) => format!("removed: {l}"),
                            None => "removed".into(),
                        },
                    ),
                });
            }
        }
    }
}
