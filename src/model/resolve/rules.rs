//! Rules: the names in `rules { deny … require … layer … }` → selections.
//!
//! In: every `rules` block.
//! Out: the model's rules, built by [`crate::model::rules::from_ast`] with
//! the selections resolved here: a bare identifier that names no element may
//! name a kind or a tag. They are checked later, within the model's budget.

use super::*;

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

    pub(super) fn rules(&mut self, ws: &Workspace) {
        let mut out = Vec::new();
        for (_, f) in &ws.files {
            for item in &f.items {
                let ast::TopItem::Rules(rules) = item else {
                    continue;
                };
                for rule in rules {
                    match rule {
                        ast::Rule::Deny {
                            from,
                            arrow,
                            to,
                            reason,
                            span,
                        } => {
                            if let (Some(f), Some(t)) =
                                (self.rule_selection(from), self.rule_selection(to))
                            {
                                out.push(crate::model::rules::Rule::Deny {
                                    from: f,
                                    arrow: *arrow,
                                    to: t,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                        ast::Rule::Require {
                            what,
                            on,
                            reason,
                            span,
                        } => {
                            let what = match what {
                                ast::Requirement::Tag(t) => {
                                    crate::model::rules::Requirement::Tag(t.value.clone())
                                }
                                ast::Requirement::Field(f) => match f.value.as_str() {
                                    "description" => crate::model::rules::Requirement::Description,
                                    "technology" => crate::model::rules::Requirement::Technology,
                                    _ => crate::model::rules::Requirement::Url,
                                },
                            };
                            if let Some(on) = self.rule_selection(on) {
                                out.push(crate::model::rules::Rule::Require {
                                    what,
                                    on,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                        ast::Rule::Layer {
                            layers,
                            reason,
                            span,
                        } => {
                            let sel: Vec<Selection> = layers
                                .iter()
                                .filter_map(|l| self.rule_selection(l))
                                .collect();
                            if sel.len() == layers.len() {
                                out.push(crate::model::rules::Rule::Layer {
                                    layers: sel,
                                    reason: reason.as_ref().map(|r| r.value.clone()),
                                    span: *span,
                                });
                            }
                        }
                    }
                }
            }
        }
        // Checked within the model's budget, with its views (`crate::finish`).
        self.m.rules = out;
    }
}
