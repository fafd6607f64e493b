//! Diff reports: text for the terminal, JSON for tools, Markdown for a pull
//! request comment.
//!
//! In: a [`ModelDiff`] (and, for Markdown, the new and old compilations).
//! Out: text. The JSON shape is the serde form of [`ModelDiff`], documented in
//! `docs/ci.md`. The Markdown has a summary table, the lists (collapsed when
//! long), and for each affected view the new diagram with added elements
//! green, changed ones amber, and removed ones drawn from the old model in
//! dashed red.

use super::{ModelDiff, RelRef};
use crate::Compiled;

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

/// Lines of the diff: (marker, text), marker one of `+ - ~ >`.
fn lines(d: &ModelDiff) -> Vec<(char, String)> {
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
        for (k, what) in &d.affected_views {
            out.push_str(&format!("  {k}: {}\n", what.join(", ")));
        }
    }
    out
}

/// JSON (pretty, ends with a newline).
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
        d.added_views.len(),
        d.removed_views.len(),
    ];
    let [ea, er, ec, em, ra, rr, rc, da, dr, dc, va, vr] = counts;
    let doc = Document {
        schema: "c4c-diff/1",
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
            views_added: va,
            views_removed: vr,
            total: counts.iter().sum(),
        },
        diff: d,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// Markdown for a pull-request comment.
pub fn markdown(d: &ModelDiff, old: &[Compiled], new: &[Compiled]) -> String {
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
    out.push_str(&format!(
        "| views | {} | {} | | |\n\n",
        count(d.added_views.len()),
        count(d.removed_views.len())
    ));
    let all = lines(d);
    let body: String = all.iter().map(|(m, l)| format!("{m} {l}\n")).collect();
    if all.len() > 20 {
        out.push_str(&format!(
            "<details><summary>All {} changes</summary>\n\n```diff\n{body}```\n\n</details>\n\n",
            all.len()
        ));
    } else {
        out.push_str(&format!("```diff\n{body}```\n\n"));
    }
    for key in d.affected_views.keys() {
        if let Some(text) = highlighted(d, old, new, key) {
            out.push_str(&format!("### View `{key}`\n\n```mermaid\n{text}```\n\n"));
        }
    }
    out
}

/// The new view's diagram with the change highlighted (flowchart views only).
fn highlighted(d: &ModelDiff, old: &[Compiled], new: &[Compiled], key: &str) -> Option<String> {
    use crate::emit::mermaid::escape;
    let (c, view) = new
        .iter()
        .find_map(|c| c.views.iter().find(|v| v.key == key).map(|v| (c, v)))?;
    if view.deployment.is_some() || view.mesh.is_some() {
        return None;
    }
    let mut text = crate::emit::mermaid::flowchart(&c.model, view);
    if !text.contains("\nflowchart ") {
        return None;
    }
    // Mermaid ids of the view's elements, by path (the renderer's readable ids).
    let ids: Vec<(String, String)> = view
        .nodes
        .iter()
        .map(|e| {
            let p = c.model.element(*e).path.clone();
            let id = p.replace('.', "_");
            (p, id)
        })
        .filter(|(_, id)| text.contains(&format!("\n  {id}")) || text.contains(&format!(" {id}[")))
        .collect();
    let id_of = |p: &str| ids.iter().find(|(q, _)| q == p).map(|(_, id)| id.clone());
    let added: Vec<String> = d
        .added_elements
        .iter()
        .filter_map(|e| id_of(&e.id))
        .collect();
    let changed: Vec<String> = d
        .changed_elements
        .iter()
        .map(|e| e.id.as_str())
        .chain(d.moved_elements.iter().map(|m| m.to.as_str()))
        .filter_map(id_of)
        .collect();
    // Removed elements, drawn from the old model.
    let mut removed_lines = String::new();
    let mut removed_ids = Vec::new();
    for e in &d.removed_elements {
        let shown_before = old.iter().any(|c| {
            c.views
                .iter()
                .any(|v| v.key == key && v.nodes.iter().any(|x| c.model.element(*x).path == e.id))
        });
        if shown_before {
            let id = format!("removed_{}", e.id.replace('.', "_"));
            removed_lines.push_str(&format!(
                "  {id}[\"<b>{}</b><br/>[removed]\"]\n",
                escape::label(&e.name)
            ));
            removed_ids.push(id);
        }
    }
    text.push_str(&removed_lines);
    let mut classes = String::new();
    if !added.is_empty() {
        classes.push_str(
            "  classDef c4c_added fill:#2DA44E,stroke:#116329,color:#fff,stroke-width:3px\n",
        );
        classes.push_str(&format!("  class {} c4c_added\n", added.join(",")));
    }
    if !changed.is_empty() {
        classes.push_str(
            "  classDef c4c_changed fill:#D4A72C,stroke:#7D4E00,color:#000,stroke-width:3px\n",
        );
        classes.push_str(&format!("  class {} c4c_changed\n", changed.join(",")));
    }
    if !removed_ids.is_empty() {
        classes.push_str("  classDef c4c_removed fill:#FFEBE9,stroke:#CF222E,color:#CF222E,stroke-dasharray:5 5\n");
        classes.push_str(&format!("  class {} c4c_removed\n", removed_ids.join(",")));
    }
    text.push_str(&classes);
    Some(text)
}
