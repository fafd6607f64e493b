//! Dynamic view generator: a [`Dynamic`] → Mermaid `sequenceDiagram`.
//!
//! In: the model and a dynamic view. Out: participants in order of first
//! appearance (`actor` for people, `participant` for the rest, named by the
//! element's name), messages (`->>` calls, `--)` asynchronous (dashed), `-->>` replies),
//! notes, `par … and … end` for parallel blocks, optional `autonumber`. No
//! `style` lines: Mermaid rejects them in sequence diagrams.

use indexmap::IndexMap;

use super::escape::{self, IdMap};
use crate::model::dynamic::{Dynamic, Step};
use crate::model::{BaseKind, ElementId, Model};
use crate::view::View;

fn collect(steps: &[Step], out: &mut Vec<ElementId>) {
    for s in steps {
        match s {
            Step::Message { from, to, .. } => {
                for e in [from, to] {
                    if !out.contains(e) {
                        out.push(*e);
                    }
                }
            }
            Step::Note { over, .. } => {
                for e in over {
                    if !out.contains(e) {
                        out.push(*e);
                    }
                }
            }
            Step::Parallel(inner) => collect(inner, out),
        }
    }
}

fn write(steps: &[Step], ids: &IndexMap<ElementId, String>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth + 1);
    for s in steps {
        match s {
            Step::Message {
                from,
                to,
                arrow,
                text,
            } => {
                let (a, b) = (&ids[from], &ids[to]);
                let (src, dst, line) = match arrow.as_str() {
                    "~>" => (a, b, "--)"),
                    "<-" => (b, a, "-->>"),
                    "<~" => (b, a, "--)"),
                    _ => (a, b, "->>"),
                };
                let text = text
                    .as_deref()
                    .map(escape::sequence_text)
                    .unwrap_or_default();
                out.push_str(&format!("{indent}{src}{line}{dst}: {text}\n"));
            }
            Step::Note { place, over, text } => {
                let who: Vec<&str> = over.iter().map(|e| ids[e].as_str()).collect();
                let place = match place.as_str() {
                    "left of" => "left of",
                    "right of" => "right of",
                    _ => "over",
                };
                out.push_str(&format!(
                    "{indent}Note {place} {}: {}\n",
                    who.join(","),
                    escape::sequence_text(text)
                ));
            }
            Step::Parallel(inner) => {
                for (i, branch) in inner.iter().enumerate() {
                    out.push_str(&format!("{indent}{}\n", if i == 0 { "par" } else { "and" }));
                    write(std::slice::from_ref(branch), ids, depth + 1, out);
                }
                if !inner.is_empty() {
                    out.push_str(&format!("{indent}end\n"));
                }
            }
        }
    }
}

/// Renders a dynamic view.
pub fn render(model: &Model, def: &View, d: &Dynamic) -> String {
    let mut order = Vec::new();
    collect(&d.steps, &mut order);
    let mut idmap = IdMap::new();
    let ids: IndexMap<ElementId, String> = order
        .iter()
        .map(|e| (*e, idmap.id(&model.element(*e).path)))
        .collect();
    let mut out = format!(
        "%% c4c · view {} · {}\nsequenceDiagram\n",
        escape::comment(&def.key),
        escape::comment(&def.title)
    );
    if d.autonumber {
        out.push_str("  autonumber\n");
    }
    for (e, id) in &ids {
        let el = model.element(*e);
        let word = if el.base == BaseKind::Person {
            "actor"
        } else {
            "participant"
        };
        out.push_str(&format!(
            "  {word} {id} as {}\n",
            escape::sequence_text(&el.name)
        ));
    }
    write(&d.steps, &ids, 0, &mut out);
    out
}

/// The same dynamic view as a numbered flowchart: one box per element, one
/// edge per message labelled `1. text` (parallel branches `3a.`, `3b.`, …);
/// replies and asynchronous messages dashed. Notes are left out.
pub fn flowchart(model: &Model, def: &View, d: &Dynamic) -> String {
    use super::c4::element_label;
    use super::flowchart::{FlowEdge, FlowGraph, FlowItem, render_graph};
    use crate::model::Shape;
    use crate::model::style::{edge_style, element_style};
    use crate::syntax::ast::Arrow;

    let mut order = Vec::new();
    collect(&d.steps, &mut order);
    let items = order
        .iter()
        .map(|e| {
            let (style, class) = element_style(model, *e);
            FlowItem::Node {
                key: model.element(*e).path.clone(),
                label: element_label(model, *e),
                shape: style
                    .shape
                    .unwrap_or(Shape::default_for(model.element(*e).base)),
                class,
                style,
            }
        })
        .collect();
    let numbered = messages(&d.steps);
    let edges = numbered
        .into_iter()
        .map(|(n, a, b, dashed, text)| {
            let arrow = if dashed { Arrow::Async } else { Arrow::Sync };
            let label = match text {
                Some(t) => format!("{n}. {}", escape::label(&t)),
                None => format!("{n}."),
            };
            FlowEdge {
                from: model.element(a).path.clone(),
                to: model.element(b).path.clone(),
                arrow,
                style: edge_style(model, arrow, &[]),
                label: Some(label),
            }
        })
        .collect();
    render_graph(&FlowGraph {
        key: def.key.clone(),
        title: def.title.clone(),
        direction: def.direction,
        items,
        edges,
        node_frame: None,
    })
}

/// One message of a dynamic view, flattened: (its number — `1`, `2`, and
/// `3a`, `3b` for parallel branches —, sender, receiver, asynchronous, text).
/// A reply (`a <- b`) is sent by `b`. Notes are left out.
pub(crate) type Message = (String, ElementId, ElementId, bool, Option<String>);

/// The messages of a dynamic view in order, parallel branches flattened.
pub(crate) fn messages(steps: &[Step]) -> Vec<Message> {
    let mut out = Vec::new();
    number(steps, None, &mut 0, &mut out);
    out
}

fn number(steps: &[Step], prefix: Option<usize>, counter: &mut usize, out: &mut Vec<Message>) {
    for (i, s) in steps.iter().enumerate() {
        match s {
            Step::Message {
                from,
                to,
                arrow,
                text,
            } => {
                let n = match prefix {
                    Some(p) => format!("{p}{}", (b'a' + (i % 26) as u8) as char),
                    None => {
                        *counter += 1;
                        counter.to_string()
                    }
                };
                let (a, b) = if arrow.starts_with('<') {
                    (*to, *from)
                } else {
                    (*from, *to)
                };
                out.push((n, a, b, arrow != "->", text.clone()));
            }
            Step::Parallel(inner) => {
                *counter += 1;
                number(inner, Some(*counter), counter, out);
            }
            Step::Note { .. } => {}
        }
    }
}
