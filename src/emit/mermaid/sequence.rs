//! Dynamic view generator: a [`Dynamic`] → Mermaid `sequenceDiagram`.
//!
//! In: the model and a dynamic view. Out: participants in order of first
//! appearance (`actor` for people, `participant` for the rest, named by the
//! element's name), messages (`->>` calls, `-)` asynchronous, `-->>` replies),
//! notes, `par … and … end` for parallel blocks, optional `autonumber`. No
//! `style` lines: Mermaid rejects them in sequence diagrams.

use indexmap::IndexMap;

use super::escape::{self, IdMap};
use crate::model::dynamic::{Dynamic, Step};
use crate::model::{BaseKind, ElementId, Model, ViewDef};

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
                    "~>" => (a, b, "-)"),
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
pub fn render(model: &Model, def: &ViewDef, d: &Dynamic) -> String {
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
