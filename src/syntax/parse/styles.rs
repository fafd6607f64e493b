//! Specification and styles: `kind` definitions, style rules and style
//! properties in; their AST nodes out.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::syntax::ast::*;

impl Ctx<'_> {
    pub(super) fn kind_def(&mut self, pair: Pair<'_, Rule>) -> KindDef {
        let span = self.span(&pair);
        let mut def = KindDef {
            name: Text {
                value: String::new(),
                span,
            },
            extends: None,
            description: None,
            technology: None,
            style: Vec::new(),
            span,
        };
        let mut seen_name = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if !seen_name => {
                    def.name = self.text_of(&p);
                    seen_name = true;
                }
                Rule::ident => def.extends = Some(self.text_of(&p)),
                Rule::kind_body => {
                    for item in p.into_inner() {
                        match item.as_rule() {
                            Rule::style_wrapper => {
                                for body in item.into_inner() {
                                    let props = self.style_body(body);
                                    def.style.extend(props);
                                }
                            }
                            Rule::description_stmt => {
                                def.description = item.into_inner().next().map(|s| self.string(s))
                            }
                            Rule::technology_stmt => {
                                def.technology = item.into_inner().next().map(|s| self.string(s))
                            }
                            Rule::style_prop => {
                                if let Some(prop) = self.style_prop(item) {
                                    def.style.push(prop);
                                }
                            }
                            Rule::bad_stmt => self.bad(&item, Rule::frag_kind),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        def
    }

    pub(super) fn style_body(&mut self, pair: Pair<'_, Rule>) -> Vec<StyleProp> {
        let mut out = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::style_prop => {
                    if let Some(prop) = self.style_prop(p) {
                        out.push(prop);
                    }
                }
                Rule::bad_stmt => self.bad(&p, Rule::frag_prop),
                _ => {}
            }
        }
        out
    }

    pub(super) fn style_prop(&mut self, pair: Pair<'_, Rule>) -> Option<StyleProp> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::flag_prop => {
                let mut it = inner.into_inner();
                let key = self.text_of(&it.next()?);
                let (value, value_span) = match it.next() {
                    Some(b) => (b.as_str().trim() == "true", self.span(&b)),
                    None => (true, key.span),
                };
                Some(StyleProp {
                    key,
                    value: StyleValue::Flag(value),
                    value_span,
                    span,
                })
            }
            Rule::value_prop => {
                let mut it = inner.into_inner();
                let key = self.text_of(&it.next()?);
                let v = it.next()?.into_inner().next()?;
                let value_span = self.span(&v);
                let value = match v.as_rule() {
                    Rule::color => StyleValue::Color(v.as_str().to_string()),
                    Rule::number => StyleValue::Number(v.as_str().to_string()),
                    Rule::string => StyleValue::Text(self.string(v).value),
                    _ => StyleValue::Text(v.as_str().to_string()),
                };
                Some(StyleProp {
                    key,
                    value,
                    value_span,
                    span,
                })
            }
            _ => None,
        }
    }

    pub(super) fn style_def(&mut self, pair: Pair<'_, Rule>) -> StyleRule {
        let span = self.span(&pair);
        let mut rule = StyleRule {
            target_kind: StyleTargetKind::Element,
            target: Text {
                value: String::new(),
                span,
            },
            props: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::style_target_kind => {
                    rule.target_kind = match p.as_str() {
                        "relationship" => StyleTargetKind::Relationship,
                        "tag" => StyleTargetKind::Tag,
                        "kind" => StyleTargetKind::Kind,
                        _ => StyleTargetKind::Element,
                    }
                }
                Rule::style_target => {
                    rule.target = match p.clone().into_inner().next() {
                        Some(s) if s.as_rule() == Rule::string => self.string(s),
                        _ => self.text_of(&p),
                    }
                }
                Rule::style_body => rule.props = self.style_body(p),
                _ => {}
            }
        }
        rule
    }
}
