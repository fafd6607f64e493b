//! Code (C4 level 4) and state-machine blocks: class declarations, members,
//! relations, transitions, notes and states in; their AST nodes out.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::syntax::ast::*;

impl Ctx<'_> {
    pub(super) fn class_decl(&mut self, pair: Pair<'_, Rule>) -> Option<ClassDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = self.text_of(&inner.next()?);
        let name_pair = inner.next()?;
        let name = Text {
            value: compact(name_pair.as_str()),
            span: self.span(&name_pair),
        };
        let mut decl = ClassDecl {
            kind,
            name,
            label: None,
            annotations: Vec::new(),
            tags: Vec::new(),
            members: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::string => decl.label = Some(self.string(p)),
                Rule::annotation => decl.annotations.push(self.text_of(&p)),
                Rule::class_body => {
                    for m in p.into_inner() {
                        match m.as_rule() {
                            Rule::annotation => decl.annotations.push(self.text_of(&m)),
                            Rule::tags_stmt => {
                                decl.tags.extend(m.into_inner().map(|t| self.string(t)))
                            }
                            Rule::member => decl.members.extend(self.member(m)),
                            Rule::bad_stmt => self.bad(&m, Rule::frag_code),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Some(decl)
    }

    pub(super) fn member(&mut self, pair: Pair<'_, Rule>) -> Option<Member> {
        let span = self.span(&pair);
        let mut m = Member {
            visibility: None,
            name: Text {
                value: String::new(),
                span,
            },
            params: None,
            ty: None,
            classifier: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::visibility => m.visibility = p.as_str().chars().next(),
                Rule::ident => m.name = self.text_of(&p),
                Rule::params => {
                    let mut list = Vec::new();
                    for param in p.into_inner() {
                        let mut name = None;
                        let mut ty = String::new();
                        for part in param.into_inner() {
                            match part.as_rule() {
                                Rule::ident => name = Some(part.as_str().to_string()),
                                Rule::type_ref => ty = compact(part.as_str()),
                                _ => {}
                            }
                        }
                        list.push(Param { name, ty });
                    }
                    m.params = Some(list);
                }
                Rule::type_ref => m.ty = Some(compact(p.as_str())),
                Rule::classifier => m.classifier = p.as_str().chars().next(),
                _ => {}
            }
        }
        Some(m)
    }

    pub(super) fn code_relation(&mut self, pair: Pair<'_, Rule>) -> Option<CodeRelation> {
        let span = self.span(&pair);
        let mut refs = Vec::new();
        let mut cards: Vec<(usize, Text)> = Vec::new();
        let mut arrow = None;
        let mut label = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::class_ref => refs.push(self.text_of(&p)),
                Rule::code_arrow => arrow = Some(self.text_of(&p)),
                Rule::string if label.is_none() && refs.len() < 2 => {
                    cards.push((refs.len() + usize::from(arrow.is_some()), self.string(p)))
                }
                Rule::string | Rule::free_label => {
                    label = Some(if p.as_rule() == Rule::string {
                        self.string(p)
                    } else {
                        let t = self.text_of(&p);
                        Text {
                            value: t.value.trim().to_string(),
                            span: t.span,
                        }
                    })
                }
                _ => {}
            }
        }
        let mut it = refs.into_iter();
        let from = it.next()?;
        let to = it.next()?;
        let from_card = cards
            .iter()
            .find(|(pos, _)| *pos == 1)
            .map(|(_, t)| t.clone());
        let to_card = cards
            .iter()
            .find(|(pos, _)| *pos == 2)
            .map(|(_, t)| t.clone());
        Some(CodeRelation {
            from,
            from_card,
            arrow: arrow?,
            to_card,
            to,
            label,
            span,
        })
    }

    pub(super) fn state_stmt(&mut self, pair: Pair<'_, Rule>) -> Option<StateStmt> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::transition => {
                let mut inner = pair.into_inner();
                let from = self.text_of(&inner.next()?);
                let to = self.text_of(&inner.next()?);
                let label = inner.next().map(|l| {
                    if l.as_rule() == Rule::string {
                        self.string(l)
                    } else {
                        let t = self.text_of(&l);
                        Text {
                            value: t.value.trim().to_string(),
                            span: t.span,
                        }
                    }
                });
                Some(StateStmt::Transition {
                    from,
                    to,
                    label,
                    span,
                })
            }
            Rule::note_stmt => {
                let mut state = None;
                let mut side = None;
                let mut text = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::state_ref => state = Some(self.text_of(&p)),
                        Rule::note_side => side = Some(p.as_str().to_string()),
                        Rule::string => text = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(StateStmt::Note {
                    state: state?,
                    side,
                    text: text?,
                    span,
                })
            }
            Rule::state_decl => {
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut label = None;
                let mut final_state = false;
                let mut body: Option<Vec<StateStmt>> = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::string => label = Some(self.string(p)),
                        Rule::final_kw => final_state = true,
                        _ => {
                            let stmt = self.state_stmt(p);
                            body.get_or_insert_with(Vec::new).extend(stmt);
                        }
                    }
                }
                Some(StateStmt::State {
                    name,
                    label,
                    final_state,
                    body,
                    span,
                })
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_state);
                None
            }
            _ => None,
        }
    }
}

/// A type or name as written, with blanks removed except after commas.
pub(super) fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            continue;
        }
        out.push(c);
        if c == ',' {
            out.push(' ');
        }
    }
    out
}
