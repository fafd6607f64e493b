//! State-machine view generator: a [`StateMachine`] → Mermaid `stateDiagram-v2`.
//!
//! In: the model's state machine. Out: states (labelled with `state "…" as id`
//! when they have a label or an id Mermaid reserves), composite states as
//! nested `state X { … }`, transitions with their event labels, and notes.

use std::collections::HashMap;

use super::escape::{self, IdMap};
use crate::model::code::StateMachine;
use crate::syntax::ast::{Direction, StateStmt};
use crate::view::View;

struct Writer {
    ids: IdMap,
    map: HashMap<String, String>,
    out: String,
    /// Final states (name, id): each gets a transition to the end.
    finals: Vec<(String, String)>,
}

impl Writer {
    fn id(&mut self, name: &str) -> String {
        if name == "[*]" {
            return name.to_string();
        }
        if let Some(id) = self.map.get(name) {
            return id.clone();
        }
        let id = self.ids.id(name);
        self.map.insert(name.to_string(), id.clone());
        id
    }

    /// Declares ids first, so labels and mangled names are set before use.
    fn declare(&mut self, body: &[StateStmt], depth: usize) {
        let indent = "  ".repeat(depth + 1);
        for s in body {
            match s {
                StateStmt::State {
                    name,
                    label,
                    body,
                    final_state,
                    ..
                } => {
                    let id = self.id(&name.value);
                    if *final_state {
                        self.finals.push((name.value.clone(), id.clone()));
                    }
                    let shown = label
                        .as_ref()
                        .map(|l| l.value.clone())
                        .unwrap_or_else(|| name.value.clone());
                    if shown != id {
                        self.out.push_str(&format!(
                            "{indent}state \"{}\" as {id}\n",
                            escape::nonempty_label(&shown)
                        ));
                    }
                    if let Some(b) = body {
                        self.out.push_str(&format!("{indent}state {id} {{\n"));
                        self.declare(b, depth + 1);
                        self.body(b, depth + 1);
                        self.out.push_str(&format!("{indent}}}\n"));
                    }
                }
                StateStmt::Transition { from, to, .. } => {
                    for n in [&from.value, &to.value] {
                        if n != "[*]" && !self.map.contains_key(n.as_str()) {
                            let id = self.id(n);
                            if id != *n {
                                self.out.push_str(&format!(
                                    "{indent}state \"{}\" as {id}\n",
                                    escape::nonempty_label(n)
                                ));
                            }
                        }
                    }
                }
                StateStmt::Note { .. } => {}
            }
        }
    }

    fn body(&mut self, body: &[StateStmt], depth: usize) {
        let indent = "  ".repeat(depth + 1);
        for s in body {
            match s {
                StateStmt::Transition {
                    from, to, label, ..
                } => {
                    let (f, t) = (self.id(&from.value), self.id(&to.value));
                    match label {
                        Some(l) => self.out.push_str(&format!(
                            "{indent}{f} --> {t} : {}\n",
                            escape::state_text(&l.value)
                        )),
                        None => self.out.push_str(&format!("{indent}{f} --> {t}\n")),
                    }
                }
                StateStmt::Note {
                    state, side, text, ..
                } => {
                    let id = self.id(&state.value);
                    let side = side.as_deref().unwrap_or("right");
                    self.out.push_str(&format!("{indent}note {side} of {id}\n"));
                    for line in text.value.lines() {
                        self.out
                            .push_str(&format!("{indent}  {}\n", escape::note_line(line)));
                    }
                    self.out.push_str(&format!("{indent}end note\n"));
                }
                StateStmt::State { .. } => {}
            }
        }
    }
}

/// Renders a state-machine view.
pub fn render(def: &View, machine: &StateMachine) -> String {
    let mut w = Writer {
        ids: IdMap::new(),
        map: HashMap::new(),
        out: String::new(),
        finals: Vec::new(),
    };
    w.out.push_str(&format!(
        "%% c4c · view {} · {}\n",
        escape::comment(&def.key),
        escape::comment(&def.title)
    ));
    w.out.push_str(&super::wrap::state_init());
    w.out.push_str("\nstateDiagram-v2\n");
    w.out.push_str(&format!(
        "  direction {}\n",
        def.direction.unwrap_or(Direction::TB).as_str()
    ));
    w.declare(&machine.body, 0);
    w.body(&machine.body, 0);
    let edges = crate::model::code::transitions(&machine.body);
    for (name, id) in std::mem::take(&mut w.finals) {
        if !edges.iter().any(|(f, t)| *f == name && *t == "[*]") {
            w.out.push_str(&format!("  {id} --> [*]\n"));
        }
    }
    w.out
}
