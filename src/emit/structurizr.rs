//! Structurizr DSL export (`c4c build --format structurizr`).
//!
//! In: one root's model and its computed views. Out: one `workspace.dsl`
//! text in plain, standard DSL — `!identifiers hierarchical`, every string
//! quoted: people, software systems, containers and components (description,
//! technology, tags with the element's kind, properties, url) nested with
//! their groups, relationships, deployment environments (`deploymentNode`
//! with `instances`, `infrastructureNode`, `softwareSystemInstance`,
//! `containerInstance`), one view per computed view with the same key — its
//! `include` lists exactly the elements c4c draws and `exclude`s the
//! relationships between them that c4c does not draw — and `styles` by tag.
//! What Structurizr cannot hold is written as a `//` comment (see
//! docs/interop.md). Escaping and identifiers are [`string`] and [`Ids`] here
//! and nowhere else.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use crate::model::deployment::{DeplEnd, DeplKind, Deployment};
use crate::model::style::element_style;
use crate::model::{BaseKind, ElementId, GroupId, Model, Shape, StaticKind};
use crate::syntax::ast::Arrow;
use crate::view::{Content, View};

/// A DSL string: `"…"`. The DSL has no escape a reader can rely on, so a
/// `"` becomes `'`, a `\` becomes `/`, line breaks become spaces, `${`
/// (a constant's substitution) becomes `$ {`, and control and invisible
/// characters are dropped: no text leaves its string or its line.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push('\''),
            '\\' => out.push('/'),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '$' if chars.peek() == Some(&'{') => out.push_str("$ "),
            c if c.is_control() || crate::terminal_text::is_hidden(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `//` comment's text: one line.
fn comment(s: &str) -> String {
    string(s).trim_matches('"').to_string()
}

/// A colour the DSL reads: `#rrggbb` (a 3-digit form doubled), else `None`.
fn color(s: &str) -> Option<String> {
    let h = s.strip_prefix('#')?;
    if !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match h.len() {
        6 => Some(format!("#{h}")),
        3 => Some(format!(
            "#{}",
            h.chars().flat_map(|c| [c, c]).collect::<String>()
        )),
        _ => None,
    }
}

/// Identifiers: each element's and deployment item's local name (letters,
/// digits, `_`, `-`; unique among its siblings) and its hierarchical
/// reference (`shop.api`).
#[derive(Default)]
struct Ids {
    refs: HashMap<ElementId, String>,
    items: HashMap<(usize, usize), String>,
    taken: HashSet<String>,
}

impl Ids {
    /// A fresh reference under `parent` (`None`: the top level) from `base`.
    fn fresh(&mut self, parent: Option<&str>, base: &str) -> String {
        let mut local: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(60)
            .collect();
        if !local.starts_with(|c: char| c.is_ascii_alphabetic()) {
            local.insert(0, 'e');
        }
        let full = |l: &str| parent.map_or_else(|| l.to_string(), |p| format!("{p}.{l}"));
        let mut r = full(&local);
        let mut n = 2;
        // Structurizr reads identifiers without regard to case.
        while !self.taken.insert(r.to_ascii_lowercase()) {
            r = full(&format!("{local}_{n}"));
            n += 1;
        }
        r
    }
}

/// What each group of a level (and the level itself, `None`) holds, in
/// declaration order: elements (`Ok`) and groups (`Err`).
type Holds = HashMap<Option<GroupId>, Vec<(u32, Result<ElementId, GroupId>)>>;

/// The local part of a reference (what is written before `=`).
fn local(r: &str) -> &str {
    r.rsplit('.').next().unwrap_or(r)
}

struct W<'a> {
    model: &'a Model,
    ids: Ids,
    out: String,
    /// Per element tag (its kind), the style to write.
    styles: IndexMap<String, Vec<String>>,
    /// The groups declared in each element's block (`None`: the model's).
    groups_of: HashMap<Option<ElementId>, Vec<GroupId>>,
}

impl W<'_> {
    fn line(&mut self, depth: usize, s: &str) {
        self.out.push_str(&"    ".repeat(depth));
        self.out.push_str(s);
        self.out.push('\n');
    }
}

/// The whole workspace: `name` is its title.
pub fn workspace(model: &Model, views: &[View], name: &str) -> String {
    let mut w = W {
        model,
        ids: Ids::default(),
        out: String::new(),
        styles: IndexMap::new(),
        groups_of: HashMap::new(),
    };
    for (i, g) in model.groups.iter().enumerate() {
        w.groups_of
            .entry(g.element)
            .or_default()
            .push(GroupId(i as u32));
    }
    w.line(0, &format!("workspace {} {{", string(name)));
    w.line(1, "!identifiers hierarchical");
    w.line(0, "");
    w.line(1, "model {");
    if model.groups.iter().any(|g| g.parent.is_some()) {
        w.line(2, "properties {");
        w.line(3, "\"structurizr.groupSeparator\" \"/\"");
        w.line(2, "}");
    }
    let roots: Vec<ElementId> = model.roots.clone();
    w.level(None, &roots, 2);
    w.relationships();
    for (i, d) in model.deployments.iter().enumerate() {
        w.environment(i, d);
    }
    w.line(1, "}");
    w.line(0, "");
    w.line(1, "views {");
    for v in views {
        w.view(v);
    }
    w.styles_block();
    w.line(1, "}");
    w.line(0, "}");
    w.out
}

impl W<'_> {
    /// The elements under `parent` (top level: `None`) with their groups,
    /// each level sorted once (linear in what it holds).
    fn level(&mut self, parent: Option<ElementId>, kids: &[ElementId], depth: usize) {
        let m = self.model;
        // What each group of this level (and the level itself, `None`) holds.
        let mut holds: Holds = HashMap::new();
        for &e in kids {
            let el = m.element(e);
            holds.entry(el.group).or_default().push((el.order, Ok(e)));
        }
        for &g in self.groups_of.get(&parent).map_or(&[][..], Vec::as_slice) {
            let gr = m.group(g);
            holds.entry(gr.parent).or_default().push((gr.order, Err(g)));
        }
        for list in holds.values_mut() {
            list.sort_by_key(|(o, _)| *o);
        }
        self.in_group(None, &holds, depth);
    }

    /// What group `g` holds (the level itself: `None`), in order.
    fn in_group(&mut self, g: Option<GroupId>, holds: &Holds, depth: usize) {
        for (_, item) in holds.get(&g).map_or(&[][..], Vec::as_slice) {
            match *item {
                Ok(e) => self.element(e, depth),
                Err(x) => {
                    self.line(
                        depth,
                        &format!("group {} {{", string(&self.model.group(x).title)),
                    );
                    self.in_group(Some(x), holds, depth + 1);
                    self.line(depth, "}");
                }
            }
        }
    }

    fn element(&mut self, e: ElementId, depth: usize) {
        let m = self.model;
        let el = m.element(e);
        let parent = el.parent.and_then(|p| self.ids.refs.get(&p).cloned());
        let level = depth_of(m, e);
        let keyword = match (level, el.base) {
            (0, BaseKind::Person) => "person",
            (0, _) => "softwareSystem",
            (1, _) => "container",
            (2, _) => "component",
            _ => {
                self.line(
                    depth,
                    &format!("// not exported (nested too deep): {}", comment(&el.path)),
                );
                return;
            }
        };
        let r = self.ids.fresh(parent.as_deref(), &el.id);
        self.ids.refs.insert(e, r.clone());
        let mut tags: Vec<String> = Vec::new();
        if !matches!(
            el.kind.as_str(),
            "person" | "system" | "container" | "component"
        ) {
            tags.push(el.kind.clone());
        }
        if el.external {
            tags.push("external".into());
        }
        tags.extend(el.tags.iter().cloned());
        let tag = match el.kind.as_str() {
            _ if el.external => "external",
            "person" => "Person",
            "system" => "Software System",
            "container" => "Container",
            "component" => "Component",
            k => k,
        };
        self.note_style(e, tag, !el.external);
        let desc = string(el.description.as_deref().unwrap_or(""));
        let tech = string(el.technology.as_deref().unwrap_or(""));
        let tags = string(&tags.join(","));
        let head = match keyword {
            "person" | "softwareSystem" => format!(
                "{} = {keyword} {} {desc} {tags}",
                local(&r),
                string(&el.name)
            ),
            _ => format!(
                "{} = {keyword} {} {desc} {tech} {tags}",
                local(&r),
                string(&el.name)
            ),
        };
        if el.url.is_none() && el.properties.is_empty() && el.children.is_empty() {
            self.line(depth, &head);
            return;
        }
        self.line(depth, &format!("{head} {{"));
        if let Some(u) = &el.url {
            self.line(depth + 1, &format!("url {}", string(u)));
        }
        self.properties(&el.properties, depth + 1);
        let kids = el.children.clone();
        self.level(Some(e), &kids, depth + 1);
        self.line(depth, "}");
    }

    fn properties(&mut self, p: &IndexMap<String, String>, depth: usize) {
        if p.is_empty() {
            return;
        }
        self.line(depth, "properties {");
        for (k, v) in p {
            self.line(depth + 1, &format!("{} {}", string(k), string(v)));
        }
        self.line(depth, "}");
    }

    /// The style of an element's kind, noted once per kind.
    fn note_style(&mut self, e: ElementId, kind: &str, with_shape: bool) {
        if self.styles.contains_key(kind) {
            return;
        }
        let (s, _) = element_style(self.model, e);
        let mut lines = Vec::new();
        for (name, v) in [
            ("background", &s.fill),
            ("color", &s.color),
            ("stroke", &s.stroke),
        ] {
            if let Some(c) = v.as_deref().and_then(color) {
                lines.push(format!("{name} {c}"));
            }
        }
        let shape = match s.shape {
            Some(Shape::Person) => "Person",
            Some(Shape::Cylinder) => "Cylinder",
            Some(Shape::Queue | Shape::HCylinder) => "Pipe",
            Some(Shape::Hexagon) => "Hexagon",
            Some(Shape::Circle) => "Circle",
            Some(Shape::Diamond) => "Diamond",
            Some(Shape::Rounded | Shape::Stadium) => "RoundedBox",
            _ => "",
        };
        if with_shape && !shape.is_empty() {
            lines.push(format!("shape {shape}"));
        }
        self.styles.insert(kind.to_string(), lines);
    }

    fn relationships(&mut self) {
        let m = self.model;
        for r in m.relationships() {
            let (a, b) = m.ends(r);
            let rel = m.relationship(r);
            let (Some(ra), Some(rb)) = (
                self.ids.refs.get(&a).cloned(),
                self.ids.refs.get(&b).cloned(),
            ) else {
                continue;
            };
            if m.is_ancestor_or_self(a, b) || m.is_ancestor_or_self(b, a) {
                self.line(
                    2,
                    &format!("// not exported (between an element and its part): {ra} -> {rb}"),
                );
                continue;
            }
            let mut tags = rel.tags.clone();
            match rel.arrow {
                Arrow::Async => tags.insert(0, "async".into()),
                Arrow::Both => tags.insert(0, "both-ways".into()),
                Arrow::Sync => {}
            }
            self.line(
                2,
                &format!(
                    "{ra} -> {rb} {} {} {}",
                    string(rel.label.as_deref().unwrap_or("")),
                    string(rel.technology.as_deref().unwrap_or("")),
                    string(&tags.join(","))
                ),
            );
        }
    }

    fn environment(&mut self, i: usize, d: &Deployment) {
        let env = self.ids.fresh(None, &d.name);
        self.line(
            2,
            &format!("{env} = deploymentEnvironment {} {{", string(&d.name)),
        );
        let roots = d.roots.clone();
        self.items(i, d, &env, &roots, 3);
        for r in &d.relationships {
            if r.from_model.is_some() {
                continue; // Structurizr carries model relationships itself.
            }
            let end = |e: &DeplEnd, ids: &Ids| match e {
                DeplEnd::Item { item, .. } => ids.items.get(&(i, *item)).cloned(),
                DeplEnd::Element(x) => ids.refs.get(x).cloned(),
            };
            if let (Some(a), Some(b)) = (end(&r.source, &self.ids), end(&r.target, &self.ids)) {
                self.line(
                    3,
                    &format!(
                        "{a} -> {b} {} {} {}",
                        string(r.label.as_deref().unwrap_or("")),
                        string(r.technology.as_deref().unwrap_or("")),
                        string(&r.tags.join(","))
                    ),
                );
            }
        }
        self.line(2, "}");
    }

    fn items(&mut self, env: usize, d: &Deployment, parent: &str, list: &[usize], depth: usize) {
        for &n in list {
            let it = &d.items[n];
            let r = self.ids.fresh(Some(parent), &it.id);
            self.ids.items.insert((env, n), r.clone());
            let tags = string(&it.tags.join(","));
            let desc = string(it.description.as_deref().unwrap_or(""));
            let tech = string(it.technology.as_deref().unwrap_or(""));
            let head = match it.kind {
                DeplKind::Node => format!(
                    "{} = deploymentNode {} {desc} {tech} {tags} {}",
                    local(&r),
                    string(&it.name),
                    it.replicas.max(1)
                ),
                DeplKind::Infra => format!(
                    "{} = infrastructureNode {} {desc} {tech} {tags}",
                    local(&r),
                    string(&it.name)
                ),
                DeplKind::Instance(e) => {
                    let Some(target) = self.ids.refs.get(&e).cloned() else {
                        continue;
                    };
                    let kw = match depth_of(self.model, e) {
                        0 => "softwareSystemInstance",
                        1 => "containerInstance",
                        _ => {
                            self.line(
                                depth,
                                &format!(
                                    "// not exported (an instance of a component): {}",
                                    comment(&it.path)
                                ),
                            );
                            continue;
                        }
                    };
                    format!("{} = {kw} {target}", local(&r))
                }
            };
            let mut props = it.properties.clone();
            if matches!(it.kind, DeplKind::Instance(_)) && it.replicas > 1 {
                props.insert("c4c.replicas".into(), it.replicas.to_string());
            }
            let inst_tags = matches!(it.kind, DeplKind::Instance(_)) && !it.tags.is_empty();
            if props.is_empty() && it.children.is_empty() && !inst_tags {
                self.line(depth, &head);
                continue;
            }
            self.line(depth, &format!("{head} {{"));
            if inst_tags {
                self.line(depth + 1, &format!("tags {tags}"));
            }
            self.properties(&props, depth + 1);
            let kids = it.children.clone();
            self.items(env, d, &r, &kids, depth + 1);
            self.line(depth, "}");
        }
    }
}

/// 0 for a person or system, 1 for a container, 2 for a component.
fn depth_of(m: &Model, e: ElementId) -> usize {
    let mut n = 0;
    let mut cur = m.element(e).parent;
    while let Some(p) = cur {
        n += 1;
        cur = m.element(p).parent;
    }
    n
}

impl W<'_> {
    fn styles_block(&mut self) {
        self.line(2, "styles {");
        let styles = std::mem::take(&mut self.styles);
        for (tag, lines) in &styles {
            if lines.is_empty() {
                continue;
            }
            self.line(3, &format!("element {} {{", string(tag)));
            for l in lines {
                self.line(4, l);
            }
            self.line(3, "}");
        }
        self.line(3, "relationship \"async\" {");
        self.line(4, "dashed true");
        self.line(3, "}");
        self.line(2, "}");
    }

    /// One view: its kind, scope and key, then exactly what c4c draws.
    fn view(&mut self, v: &View) {
        let key = string(&v.key);
        let desc = string(v.description.as_deref().unwrap_or(""));
        let subject = v.subject().and_then(|s| self.ids.refs.get(&s).cloned());
        let head = match &v.content {
            Content::Static(s) => match (s.kind, &subject) {
                (StaticKind::Context, Some(r)) => format!("systemContext {r} {key} {desc}"),
                (StaticKind::Container, Some(r)) => format!("container {r} {key} {desc}"),
                (StaticKind::Component, Some(r)) => format!("component {r} {key} {desc}"),
                (StaticKind::Custom, _) if s.nodes.iter().any(|e| depth_of(self.model, *e) > 0) => {
                    match s.nodes.iter().find(|e| depth_of(self.model, **e) == 1) {
                        Some(c) if !s.nodes.iter().any(|e| depth_of(self.model, *e) > 1) => {
                            let sys = self.model.top(*c);
                            match self.ids.refs.get(&sys) {
                                Some(r) => format!("container {r} {key} {desc}"),
                                None => return self.skipped(v, "a custom view of components"),
                            }
                        }
                        _ => return self.skipped(v, "a custom view of components"),
                    }
                }
                _ => format!("systemLandscape {key} {desc}"),
            },
            Content::Deployment(dv) => {
                let scope = subject.clone().unwrap_or_else(|| "*".into());
                let env = string(&self.model.env(dv.env).name);
                format!("deployment {scope} {env} {key} {desc}")
            }
            Content::Dynamic { id, .. } => return self.dynamic(v, *id),
            Content::Flow(f) => return self.dynamic(v, f.dynamic),
            _ => return self.skipped(v, "no Structurizr view of this kind"),
        };
        self.line(2, &format!("{head} {{"));
        self.line(3, &format!("title {}", string(&v.title)));
        match &v.content {
            Content::Static(s) => self.static_body(s),
            Content::Deployment(dv) => self.deployment_body(dv),
            _ => {}
        }
        self.line(3, "autoLayout");
        self.line(2, "}");
    }

    fn skipped(&mut self, v: &View, why: &str) {
        self.line(
            2,
            &format!("// view {} not exported: {why}", comment(&v.key)),
        );
    }

    /// `include` every drawn element; `exclude` the relationships between
    /// them that c4c does not draw.
    fn static_body(&mut self, s: &crate::view::StaticView) {
        let m = self.model;
        let drawn: Vec<String> = s
            .nodes
            .iter()
            .filter_map(|e| self.ids.refs.get(e).cloned())
            .collect();
        if drawn.is_empty() {
            return;
        }
        self.line(3, &format!("include {}", drawn.join(" ")));
        let shown: HashSet<ElementId> = s.nodes.iter().copied().collect();
        let mut pairs: HashSet<(ElementId, ElementId)> = HashSet::new();
        for e in &s.edges {
            pairs.insert((e.source, e.target));
            if e.arrow == Arrow::Both {
                pairs.insert((e.target, e.source));
            }
        }
        let mut excluded = HashSet::new();
        for &a in &s.nodes {
            for r in m.graph.edges_directed(a, petgraph::Direction::Outgoing) {
                use petgraph::visit::EdgeRef;
                let b = r.target();
                if shown.contains(&b)
                    && !pairs.contains(&(a, b))
                    && excluded.insert((a, b))
                    && let (Some(ra), Some(rb)) = (self.ids.refs.get(&a), self.ids.refs.get(&b))
                {
                    let line = format!("exclude \"{ra} -> {rb}\"");
                    self.line(3, &line);
                }
            }
        }
    }

    fn deployment_body(&mut self, dv: &crate::view::deployment::DeploymentView) {
        let env = dv.env.index();
        let d = self.model.env(dv.env);
        let mut inc: Vec<String> = dv
            .elements
            .iter()
            .filter_map(|e| self.ids.refs.get(e).cloned())
            .collect();
        for (i, it) in d.items.iter().enumerate() {
            let leaf = !it.children.iter().any(|c| dv.shows(*c));
            if dv.shows(i) && leaf {
                inc.extend(self.ids.items.get(&(env, i)).cloned());
            }
        }
        if !inc.is_empty() {
            self.line(3, &format!("include {}", inc.join(" ")));
        }
    }

    /// A dynamic view: its scope, and each step with a relationship to follow.
    fn dynamic(&mut self, v: &View, id: crate::model::DynamicId) {
        let m = self.model;
        let steps = crate::model::dynamic::messages(&m.dynamic(id).steps);
        let deepest = steps
            .iter()
            .flat_map(|s| [s.from, s.to])
            .max_by_key(|e| depth_of(m, *e));
        let scope = match deepest.map(|e| (depth_of(m, e), e)) {
            Some((2, e)) => m.element(e).parent,
            Some((1, e)) => Some(m.top(e)),
            _ => None,
        };
        let scope = match scope {
            Some(s) => match self.ids.refs.get(&s) {
                Some(r) => r.clone(),
                None => return self.skipped(v, "its scope is not exported"),
            },
            None => "*".into(),
        };
        self.line(
            2,
            &format!(
                "dynamic {scope} {} {} {{",
                string(&v.key),
                string(v.description.as_deref().unwrap_or(""))
            ),
        );
        self.line(3, &format!("title {}", string(&v.title)));
        for s in &steps {
            let (Some(a), Some(b)) = (self.ids.refs.get(&s.from), self.ids.refs.get(&s.to)) else {
                continue;
            };
            let related = m.graph.find_edge(s.from, s.to).is_some()
                || m.graph.find_edge(s.to, s.from).is_some();
            if !related {
                self.line(
                    3,
                    &format!(
                        "// step {}: {a} -> {b} has no relationship in the model",
                        comment(&s.number)
                    ),
                );
                continue;
            }
            self.line(
                3,
                &format!("{a} -> {b} {}", string(s.text.as_deref().unwrap_or(""))),
            );
        }
        self.line(3, "autoLayout");
        self.line(2, "}");
    }
}
