//! Model and deployment statements: a statement pair in, an [`ast::Stmt`]
//! out — elements, relationships, properties, groups, `extend`, and the
//! deployment's instances, replicas and attributes.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::source::Span;
use crate::syntax::ast::*;

impl Ctx<'_> {
    /// The statements directly inside a block-like pair.
    pub(super) fn stmts(&mut self, pair: Pair<'_, Rule>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for p in pair.into_inner() {
            if let Some(s) = self.stmt(p) {
                out.push(s);
            }
        }
        out
    }

    pub(super) fn stmt(&mut self, pair: Pair<'_, Rule>) -> Option<Stmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        match rule {
            Rule::group_stmt => {
                let mut inner = pair.into_inner();
                let title = self.string(inner.next()?);
                let body = inner.filter_map(|p| self.stmt(p)).collect();
                Some(Stmt::Group { title, body, span })
            }
            Rule::extend_stmt => {
                let mut inner = pair.into_inner();
                let target = self.path(&inner.next()?);
                let body = inner.filter_map(|p| self.stmt(p)).collect();
                Some(Stmt::Extend { target, body, span })
            }
            Rule::description_stmt => Some(Stmt::Description(
                self.string(pair.into_inner().next()?),
                span,
            )),
            Rule::technology_stmt => Some(Stmt::Technology(
                self.string(pair.into_inner().next()?),
                span,
            )),
            Rule::url_stmt => Some(Stmt::Url(self.string(pair.into_inner().next()?), span)),
            Rule::tags_stmt => Some(Stmt::Tags(
                pair.into_inner().map(|s| self.string(s)).collect(),
                span,
            )),
            Rule::external_stmt => Some(Stmt::External(span)),
            Rule::properties_stmt => Some(self.properties(pair, span)),
            Rule::relationship => self.relationship(pair, span),
            Rule::element => self.element(pair, span),
            Rule::instance_stmt => self.instance(pair, span),
            Rule::replicas_stmt => Some(Stmt::Replicas(
                self.text_of(&pair.into_inner().next()?),
                span,
            )),
            Rule::step_stmt => Some(Stmt::Step(self.text_of(&pair.into_inner().next()?), span)),
            Rule::shape_stmt => Some(Stmt::Shape(self.text_of(&pair.into_inner().next()?), span)),
            Rule::api_stmt => Some(Stmt::Api(self.string(pair.into_inner().next()?), span)),
            Rule::expand_stmt => Some(Stmt::Expand(
                pair.into_inner().next().map(|s| self.string(s)),
                span,
            )),
            Rule::attr_stmt => {
                let mut inner = pair.into_inner();
                let key = self.text_of(&inner.next()?);
                let value = self.string(inner.next()?);
                Some(Stmt::Attr(key, value, span))
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_stmt);
                None
            }
            _ => None,
        }
    }

    /// `properties { key "value" … }`
    fn properties(&mut self, pair: Pair<'_, Rule>, span: Span) -> Stmt {
        let mut props = Vec::new();
        for p in pair.into_inner() {
            let mut inner = p.into_inner();
            let (Some(k), Some(v)) = (inner.next(), inner.next()) else {
                continue;
            };
            let key = if k.as_rule() == Rule::ident {
                self.text_of(&k)
            } else {
                self.string(k)
            };
            props.push((key, self.string(v)));
        }
        Stmt::Properties(props, span)
    }

    /// `[source] -> target ["label" …] [{ … }]`
    fn relationship(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<Stmt> {
        let mut source = None;
        let mut arrow = None;
        let mut target = None;
        let mut strings = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::endpoint if arrow.is_none() => source = Some(self.path(&p)),
                Rule::endpoint => target = Some(self.path(&p)),
                Rule::arrow => arrow = Some((parse_arrow(p.as_str()), self.span(&p))),
                Rule::string => strings.push(self.string(p)),
                Rule::block => body = Some(self.stmts(p)),
                _ => {}
            }
        }
        let (arrow, arrow_span) = arrow?;
        Some(Stmt::Relationship(RelStmt {
            source,
            arrow,
            arrow_span,
            target: target?,
            strings,
            body,
            span,
        }))
    }

    /// `[id =] [external] kind ["Name" …] [{ … }]`
    fn element(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<Stmt> {
        let mut id = None;
        let mut kind = None;
        let mut external = false;
        let mut strings = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::element_id => id = Some(self.text_of(&p)),
                Rule::kind_ref => kind = Some(self.text_of(&p)),
                Rule::external_flag => external = true,
                Rule::string => strings.push(self.string(p)),
                Rule::block => body = Some(self.stmts(p)),
                _ => {}
            }
        }
        Some(Stmt::Element(ElementStmt {
            id,
            kind: kind?,
            external,
            strings,
            body,
            span,
        }))
    }

    /// `[id =] instance ELEMENT ["Name" …] [{ … }]` in a deployment
    fn instance(&mut self, pair: Pair<'_, Rule>, span: Span) -> Option<Stmt> {
        let mut id = None;
        let mut element = None;
        let mut strings = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::element_id => id = Some(self.text_of(&p)),
                Rule::path => element = Some(self.path(&p)),
                Rule::string => strings.push(self.string(p)),
                Rule::block => body = Some(self.stmts(p)),
                _ => {}
            }
        }
        Some(Stmt::Instance(InstanceStmt {
            id,
            element: element?,
            strings,
            body,
            span,
        }))
    }
}

pub(super) fn parse_arrow(s: &str) -> Arrow {
    match s {
        "~>" => Arrow::Async,
        "<->" => Arrow::Both,
        _ => Arrow::Sync,
    }
}
