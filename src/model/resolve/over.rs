//! Flows over static views: `flowchart over "KEY"` in a dynamic view.
//!
//! In: the model's views, merged (the defaults and the listed views), and
//! the dynamic views that name a static view to be drawn over. Out: each
//! such view's form set to [`DynamicForm::Over`] with a copy of the static
//! view's definition (and, when the dynamic view says no `direction`, the
//! static view's direction); E044 for a key naming no view of the model or
//! a view that is not a landscape, context, container, component or custom
//! view — that dynamic view is then left out.

use super::*;

/// A dynamic view waiting for the view it is drawn over.
pub(super) struct Pending {
    /// The dynamic view's key.
    view: String,
    /// The key it names, as written.
    over: Text,
    /// Whether the dynamic view says its own `direction`.
    direction: bool,
}

/// What a listed view (`def`, resolved as `view`) waits for: the last
/// `flowchart over "KEY"` of a dynamic view's block.
pub(super) fn pending(def: &ast::ViewDef, view: &ViewDef) -> Option<Pending> {
    if !matches!(view.of, ViewOf::Dynamic { .. }) {
        return None;
    }
    let over = def.body.iter().rev().find_map(|s| match s {
        ViewStmt::Flowchart { over: Some(t), .. } => Some(t.clone()),
        _ => None,
    })?;
    Some(Pending {
        view: view.key.clone(),
        over,
        direction: def
            .body
            .iter()
            .any(|s| matches!(s, ViewStmt::Direction(..))),
    })
}

impl Resolver<'_, '_> {
    /// Settles every pending `over`, once the model's views are known.
    pub(super) fn settle_over(&mut self, pending: Vec<Pending>) {
        if pending.is_empty() {
            return;
        }
        let by_key: HashMap<&str, usize> = self
            .m
            .views
            .iter()
            .enumerate()
            .map(|(i, v)| (v.key.as_str(), i))
            .collect();
        // Per flow: what it is drawn over and in which direction (`None`: chosen).
        type Settled = (usize, Option<(OverDef, Option<Direction>)>);
        let mut settled: Vec<Settled> = Vec::new();
        for p in &pending {
            let Some(&at) = by_key.get(p.view.as_str()) else {
                continue;
            };
            let key = p.over.value.as_str();
            match by_key.get(key).map(|&i| &self.m.views[i]) {
                Some(ViewDef {
                    of: ViewOf::Static(base),
                    direction,
                    ..
                }) => {
                    let own = self.m.views[at].direction;
                    let over = OverDef {
                        key: key.to_string(),
                        base: base.clone(),
                    };
                    settled.push((at, Some((over, if p.direction { own } else { *direction }))));
                }
                Some(other) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E044,
                            format!(
                                "`{key}` is a {} view: a flow is drawn over a static view",
                                other.kind().keyword()
                            ),
                        )
                        .label(p.over.span, "not a static view")
                        .hint("name a landscape, context, container, component or custom view (`c4c views` lists the keys)"),
                    );
                    settled.push((at, None));
                }
                None => {
                    let statics = self
                        .m
                        .views
                        .iter()
                        .filter(|v| matches!(v.of, ViewOf::Static(_)));
                    let len = statics.clone().map(|v| v.key.len()).sum();
                    let guess = self.guess(key, len, statics.map(|v| v.key.as_str()));
                    let d = Diagnostic::new(Code::E044, format!("no view with the key `{key}`"))
                        .label(p.over.span, "no such view in this model");
                    self.diags.push(match guess {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint(
                            "name the key of a landscape, context, container, component or custom view of this model (`c4c views` lists them; `defaults off` drops the default ones)",
                        ),
                    });
                    settled.push((at, None));
                }
            }
        }
        let mut dropped = vec![false; self.m.views.len()];
        for (at, over) in settled {
            match over {
                Some((over, direction)) => {
                    let view = &mut self.m.views[at];
                    view.direction = direction;
                    if let ViewOf::Dynamic { form, .. } = &mut view.of {
                        *form = DynamicForm::Over(Box::new(over));
                    }
                }
                None => dropped[at] = true,
            }
        }
        let mut i = 0;
        self.m.views.retain(|_| {
            i += 1;
            !dropped[i - 1]
        });
    }
}
