//! Mesh and CDN blocks: a `mesh_block` or `cdn_block` pair in, a
//! [`MeshDef`] with its tree of [`OptItem`]s out.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::syntax::ast::*;

impl Ctx<'_> {
    /// `mesh …` or `cdn …`: name, titles, target and options.
    pub(super) fn mesh_block(&mut self, pair: Pair<'_, Rule>) -> Option<MeshDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text_of(&inner.next()?);
        let mut strings = Vec::new();
        let mut target = None;
        let mut options = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::string => strings.push(self.string(p)),
                Rule::path => target = Some(self.path(&p)),
                Rule::opt_item => options.extend(self.opt_item(p)),
                Rule::bad_stmt => self.bad(&p, Rule::frag_opt),
                _ => {}
            }
        }
        Some(MeshDef {
            name,
            strings,
            target: target?,
            options,
            span,
        })
    }

    pub(super) fn opt_item(&mut self, pair: Pair<'_, Rule>) -> Option<OptItem> {
        let span = self.span(&pair);
        let mut id = None;
        let mut key = None;
        let mut values = Vec::new();
        let mut children = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::opt_id => id = Some(self.text_of(&p)),
                Rule::opt_key => key = Some(self.text_of(&p)),
                Rule::string => values.push(self.string(p)),
                Rule::opt_body => {
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::opt_item => children.extend(self.opt_item(c)),
                            Rule::bad_stmt => self.bad(&c, Rule::frag_opt),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Some(OptItem {
            id,
            key: key?,
            values,
            children,
            span,
        })
    }
}
