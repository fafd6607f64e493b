//! Mermaid's own C4 dialect (`c4c build --dialect c4`).
//!
//! In: the model and a computed view. Out: `C4Context`
//! (landscape and context views), `C4Container`, `C4Component`, `C4Dynamic`
//! (a flow over a static view: that view's diagram, numbered steps in the
//! `Rel` labels) or `C4Deployment` text — `Person`, `System_Ext`, `ContainerDb`,
//! `*_Boundary`, `Deployment_Node`, `Rel`/`BiRel` and `UpdateElementStyle` —
//! or `None` for view kinds the dialect has no form for (mesh, CDN, code,
//! state machines), which keep their flowchart/class/state diagrams.
//! Every alias a `Rel` names is declared (Mermaid only notices at render
//! time); relationships to a boundary are left out, as the dialect cannot
//! draw them; edges between the same two boxes share one `Rel`, as the
//! dialect would draw them over each other.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::escape::{self, IdMap};
use crate::model::deployment::{DeplKind, Deployment};
use crate::model::dynamic::Dynamic;
use crate::model::style::{Style, element_style, label_lines, line_style};
use crate::model::theme::ViewPart;
use crate::model::{BaseKind, ElementId, Model, Shape};
use crate::syntax::ast::{Arrow, ViewKind};
use crate::view::deployment::{BoxRef, DeploymentView, copies};
use crate::view::flow::FlowView;
use crate::view::lift::Said;
use crate::view::{Content, Edge, Item, View};

use escape::c4_arg as q;

/// The C4 macro of an element: `Person`, `System_Ext`, `ContainerDb`…
fn element_macro(model: &Model, e: ElementId) -> String {
    let base = match model.element(e).base {
        BaseKind::Person => "Person",
        BaseKind::System => "System",
        BaseKind::Container => "Container",
        BaseKind::Component | BaseKind::Annotation => "Component",
    };
    macro_name(model, e, base)
}

/// The C4 macro of an instance of an element in a deployment: a person or
/// system runs as a container there (`ContainerDb_Ext`).
fn instance_macro(model: &Model, e: ElementId) -> String {
    let base = match model.element(e).base {
        BaseKind::Component | BaseKind::Annotation => "Component",
        _ => "Container",
    };
    macro_name(model, e, base)
}

/// `base`, the variant of the element's shape (`Db`, `Queue`; none for a
/// person) and `_Ext` for an external element.
fn macro_name(model: &Model, e: ElementId, base: &str) -> String {
    let el = model.element(e);
    let (style, _) = element_style(model, e);
    let shape = style.shape.unwrap_or(Shape::default_for(el.base));
    let variant = match (el.base, shape) {
        (BaseKind::Person, _) => "",
        (_, Shape::Cylinder) => "Db",
        (_, Shape::Queue | Shape::HCylinder) => "Queue",
        _ => "",
    };
    let ext = if el.external { "_Ext" } else { "" };
    format!("{base}{variant}{ext}")
}

fn element_line(model: &Model, e: ElementId, alias: &str) -> String {
    let el = model.element(e);
    let m = element_macro(model, e);
    let desc = el.description.clone().unwrap_or_default();
    match el.base {
        BaseKind::Person | BaseKind::System => {
            format!("{m}({alias}, {}, {})", q(&el.name), q(&desc))
        }
        _ => format!(
            "{m}({alias}, {}, {}, {})",
            q(&el.name),
            q(el.technology.as_deref().unwrap_or("")),
            q(&desc)
        ),
    }
}

fn style_line(alias: &str, s: &Style) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(f) = &s.fill {
        parts.push(format!("$bgColor={}", q(f)));
    }
    if let Some(c) = &s.color {
        parts.push(format!("$fontColor={}", q(c)));
    }
    if let Some(b) = &s.stroke {
        parts.push(format!("$borderColor={}", q(b)));
    }
    (!parts.is_empty()).then(|| format!("UpdateElementStyle({alias}, {})", parts.join(", ")))
}

fn rel_line(from: &str, to: &str, arrow: Arrow, label: Option<&str>, tech: Option<&str>) -> String {
    let m = if arrow == Arrow::Both { "BiRel" } else { "Rel" };
    let label = q_lines(label.unwrap_or(""));
    match tech {
        Some(t) => format!("{m}({from}, {to}, {label}, {})", q(t)),
        None => format!("{m}({from}, {to}, {label})"),
    }
}

/// A macro argument of several lines (`\n`): each escaped, joined by the
/// `<br/>` the dialect draws as a line break.
fn q_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            let a = q(l);
            a.strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .unwrap_or(&a)
                .to_string()
        })
        .collect();
    format!("\"{}\"", lines.join("<br/>"))
}

/// The `Rel`s of a static view's edges. The dialect draws two relationships
/// between the same boxes on one straight line, one label over the other:
/// edges between the same pair (same direction, one- or two-way) share one
/// `Rel` saying what each says ([`Said::merge`]). Steps lead their label.
fn static_rels(edges: &[Edge], aliases: &HashMap<ElementId, String>) -> Vec<String> {
    let mut pairs: IndexMap<(&str, &str, bool), Vec<&Edge>> = IndexMap::new();
    for e in edges {
        if let (Some(a), Some(b)) = (aliases.get(&e.source), aliases.get(&e.target)) {
            pairs
                .entry((a.as_str(), b.as_str(), e.arrow == Arrow::Both))
                .or_default()
                .push(e);
        }
    }
    pairs
        .into_iter()
        .map(|((a, b, both), es)| {
            let arrow = if both { Arrow::Both } else { Arrow::Sync };
            let said = Said::merge(es.iter().map(|e| Said {
                step: e.step.as_deref(),
                label: e.label.as_deref(),
                technology: e.technology.as_deref(),
            }));
            let label = match (&said.step, &said.label) {
                (Some(n), Some(l)) => Some(format!("{n}. {l}")),
                (Some(n), None) => Some(format!("{n}.")),
                (None, l) => l.clone(),
            };
            rel_line(a, b, arrow, label.as_deref(), said.technology.as_deref())
        })
        .collect()
}

struct Out {
    ids: IdMap,
    text: String,
    declared: HashSet<String>,
    styles: Vec<String>,
}

impl Out {
    fn line(&mut self, depth: usize, s: &str) {
        self.text.push_str(&"  ".repeat(depth + 1));
        self.text.push_str(s);
        self.text.push('\n');
    }
}

fn tree(
    model: &Model,
    items: &[Item],
    depth: usize,
    out: &mut Out,
    aliases: &mut HashMap<ElementId, String>,
) {
    for item in items {
        match item {
            Item::Node(e) => {
                let alias = out.ids.id(&model.element(*e).path);
                out.line(depth, &element_line(model, *e, &alias));
                let (style, _) = element_style(model, *e);
                if let Some(s) = style_line(&alias, &style) {
                    out.styles.push(s);
                }
                out.declared.insert(alias.clone());
                aliases.insert(*e, alias);
            }
            Item::Boundary(e, kids) => {
                let el = model.element(*e);
                let alias = out.ids.id(&el.path);
                let m = match el.base {
                    BaseKind::System => "System_Boundary",
                    BaseKind::Container => "Container_Boundary",
                    _ => "Boundary",
                };
                // `subject both`: the box (declared just before) is the
                // subject; the boundary holds its parts.
                let title = if aliases.contains_key(e) {
                    super::c4::parts_title(model, *e)
                } else {
                    el.name.clone()
                };
                out.line(depth, &format!("{m}({alias}, {}) {{", q(&title)));
                tree(model, kids, depth + 1, out, aliases);
                out.line(depth, "}");
            }
            Item::Group(g, kids) => {
                let title = &model.group(*g).title;
                let alias = out
                    .ids
                    .id(&format!("group_{}", crate::model::resolve::slug(title)));
                out.line(depth, &format!("Boundary({alias}, {}) {{", q(title)));
                tree(model, kids, depth + 1, out, aliases);
                out.line(depth, "}");
            }
            // A view with folded frames has no C4 form (see `render`).
            Item::Fold(_) => {}
        }
    }
}

/// Renders a view in Mermaid's C4 dialect, or `None` when it has no C4 form.
pub fn render(model: &Model, view: &View) -> Option<String> {
    // Folded frames (`collapse`, `split frames`) are drawn as a flowchart.
    if view.as_static().is_some_and(|s| !s.folds.is_empty()) {
        return None;
    }
    // A flow is drawn as the static view it is over: `C4Dynamic` would
    // number every `Rel`, the plain ones too, before the steps' own numbers.
    let kind = match &view.content {
        Content::Flow(f) => f.base.kind.view_kind(),
        _ => view.kind(),
    };
    let kind = match kind {
        ViewKind::Landscape | ViewKind::Context => "C4Context",
        ViewKind::Container | ViewKind::Custom => "C4Container",
        ViewKind::Component => "C4Component",
        ViewKind::Dynamic => "C4Dynamic",
        ViewKind::Deployment => "C4Deployment",
        _ => return None,
    };
    let mut out = Out {
        ids: IdMap::new(),
        text: format!(
            "%% c4c · view {} · {}\n{kind}\n",
            escape::comment(&view.key),
            escape::comment(&view.title)
        ),
        declared: HashSet::new(),
        styles: Vec::new(),
    };
    out.line(0, &format!("title {}", escape::c4_title(&view.title)));
    let rels = match &view.content {
        Content::Dynamic { id, .. } => dynamic(model, model.dynamic(*id), &mut out),
        // Too large to draw: no C4 form either.
        Content::Deployment(_) if view.overflow.is_some() => return None,
        Content::Deployment(dv) => deployment(model, dv, &mut out),
        Content::Static(sv) => {
            let mut aliases = HashMap::new();
            tree(model, &sv.tree, 0, &mut out, &mut aliases);
            static_rels(&sv.edges, &aliases)
        }
        Content::Flow(f) => {
            let mut aliases = HashMap::new();
            tree(model, &f.base.tree, 0, &mut out, &mut aliases);
            static_rels(&flow_edges(f), &aliases)
        }
        _ => return None,
    };
    for r in rels {
        out.line(0, &r);
    }
    for s in std::mem::take(&mut out.styles) {
        out.line(0, &s);
    }
    Some(out.text)
}

/// A flow's plain edges and then its steps as edges: each step's number
/// leads its text (`[alt: x]` between them); the dialect has no dashed or
/// thick `Rel`, so steps differ from plain relationships by their number,
/// and edges between the same two boxes share one `Rel` as everywhere.
fn flow_edges(f: &FlowView) -> Vec<Edge> {
    let mut edges = f.base.edges.clone();
    edges.extend(f.steps.iter().map(|s| {
        let mut words: Vec<String> = s.within.iter().map(|w| format!("[{w}]")).collect();
        words.extend(s.text.clone());
        Edge {
            source: s.source,
            target: s.target,
            arrow: Arrow::Sync,
            label: (!words.is_empty()).then(|| words.join(" ")),
            technology: s.technology.clone(),
            tags: Vec::new(),
            relationships: s.follows.clone(),
            implied: false,
            step: Some(s.number.clone()),
        }
    }));
    edges
}

/// The participants of a dynamic view and its steps, as `Rel`s.
fn dynamic(model: &Model, d: &Dynamic, out: &mut Out) -> Vec<String> {
    let mut aliases = HashMap::new();
    let steps = crate::model::dynamic::messages(&d.steps);
    for m in &steps {
        for e in [&m.from, &m.to] {
            if !aliases.contains_key(e) {
                let alias = out.ids.id(&model.element(*e).path);
                out.line(0, &element_line(model, *e, &alias));
                out.declared.insert(alias.clone());
                aliases.insert(*e, alias);
            }
        }
    }
    // The dialect's dynamic relationships have no dashed form: all are drawn as calls.
    let mut rels = Vec::new();
    for m in steps {
        if m.from != m.to {
            rels.push(rel_line(
                &aliases[&m.from],
                &aliases[&m.to],
                Arrow::Sync,
                m.text.as_deref(),
                None,
            ));
        }
    }
    rels
}

/// The elements beside a deployment, its nodes and items, and its edges as `Rel`s.
fn deployment(model: &Model, dv: &DeploymentView, out: &mut Out) -> Vec<String> {
    let d = model.env(dv.env);
    let mut box_alias = HashMap::new();
    for &e in &dv.elements {
        let alias = out.ids.id(&model.element(e).path);
        out.line(0, &element_line(model, e, &alias));
        out.declared.insert(alias.clone());
        box_alias.insert(BoxRef::Element(e), alias);
    }
    let mut w = DeploymentWriter {
        model,
        d,
        dv,
        out,
        box_alias: &mut box_alias,
    };
    w.nodes(&d.roots, 0);
    let mut rels = Vec::new();
    let hosts = hosts_label(model, d, dv);
    // An edge to a node drawn as a frame (a `Deployment_Node`) has no box
    // to end on: left out, and reported (W014, `validate::c4_dialect`).
    for e in &dv.edges {
        if let (Some(a), Some(b)) = (box_alias.get(&e.source), box_alias.get(&e.target)) {
            let label = if e.hosts {
                hosts(e.source, e.target)
            } else {
                e.label.clone()
            };
            rels.push(rel_line(
                a,
                b,
                e.arrow,
                label.as_deref(),
                e.technology.as_deref(),
            ));
        }
    }
    rels
}

/// The label of a `hosts` edge from one box to another: the theme's
/// `hosts` format, its lines on one line.
fn hosts_label<'a>(
    model: &'a Model,
    d: &'a Deployment,
    dv: &DeploymentView,
) -> impl Fn(BoxRef, BoxRef) -> Option<String> + 'a {
    let style = if dv.edges.iter().any(|e| e.hosts) {
        line_style(model, ViewPart::Hosts, Arrow::Sync)
    } else {
        Style::default()
    };
    move |from, to| {
        let name = |b: BoxRef| match b {
            BoxRef::Item(i, _) => d.items[i].name.as_str(),
            BoxRef::Element(x) => model.element(x).name.as_str(),
        };
        let lines = label_lines(&style, ViewPart::Hosts, &[Some(name(from)), Some(name(to))]);
        (!lines.is_empty()).then(|| lines.join(" "))
    }
}

/// Writes a deployment's nodes (nested) and items, noting each box's alias.
struct DeploymentWriter<'a> {
    model: &'a Model,
    d: &'a Deployment,
    dv: &'a DeploymentView,
    out: &'a mut Out,
    box_alias: &'a mut HashMap<BoxRef, String>,
}

impl DeploymentWriter<'_> {
    fn nodes(&mut self, list: &[usize], depth: usize) {
        for &i in list {
            if !self.dv.shows(i) {
                continue;
            }
            let it = &self.d.items[i];
            // A node with nothing shown inside is a box: an empty block does
            // not parse. A node the view draws as a box is one too, with what
            // it holds beside it.
            let holds = it.children.iter().any(|c| self.dv.shows(*c));
            if it.kind == DeplKind::Node && holds && !self.dv.boxes_node(i) {
                let alias = self.out.ids.id(&it.path);
                self.out.line(
                    depth,
                    &format!(
                        "Deployment_Node({alias}, {}, {}, {}) {{",
                        q(&it.name),
                        q(it.technology.as_deref().unwrap_or("")),
                        q(it.description.as_deref().unwrap_or(""))
                    ),
                );
                self.nodes(&it.children, depth + 1);
                self.out.line(depth, "}");
            } else {
                self.item(i, depth);
                if it.kind == DeplKind::Node {
                    self.nodes(&it.children, depth);
                }
            }
        }
    }

    /// An instance or infrastructure node: one box per copy.
    fn item(&mut self, i: usize, depth: usize) {
        let it = &self.d.items[i];
        for c in copies(it) {
            let alias = self.out.ids.id(&if c == 0 {
                it.path.clone()
            } else {
                format!("{}_{c}", it.path)
            });
            let name = if c == 0 {
                it.name.clone()
            } else {
                format!("{} {c}", it.name)
            };
            let name = if it.replicas > 1 && c == 0 {
                format!("{name} ×{}", it.replicas)
            } else {
                name
            };
            let m = match it.kind {
                DeplKind::Instance(e) => instance_macro(self.model, e),
                _ => "Container".into(),
            };
            self.out.line(
                depth,
                &format!(
                    "{m}({alias}, {}, {}, {})",
                    q(&name),
                    q(it.technology.as_deref().unwrap_or("")),
                    q(it.description.as_deref().unwrap_or(""))
                ),
            );
            self.out.declared.insert(alias.clone());
            self.box_alias.insert(BoxRef::Item(i, c), alias);
        }
    }
}
