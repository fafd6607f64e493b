//! Architecture rules: `rules { deny … require … layer … }`, checked on every run.
//!
//! In: the resolved rules (selectors already turned into [`Selection`]s) and
//! the model. Out: one error per violation, pointing at the offending
//! relationship or element, with the rule as a secondary label:
//! E080 a denied relationship, E081 a missing requirement, E082 a dependency
//! going up the layers.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Arrow;
use crate::view::{arrow_matches, matches};

use super::{Model, Selection};

#[derive(Debug, Clone)]
pub enum Requirement {
    Tag(String),
    Description,
    Technology,
    Url,
}

#[derive(Debug, Clone)]
pub enum Rule {
    Deny {
        from: Selection,
        arrow: Arrow,
        to: Selection,
        reason: Option<String>,
        span: Span,
    },
    Require {
        what: Requirement,
        on: Selection,
        reason: Option<String>,
        span: Span,
    },
    Layer {
        layers: Vec<Selection>,
        reason: Option<String>,
        span: Span,
    },
}

fn because(reason: &Option<String>) -> String {
    reason
        .as_ref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default()
}

/// Checks every rule against the model.
pub fn check(model: &Model, rules: &[Rule], diags: &mut Vec<Diagnostic>) {
    for rule in rules {
        match rule {
            Rule::Deny {
                from,
                arrow,
                to,
                reason,
                span,
            } => {
                for r in model.relationships() {
                    let (s, t) = model.ends(r);
                    let rel = model.relationship(r);
                    if arrow_matches(*arrow, rel.arrow)
                        && matches(model, from, s)
                        && matches(model, to, t)
                    {
                        diags.push(
                            Diagnostic::error(
                                "E080",
                                format!("`{}` → `{}` is denied{}", model.element(s).path, model.element(t).path, because(reason)),
                            )
                            .label(rel.span, "this relationship breaks the rule")
                            .secondary(*span, "the rule")
                            .hint("remove the relationship, route it through an allowed element, or change the rule"),
                        );
                    }
                }
            }
            Rule::Require {
                what,
                on,
                reason,
                span,
            } => {
                for e in model.elements() {
                    if !matches(model, on, e) {
                        continue;
                    }
                    let el = model.element(e);
                    let (ok, missing) = match what {
                        Requirement::Tag(t) => {
                            (el.tags.iter().any(|x| x == t), format!("tag `{t}`"))
                        }
                        Requirement::Description => {
                            (el.description.is_some(), "a description".into())
                        }
                        Requirement::Technology => (el.technology.is_some(), "a technology".into()),
                        Requirement::Url => (el.url.is_some(), "a url".into()),
                    };
                    if !ok {
                        diags.push(
                            Diagnostic::error(
                                "E081",
                                format!("`{}` lacks {missing}{}", el.path, because(reason)),
                            )
                            .label(el.id_span, format!("needs {missing}"))
                            .secondary(*span, "required here")
                            .hint(match what {
                                Requirement::Tag(t) => format!("add `tags \"{t}\"` to its block"),
                                _ => format!("add {missing} to its block"),
                            }),
                        );
                    }
                }
            }
            Rule::Layer {
                layers,
                reason,
                span,
            } => {
                let layer_of = |e| layers.iter().position(|l| matches(model, l, e));
                for r in model.relationships() {
                    let (s, t) = model.ends(r);
                    if let (Some(ls), Some(lt)) = (layer_of(s), layer_of(t))
                        && ls > lt
                    {
                        diags.push(
                            Diagnostic::error(
                                "E082",
                                format!(
                                    "`{}` (layer {}) depends on `{}` (layer {}), a higher layer{}",
                                    model.element(s).path,
                                    ls + 1,
                                    model.element(t).path,
                                    lt + 1,
                                    because(reason)
                                ),
                            )
                            .label(model.relationship(r).span, "dependency goes up the layers")
                            .secondary(*span, "the layers, top first")
                            .hint("dependencies may only point to the same or a lower layer"),
                        );
                    }
                }
            }
        }
    }
}
