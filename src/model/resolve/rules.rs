//! Rules: the names in `rules { deny … require … layer … }` → selections.
//!
//! In: every `rules` block.
//! Out: the model's rules, built by [`crate::model::rules::from_ast`] with
//! the selections resolved here: a bare identifier that names no element may
//! name a kind or a tag. They are checked later, within the model's budget.

use super::*;
use crate::model::rules;

impl<'a> Resolver<'_, 'a> {
    /// A rule selector: like a view selector, but `*` is any element and a bare
    /// identifier that names no element may name a kind or a tag
    /// (`require tag "owner" on container`).
    pub(super) fn rule_selection(&mut self, e: &ViewExpr) -> Option<Selection> {
        if let ViewExpr::Element(Selector::Path {
            path,
            star: Star::None,
            ..
        }) = e
            && path.segments.len() == 1
            && self.lookup(path, None).is_err()
        {
            let name = &path.segments[0];
            if self.m.kinds.contains_key(name) {
                return Some(Selection::Kind(name.clone()));
            }
            if self.m.tag_in_use(name) {
                return Some(Selection::Tag(name.clone()));
            }
        }
        match e {
            ViewExpr::Element(s) => self.selector(s, true),
            other => self.selection(other),
        }
    }

    /// Every rule of the workspace, its selectors resolved by [`Self::rule_selection`].
    pub(super) fn rules(&mut self, ws: &Workspace) {
        let mut out = Vec::new();
        for (_, f) in &ws.files {
            for item in &f.items {
                if let ast::TopItem::Rules(rules) = item {
                    out.extend(
                        rules
                            .iter()
                            .filter_map(|r| rules::from_ast(r, &mut |e| self.rule_selection(e))),
                    );
                }
            }
        }
        // Checked within the model's budget, with its views (`crate::finish`).
        self.m.rules = out;
    }
}
