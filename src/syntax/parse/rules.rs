//! Architecture rules: `deny`/`require`/`layer` rules in; their AST nodes out.

use pest::iterators::Pair;

use super::statements::parse_arrow;
use super::{Ctx, Rule};
use crate::syntax::ast::{self, *};

impl Ctx<'_> {
    /// A rule selector (`x`, `x.*`, `tag:t`, `kind:k`, `*`) as a view expression.
    pub(super) fn rule_sel(&mut self, pair: Pair<'_, Rule>) -> Option<ViewExpr> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::tag_selector => {
                let v = inner.into_inner().next()?;
                Some(ViewExpr::Tag(if v.as_rule() == Rule::string {
                    self.string(v)
                } else {
                    self.text_of(&v)
                }))
            }
            Rule::kind_selector => Some(ViewExpr::Kind(self.text_of(&inner.into_inner().next()?))),
            Rule::elem_selector => Some(ViewExpr::Element(self.selector(inner)?)),
            _ => None,
        }
    }

    pub(super) fn rule(&mut self, pair: Pair<'_, Rule>) -> Option<ast::Rule> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::deny_rule => {
                let mut inner = pair.into_inner();
                let from = self.rule_sel(inner.next()?)?;
                let arrow = parse_arrow(inner.next()?.as_str());
                let to = self.rule_sel(inner.next()?)?;
                let reason = inner.next().map(|r| self.string(r));
                Some(ast::Rule::Deny {
                    from,
                    arrow,
                    to,
                    reason,
                    span,
                })
            }
            Rule::require_rule => {
                let mut inner = pair.into_inner();
                let what_pair = inner.next()?.into_inner().next()?;
                let what = match what_pair.as_rule() {
                    Rule::tag_selector => {
                        let v = what_pair.into_inner().next()?;
                        Requirement::Tag(if v.as_rule() == Rule::string {
                            self.string(v)
                        } else {
                            self.text_of(&v)
                        })
                    }
                    _ => Requirement::Field(self.text_of(&what_pair)),
                };
                let on = self.rule_sel(inner.next()?)?;
                let reason = inner.next().map(|r| self.string(r));
                Some(ast::Rule::Require {
                    what,
                    on,
                    reason,
                    span,
                })
            }
            Rule::layer_rule => {
                let mut layers = Vec::new();
                let mut reason = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::rule_sel => layers.extend(self.rule_sel(p)),
                        Rule::string => reason = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(ast::Rule::Layer {
                    layers,
                    reason,
                    span,
                })
            }
            _ => None,
        }
    }
}
