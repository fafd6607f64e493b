//! Styles: `styles { … }` rules → [`Styles`].
//!
//! In: every `styles` block, with kinds, tags and relationships resolved.
//! Out: the model's style rules, each aimed at a kind, an element tag or a
//! relationship tag; E030 for a target that names none (with a "did you
//! mean") and E031 for a bad property on the way.

use super::*;
use crate::model::style::style_of;
use crate::model::theme::ViewPart;

/// Names of the class diagrams' boxes that `element NAME { … }` may style
/// (the boxes and edges of the other derived views are [`ViewPart`]s).
const CLASS_STYLE_NAMES: &[&str] = &["class", "interface", "enum", "abstract"];

impl<'a> Resolver<'_, 'a> {
    pub(super) fn styles(&mut self, ws: &Workspace) {
        let mut styles = Styles::default();
        // Tags of elements, deployment items and classes.
        let element_tags: HashSet<&str> = self
            .m
            .graph
            .node_weights()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .chain(self.m.deployments.iter().flat_map(|d| {
                d.items
                    .iter()
                    .flat_map(|i| i.tags.iter().map(String::as_str))
            }))
            .chain(self.m.code.iter().flat_map(|c| {
                c.classes
                    .iter()
                    .flat_map(|k| k.tags.iter().map(|t| t.value.as_str()))
            }))
            .collect();
        let rel_tags: HashSet<&str> = self
            .m
            .graph
            .edge_weights()
            .flat_map(|r| r.tags.iter().map(String::as_str))
            .collect();
        let mut new_diags = Vec::new();
        for (_, file) in &ws.files {
            for item in &file.items {
                let ast::TopItem::Styles(rules) = item else {
                    continue;
                };
                for rule in rules {
                    let name = rule.target.value.as_str();
                    let declared = self.m.declared_tags.contains_key(name);
                    let is_kind = self.m.kinds.contains_key(name)
                        || CLASS_STYLE_NAMES.contains(&name)
                        || ViewPart::named(name, false).is_some();
                    let is_el_tag = declared || element_tags.contains(name) || name == "external";
                    let unknown = |what: &str, cands: Vec<&str>| {
                        let mut d =
                            Diagnostic::new(Code::E030, format!("unknown style target `{name}`"))
                                .label(rule.target.span, format!("no {what} is called `{name}`"));
                        d = match (did_you_mean(name, cands), what) {
                            (Some(s), _) => d.hint(format!("did you mean `{s}`?")),
                            (None, "relationship tag") => d.hint("style `*`, `sync`, `async`, `bidirectional` or a tag that some relationship has; declare tags with `specification { tag NAME }`"),
                            (None, _) => d.hint("style a kind (person, system, container, component or a declared kind) or a tag that some element has; declare tags with `specification { tag NAME }`"),
                        };
                        d
                    };
                    let kind_names: Vec<&str> = self.m.kinds.keys().map(String::as_str).collect();
                    let tag_names: Vec<&str> = element_tags
                        .iter()
                        .copied()
                        .chain(self.m.declared_tags.keys().map(String::as_str))
                        .collect();
                    match rule.target_kind {
                        ast::StyleTargetKind::Relationship => {
                            if !(name == "*"
                                || name == "async"
                                || name == "sync"
                                || name == "bidirectional"
                                || declared
                                || rel_tags.contains(name)
                                || ViewPart::named(name, true).is_some())
                            {
                                let mut cands: Vec<&str> = rel_tags.iter().copied().collect();
                                cands.extend(["async", "sync", "bidirectional"]);
                                cands.extend(ViewPart::names(true).collect::<Vec<&str>>());
                                new_diags.push(unknown("relationship tag", cands));
                                continue;
                            }
                            let s = style_of(
                                &rule.props,
                                RELATIONSHIP_PROPS,
                                ViewPart::named(name, true),
                                &mut new_diags,
                            );
                            styles.relationships.push((name.to_string(), s));
                        }
                        kind => {
                            let target = match kind {
                                ast::StyleTargetKind::Kind if is_kind => {
                                    StyleTarget::Kind(name.into())
                                }
                                ast::StyleTargetKind::Kind => {
                                    new_diags.push(unknown("kind", kind_names));
                                    continue;
                                }
                                ast::StyleTargetKind::Tag if is_el_tag => {
                                    StyleTarget::Tag(name.into())
                                }
                                ast::StyleTargetKind::Tag => {
                                    new_diags.push(unknown("tag", tag_names));
                                    continue;
                                }
                                _ if is_kind => StyleTarget::Kind(name.into()),
                                _ if is_el_tag => StyleTarget::Tag(name.into()),
                                _ => {
                                    let mut c = kind_names;
                                    c.extend(tag_names);
                                    new_diags.push(unknown("kind or tag", c));
                                    continue;
                                }
                            };
                            let part = match &target {
                                StyleTarget::Kind(k) => ViewPart::named(k, false),
                                StyleTarget::Tag(_) => None,
                            };
                            let s = style_of(&rule.props, ELEMENT_PROPS, part, &mut new_diags);
                            styles.elements.push((target, s));
                        }
                    }
                }
            }
        }
        self.diags.extend(new_diags);
        self.m.styles = styles;
    }
}
