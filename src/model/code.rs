//! Code-level (C4 level 4) models and state machines.
//!
//! In: `code ELEMENT { classes, relations }` and `states NAME [of ELEMENT] { … }`
//! blocks. Out: [`Code`] and [`StateMachine`] records attached to the model.
//! Problems: E041 a code block on something that is not a container or
//! component, E020 a class or state machine declared twice, E071 a relation or
//! note naming an unknown class or state, E072 a duplicate member, E073 a
//! transition out of a `final` state, W008 an enum with no values, W009 a
//! state that cannot be reached from the start.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{ClassDecl, CodeDef, CodeRelation, PathRef, StateStmt, StatesDef};

use super::{BaseKind, ElementId, Model};

#[derive(Debug, Clone)]
pub struct Code {
    pub element: ElementId,
    pub title: String,
    pub classes: Vec<ClassDecl>,
    pub relations: Vec<CodeRelation>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct StateMachine {
    pub name: String,
    pub title: String,
    pub element: Option<ElementId>,
    pub body: Vec<StateStmt>,
    pub span: Span,
}

/// The bare class name (`Repository` for `Repository<T>`).
pub fn base_name(name: &str) -> &str {
    name.split('<').next().unwrap_or(name)
}

pub fn resolve_code(
    model: &Model,
    def: &CodeDef,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Code> {
    let element = match lookup(&def.element) {
        Ok(e) => e,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let el = model.element(element);
    if !matches!(el.base, BaseKind::Container | BaseKind::Component) {
        diags.push(
            Diagnostic::new(
                crate::diagnostic::Code::E041,
                format!(
                    "code belongs to a component or container, not a {}",
                    el.base.keyword()
                ),
            )
            .label(
                def.element.span,
                format!("`{}` is a {}", el.path, el.base.keyword()),
            )
            .hint("attach the classes to the component (or container) that holds them"),
        );
        return None;
    }
    let mut names: HashMap<&str, Span> = HashMap::new();
    for c in &def.classes {
        let n = base_name(&c.name.value);
        if let Some(prev) = names.get(n) {
            diags.push(
                Diagnostic::new(
                    crate::diagnostic::Code::E020,
                    format!("class `{n}` declared twice"),
                )
                .label(c.name.span, "declared again here")
                .secondary(*prev, "first declared here")
                .hint("merge the two declarations"),
            );
            continue;
        }
        names.insert(n, c.name.span);
        let mut members: HashMap<String, Span> = HashMap::new();
        for m in &c.members {
            let sig = match &m.params {
                Some(ps) => format!(
                    "{}({})",
                    m.name.value,
                    ps.iter()
                        .map(|p| p.ty.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                None => m.name.value.clone(),
            };
            if let Some(prev) = members.get(&sig) {
                diags.push(
                    Diagnostic::new(
                        crate::diagnostic::Code::E072,
                        format!("`{}` has `{sig}` twice", n),
                    )
                    .label(m.span, "duplicate member")
                    .secondary(*prev, "first here")
                    .hint("overloads need different parameter types"),
                );
            } else {
                members.insert(sig, m.span);
            }
        }
        if c.kind.value == "enum" && c.members.is_empty() {
            diags.push(
                Diagnostic::new(
                    crate::diagnostic::Code::W008,
                    format!("enum `{n}` has no values"),
                )
                .label(c.name.span, "empty")
                .hint("list its values in the braces: `enum Status { DRAFT PLACED }`"),
            );
        }
    }
    for r in &def.relations {
        for end in [&r.from, &r.to] {
            if !names.contains_key(end.value.as_str()) {
                let mut d = Diagnostic::new(
                    crate::diagnostic::Code::E071,
                    format!("unknown class `{}`", end.value),
                )
                .label(end.span, "not declared in this code block");
                d = match did_you_mean(&end.value, names.keys().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("declare it: `class {} {{ }}`", end.value)),
                };
                diags.push(d);
            }
        }
    }
    Some(Code {
        element,
        title: def
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| format!("Code: {}", el.name)),
        classes: def.classes.clone(),
        relations: def.relations.clone(),
        span: def.span,
    })
}

/// Every transition of a machine, composite states flattened.
pub fn transitions(body: &[StateStmt]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for s in body {
        match s {
            StateStmt::Transition { from, to, .. } => {
                out.push((from.value.as_str(), to.value.as_str()))
            }
            StateStmt::State { body: Some(b), .. } => out.extend(transitions(b)),
            _ => {}
        }
    }
    out
}

fn declared(body: &[StateStmt], out: &mut Vec<(String, Span)>) {
    for s in body {
        match s {
            StateStmt::Transition { from, to, .. } => {
                for t in [from, to] {
                    if t.value != "[*]" {
                        out.push((t.value.clone(), t.span));
                    }
                }
            }
            StateStmt::State { name, body, .. } => {
                out.push((name.value.clone(), name.span));
                if let Some(b) = body {
                    declared(b, out);
                }
            }
            StateStmt::Note { .. } => {}
        }
    }
}

fn notes(body: &[StateStmt], out: &mut Vec<(String, Span)>) {
    for s in body {
        match s {
            StateStmt::Note { state, .. } => out.push((state.value.clone(), state.span)),
            StateStmt::State { body: Some(b), .. } => notes(b, out),
            _ => {}
        }
    }
}

pub fn resolve_states(
    model: &Model,
    def: &StatesDef,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> StateMachine {
    let element = def.of.as_ref().and_then(|p| match lookup(p) {
        Ok(e) => Some(e),
        Err(d) => {
            diags.push(d);
            None
        }
    });
    let mut states = Vec::new();
    declared(&def.body, &mut states);
    let known: HashSet<&str> = states.iter().map(|(s, _)| s.as_str()).collect();
    let mut note_refs = Vec::new();
    notes(&def.body, &mut note_refs);
    for (s, span) in &note_refs {
        if !known.contains(s.as_str()) {
            let mut d = Diagnostic::new(
                crate::diagnostic::Code::E071,
                format!("note on unknown state `{s}`"),
            )
            .label(*span, "no such state");
            if let Some(m) = did_you_mean(s, known.iter().copied()) {
                d = d.hint(format!("did you mean `{m}`?"));
            }
            diags.push(d);
        }
    }
    // Nothing leaves a final state.
    let mut finals = Vec::new();
    final_states(&def.body, &mut finals);
    check_final(&def.body, &finals, diags);
    // Reachability from the start, when the machine has one.
    let edges = transitions(&def.body);
    if edges.iter().any(|(f, _)| *f == "[*]") {
        let mut reached: HashSet<&str> = HashSet::from(["[*]"]);
        let mut changed = true;
        while changed {
            changed = false;
            for (f, t) in &edges {
                if reached.contains(f) && reached.insert(t) {
                    changed = true;
                }
            }
        }
        // Composite states: reaching the composite reaches its inside.
        let mut seen = HashSet::new();
        for (s, span) in &states {
            if !reached.contains(s.as_str())
                && !inside_reached(&def.body, s, &reached)
                && seen.insert(s.clone())
            {
                diags.push(
                    Diagnostic::new(
                        crate::diagnostic::Code::W009,
                        format!("state `{s}` cannot be reached"),
                    )
                    .label(*span, "no transition leads here from the start")
                    .hint("add a transition into it, or remove it"),
                );
            }
        }
    }
    let _ = model;
    StateMachine {
        name: def.name.value.clone(),
        title: def
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| def.name.value.clone()),
        element,
        body: def.body.clone(),
        span: def.span,
    }
}

fn final_states(body: &[StateStmt], out: &mut Vec<String>) {
    for s in body {
        if let StateStmt::State {
            name,
            final_state,
            body,
            ..
        } = s
        {
            if *final_state {
                out.push(name.value.clone());
            }
            if let Some(b) = body {
                final_states(b, out);
            }
        }
    }
}

fn check_final(body: &[StateStmt], finals: &[String], diags: &mut Vec<Diagnostic>) {
    for s in body {
        match s {
            StateStmt::Transition { from, to, span, .. }
                if finals.contains(&from.value) && to.value != "[*]" =>
            {
                diags.push(
                    Diagnostic::new(
                        crate::diagnostic::Code::E073,
                        format!("transition out of final state `{}`", from.value),
                    )
                    .label(*span, "a final state ends the machine")
                    .hint(format!(
                        "remove the transition, or drop `final` from `state {}`",
                        from.value
                    )),
                )
            }
            StateStmt::State { body: Some(b), .. } => check_final(b, finals, diags),
            _ => {}
        }
    }
}

/// Whether `state` sits inside a composite state that is reached.
fn inside_reached(body: &[StateStmt], state: &str, reached: &HashSet<&str>) -> bool {
    for s in body {
        if let StateStmt::State {
            name,
            body: Some(b),
            ..
        } = s
        {
            let mut inner = Vec::new();
            declared(b, &mut inner);
            if reached.contains(name.value.as_str()) && inner.iter().any(|(n, _)| n == state) {
                return true;
            }
            if inside_reached(b, state, reached) {
                return true;
            }
        }
    }
    false
}
