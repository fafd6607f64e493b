//! The default views, and the listed views laid over them.
//!
//! In: the resolver with elements, deployments and derived declarations
//! resolved; the workspace's `views` blocks.
//! Out: the default [`ViewDef`]s (a landscape, a context view of every
//! system that is not external, container and component views, a view of
//! every derived declaration), and the merge of listed views over them
//! (`defaults on`, the default): a listed view of the same kind and subject,
//! or else of the same key, takes a default view's place; E040 for two
//! listed views of one key.

use super::views::{default_title, derived_key, derived_of};
use super::*;

impl Resolver<'_, '_> {
    /// The model's views: the default views, each replaced by a listed view
    /// of the same subject or key, then the other listed views — or with
    /// `defaults off` only the listed views.
    pub(super) fn views(&mut self, ws: &Workspace) {
        let mut defaults = true;
        let mut listed: Vec<ViewDef> = Vec::new();
        let mut keys: HashMap<String, crate::source::Span> = HashMap::new();
        let mut over: Vec<super::over::Pending> = Vec::new();
        for (_, file) in &ws.files {
            for item in &file.items {
                let ast::TopItem::Views(block) = item else {
                    continue;
                };
                if let Some((on, _)) = block.defaults {
                    defaults = on;
                }
                for def in &block.views {
                    if let Some(v) = self.view(def) {
                        if let Some(prev) = keys.get(&v.key) {
                            self.diags.push(
                                Diagnostic::new(
                                    Code::E040,
                                    format!("duplicate view key `{}`", v.key),
                                )
                                .label(def.span, "this view has the same key")
                                .secondary(*prev, "as this one")
                                .hint(format!(
                                    "give one of them its own key: `{} {}\"{}-2\"`",
                                    def.kind.keyword(),
                                    def.subject
                                        .as_ref()
                                        .map(|p| format!("{} ", p.dotted()))
                                        .unwrap_or_default(),
                                    v.key
                                )),
                            );
                            continue;
                        }
                        keys.insert(v.key.clone(), def.span);
                        over.extend(super::over::pending(def, &v));
                        listed.push(v);
                    }
                }
            }
        }
        self.m.views = if defaults {
            merge_views(self.default_views(), listed)
        } else {
            listed
        };
        self.settle_over(over);
    }

    /// The views a model gets without asking: the landscape, a context view
    /// of every system that is not external, a container view of every
    /// system with containers, a component view of every container with
    /// components, and a view of every environment, CDN, code block, state
    /// machine, dynamic block and mesh.
    /// The default static views: the landscape, a context view per internal
    /// system, a container view per system with containers, a component view
    /// per container with components.
    fn default_static_views(&self) -> Vec<ViewDef> {
        let span = self
            .m
            .roots
            .first()
            .map(|r| self.m.graph[*r].span)
            .unwrap_or_default();
        let mut views = vec![ViewDef {
            key: "landscape".into(),
            title: "System Landscape".into(),
            description: None,
            direction: None,
            span,
            derived_key: true,
            of: ViewOf::Static(StaticDef {
                kind: StaticKind::Landscape,
                subject: None,
                include: vec![Selection::Default],
                exclude: Vec::new(),
                subject_draw: SubjectDraw::Boundary,
                boundaries: crate::model::Boundaries::All,
                split: None,
                collapse: crate::model::Collapse::None,
            }),
        }];
        let systems: Vec<ElementId> = self
            .m
            .graph
            .node_indices()
            .filter(|i| self.m.graph[*i].base == BaseKind::System)
            .collect();
        for s in &systems {
            // An external system's context view is noise in every index; an
            // explicit `context X` still draws one.
            if !self.m.graph[*s].external {
                views.push(self.default_view(StaticKind::Context, *s));
            }
            if !self.m.graph[*s].children.is_empty() {
                views.push(self.default_view(StaticKind::Container, *s));
            }
        }
        for c in self.m.graph.node_indices() {
            let e = &self.m.graph[c];
            if e.base == BaseKind::Container && !e.children.is_empty() {
                views.push(self.default_view(StaticKind::Component, c));
            }
        }
        views
    }

    pub(super) fn default_views(&self) -> Vec<ViewDef> {
        let mut views = self.default_static_views();
        for (i, d) in self.m.deployments.iter().enumerate() {
            views.push(ViewDef {
                key: derived_key(ViewKind::Deployment, &d.name),
                title: default_title(ViewKind::Deployment, &d.title),
                description: d.description.clone(),
                direction: None,
                span: d.span,
                derived_key: true,
                of: ViewOf::Deployment {
                    env: EnvId::new(i),
                    system: None,
                    options: Default::default(),
                },
            });
        }
        for (i, c) in self.m.cdns.iter().enumerate() {
            views.push(ViewDef {
                key: derived_key(ViewKind::Cdn, &c.name),
                title: default_title(ViewKind::Cdn, &c.title),
                description: None,
                direction: None,
                span: c.span,
                derived_key: true,
                of: ViewOf::Cdn(CdnId::new(i)),
            });
        }
        let extra: Vec<(ViewKind, String, String)> = self
            .m
            .code
            .iter()
            .map(|c| {
                (
                    ViewKind::Code,
                    self.m.graph[c.element].path.clone(),
                    c.title.clone(),
                )
            })
            .chain(
                self.m
                    .state_machines
                    .iter()
                    .map(|m| (ViewKind::States, m.name.clone(), m.title.clone())),
            )
            .chain(
                self.m
                    .dynamics
                    .iter()
                    .map(|m| (ViewKind::Dynamic, m.name.clone(), m.title.clone())),
            )
            .collect();
        let mut counts = [0usize; 3];
        for (kind, name, title) in extra {
            let slot = match kind {
                ViewKind::Code => 0,
                ViewKind::States => 1,
                _ => 2,
            };
            let index = counts[slot];
            counts[slot] += 1;
            views.push(ViewDef {
                key: derived_key(kind, &name),
                title: default_title(kind, &title),
                description: None,
                direction: None,
                span: Default::default(),
                derived_key: true,
                of: derived_of(kind, index, None),
            });
        }
        for (i, m) in self.m.meshes.iter().enumerate() {
            views.push(ViewDef {
                key: derived_key(ViewKind::Mesh, &m.name),
                title: default_title(ViewKind::Mesh, &m.title),
                description: None,
                direction: None,
                span: m.span,
                derived_key: true,
                of: ViewOf::Mesh(MeshId::new(i)),
            });
        }
        views
    }

    pub(super) fn default_view(&self, kind: StaticKind, subject: ElementId) -> ViewDef {
        let e = &self.m.graph[subject];
        ViewDef {
            key: derived_key(kind.view_kind(), &e.path),
            title: default_title(kind.view_kind(), &e.name),
            description: None,
            direction: None,
            span: e.span,
            derived_key: true,
            of: ViewOf::Static(StaticDef {
                kind,
                subject: Some(subject),
                include: vec![Selection::Default],
                exclude: Vec::new(),
                subject_draw: SubjectDraw::Boundary,
                boundaries: crate::model::Boundaries::All,
                split: None,
                collapse: crate::model::Collapse::None,
            }),
        }
    }
}

/// What a listed view may replace among the default views: its kind and
/// subject (a static view's element, a deployment view's environment and
/// `of` system, the declaration of any other view). Custom views have none.
fn view_subject_key(of: &ViewOf) -> Option<(ViewKind, Option<ElementId>, usize)> {
    Some(match of {
        ViewOf::Static(s) if s.kind == StaticKind::Custom => return None,
        ViewOf::Static(s) => (s.kind.view_kind(), s.subject, 0),
        ViewOf::Deployment { env, system, .. } => (ViewKind::Deployment, *system, env.index()),
        ViewOf::Mesh(id) => (ViewKind::Mesh, None, id.index()),
        ViewOf::Cdn(id) => (ViewKind::Cdn, None, id.index()),
        ViewOf::Code(id) => (ViewKind::Code, None, id.index()),
        ViewOf::States(id) => (ViewKind::States, None, id.index()),
        ViewOf::Dynamic { id, .. } => (ViewKind::Dynamic, None, id.index()),
    })
}

/// The default views with the listed ones laid over them: a listed view
/// takes the place of the default view of the same kind and subject (or
/// else of the same key); the listed views that replace nothing follow.
/// A default view whose key a listed view took is dropped. Linear in the
/// number of views (hash maps, no pairwise comparison).
fn merge_views(defaults: Vec<ViewDef>, listed: Vec<ViewDef>) -> Vec<ViewDef> {
    let mut by_subject: HashMap<(ViewKind, Option<ElementId>, usize), usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, d) in defaults.iter().enumerate() {
        if let Some(k) = view_subject_key(&d.of) {
            by_subject.entry(k).or_insert(i);
        }
        by_key.insert(d.key.clone(), i);
    }
    let listed_keys: HashSet<String> = listed.iter().map(|v| v.key.clone()).collect();
    let mut slots: Vec<Option<ViewDef>> = defaults.into_iter().map(Some).collect();
    let mut replaced = vec![false; slots.len()];
    let mut extra = Vec::new();
    for v in listed {
        let slot = view_subject_key(&v.of)
            .and_then(|k| by_subject.get(&k).copied())
            .filter(|i| !replaced[*i])
            .or_else(|| by_key.get(&v.key).copied().filter(|i| !replaced[*i]));
        match slot {
            Some(i) => {
                replaced[i] = true;
                slots[i] = Some(v);
            }
            None => extra.push(v),
        }
    }
    slots
        .into_iter()
        .zip(replaced)
        .filter_map(|(v, by_listed)| v.filter(|v| by_listed || !listed_keys.contains(&v.key)))
        .chain(extra)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::syntax::ast::Direction;

    /// (key, title, direction) of every view of `src`, which must compile.
    fn views(src: &str) -> Vec<(String, String, Option<Direction>)> {
        let c = crate::compile_text("t.c4", src);
        assert!(
            !c.diagnostics.iter().any(|d| d.is_error()),
            "{:?}",
            c.diagnostics
        );
        c.compiled
            .into_iter()
            .next()
            .map(|w| w.model.views)
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.key, v.title, v.direction))
            .collect()
    }

    fn keys(src: &str) -> Vec<String> {
        views(src).into_iter().map(|v| v.0).collect()
    }

    const MODEL: &str = "model {\n  u = person \"U\"\n  shop = system \"Shop\" { api = container \"API\" }\n  \
        mail = system \"Mail\" { external }\n  u -> shop.api \"Uses\"\n  shop.api -> mail \"Mails\"\n}\n";

    #[test]
    fn external_systems_get_no_default_context_view() {
        assert_eq!(
            keys(MODEL),
            ["landscape", "shop-context", "shop-containers"]
        );
        // An explicit one still works, after the defaults.
        assert_eq!(
            keys(&format!("{MODEL}views {{ context mail }}")),
            [
                "landscape",
                "shop-context",
                "shop-containers",
                "mail-context"
            ]
        );
    }

    #[test]
    fn a_view_of_the_same_subject_replaces_the_default_in_place() {
        let v = views(&format!(
            "{MODEL}views {{ container shop \"wide\" {{ direction LR }} custom \"x\" {{ include u }} }}"
        ));
        let got: Vec<(&str, &str, Option<Direction>)> = v
            .iter()
            .map(|(k, t, d)| (k.as_str(), t.as_str(), *d))
            .collect();
        assert_eq!(
            got,
            [
                ("landscape", "System Landscape", None),
                ("shop-context", "System Context: Shop", None),
                ("wide", "Containers: Shop", Some(Direction::LR)),
                ("x", "Custom view", None),
            ]
        );
    }

    #[test]
    fn a_view_with_a_default_key_replaces_that_default() {
        assert_eq!(
            keys(&format!(
                "{MODEL}views {{ custom \"shop-context\" {{ include u }} }}"
            )),
            ["landscape", "shop-context", "shop-containers"]
        );
        // Its subject wins over its key: the context default goes, and the
        // key it takes is not drawn twice.
        assert_eq!(
            keys(&format!(
                "{MODEL}views {{ container shop \"shop-context\" }}"
            )),
            ["landscape", "shop-context"]
        );
    }

    #[test]
    fn a_custom_view_without_a_key_is_keyed_custom_and_keeps_the_landscape() {
        let v = views(&format!("{MODEL}views {{ custom {{ include u }} }}"));
        let got: Vec<(&str, &str)> = v.iter().map(|(k, t, _)| (k.as_str(), t.as_str())).collect();
        assert_eq!(
            got,
            [
                ("landscape", "System Landscape"),
                ("shop-context", "System Context: Shop"),
                ("shop-containers", "Containers: Shop"),
                ("custom", "Custom view"),
            ]
        );
    }

    #[test]
    fn defaults_off_keeps_only_the_listed_views() {
        assert_eq!(
            keys(&format!("{MODEL}views {{ defaults off context shop }}")),
            ["shop-context"]
        );
        assert!(keys(&format!("{MODEL}views {{ defaults off }}")).is_empty());
        assert_eq!(
            keys(&format!("{MODEL}views {{ defaults off defaults on }}")).len(),
            3
        );
        assert_eq!(keys(&format!("{MODEL}views {{ }}")).len(), 3);
    }

    #[test]
    fn two_listed_views_of_one_key_are_still_e040() {
        let c = crate::compile_text(
            "t.c4",
            &format!("{MODEL}views {{ context shop context shop }}"),
        );
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.code == crate::diagnostic::Code::E040)
        );
    }
}
