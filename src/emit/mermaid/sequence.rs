//! Dynamic view generator: a [`Dynamic`] → Mermaid `sequenceDiagram`.
//!
//! In: the model and a dynamic view. Out: participants in order of first
//! appearance (`actor` for people, `participant` for the rest, named by the
//! element's name; with `boxes`, grouped in one `box` per enclosing system or
//! container), messages (`->>` calls, `--)` asynchronous (dashed), `-->>`
//! replies), notes, `par … and … end` for parallel groups, the control-flow
//! blocks (`alt`/`else`, `opt`, `loop`, `par`/`and`, `break`,
//! `critical`/`option`, each closed by `end`), and the numbers: Mermaid's
//! `autonumber`, or written into the message text. Labels go through
//! [`escape::sequence_text`]. No `style` lines: Mermaid rejects them in
//! sequence diagrams.

use indexmap::IndexMap;

use super::escape::{self, IdMap};
use super::wrap;
use crate::model::dynamic::{Dynamic, Message, MsgArrow, Step, messages};
use crate::model::{BaseKind, ElementId, Model};
use crate::syntax::ast::{BoxLevel, Numbering};
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
            Step::Block { sections, .. } => {
                for s in sections {
                    collect(&s.steps, out);
                }
            }
        }
    }
}

/// What [`write`] carries: the participants' ids, and the numbers to write
/// into the message text (`autonumber text`), in message order.
struct Writer<'a> {
    ids: &'a IndexMap<ElementId, String>,
    numbers: Option<std::vec::IntoIter<Message>>,
    out: String,
}

impl Writer<'_> {
    fn write(&mut self, steps: &[Step], depth: usize) {
        let indent = "  ".repeat(depth + 1);
        for s in steps {
            match s {
                Step::Message {
                    from,
                    to,
                    arrow,
                    text,
                    ..
                } => {
                    let (a, b) = (&self.ids[from], &self.ids[to]);
                    let (src, dst, line) = match arrow {
                        MsgArrow::Async => (a, b, "--)"),
                        MsgArrow::Reply => (b, a, "-->>"),
                        MsgArrow::AsyncReply => (b, a, "--)"),
                        MsgArrow::Call => (a, b, "->>"),
                    };
                    let mut text = text.clone();
                    if let Some(m) = self.numbers.as_mut().and_then(Iterator::next) {
                        text = Some(format!("{}. {}", m.number, text.unwrap_or_default()));
                    }
                    let text = match text.as_deref() {
                        // Escaping keeps a text's own `nowrap:` (`nowrap#58;`),
                        // so this prefix is the only one Mermaid sees.
                        Some(t) if !wrap::message_wraps(t) => {
                            format!("nowrap:{}", escape::sequence_text(t))
                        }
                        Some(t) => escape::sequence_text(t),
                        None => String::new(),
                    };
                    self.out
                        .push_str(&format!("{indent}{src}{line}{dst}: {text}\n"));
                }
                Step::Note { place, over, text } => {
                    let who: Vec<&str> = over.iter().map(|e| self.ids[e].as_str()).collect();
                    let place = match place.as_str() {
                        "left of" => "left of",
                        "right of" => "right of",
                        _ => "over",
                    };
                    self.out.push_str(&format!(
                        "{indent}Note {place} {}: {}\n",
                        who.join(","),
                        escape::sequence_text(text)
                    ));
                }
                Step::Parallel(inner) => {
                    if !has_content(inner) {
                        continue;
                    }
                    for (i, branch) in inner.iter().enumerate() {
                        let word = if i == 0 { "par" } else { "and" };
                        self.out.push_str(&format!("{indent}{word}\n"));
                        self.write(std::slice::from_ref(branch), depth + 1);
                    }
                    self.out.push_str(&format!("{indent}end\n"));
                }
                Step::Block { kind, sections } => {
                    if !sections.iter().any(|s| has_content(&s.steps)) {
                        // Mermaid draws a block with nothing inside with NaN sizes.
                        continue;
                    }
                    for (i, section) in sections.iter().enumerate() {
                        let word = if i == 0 {
                            kind.keyword()
                        } else {
                            kind.section_keyword().unwrap_or("else")
                        };
                        let label = section
                            .label
                            .as_deref()
                            .map(|l| format!(" {}", one_line(l)))
                            .unwrap_or_default();
                        self.out.push_str(&format!("{indent}{word}{label}\n"));
                        self.write(&section.steps, depth + 1);
                    }
                    self.out.push_str(&format!("{indent}end\n"));
                }
            }
        }
    }
}

/// Whether steps hold a message or a note, at any depth.
fn has_content(steps: &[Step]) -> bool {
    steps.iter().any(|s| match s {
        Step::Message { .. } | Step::Note { .. } => true,
        Step::Parallel(inner) => has_content(inner),
        Step::Block { sections, .. } => sections.iter().any(|s| has_content(&s.steps)),
    })
}

/// The box each participant is drawn in under `boxes`: its nearest enclosing
/// element of that level (not itself). Participants without one stay unboxed.
fn box_of(model: &Model, e: ElementId, level: BoxLevel) -> Option<ElementId> {
    let want = match level {
        BoxLevel::System => BaseKind::System,
        BoxLevel::Container => BaseKind::Container,
    };
    let mut at = model.element(e).parent;
    while let Some(p) = at {
        if model.element(p).base == want {
            return Some(p);
        }
        at = model.element(p).parent;
    }
    None
}

fn participant(model: &Model, e: ElementId, id: &str, indent: &str) -> String {
    let el = model.element(e);
    let word = if el.base == BaseKind::Person {
        "actor"
    } else {
        "participant"
    };
    format!(
        "{indent}{word} {id} as {}\n",
        escape::sequence_text(&el.name)
    )
}

/// The participant lines: in order of first appearance, or with `boxes`, one
/// `box` per enclosing element (at the place of its first participant), its
/// participants together inside it — Mermaid wants a box's participants
/// declared one after the other.
fn participants(model: &Model, d: &Dynamic, ids: &IndexMap<ElementId, String>) -> String {
    let mut out = String::new();
    let Some(level) = d.boxes else {
        for (e, id) in ids {
            out.push_str(&participant(model, *e, id, "  "));
        }
        return out;
    };
    // Each box (or lone participant) at its first participant's place.
    let mut groups: IndexMap<Result<ElementId, ElementId>, Vec<ElementId>> = IndexMap::new();
    for e in ids.keys() {
        let key = box_of(model, *e, level).ok_or(*e);
        groups.entry(key).or_default().push(*e);
    }
    for (key, members) in groups {
        match key {
            Ok(b) => {
                out.push_str(&format!(
                    "  box transparent {}\n",
                    one_line(&model.element(b).name)
                ));
                for e in members {
                    out.push_str(&participant(model, e, &ids[&e], "    "));
                }
                out.push_str("  end\n");
            }
            Err(e) => out.push_str(&participant(model, e, &ids[&e], "  ")),
        }
    }
    out
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
        "%% c4c · view {} · {}\n{}\nsequenceDiagram\n",
        escape::comment(&def.key),
        escape::comment(&def.title),
        super::wrap::sequence_init()
    );
    if d.numbering == Numbering::Mermaid {
        out.push_str("  autonumber\n");
    }
    out.push_str(&participants(model, d, &ids));
    let numbers = (d.numbering == Numbering::Text).then(|| messages(&d.steps).into_iter());
    let mut w = Writer {
        ids: &ids,
        numbers,
        out,
    };
    // The messages stand on a light panel: Mermaid writes their text and
    // lines straight on the page, and no colour reads on both GitHub's
    // white and dark pages; on the panel the directive's dark text and
    // grey lines do, whatever theme the site picks.
    let panel = has_content(&d.steps);
    if panel {
        w.out
            .push_str(&format!("  rect {}\n", super::wrap::sequence_panel()));
    }
    w.write(&d.steps, usize::from(panel));
    if panel {
        w.out.push_str("  end\n");
    }
    w.out
}

/// The same dynamic view as a numbered flowchart: one box per element, one
/// edge per message labelled `1. text` (parallel branches `3a.`, `3b.`, …);
/// replies and asynchronous messages dashed. A message inside control-flow
/// blocks says so before its text, one bracket per block from the outside
/// in: `4. [alt: in stock] Reserve`, `[else]`, `[loop: each item]`. Notes
/// are left out (a flowchart has nothing for them to stand beside).
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
    let edges = messages(&d.steps)
        .into_iter()
        .map(|m| {
            let arrow = if m.dashed { Arrow::Async } else { Arrow::Sync };
            FlowEdge {
                from: model.element(m.from).path.clone(),
                to: model.element(m.to).path.clone(),
                arrow,
                style: edge_style(model, arrow, &[]),
                label: Some(step_label(&m.number, &m.within, m.text.as_deref())),
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

/// The escaped label of a numbered step on a flowchart edge: its number,
/// the control-flow sections it is in (`[alt: in stock]`), its text.
pub(crate) fn step_label(number: &str, within: &[String], text: Option<&str>) -> String {
    let mut label = format!("{}.", escape::label(number));
    for guard in within {
        label.push_str(&format!(" [{}]", escape::label(guard)));
    }
    if let Some(t) = text {
        label.push_str(&format!(" {}", escape::label(t)));
    }
    label
}

/// A box title or block label: one line, blanks collapsed, escaped. Mermaid
/// lays out a box, `par` or `critical` whose title starts with a line break
/// or blanks outside its render tree, and the whole diagram is lost.
fn one_line(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    escape::sequence_text(&words.join(" "))
}
