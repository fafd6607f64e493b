//! The model and deployment statements of a workspace JSON.
//!
//! In: the typed model. Out: the statements of the DSL's `model { }`:
//! elements nested as in the JSON (in their groups), the relationships
//! after them, and one `deploymentEnvironment` per environment named by
//! the deployment nodes. Each element's key is registered for the views.

use std::collections::HashMap;

use super::schema::{Element, Infra, Instance, Model, Node, Props, Relationship, Text};
use super::{Builder, Key, Kind, Rel, camel, text, word};
use crate::import::Code;
use crate::import::structurizr::tree::{Stmt, Word};

/// Groups nest at most this deep (deeper names stay joined).
const MAX_GROUP_DEPTH: usize = 8;

/// Tags Structurizr gives every element or relationship of a sort: c4c
/// has kinds for them.
const DEFAULT_TAGS: &[&str] = &[
    "Element",
    "Person",
    "Software System",
    "Container",
    "Component",
    "Relationship",
    "Deployment Node",
    "Infrastructure Node",
    "Container Instance",
    "Software System Instance",
];

/// The property that holds an element's identifier in the DSL it came from.
const DSL_IDENTIFIER: &str = "structurizr.dsl.identifier";

/// Statements grouped by a group path, in order of first appearance.
#[derive(Default)]
struct Groups {
    /// (name, line, statements, subgroups); index 0 is the top.
    nodes: Vec<(String, usize, Vec<Stmt>, Vec<usize>)>,
    index: HashMap<String, usize>,
}

impl Groups {
    fn add(&mut self, path: &[String], line: usize, stmt: Stmt) {
        if self.nodes.is_empty() {
            self.nodes.push((String::new(), 0, Vec::new(), Vec::new()));
        }
        let mut at = 0;
        let mut full = String::new();
        for name in path {
            full.push('\u{0}');
            full.push_str(name);
            at = match self.index.get(&full) {
                Some(i) => *i,
                None => {
                    let i = self.nodes.len();
                    self.nodes
                        .push((name.clone(), line, Vec::new(), Vec::new()));
                    self.nodes[at].3.push(i);
                    self.index.insert(full.clone(), i);
                    i
                }
            };
        }
        self.nodes[at].2.push(stmt);
    }

    /// The statements: the ungrouped first, then each group's block.
    fn into_stmts(mut self, b: &Builder) -> Vec<Stmt> {
        if self.nodes.is_empty() {
            return Vec::new();
        }
        self.render(0, b)
    }

    fn render(&mut self, at: usize, b: &Builder) -> Vec<Stmt> {
        let mut out = std::mem::take(&mut self.nodes[at].2);
        for sub in std::mem::take(&mut self.nodes[at].3) {
            let (name, line) = (self.nodes[sub].0.clone(), self.nodes[sub].1);
            let inner = self.render(sub, b);
            out.push(b.stmt(line, vec![word("group"), text(&name)], Some(inner)));
        }
        out
    }
}

impl Builder {
    /// The statements of `model { }`.
    pub(super) fn model(&mut self, m: &Model) -> Vec<Stmt> {
        let sep = m
            .properties
            .get("structurizr.groupSeparator")
            .map(|s| s.0.clone())
            .filter(|s| !s.is_empty());
        let mut rels = Vec::new();
        let mut groups = Groups::default();
        let tops = [
            (&m.people, Kind::Person),
            (&m.software_systems, Kind::System),
            (&m.custom_elements, Kind::Custom),
        ];
        for (list, kind) in tops {
            for e in list {
                let s = self.element(e, kind, "", sep.as_deref(), &mut rels);
                groups.add(&group_path(&e.group, sep.as_deref()), e.line, s);
            }
        }
        let mut out = groups.into_stmts(self);
        for r in rels {
            if let Some(s) = self.relationship(r) {
                out.push(s);
            }
        }
        out.extend(self.deployment(&m.deployment_nodes));
        out
    }

    /// Registers `id` (the first element of an id wins) under a fresh key.
    fn register(&mut self, id: &Text, line: usize, parent: &str, want: &str, kind: Kind) -> String {
        let local = self.names.fresh(parent, &camel(want));
        let key = if parent.is_empty() {
            local.clone()
        } else {
            format!("{parent}.{local}")
        };
        if self.keys.contains_key(id.as_str()) {
            self.issue(
                Code::I002,
                line,
                format!(
                    "the id {:?} is also an earlier element's: references name that one",
                    id.0
                ),
            );
        } else {
            self.keys.insert(
                id.0.clone(),
                Key {
                    key: key.clone(),
                    kind,
                },
            );
        }
        local
    }

    /// `local = person|softwareSystem|container|component|element "name" … { … }`.
    fn element<'a>(
        &mut self,
        e: &'a Element,
        kind: Kind,
        parent: &str,
        sep: Option<&str>,
        rels: &mut Vec<&'a Relationship>,
    ) -> Stmt {
        let want = dsl_identifier(&e.properties).unwrap_or(e.name.as_str());
        let local = self.register(
            &e.id,
            e.line,
            parent,
            if want.is_empty() { "element" } else { want },
            kind,
        );
        let key = if parent.is_empty() {
            local.clone()
        } else {
            format!("{parent}.{local}")
        };
        let tags = tags(&e.tags);
        let (typ, strings): (&str, Vec<&str>) = match kind {
            Kind::Person => ("person", vec![&e.name.0, &e.description.0, &tags]),
            Kind::System => ("softwareSystem", vec![&e.name.0, &e.description.0, &tags]),
            Kind::Custom => (
                "element",
                vec![&e.name.0, &e.metadata.0, &e.description.0, &tags],
            ),
            Kind::Container => (
                "container",
                vec![&e.name.0, &e.description.0, &e.technology.0, &tags],
            ),
            _ => (
                "component",
                vec![&e.name.0, &e.description.0, &e.technology.0, &tags],
            ),
        };
        let mut words = vec![word(&local), word("="), word(typ)];
        words.extend(strings.into_iter().map(text));
        let mut body = Vec::new();
        if !e.technology.is_empty() && matches!(kind, Kind::Person | Kind::System) {
            body.push(self.stmt(
                e.line,
                vec![word("technology"), text(e.technology.as_str())],
                None,
            ));
        }
        body.extend(self.common(e.line, &e.url, &e.properties));
        if e.location.as_str().eq_ignore_ascii_case("external") {
            body.push(self.stmt(e.line, vec![word("location"), text("External")], None));
        }
        if !e.perspectives.is_empty() {
            let n = e.perspectives.len();
            body.push(self.stmt(
                e.line,
                vec![word("perspectives"), text(&format!("{n} perspectives"))],
                None,
            ));
        }
        body.extend(self.documentation(&e.documentation));
        rels.extend(e.relationships.iter());
        let (children, child_kind) = match kind {
            Kind::System => (&e.containers, Kind::Container),
            Kind::Container => (&e.components, Kind::Component),
            _ => (&e.containers, Kind::Container),
        };
        if matches!(kind, Kind::System | Kind::Container) {
            let mut groups = Groups::default();
            for c in children {
                let s = self.element(c, child_kind, &key, sep, rels);
                groups.add(&group_path(&c.group, sep), c.line, s);
            }
            body.extend(groups.into_stmts(self));
        }
        self.stmt(e.line, trimmed(words), Some(body))
    }

    /// `url` and `properties` statements.
    fn common(&self, line: usize, url: &Text, props: &Props) -> Vec<Stmt> {
        let mut out = Vec::new();
        if !url.is_empty() {
            out.push(self.stmt(line, vec![word("url"), text(url.as_str())], None));
        }
        let props: Props = props
            .iter()
            .filter(|(k, _)| k.as_str() != DSL_IDENTIFIER && k.as_str() != "@line")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !props.is_empty() {
            out.push(self.properties(line, &props));
        }
        out
    }

    /// `properties { "name" "value" … }` (the `@line` of the JSON object left out).
    pub(super) fn properties(&self, line: usize, props: &Props) -> Stmt {
        let block = props
            .iter()
            .filter(|(k, _)| k.as_str() != "@line")
            .map(|(k, v)| self.stmt(line, vec![text(k), text(v.as_str())], None))
            .collect();
        self.stmt(line, vec![word("properties")], Some(block))
    }

    /// Records a relationship; the statement for a declared one (none for
    /// one Structurizr implied or replicated: c4c draws its own).
    fn relationship(&mut self, r: &Relationship) -> Option<Stmt> {
        if !self.rels.contains_key(r.id.as_str()) || r.id.is_empty() {
            self.rels.insert(
                r.id.0.clone(),
                Rel {
                    src: r.source_id.0.clone(),
                    dst: r.destination_id.0.clone(),
                    description: r.description.0.clone(),
                    technology: r.technology.0.clone(),
                },
            );
        }
        if !r.linked_relationship_id.is_empty() {
            return None;
        }
        let mut tags = tags(&r.tags);
        if r.interaction_style
            .as_str()
            .eq_ignore_ascii_case("asynchronous")
            && !tags.split(',').any(|t| t.trim() == "Asynchronous")
        {
            tags = if tags.is_empty() {
                "Asynchronous".into()
            } else {
                format!("{tags},Asynchronous")
            };
        }
        let (src, dst) = (
            self.key_of(r.source_id.as_str()),
            self.key_of(r.destination_id.as_str()),
        );
        // c4c has no relationship of an element with itself or its parts:
        // a statement the translation reports and keeps as a comment.
        let nested = src == dst
            || src.starts_with(&format!("{dst}."))
            || dst.starts_with(&format!("{src}."));
        let mut words = if nested {
            vec![word("!relationship"), word(&src), text("->"), word(&dst)]
        } else {
            vec![word(&src), word("->"), word(&dst)]
        };
        words.extend([
            text(r.description.as_str()),
            text(r.technology.as_str()),
            text(&tags),
        ]);
        let mut body = self.common(r.line, &r.url, &r.properties);
        if !r.perspectives.is_empty() {
            let n = r.perspectives.len();
            body.push(self.stmt(
                r.line,
                vec![word("perspectives"), text(&format!("{n} perspectives"))],
                None,
            ));
        }
        Some(self.stmt(r.line, trimmed(words), (!body.is_empty()).then_some(body)))
    }

    /// One `deploymentEnvironment "Name" { … }` per environment, in order
    /// of first appearance.
    fn deployment(&mut self, nodes: &[Node]) -> Vec<Stmt> {
        let mut envs: Vec<(&str, usize, Vec<&Node>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for n in nodes {
            let env = n.environment.as_str();
            let env = if env.trim().is_empty() {
                "Default"
            } else {
                env
            };
            let i = *at.entry(env).or_insert_with(|| {
                envs.push((env, n.line, Vec::new()));
                envs.len() - 1
            });
            envs[i].2.push(n);
        }
        let mut out = Vec::new();
        for (env, line, nodes) in envs {
            let mut rels = Vec::new();
            let mut body: Vec<Stmt> = nodes.iter().map(|n| self.node(n, "", &mut rels)).collect();
            for r in rels {
                body.extend(self.relationship(r));
            }
            out.push(self.stmt(
                line,
                vec![word("deploymentEnvironment"), text(env)],
                Some(body),
            ));
        }
        out
    }

    /// `local = deploymentNode "name" "desc" "tech" "tags" "instances" { … }`.
    fn node<'a>(&mut self, n: &'a Node, parent: &str, rels: &mut Vec<&'a Relationship>) -> Stmt {
        let want = dsl_identifier(&n.properties).unwrap_or(n.name.as_str());
        let local = self.register(&n.id, n.line, parent, want, Kind::Node);
        let key = join(parent, &local);
        let instances = if n.instances.as_str().trim() == "1" {
            ""
        } else {
            n.instances.as_str()
        };
        let mut words = vec![word(&local), word("="), word("deploymentNode")];
        for s in [
            &n.name.0,
            &n.description.0,
            &n.technology.0,
            &tags(&n.tags),
            instances,
        ] {
            words.push(text(s));
        }
        let mut body = self.common(n.line, &n.url, &n.properties);
        rels.extend(n.relationships.iter());
        for c in &n.children {
            body.push(self.node(c, &key, rels));
        }
        for i in &n.infrastructure_nodes {
            body.push(self.infra(i, &key, rels));
        }
        for i in &n.software_system_instances {
            body.push(self.instance(
                i,
                &key,
                "softwareSystemInstance",
                &i.software_system_id,
                rels,
            ));
        }
        for i in &n.container_instances {
            body.push(self.instance(i, &key, "containerInstance", &i.container_id, rels));
        }
        self.stmt(n.line, trimmed(words), Some(body))
    }

    fn infra<'a>(&mut self, i: &'a Infra, parent: &str, rels: &mut Vec<&'a Relationship>) -> Stmt {
        let want = dsl_identifier(&i.properties).unwrap_or(i.name.as_str());
        let local = self.register(&i.id, i.line, parent, want, Kind::Infra);
        let mut words = vec![word(&local), word("="), word("infrastructureNode")];
        for s in [&i.name.0, &i.description.0, &i.technology.0, &tags(&i.tags)] {
            words.push(text(s));
        }
        rels.extend(i.relationships.iter());
        let body = self.common(i.line, &i.url, &i.properties);
        self.stmt(i.line, trimmed(words), Some(body))
    }

    /// `local = containerInstance|softwareSystemInstance key "groups" "tags" { … }`.
    fn instance<'a>(
        &mut self,
        i: &'a Instance,
        parent: &str,
        typ: &str,
        of: &Text,
        rels: &mut Vec<&'a Relationship>,
    ) -> Stmt {
        let element = self.key_of(of.as_str());
        let want = dsl_identifier(&i.properties)
            .or_else(|| element.rsplit('.').next())
            .unwrap_or("instance")
            .to_string();
        let local = self.register(&i.id, i.line, parent, &want, Kind::Instance);
        let groups: Vec<&str> = i
            .deployment_groups
            .iter()
            .map(Text::as_str)
            .filter(|g| !g.trim().is_empty() && *g != "Default")
            .collect();
        let words = vec![
            word(&local),
            word("="),
            word(typ),
            word(&element),
            text(&groups.join(",")),
            text(&tags(&i.tags)),
        ];
        let mut body = self.common(i.line, &i.url, &i.properties);
        for h in &i.health_checks {
            body.push(self.stmt(
                h.line,
                vec![
                    word("healthCheck"),
                    text(h.name.as_str()),
                    text(h.url.as_str()),
                ],
                None,
            ));
        }
        rels.extend(i.relationships.iter());
        self.stmt(i.line, trimmed(words), Some(body))
    }
}

/// Words without the empty strings at the end (positional arguments not given).
fn trimmed(mut words: Vec<Word>) -> Vec<Word> {
    while words.last().is_some_and(|w| w.quoted && w.text.is_empty()) {
        words.pop();
    }
    words
}

/// The last part of the identifier the element had in the DSL it came
/// from, unless Structurizr made it up (a UUID for an anonymous node).
fn dsl_identifier(props: &Props) -> Option<&str> {
    let last = props.get(DSL_IDENTIFIER)?.0.rsplit('.').next()?;
    let written = !last.is_empty() && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    written.then_some(last)
}

fn join(parent: &str, local: &str) -> String {
    if parent.is_empty() {
        local.to_string()
    } else {
        format!("{parent}.{local}")
    }
}

/// The tags of a comma-separated list without Structurizr's defaults.
fn tags(t: &Text) -> String {
    t.0.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty() && !DEFAULT_TAGS.contains(t))
        .collect::<Vec<_>>()
        .join(",")
}

/// A group's path: its name, or with a separator its parts (at most
/// [`MAX_GROUP_DEPTH`], the rest joined into the last).
fn group_path(group: &Text, sep: Option<&str>) -> Vec<String> {
    let g = group.as_str().trim();
    if g.is_empty() {
        return Vec::new();
    }
    let Some(sep) = sep else {
        return vec![g.to_string()];
    };
    let parts: Vec<&str> = g.split(sep).filter(|p| !p.trim().is_empty()).collect();
    if parts.len() <= MAX_GROUP_DEPTH {
        return parts.iter().map(|p| p.trim().to_string()).collect();
    }
    let mut out: Vec<String> = parts[..MAX_GROUP_DEPTH - 1]
        .iter()
        .map(|p| p.trim().to_string())
        .collect();
    out.push(parts[MAX_GROUP_DEPTH - 1..].join(sep));
    out
}
