//! Dynamic views: a `dynamic` block's text in; its [`DynamicDef`] out — steps,
//! notes, `parallel` groups, control-flow blocks (`alt`/`else`, `opt`,
//! `loop`, `par`/`and`, `break`, `critical`/`option`) and the view's options
//! (`autonumber [text]`, `boxes system|container`). A section keyword that
//! does not belong to its block, or an option inside a block, is E074.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::*;

impl Ctx<'_> {
    /// `dynamic NAME ["Title"] [of X] { … }`
    pub(super) fn dynamic_block(&mut self, pair: Pair<'_, Rule>) -> Option<DynamicDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text_of(&inner.next()?);
        let mut def = DynamicDef {
            name,
            title: None,
            of: None,
            numbering: Numbering::Off,
            boxes: None,
            steps: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::string => def.title = Some(self.string(p)),
                Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                Rule::dyn_autonumber => {
                    def.numbering = if p.into_inner().next().is_some() {
                        Numbering::Text
                    } else {
                        Numbering::Mermaid
                    }
                }
                Rule::dyn_boxes => {
                    def.boxes = p.into_inner().next().map(|l| match l.as_str() {
                        "container" => BoxLevel::Container,
                        _ => BoxLevel::System,
                    })
                }
                _ => def.steps.extend(self.dyn_step(p)),
            }
        }
        Some(def)
    }

    /// One statement inside a dynamic block (or one of its blocks).
    fn dyn_step(&mut self, pair: Pair<'_, Rule>) -> Option<DynStep> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::dyn_step => {
                let mut inner = pair.into_inner();
                let from = self.path(&inner.next()?);
                let arrow = match inner.next()?.as_str() {
                    "~>" => MsgArrow::Async,
                    "<-" => MsgArrow::Reply,
                    "<~" => MsgArrow::AsyncReply,
                    _ => MsgArrow::Call,
                };
                let to = self.path(&inner.next()?);
                let text = inner.next().map(|t| self.string(t));
                Some(DynStep::Message {
                    from,
                    arrow,
                    to,
                    text,
                    span,
                })
            }
            Rule::dyn_note => {
                let mut place = String::new();
                let mut over = Vec::new();
                let mut text = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::note_place => place = p.as_str().to_string(),
                        Rule::path => over.push(self.path(&p)),
                        Rule::string => text = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(DynStep::Note {
                    place,
                    over,
                    text: text?,
                    span,
                })
            }
            Rule::dyn_parallel => {
                let steps = pair.into_inner().filter_map(|p| self.dyn_step(p)).collect();
                Some(DynStep::Parallel(steps, span))
            }
            Rule::dyn_block => self.dyn_block(pair),
            Rule::dyn_autonumber | Rule::dyn_boxes => {
                let word = if pair.as_rule() == Rule::dyn_boxes {
                    "boxes"
                } else {
                    "autonumber"
                };
                self.diags.push(
                    Diagnostic::new(
                        Code::E074,
                        format!("`{word}` inside a block of a dynamic view"),
                    )
                    .label(span, "this applies to the whole view")
                    .hint(format!(
                        "write `{word}` at the top of the `dynamic` block, outside any block"
                    )),
                );
                None
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_dyn);
                None
            }
            _ => None,
        }
    }

    /// `alt ["x"] { … } else ["y"] { … }` and the other blocks.
    fn dyn_block(&mut self, pair: Pair<'_, Rule>) -> Option<DynStep> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        let kw = inner.next()?;
        let kind = BlockKind::from_keyword(kw.as_str())?;
        let mut sections = Vec::new();
        let mut label = None;
        if inner.peek().is_some_and(|p| p.as_rule() == Rule::string) {
            label = inner.next().map(|s| self.string(s));
        }
        let body = inner.next()?;
        sections.push(self.dyn_section(label, body, span));
        for section in inner {
            let section_span = self.span(&section);
            let mut parts = section.into_inner().peekable();
            let word = parts.next()?;
            if kind.section_keyword() != Some(word.as_str()) {
                self.diags
                    .push(misplaced_section(kind, word.as_str(), self.span(&word)));
            }
            let mut label = None;
            if parts.peek().is_some_and(|p| p.as_rule() == Rule::string) {
                label = parts.next().map(|s| self.string(s));
            }
            let body = parts.next()?;
            sections.push(self.dyn_section(label, body, section_span));
        }
        Some(DynStep::Block {
            kind,
            sections,
            span,
        })
    }

    fn dyn_section(
        &mut self,
        label: Option<Text>,
        body: Pair<'_, Rule>,
        span: crate::source::Span,
    ) -> DynSection {
        let steps = body.into_inner().filter_map(|p| self.dyn_step(p)).collect();
        DynSection { label, steps, span }
    }
}

/// E074: `else` after a block that is not `alt` (and the like).
fn misplaced_section(kind: BlockKind, word: &str, span: crate::source::Span) -> Diagnostic {
    let owner = match word {
        "else" => "alt",
        "and" => "par",
        _ => "critical",
    };
    let hint = match kind.section_keyword() {
        Some(own) => format!(
            "`{word}` continues an `{owner}` block; a `{}` block goes on with `{own}`",
            kind.keyword()
        ),
        None => format!(
            "`{word}` continues an `{owner}` block; `{}` has one section only: start another block after it",
            kind.keyword()
        ),
    };
    Diagnostic::new(
        Code::E074,
        format!("`{word}` after a `{}` block", kind.keyword()),
    )
    .label(
        span,
        format!("only an `{owner}` block has `{word}` sections"),
    )
    .hint(hint)
}
