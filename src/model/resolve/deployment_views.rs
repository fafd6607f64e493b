//! Deployment views' own parts of a view definition: the environment
//! (and `of SYSTEM`) a `deployment` view shows, and its `include`/`exclude`
//! expressions.
//!
//! In: the resolver, with deployments resolved. Out: the view definition
//! (through `views.rs`'s `derived_view`) with its selections in its
//! [`ViewOptions`](crate::model::deployment::ViewOptions): items of the
//! environment (`region.vm`, `region.*`), model elements (their instances,
//! and the people and systems drawn beside), tags, kinds and relationships;
//! E041 for a bad environment or system, E043 for `exclude *`, W005 for a
//! selector that matches nothing in the environment; the nodes `collapse`
//! names (E045 for a name that is no node of the environment).

use super::views::default_title;
use super::*;
use crate::model::deployment::{self, DeplEnd, DeplKind, NodeShape};
use crate::source::Span;

use crate::model::select::{arrow_matches, end_matches, item_matches};

impl Resolver<'_, '_> {
    /// `deployment ENV [of SYSTEM] ["key" ["title"]] { direction … title … }`
    pub(super) fn deployment_view(&mut self, def: &ast::ViewDef) -> Option<ViewDef> {
        let names: Vec<&str> = self.m.deployments.iter().map(|d| d.name.as_str()).collect();
        let Some(env) = &def.subject else {
            self.diags.push(
                Diagnostic::new(Code::E041, "a deployment view needs an environment")
                    .label(def.kind_span, "which deployment?")
                    .hint(if names.is_empty() {
                        "declare one with `deployment production { … }`".to_string()
                    } else {
                        format!("environments: {}", names.join(", "))
                    }),
            );
            return None;
        };
        let name = env.dotted();
        let Some(index) = self.m.deployments.iter().position(|d| d.name == name) else {
            let mut d = Diagnostic::new(Code::E041, format!("no deployment environment `{name}`"))
                .label(env.span, "not declared");
            d = match did_you_mean(&name, names.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("declare it with `deployment NAME { … }`"),
            };
            self.diags.push(d);
            return None;
        };
        let subject = match &def.of {
            None => None,
            Some(p) => match self.lookup(p, None) {
                Ok(id) if self.m.graph[id].base == BaseKind::System => Some(id),
                Ok(id) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E041,
                            format!(
                                "`of` takes a software system, not a {}",
                                self.m.graph[id].base.keyword()
                            ),
                        )
                        .label(p.span, "not a system")
                        .hint("`deployment production of shop` shows the instances of one system"),
                    );
                    return None;
                }
                Err(d) => {
                    self.diags.push(d);
                    return None;
                }
            },
        };
        let description = self.m.deployments[index].description.clone();
        let fallback = default_title(ViewKind::Deployment, &self.m.deployments[index].title);
        let hint = (
            "a deployment view shows its whole environment".to_string(),
            "narrow it with `deployment ENV of SYSTEM`".to_string(),
        );
        self.derived_view(
            def,
            ViewKind::Deployment,
            &name,
            index,
            subject,
            description,
            fallback,
            hint,
        )
    }

    /// The selections of one `include` (or `exclude`) of a deployment view
    /// of environment `env`, added to its options.
    pub(super) fn deployment_selections(
        &mut self,
        of: &mut ViewOf,
        env: usize,
        exprs: &[ViewExpr],
        include: bool,
    ) {
        for e in exprs {
            let Some(sel) = self.deployment_selection(env, e) else {
                continue;
            };
            let ViewOf::Deployment { options, .. } = of else {
                return;
            };
            match (include, sel) {
                (true, s) => options.include.push(s),
                (false, Selection::Default) => self.diags.push(
                    Diagnostic::new(Code::E043, "`exclude *` would leave the view empty")
                        .label(e.span(), "excludes everything")
                        .hint("exclude specific items, elements, tags or relationships"),
                ),
                (false, s) => options.exclude.push(s),
            }
        }
    }

    /// `collapse frames` (every top-level node of environment `env`) or
    /// `collapse NAME, …` (node paths from the environment down: `eu.cluster`):
    /// the nodes, E045 (with a "did you mean") for a name that is no node.
    pub(super) fn deployment_collapse(&mut self, env: usize, names: Option<&[Text]>) -> Vec<usize> {
        let d = &self.m.deployments[env];
        let Some(names) = names else {
            let roots = d.roots.iter().copied();
            return roots
                .filter(|&i| d.items[i].kind == DeplKind::Node)
                .collect();
        };
        // A node's path below the environment: `eu.cluster` for `prod.eu.cluster`.
        let below = |it: &deployment::DeplItem| {
            let p = it.path.as_str();
            p.strip_prefix(d.name.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(p)
                .to_string()
        };
        let by_path: HashMap<String, usize> = d
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (below(it), i))
            .collect();
        let nodes: Vec<String> = d
            .items
            .iter()
            .filter(|it| it.kind == DeplKind::Node)
            .map(below)
            .collect();
        let mut out = Vec::with_capacity(names.len());
        for n in names {
            let found = by_path.get(&n.value).copied();
            if let Some(i) = found.filter(|&i| d.items[i].kind == DeplKind::Node) {
                out.push(i);
                continue;
            }
            let diag = Diagnostic::new(
                Code::E045,
                match found {
                    Some(_) => format!("`collapse` names `{}`: not a node", n.value),
                    None => format!(
                        "`collapse` names `{}`: no node of environment `{}` has that path",
                        n.value, d.name
                    ),
                },
            );
            let diag = match found.map(|i| &d.items[i]) {
                Some(it) => diag.label(n.span, "not a node").hint(match it.parent {
                    Some(p) => format!(
                        "only a node holds things to fold: collapse the node around it, `{}`",
                        below(&d.items[p])
                    ),
                    None => "only a node holds things to fold; an instance or infrastructure node is drawn as one box already".to_string(),
                }),
                None => {
                    let diag = diag.label(n.span, "no such node");
                    // `cluster` for `eu.cluster`: the node of that name, else a near spelling.
                    let tail = format!(".{}", n.value);
                    let named = nodes.iter().find(|p| p.ends_with(&tail)).cloned();
                    match named.or_else(|| did_you_mean(&n.value, nodes.iter().map(String::as_str))) {
                        Some(s) => diag.hint(format!("did you mean `{s}`?")),
                        None => diag.hint(
                            "name a node by its path from the environment down (`eu.cluster`), or write `collapse frames` for every top-level node",
                        ),
                    }
                }
            };
            self.diags.push(diag);
        }
        out
    }

    /// One expression of a deployment view: a selection of items, elements
    /// or relationships of environment `env` (W005 when it matches nothing).
    fn deployment_selection(&mut self, env: usize, e: &ViewExpr) -> Option<Selection> {
        let sel = match e {
            ViewExpr::Element(s) => self.deployment_selector(env, s, false)?,
            ViewExpr::Tag(t) => Selection::Tag(t.value.clone()),
            ViewExpr::Kind(_) => self.selection(e)?,
            ViewExpr::Relationship {
                from, arrow, to, ..
            } => {
                let f = self.deployment_selector(env, from, true);
                let t = self.deployment_selector(env, to, true);
                Selection::Relationships(Box::new(f?), *arrow, Box::new(t?))
            }
        };
        let d = &self.m.deployments[env];
        if sel != Selection::Default && !selects_anything(&self.m, d, &sel) {
            let what = match e {
                ViewExpr::Tag(t) => format!(
                    "no item or element of `{}` has the tag `{}`",
                    d.name, t.value
                ),
                ViewExpr::Relationship { .. } => format!("no relationship of `{}` matches", d.name),
                _ => format!("nothing in deployment `{}` matches", d.name),
            };
            self.diags.push(
                Diagnostic::new(Code::W005, what)
                    .label(e.span(), "selects nothing")
                    .hint("a deployment view selects items (`region.vm`, `region.*`), instances of model elements (`shop.api`), tags, kinds and relationships (`lb -> vm`)"),
            );
        }
        Some(sel)
    }

    /// `*`, an item of environment `env` (`region.vm`, `region.*`) or a
    /// model element (`shop.api`, `shop.*`); `any`: `*` is any end of a
    /// relationship.
    fn deployment_selector(&mut self, env: usize, s: &Selector, any: bool) -> Option<Selection> {
        let Selector::Path { path, star, .. } = s else {
            return Some(if any {
                Selection::Any
            } else {
                Selection::Default
            });
        };
        let found = {
            let this = &*self;
            let lookup = |p: &PathRef| this.lookup(p, None);
            deployment::lookup_ref(&this.m, &this.m.deployments[env], path, &lookup)
        };
        match found {
            Ok(DeplEnd::Item { item, .. }) => Some(match star {
                Star::None => Selection::Item(item),
                Star::Children | Star::Descendants => Selection::Inside(item),
            }),
            Ok(DeplEnd::Element(id)) => Some(Selection::of_element(id, *star)),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }
}

/// W013 for `hosts` in a view where no node holding something is drawn as a
/// box (`nodes frame hosts`, every node a frame by its own `shape`): `hosts`
/// edges go from a node's box to what it holds, and a frame already holds it.
pub(super) fn hosts_unseen(
    model: &Model,
    env: EnvId,
    boxes: bool,
    span: Span,
) -> Option<Diagnostic> {
    let d = model.env(env);
    let boxed = |it: &deployment::DeplItem| match it.shape {
        Some(NodeShape::Box(_)) => true,
        Some(NodeShape::Frame) => false,
        None => boxes,
    };
    let any = d
        .items
        .iter()
        .any(|it| it.kind == DeplKind::Node && !it.children.is_empty() && boxed(it));
    (!any).then(|| {
        Diagnostic::new(Code::W013, "`hosts` draws nothing here: no node that holds something is drawn as a box")
            .label(span, "no `hosts` edge to draw")
            .note("a `hosts` edge goes from a node drawn as a box to each item it holds; a frame shows that by holding them")
            .hint(if boxes {
                "every node here says `shape frame`: give one `shape box`, or drop `hosts`"
            } else {
                "write `nodes box hosts`, or give the nodes to box `shape box` in their blocks"
            })
    })
}

/// Whether a selection matches any item, model element or relationship of `d`.
fn selects_anything(model: &Model, d: &deployment::Deployment, sel: &Selection) -> bool {
    match sel {
        Selection::Relationships(a, arrow, b) => d.relationships.iter().any(|r| {
            arrow_matches(*arrow, r.arrow)
                && end_matches(model, d, a, r.source)
                && end_matches(model, d, b, r.target)
        }),
        _ => {
            (0..d.items.len()).any(|i| item_matches(model, d, sel, i))
                || d.relationships
                    .iter()
                    .flat_map(|r| [r.source, r.target])
                    .any(|end| {
                        matches!(end, DeplEnd::Element(_)) && end_matches(model, d, sel, end)
                    })
        }
    }
}
