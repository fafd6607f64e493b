//! Architecture rules: `rules { deny … require … layer … }`, checked on every run.
//!
//! In: a rule's syntax and a way to resolve its selectors ([`from_ast`], called
//! by the resolver, which knows the names); then the resolved rules, the
//! model and the work left of its budget ([`crate::view::budget`]).
//! Out: [`Rule`]s; then one error per violation, pointing at the offending relationship or
//! element, with the rule as a secondary label: E080 a denied relationship,
//! E081 a missing requirement, E082 a dependency going up the layers. Each
//! rule looks at every relationship (or element), and each violation is an
//! error to keep: both count against the budget, and the rule where it runs
//! out is returned (E057), so many rules on a large model stay linear.

use super::select::{arrow_matches, matches};
use crate::diagnostic::{Code, Diagnostic, Subject, Violation};
use crate::source::Span;
use crate::syntax::ast::{self, Arrow, ViewExpr};

use super::{ElementId, Model, Selection};

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
        text: String,
        span: Span,
    },
    Require {
        what: Requirement,
        on: Selection,
        reason: Option<String>,
        text: String,
        span: Span,
    },
    Layer {
        layers: Vec<Selection>,
        reason: Option<String>,
        text: String,
        span: Span,
    },
}

/// The rule `rule` says, its selectors resolved by `select` (which reports
/// what it cannot resolve); `None` when one of them did not resolve.
pub(crate) fn from_ast(
    rule: &ast::Rule,
    select: &mut dyn FnMut(&ViewExpr) -> Option<Selection>,
) -> Option<Rule> {
    let text = |t: &Option<ast::Text>| t.as_ref().map(|r| r.value.clone());
    let written = canonical(rule);
    match rule {
        ast::Rule::Deny {
            from,
            arrow,
            to,
            reason,
            span,
        } => {
            // Both ends are resolved, so both report their problems.
            let (from, to) = (select(from), select(to));
            Some(Rule::Deny {
                from: from?,
                arrow: *arrow,
                to: to?,
                reason: text(reason),
                text: written,
                span: *span,
            })
        }
        ast::Rule::Require {
            what,
            on,
            reason,
            span,
        } => {
            let what = match what {
                ast::Requirement::Tag(t) => Requirement::Tag(t.value.clone()),
                ast::Requirement::Field(f) => match f.value.as_str() {
                    "description" => Requirement::Description,
                    "technology" => Requirement::Technology,
                    _ => Requirement::Url,
                },
            };
            Some(Rule::Require {
                what,
                on: select(on)?,
                reason: text(reason),
                text: written,
                span: *span,
            })
        }
        ast::Rule::Layer {
            layers,
            reason,
            span,
        } => {
            let resolved: Vec<Selection> = layers.iter().filter_map(&mut *select).collect();
            (resolved.len() == layers.len()).then(|| Rule::Layer {
                layers: resolved,
                reason: text(reason),
                text: written,
                span: *span,
            })
        }
    }
}

/// The longest rule text kept, in bytes: a longer one is cut (at a
/// character) and ends in `…`. Every violation carries its rule's text, so
/// without a cap a long rule broken many times would cost its length times
/// the number of violations.
pub const MAX_RULE_TEXT: usize = 256;

/// A rule in one canonical form, its reason left out: `deny a.* -> b`,
/// `require tag "owner" on container`, `layer web > logic`. Spacing and the
/// wording of the reason do not change it (the key of a baseline entry).
fn canonical(rule: &ast::Rule) -> String {
    let mut text = written(rule);
    if text.len() > MAX_RULE_TEXT {
        let mut cut = MAX_RULE_TEXT - '…'.len_utf8();
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn written(rule: &ast::Rule) -> String {
    match rule {
        ast::Rule::Deny {
            from, arrow, to, ..
        } => format!("deny {} {} {}", expr(from), arrow_text(*arrow), expr(to)),
        ast::Rule::Require { what, on, .. } => {
            let what = match what {
                ast::Requirement::Tag(t) => format!("tag {}", quoted(&t.value)),
                ast::Requirement::Field(f) => f.value.clone(),
            };
            format!("require {what} on {}", expr(on))
        }
        ast::Rule::Layer { layers, .. } => {
            let layers: Vec<String> = layers.iter().map(expr).collect();
            format!("layer {}", layers.join(" > "))
        }
    }
}

fn arrow_text(a: Arrow) -> &'static str {
    match a {
        Arrow::Sync => "->",
        Arrow::Async => "~>",
        Arrow::Both => "<->",
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A name as written: bare when it is one, else quoted.
fn name(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        quoted(s)
    }
}

fn selector(s: &ast::Selector) -> String {
    match s {
        ast::Selector::Wildcard(_) => "*".into(),
        ast::Selector::Path { path, star, .. } => {
            let mut out = path.dotted();
            if let Some(i) = path.index {
                out.push_str(&format!("[{i}]"));
            }
            out.push_str(match star {
                ast::Star::None => "",
                ast::Star::Children => ".*",
                ast::Star::Descendants => ".**",
            });
            out
        }
    }
}

fn expr(e: &ViewExpr) -> String {
    match e {
        ViewExpr::Element(s) => selector(s),
        ViewExpr::Tag(t) => format!("tag:{}", name(&t.value)),
        ViewExpr::Kind(k) => format!("kind:{}", name(&k.value)),
        ViewExpr::Relationship {
            from, arrow, to, ..
        } => format!("{} {} {}", selector(from), arrow_text(*arrow), selector(to)),
    }
}

fn because(reason: &Option<String>) -> String {
    reason
        .as_ref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default()
}

/// What a violation costs of the budget beyond its message's length: about
/// the bytes the rest of its error takes.
pub const VIOLATION_COST: u64 = 256;

impl Rule {
    pub fn span(&self) -> Span {
        match self {
            Rule::Deny { span, .. } | Rule::Require { span, .. } | Rule::Layer { span, .. } => {
                *span
            }
        }
    }

    /// The elements or relationships it looks at.
    fn cost(&self, model: &Model) -> u64 {
        let (rels, elements) = (model.graph.edge_count(), model.graph.node_count());
        let n = match self {
            Rule::Deny { .. } => rels,
            Rule::Require {
                on: Selection::Tag(t),
                ..
            } if t != "external" => model.tagged(t).len(),
            Rule::Require { .. } => elements,
            Rule::Layer { layers, .. } => rels.saturating_mul(2 * layers.len()),
        };
        n as u64
    }
}

/// Checks every rule against the model, taking from `left`; the index of the
/// rule where it ran out (the rules after it are not checked).
pub fn check(
    model: &Model,
    rules: &[Rule],
    left: &mut u64,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let mut take = |n: u64| {
        let fits = n <= *left;
        *left = left.saturating_sub(n);
        fits
    };
    for (i, rule) in rules.iter().enumerate() {
        if !take(rule.cost(model)) {
            return Some(i);
        }
        let mut spent = false;
        check_one(model, rule, &mut |d| {
            // A rule's reason is in every message: its length is paid for
            // each time, so a long reason broken many times stays linear.
            spent = !take(VIOLATION_COST + d.message.len() as u64);
            if !spent {
                diags.push(d);
            }
            !spent
        });
        if spent {
            return Some(i);
        }
    }
    None
}

/// The key of a violation by a relationship from `from` to `to`.
fn relationship(rule: &str, from: &impl ToString, to: &impl ToString) -> Violation {
    Violation {
        rule: rule.to_string(),
        subject: Subject::Relationship {
            from: from.to_string(),
            to: to.to_string(),
        },
    }
}

/// Reports each violation of one rule to `report`, until it says stop.
fn check_one(model: &Model, rule: &Rule, report: &mut dyn FnMut(Diagnostic) -> bool) {
    match rule {
        Rule::Deny {
            from,
            arrow,
            to,
            reason,
            text,
            span,
        } => {
            for r in model.relationships() {
                let (s, t) = model.ends(r);
                let rel = model.relationship(r);
                if !(arrow_matches(*arrow, rel.arrow)
                    && matches(model, from, s)
                    && matches(model, to, t))
                {
                    continue;
                }
                let (sp, tp) = (&model.element(s).path, &model.element(t).path);
                let d = Diagnostic::new(Code::E080, format!("`{sp}` → `{tp}` is denied{}", because(reason)))
                    .label(rel.span, "this relationship breaks the rule")
                    .secondary(*span, "the rule")
                    .hint("remove the relationship, route it through an allowed element, or change the rule")
                    .violation(relationship(text, sp, tp));
                if !report(d) {
                    return;
                }
            }
        }
        Rule::Require {
            what,
            on,
            reason,
            text,
            span,
        } => {
            // On a tag: only the elements with it (the tag index).
            let all: Vec<ElementId>;
            let candidates = match on {
                Selection::Tag(t) if t != "external" => model.tagged(t),
                _ => {
                    all = model.elements().collect();
                    &all
                }
            };
            for &e in candidates {
                if !matches(model, on, e) {
                    continue;
                }
                let el = model.element(e);
                let (ok, missing) = match what {
                    Requirement::Tag(t) => (model.has_tag(e, t), format!("tag `{t}`")),
                    Requirement::Description => (el.description.is_some(), "a description".into()),
                    Requirement::Technology => (el.technology.is_some(), "a technology".into()),
                    Requirement::Url => (el.url.is_some(), "a url".into()),
                };
                if ok {
                    continue;
                }
                let d = Diagnostic::new(
                    Code::E081,
                    format!("`{}` lacks {missing}{}", el.path, because(reason)),
                )
                .label(el.id_span, format!("needs {missing}"))
                .secondary(*span, "required here")
                .hint(match what {
                    Requirement::Tag(t) => format!("add `tags \"{t}\"` to its block"),
                    _ => format!("add {missing} to its block"),
                })
                .violation(Violation {
                    rule: text.clone(),
                    subject: Subject::Element(el.path.to_string()),
                });
                if !report(d) {
                    return;
                }
            }
        }
        Rule::Layer {
            layers,
            reason,
            text,
            span,
        } => {
            let layer_of = |e| layers.iter().position(|l| matches(model, l, e));
            for r in model.relationships() {
                let (s, t) = model.ends(r);
                let (Some(ls), Some(lt)) = (layer_of(s), layer_of(t)) else {
                    continue;
                };
                if ls <= lt {
                    continue;
                }
                let d = Diagnostic::new(
                    Code::E082,
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
                .hint("dependencies may only point to the same or a lower layer")
                .violation(relationship(
                    text,
                    &model.element(s).path,
                    &model.element(t).path,
                ));
                if !report(d) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Requirement, Rule};
    use crate::model::Selection;

    fn rules(src: &str) -> (Vec<Rule>, Vec<&'static str>) {
        let c = crate::compile_text("t.c4", src);
        let codes = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        let rules = c
            .compiled
            .into_iter()
            .next()
            .map(|w| w.model.rules)
            .unwrap_or_default();
        (rules, codes)
    }

    const MODEL: &str = r#"model { s = system "S" { a = container "A" { tags "x" } } }"#;

    #[test]
    fn a_bare_name_that_is_no_element_selects_a_kind_or_a_tag() {
        let (r, codes) = rules(&format!(
            "{MODEL} rules {{ require technology on container  require url on x  require tag \"t\" on s }}"
        ));
        assert!(codes.contains(&"E081"), "{codes:?}");
        assert!(matches!(
            &r[0],
            Rule::Require { what: Requirement::Technology, on: Selection::Kind(k), .. } if k == "container"
        ));
        assert!(matches!(
            &r[1],
            Rule::Require { what: Requirement::Url, on: Selection::Tag(t), .. } if t == "x"
        ));
        assert!(
            matches!(&r[2], Rule::Require { what: Requirement::Tag(t), on: Selection::Element(_), .. } if t == "t")
        );
    }

    fn texts(src: &str) -> Vec<String> {
        rules(&format!("{MODEL} rules {{ {src} }}"))
            .0
            .iter()
            .map(|r| match r {
                Rule::Deny { text, .. } | Rule::Require { text, .. } | Rule::Layer { text, .. } => {
                    text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_rule_is_keyed_by_one_canonical_text_without_its_reason() {
        assert_eq!(
            texts(
                "deny s.*   ~>  s.**  \"why\"  deny *   <->  tag:x  deny s.a -> kind:container \
                 require  tag \"a b\"  on  s.a \"why\"  require url on *  \
                 layer   s >  x  > container \"why\""
            ),
            [
                "deny s.* ~> s.**",
                "deny * <-> tag:x",
                "deny s.a -> kind:container",
                "require tag \"a b\" on s.a",
                "require url on *",
                "layer s > x > container",
            ]
        );
    }

    #[test]
    fn a_long_rule_text_is_cut_at_a_character() {
        let layers = vec!["s"; 200].join(" > ");
        let t = &texts(&format!("layer {layers}"))[0];
        assert!(t.len() <= super::MAX_RULE_TEXT, "{}", t.len());
        assert!(t.starts_with("layer s > s") && t.ends_with('…'), "{t}");
    }

    #[test]
    fn a_rule_with_an_unknown_selector_is_dropped_and_each_one_reported() {
        let (r, codes) = rules(&format!(
            "{MODEL} rules {{ deny nowhere -> nothing  layer s > none }}"
        ));
        assert!(r.is_empty());
        assert_eq!(codes, ["E021", "E021", "E021"]);
    }
}
