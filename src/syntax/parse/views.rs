//! Views: a `view_def` pair in, a [`ViewDef`] out — kind, subject,
//! include/exclude expressions and selectors, direction, title.

use pest::iterators::Pair;

use super::statements::parse_arrow;
use super::{Ctx, Rule};
use crate::syntax::ast::*;

impl Ctx<'_> {
    pub(super) fn view_def(&mut self, pair: Pair<'_, Rule>) -> ViewDef {
        let span = self.span(&pair);
        let mut def = ViewDef {
            kind: ViewKind::Landscape,
            kind_span: span,
            subject: None,
            of: None,
            strings: Vec::new(),
            body: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::view_kind => {
                    def.kind_span = self.span(&p);
                    def.kind = match p.as_str() {
                        "context" => ViewKind::Context,
                        "container" => ViewKind::Container,
                        "component" => ViewKind::Component,
                        "deployment" => ViewKind::Deployment,
                        "mesh" => ViewKind::Mesh,
                        "cdn" => ViewKind::Cdn,
                        "code" => ViewKind::Code,
                        "states" => ViewKind::States,
                        "dynamic" => ViewKind::Dynamic,
                        "custom" => ViewKind::Custom,
                        _ => ViewKind::Landscape,
                    };
                }
                Rule::view_subject => def.subject = Some(self.path(&p)),
                Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                Rule::string => def.strings.push(self.string(p)),
                Rule::view_body => {
                    for s in p.into_inner() {
                        if let Some(stmt) = self.view_stmt(s) {
                            def.body.push(stmt);
                        }
                    }
                }
                _ => {}
            }
        }
        def
    }

    pub(super) fn view_stmt(&mut self, pair: Pair<'_, Rule>) -> Option<ViewStmt> {
        match pair.as_rule() {
            Rule::include_stmt => Some(ViewStmt::Include(
                pair.into_inner()
                    .filter_map(|e| self.view_expr(e))
                    .collect(),
            )),
            Rule::exclude_stmt => Some(ViewStmt::Exclude(
                pair.into_inner()
                    .filter_map(|e| self.view_expr(e))
                    .collect(),
            )),
            Rule::direction_stmt => {
                let d = pair.into_inner().next()?;
                let dir = match d.as_str().to_ascii_uppercase().as_str() {
                    "BT" => Direction::BT,
                    "LR" => Direction::LR,
                    "RL" => Direction::RL,
                    _ => Direction::TB,
                };
                Some(ViewStmt::Direction(dir, self.span(&d)))
            }
            Rule::title_stmt => Some(ViewStmt::Title(self.string(pair.into_inner().next()?))),
            Rule::as_flowchart => {
                let span = self.span(&pair);
                let over = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::over_clause)
                    .and_then(|o| o.into_inner().next())
                    .map(|k| self.string(k));
                Some(ViewStmt::Flowchart { span, over })
            }
            Rule::nodes_stmt => {
                let span = self.span(&pair);
                let mut boxes = false;
                let mut hosts = false;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::node_draw => boxes = p.as_str().starts_with("box"),
                        Rule::hosts_flag => hosts = true,
                        _ => {}
                    }
                }
                Some(ViewStmt::Nodes { boxes, hosts, span })
            }
            Rule::subject_stmt => {
                let span = self.span(&pair);
                let draw = match pair.into_inner().next()?.as_str() {
                    "box" => SubjectDraw::Box,
                    "both" => SubjectDraw::Both,
                    _ => SubjectDraw::Boundary,
                };
                Some(ViewStmt::Subject(draw, span))
            }
            Rule::boundaries_stmt => {
                let span = self.span(&pair);
                let which = match pair.into_inner().next()?.as_str() {
                    "subject" => Boundaries::Subject,
                    _ => Boundaries::All,
                };
                Some(ViewStmt::Boundaries(which, span))
            }
            Rule::split_stmt => Some(ViewStmt::Split(self.span(&pair))),
            Rule::collapse_stmt => {
                let span = self.span(&pair);
                let mut names: Option<Vec<Text>> = None;
                for p in pair.into_inner() {
                    if p.as_rule() == Rule::collapse_name
                        && let Some(inner) = p.into_inner().next()
                    {
                        let text = if inner.as_rule() == Rule::string {
                            self.string(inner)
                        } else {
                            self.text_of(&inner)
                        };
                        names.get_or_insert_with(Vec::new).push(text);
                    }
                }
                Some(ViewStmt::Collapse(names, span))
            }
            Rule::description_stmt => Some(ViewStmt::Description(
                self.string(pair.into_inner().next()?),
            )),
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_view_stmt);
                None
            }
            _ => None,
        }
    }

    pub(super) fn view_expr(&mut self, pair: Pair<'_, Rule>) -> Option<ViewExpr> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::rel_expr => {
                let span = self.span(&inner);
                let mut it = inner.into_inner();
                let from = self.selector(it.next()?)?;
                let arrow = parse_arrow(it.next()?.as_str());
                let to = self.selector(it.next()?)?;
                Some(ViewExpr::Relationship {
                    from,
                    arrow,
                    to,
                    span,
                })
            }
            Rule::elem_expr => {
                let e = inner.into_inner().next()?;
                match e.as_rule() {
                    Rule::tag_selector => {
                        let v = e.into_inner().next()?;
                        let t = if v.as_rule() == Rule::string {
                            self.string(v)
                        } else {
                            self.text_of(&v)
                        };
                        Some(ViewExpr::Tag(t))
                    }
                    Rule::kind_selector => {
                        Some(ViewExpr::Kind(self.text_of(&e.into_inner().next()?)))
                    }
                    Rule::elem_selector => Some(ViewExpr::Element(self.selector(e)?)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub(super) fn selector(&mut self, pair: Pair<'_, Rule>) -> Option<Selector> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::wildcard => Some(Selector::Wildcard(span)),
            Rule::view_path_star => {
                let mut it = inner.into_inner();
                let path = self.path(&it.next()?);
                let star = match it.next().map(|s| s.as_str()) {
                    Some(".**") => Star::Descendants,
                    Some(".*") => Star::Children,
                    _ => Star::None,
                };
                Some(Selector::Path { path, star, span })
            }
            _ => None,
        }
    }
}
