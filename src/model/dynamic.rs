//! Dynamic views: numbered interactions between model elements.
//!
//! In: `dynamic NAME ["Title"] [of ELEMENT] { steps }` blocks.
//! Out: [`Dynamic`] records with their steps resolved to elements. A step
//! between two elements the model does not connect (in either direction, at
//! any depth, looked up within a budget linear in the model's size: past
//! it, a step counts as backed) is W010, as in Structurizr, inside control-flow blocks too; an
//! unknown element is E021. Blocks nest as deep as braces may (64, E005).
//! [`messages`] flattens the steps into numbered messages, the one
//! numbering every form of the view draws (sequence text, flowcharts).

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
pub use crate::syntax::ast::MsgArrow;
use crate::syntax::ast::{BlockKind, BoxLevel, DynStep, DynamicDef, Numbering, PathRef};

use super::{ElementId, Model};

#[derive(Debug, Clone)]
pub enum Step {
    /// `a -> b`, `a ~> b`, `a <- b` or `a <~ b` (see [`MsgArrow`]).
    Message {
        from: ElementId,
        to: ElementId,
        arrow: MsgArrow,
        text: Option<String>,
        span: Span,
    },
    Note {
        place: String,
        over: Vec<ElementId>,
        text: String,
    },
    Parallel(Vec<Step>),
    /// `alt`/`opt`/`loop`/`par`/`break`/`critical`: its sections in order
    /// (the first is the block's own, the rest `else`/`and`/`option`).
    Block {
        kind: BlockKind,
        sections: Vec<Section>,
    },
}

/// One section of a control-flow block.
#[derive(Debug, Clone)]
pub struct Section {
    pub label: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Dynamic {
    pub name: String,
    pub title: String,
    pub element: Option<ElementId>,
    pub numbering: Numbering,
    pub boxes: Option<BoxLevel>,
    pub steps: Vec<Step>,
    pub span: Span,
}

/// Whether the model connects the two elements (or parts of them, or
/// elements holding them), either way. A relationship from `a`'s part (or
/// to it) crosses `a`'s subtree; one from an element holding `a` to `b`'s
/// part crosses `b`'s: both lists are looked at, within `left` (relationships
/// looked at by all steps of the model): past it, a step counts as backed,
/// so a model whose steps all name one hub stays linear.
fn connected(model: &Model, a: ElementId, b: ElementId, left: &mut usize) -> bool {
    let (ca, cb) = (
        model.crossing_relationships(a),
        model.crossing_relationships(b),
    );
    let cost = ca.len() + cb.len();
    if cost > *left {
        return true;
    }
    *left -= cost;
    ca.iter().chain(cb).any(|r| {
        let (s, t) = model.ends(*r);
        (model.is_ancestor_or_self(a, s) && model.is_ancestor_or_self(b, t))
            || (model.is_ancestor_or_self(b, s) && model.is_ancestor_or_self(a, t))
            || (model.is_ancestor_or_self(s, a) && model.is_ancestor_or_self(t, b))
            || (model.is_ancestor_or_self(t, a) && model.is_ancestor_or_self(s, b))
    })
}

/// Relationships W010 may look at, all steps of a model together (the
/// `left` of [`resolve`]): 16 per relationship of the model, at least a
/// million.
pub fn w010_budget(model: &Model) -> usize {
    model.graph.edge_count().saturating_mul(16).max(1 << 20)
}

fn steps(
    model: &Model,
    list: &[DynStep],
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
    left: &mut usize,
) -> Vec<Step> {
    let mut out = Vec::new();
    for s in list {
        match s {
            DynStep::Message {
                from,
                arrow,
                to,
                text,
                span,
            } => {
                let (f, t) = match (lookup(from), lookup(to)) {
                    (Ok(f), Ok(t)) => (f, t),
                    (f, t) => {
                        diags.extend(f.err());
                        diags.extend(t.err());
                        continue;
                    }
                };
                if f != t && !connected(model, f, t, left) {
                    diags.push(
                        Diagnostic::new(
                            Code::W010,
                            format!(
                                "no relationship between `{}` and `{}` in the model",
                                model.element(f).path,
                                model.element(t).path
                            ),
                        )
                        .label(*span, "this step has no relationship behind it")
                        .hint(format!(
                            "add `{} -> {}` to the model, or check the step",
                            from.dotted(),
                            to.dotted()
                        )),
                    );
                }
                out.push(Step::Message {
                    from: f,
                    to: t,
                    arrow: *arrow,
                    text: text.as_ref().map(|t| t.value.clone()),
                    span: *span,
                });
            }
            DynStep::Note {
                place, over, text, ..
            } => {
                let mut ids = Vec::new();
                for p in over {
                    match lookup(p) {
                        Ok(e) => ids.push(e),
                        Err(d) => diags.push(d),
                    }
                }
                if !ids.is_empty() {
                    out.push(Step::Note {
                        place: place.clone(),
                        over: ids,
                        text: text.value.clone(),
                    });
                }
            }
            DynStep::Parallel(inner, _) => {
                out.push(Step::Parallel(steps(model, inner, lookup, diags, left)))
            }
            DynStep::Block { kind, sections, .. } => out.push(Step::Block {
                kind: *kind,
                sections: sections
                    .iter()
                    .map(|s| Section {
                        label: s.label.as_ref().map(|l| l.value.clone()),
                        steps: steps(model, &s.steps, lookup, diags, left),
                    })
                    .collect(),
            }),
        }
    }
    out
}

pub fn resolve(
    model: &Model,
    def: &DynamicDef,
    lookup: &dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    diags: &mut Vec<Diagnostic>,
    left: &mut usize,
) -> Dynamic {
    let element = def
        .of
        .as_ref()
        .and_then(|p| lookup(p).map_err(|d| diags.push(d)).ok());
    Dynamic {
        name: def.name.value.clone(),
        title: def
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| def.name.value.clone()),
        element,
        numbering: def.numbering,
        boxes: def.boxes,
        steps: steps(model, &def.steps, lookup, diags, left),
        span: def.span,
    }
}

/// One message of a dynamic view, flattened. A reply (`a <- b`) is sent by `b`.
#[derive(Debug, Clone)]
pub struct Message {
    /// `1`, `2`, and `3a`, `3b` for the branches of a `parallel` group.
    pub number: String,
    pub from: ElementId,
    pub to: ElementId,
    /// Asynchronous or a reply: drawn dashed.
    pub dashed: bool,
    pub text: Option<String>,
    /// The control-flow sections it is inside, from the outside in
    /// (`alt: in stock`, `else`, `loop: each item`).
    pub within: Vec<String>,
    pub span: Span,
}

/// The messages of a dynamic view in order (the order the sequence diagram
/// writes them), parallel branches and blocks flattened. Notes are left out.
pub fn messages(steps: &[Step]) -> Vec<Message> {
    let mut out = Vec::new();
    let mut within = Vec::new();
    number(steps, None, &mut 0, &mut within, &mut out);
    out
}

fn number(
    steps: &[Step],
    prefix: Option<usize>,
    counter: &mut usize,
    within: &mut Vec<String>,
    out: &mut Vec<Message>,
) {
    for (i, s) in steps.iter().enumerate() {
        match s {
            Step::Message {
                from,
                to,
                arrow,
                text,
                span,
            } => {
                let number = match prefix {
                    Some(p) => format!("{p}{}", (b'a' + (i % 26) as u8) as char),
                    None => {
                        *counter += 1;
                        counter.to_string()
                    }
                };
                let (a, b) = if arrow.is_reply() {
                    (*to, *from)
                } else {
                    (*from, *to)
                };
                out.push(Message {
                    number,
                    from: a,
                    to: b,
                    dashed: arrow.dashed(),
                    text: text.clone(),
                    within: within.clone(),
                    span: *span,
                });
            }
            Step::Parallel(inner) => {
                *counter += 1;
                number(inner, Some(*counter), counter, within, out);
            }
            Step::Block { kind, sections } => {
                for (k, section) in sections.iter().enumerate() {
                    let word = if k == 0 {
                        kind.keyword()
                    } else {
                        kind.section_keyword().unwrap_or("else")
                    };
                    within.push(match &section.label {
                        Some(l) => format!("{word}: {l}"),
                        None => word.to_string(),
                    });
                    number(&section.steps, None, counter, within, out);
                    within.pop();
                }
            }
            Step::Note { .. } => {}
        }
    }
}
