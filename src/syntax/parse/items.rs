//! Top-level items: a top-level pair in, an [`ast::TopItem`] out — one
//! function per kind of block.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::syntax::ast::{self, *};

impl Ctx<'_> {
    pub(super) fn top_item(&mut self, pair: Pair<'_, Rule>) -> Option<TopItem> {
        match pair.as_rule() {
            Rule::import_stmt => {
                let s = pair.into_inner().next()?;
                Some(TopItem::Import(self.string(s)))
            }
            Rule::model_block => Some(TopItem::Model(self.stmts(pair))),
            Rule::spec_block => Some(TopItem::Specification(self.spec_block(pair))),
            Rule::views_block => Some(TopItem::Views(self.views_block(pair))),
            Rule::styles_block => Some(TopItem::Styles(self.styles_block(pair))),
            Rule::deployment_block => self.deployment_block(pair).map(TopItem::Deployment),
            Rule::mesh_block => self.mesh_block(pair).map(TopItem::Mesh),
            Rule::cdn_block => self.cdn_block(pair).map(TopItem::Cdn),
            Rule::code_block => Some(TopItem::Code(self.code_block(pair))),
            Rule::states_block => self.states_block(pair).map(TopItem::States),
            Rule::dynamic_block => self.dynamic_block(pair).map(TopItem::Dynamic),
            Rule::rules_block => Some(TopItem::Rules(self.rules_block(pair))),
            Rule::bad_top => {
                self.bad(&pair, Rule::frag_top);
                None
            }
            _ => None,
        }
    }

    /// `specification { kind … tag … }`
    fn spec_block(&mut self, pair: Pair<'_, Rule>) -> Vec<SpecItem> {
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kind_def => items.push(SpecItem::Kind(self.kind_def(p))),
                Rule::tag_def => {
                    let span = self.span(&p);
                    let mut inner = p.into_inner();
                    let name = inner.next().map(|n| self.text_of(&n));
                    let description = inner.next().map(|d| self.string(d));
                    if let Some(name) = name {
                        items.push(SpecItem::Tag {
                            name,
                            description,
                            span,
                        });
                    }
                }
                Rule::bad_stmt => self.bad(&p, Rule::frag_spec),
                _ => {}
            }
        }
        items
    }

    /// `views { … }`
    fn views_block(&mut self, pair: Pair<'_, Rule>) -> ViewsBlock {
        let mut views = ViewsBlock::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::view_def => views.views.push(self.view_def(p)),
                Rule::views_defaults => {
                    let span = self.span(&p);
                    let on = p.into_inner().any(|s| s.as_str() == "on");
                    views.defaults = Some((on, span));
                }
                Rule::bad_stmt => self.bad(&p, Rule::frag_view),
                _ => {}
            }
        }
        views
    }

    /// `styles { … }`
    fn styles_block(&mut self, pair: Pair<'_, Rule>) -> Vec<StyleRule> {
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::style_def => rules.push(self.style_def(p)),
                Rule::bad_stmt => self.bad(&p, Rule::frag_style),
                _ => {}
            }
        }
        rules
    }

    /// `deployment NAME ["Title"] { … }`
    fn deployment_block(&mut self, pair: Pair<'_, Rule>) -> Option<DeploymentDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text_of(&inner.next()?);
        let mut strings = Vec::new();
        let mut body = Vec::new();
        for p in inner {
            if p.as_rule() == Rule::string {
                strings.push(self.string(p));
            } else if let Some(stmt) = self.stmt(p) {
                body.push(stmt);
            }
        }
        Some(DeploymentDef {
            name,
            strings,
            body,
            span,
        })
    }

    /// `code ELEMENT ["Title"] { classes and relations }`
    fn code_block(&mut self, pair: Pair<'_, Rule>) -> CodeDef {
        let span = self.span(&pair);
        let mut def = CodeDef {
            element: PathRef {
                segments: Vec::new(),
                index: None,
                span,
            },
            title: None,
            classes: Vec::new(),
            relations: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::path => def.element = self.path(&p),
                Rule::string => def.title = Some(self.string(p)),
                Rule::class_decl => def.classes.extend(self.class_decl(p)),
                Rule::code_relation => def.relations.extend(self.code_relation(p)),
                Rule::bad_stmt => self.bad(&p, Rule::frag_code),
                _ => {}
            }
        }
        def
    }

    /// `states NAME ["Title"] [of X] { … }`
    fn states_block(&mut self, pair: Pair<'_, Rule>) -> Option<StatesDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text_of(&inner.next()?);
        let mut def = StatesDef {
            name,
            title: None,
            of: None,
            body: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::string => def.title = Some(self.string(p)),
                Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                _ => def.body.extend(self.state_stmt(p)),
            }
        }
        Some(def)
    }

    /// `rules { deny … require … layer … }`
    fn rules_block(&mut self, pair: Pair<'_, Rule>) -> Vec<ast::Rule> {
        let mut rules = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() == Rule::bad_stmt {
                self.bad(&p, Rule::frag_rule);
            } else if let Some(r) = self.rule(p) {
                rules.push(r);
            }
        }
        rules
    }
}
