//! One computed view as a format-neutral scene, for the exporters
//! (`plantuml`, `d2`).
//!
//! In: the model and a computed [`View`]. Out: a [`Scene`] — the boxes and
//! frames it draws, nested as drawn, and its edges, each end named by a
//! [`Key`] unique within the scene — or `None` for the kinds the exporters
//! do not draw (mesh, CDN, code, state machines). What a view shows was
//! decided when it was computed: the scene only renames it, so every
//! exporter draws the same elements and edges as the Mermaid diagram.

use std::collections::HashSet;

use crate::model::deployment::{DeplKind, Deployment};
use crate::model::style::{Style, element_style};
use crate::model::{BaseKind, ElementId, Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::c4::End;
use crate::view::deployment::{BoxRef, DeploymentView, copies};
use crate::view::{Content, Edge, Item, StaticView, View};

/// What a box or frame stands for, unique within one scene.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Element(ElementId),
    /// An element's boundary (a subject drawn as a box *and* a boundary has both).
    Boundary(ElementId),
    Group(u32),
    Fold(usize),
    /// A deployment item and its copy (0: not expanded).
    Item(usize, u32),
}

/// What kind of thing a box is: chooses the exporter's macro or shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    Person,
    System,
    Container,
    Component,
    /// A deployment node drawn as a box.
    Node,
    /// An infrastructure node.
    Infra,
    /// A folded frame (`collapse`).
    Fold,
}

#[derive(Debug, Clone)]
pub struct SceneBox {
    pub key: Key,
    /// The base of a readable id (`shop.api`).
    pub id: String,
    pub kind: BoxKind,
    pub name: String,
    /// The element's kind as written (`database`), or `node`, `infra`.
    pub kind_name: String,
    pub technology: Option<String>,
    pub description: Option<String>,
    pub external: bool,
    pub shape: Shape,
    pub style: Style,
    pub tags: Vec<String>,
}

/// What kind of frame: chooses the exporter's boundary macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    System,
    Container,
    Other,
    Group,
    Node,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub key: Key,
    pub id: String,
    pub kind: FrameKind,
    pub title: String,
    pub technology: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Part {
    Box(SceneBox),
    Frame(Frame, Vec<Part>),
}

#[derive(Debug, Clone)]
pub struct Link {
    pub from: Key,
    pub to: Key,
    pub both: bool,
    pub dashed: bool,
    /// A step's number (`1`, `3a`).
    pub number: Option<String>,
    pub label: Option<String>,
    pub technology: Option<String>,
}

/// What the view's diagram is: chooses the exporter's diagram type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneKind {
    Context,
    Container,
    Component,
    Dynamic,
    Deployment,
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub kind: SceneKind,
    pub parts: Vec<Part>,
    pub links: Vec<Link>,
}

/// The scene of a view, or `None` for a kind the exporters do not draw.
pub fn of(model: &Model, view: &View) -> Option<Scene> {
    use crate::model::StaticKind as K;
    let static_kind = |k| match k {
        K::Landscape | K::Context => SceneKind::Context,
        K::Container | K::Custom => SceneKind::Container,
        K::Component => SceneKind::Component,
    };
    Some(match &view.content {
        Content::Static(s) => Scene {
            kind: static_kind(s.kind),
            parts: tree(model, s, &s.tree),
            links: static_links(s, &s.edges),
        },
        Content::Flow(f) => {
            let mut links = static_links(&f.base, &f.base.edges);
            links.extend(f.steps.iter().map(|s| {
                let mut words: Vec<String> = s.within.iter().map(|w| format!("[{w}]")).collect();
                words.extend(s.text.clone());
                Link {
                    from: Key::Element(s.source),
                    to: Key::Element(s.target),
                    both: false,
                    dashed: s.dashed,
                    number: Some(s.number.clone()),
                    label: (!words.is_empty()).then(|| words.join(" ")),
                    technology: s.technology.clone(),
                }
            }));
            Scene {
                kind: SceneKind::Dynamic,
                parts: tree(model, &f.base, &f.base.tree),
                links,
            }
        }
        Content::Dynamic { id, .. } => dynamic(model, *id),
        Content::Deployment(dv) => deployment(model, dv),
        Content::Mesh(_) | Content::Cdn(_) | Content::Code(_) | Content::States(_) => {
            return None;
        }
    })
}

/// An element's box.
pub fn element_box(model: &Model, e: ElementId) -> SceneBox {
    let el = model.element(e);
    let (style, _) = element_style(model, e);
    SceneBox {
        key: Key::Element(e),
        id: el.path.clone(),
        kind: match el.base {
            BaseKind::Person => BoxKind::Person,
            BaseKind::System => BoxKind::System,
            BaseKind::Container => BoxKind::Container,
            BaseKind::Component | BaseKind::Annotation => BoxKind::Component,
        },
        name: el.name.clone(),
        kind_name: el.kind.clone(),
        technology: el.technology.clone(),
        description: el.description.clone(),
        external: el.external,
        shape: style.shape.unwrap_or(Shape::default_for(el.base)),
        style,
        tags: el.tags.clone(),
    }
}

fn tree(model: &Model, s: &StaticView, items: &[Item]) -> Vec<Part> {
    items
        .iter()
        .map(|item| match item {
            Item::Node(e) => Part::Box(element_box(model, *e)),
            Item::Boundary(e, kids) => {
                let el = model.element(*e);
                let frame = Frame {
                    key: Key::Boundary(*e),
                    id: format!("{}_boundary", el.path),
                    kind: match el.base {
                        BaseKind::System => FrameKind::System,
                        BaseKind::Container => FrameKind::Container,
                        _ => FrameKind::Other,
                    },
                    title: el.name.clone(),
                    technology: el.technology.clone(),
                    description: None,
                };
                Part::Frame(frame, tree(model, s, kids))
            }
            Item::Group(g, kids) => {
                let frame = Frame {
                    key: Key::Group(g.0),
                    id: format!("group_{}", g.0),
                    kind: FrameKind::Group,
                    title: model.group(*g).title.clone(),
                    technology: None,
                    description: None,
                };
                Part::Frame(frame, tree(model, s, kids))
            }
            Item::Fold(i) => {
                let (title, count) = s
                    .folds
                    .get(*i)
                    .map_or((String::new(), 0), |f| (f.title.clone(), f.count));
                Part::Box(SceneBox {
                    key: Key::Fold(*i),
                    id: format!("fold_{i}"),
                    kind: BoxKind::Fold,
                    name: title,
                    kind_name: "fold".into(),
                    technology: None,
                    description: Some(format!("{count} elements")),
                    external: false,
                    shape: Shape::Box,
                    style: Style::default(),
                    tags: Vec::new(),
                })
            }
        })
        .collect()
}

/// The key an edge's end is drawn at: the element's box, else its boundary.
fn end_key(boxes: &HashSet<ElementId>, e: ElementId) -> Key {
    if boxes.contains(&e) {
        Key::Element(e)
    } else {
        Key::Boundary(e)
    }
}

fn static_links(s: &StaticView, edges: &[Edge]) -> Vec<Link> {
    let boxes: HashSet<ElementId> = s.nodes.iter().copied().collect();
    let boxes = &boxes;
    let mut links: Vec<Link> = edges
        .iter()
        .map(|e| Link {
            from: end_key(boxes, e.source),
            to: end_key(boxes, e.target),
            both: e.arrow == Arrow::Both,
            dashed: e.arrow == Arrow::Async,
            number: e.step.clone(),
            label: e.label.clone(),
            technology: e.technology.clone(),
        })
        .collect();
    let end = |x: End| match x {
        End::Element(e) => end_key(boxes, e),
        End::Fold(i) => Key::Fold(i),
    };
    links.extend(s.fold_edges.iter().map(|e| Link {
        from: end(e.source),
        to: end(e.target),
        both: e.arrow == Arrow::Both,
        dashed: e.arrow == Arrow::Async,
        number: None,
        label: e.label.clone(),
        technology: e.technology.clone(),
    }));
    links
}

/// A dynamic view: its participants in order of appearance, its messages.
fn dynamic(model: &Model, id: crate::model::DynamicId) -> Scene {
    let steps = crate::model::dynamic::messages(&model.dynamic(id).steps);
    let mut seen = HashSet::new();
    let mut parts = Vec::new();
    for m in &steps {
        for e in [m.from, m.to] {
            if seen.insert(e) {
                parts.push(Part::Box(element_box(model, e)));
            }
        }
    }
    let links = steps
        .into_iter()
        .map(|m| {
            let mut words: Vec<String> = m.within.iter().map(|w| format!("[{w}]")).collect();
            words.extend(m.text);
            Link {
                from: Key::Element(m.from),
                to: Key::Element(m.to),
                both: false,
                dashed: m.dashed,
                number: Some(m.number),
                label: (!words.is_empty()).then(|| words.join(" ")),
                technology: None,
            }
        })
        .collect();
    Scene {
        kind: SceneKind::Dynamic,
        parts,
        links,
    }
}

/// A deployment view: the elements beside it, its nodes (nested) and items.
fn deployment(model: &Model, dv: &DeploymentView) -> Scene {
    let d = model.env(dv.env);
    let mut parts: Vec<Part> = dv
        .elements
        .iter()
        .map(|&e| Part::Box(element_box(model, e)))
        .collect();
    nodes(model, d, dv, &d.roots, &mut parts);
    let key = |b: BoxRef| match b {
        BoxRef::Item(i, c) => Key::Item(i, c),
        BoxRef::Element(e) => Key::Element(e),
    };
    let links = dv
        .edges
        .iter()
        .map(|e| Link {
            from: key(e.source),
            to: key(e.target),
            both: e.arrow == Arrow::Both,
            dashed: e.arrow == Arrow::Async || e.hosts,
            number: None,
            label: if e.hosts {
                Some("hosts".into())
            } else {
                e.label.clone()
            },
            technology: e.technology.clone(),
        })
        .collect();
    Scene {
        kind: SceneKind::Deployment,
        parts,
        links,
    }
}

fn nodes(model: &Model, d: &Deployment, dv: &DeploymentView, list: &[usize], out: &mut Vec<Part>) {
    for &i in list {
        if !dv.shows(i) {
            continue;
        }
        let it = &d.items[i];
        let holds = it.children.iter().any(|c| dv.shows(*c));
        if it.kind == DeplKind::Node && holds && !dv.boxes_node(i) {
            let frame = Frame {
                key: Key::Item(i, 0),
                id: it.path.clone(),
                kind: FrameKind::Node,
                title: replicated(&it.name, it.replicas),
                technology: it.technology.clone(),
                description: it.description.clone(),
            };
            let mut inner = Vec::new();
            nodes(model, d, dv, &it.children, &mut inner);
            out.push(Part::Frame(frame, inner));
            continue;
        }
        for c in copies(it) {
            let name = if c == 0 {
                replicated(&it.name, it.replicas)
            } else {
                format!("{} {c}", it.name)
            };
            let mut b = match it.kind {
                DeplKind::Instance(e) => element_box(model, e),
                DeplKind::Node | DeplKind::Infra => SceneBox {
                    key: Key::Item(i, c),
                    id: String::new(),
                    kind: if it.kind == DeplKind::Node {
                        BoxKind::Node
                    } else {
                        BoxKind::Infra
                    },
                    name: String::new(),
                    kind_name: if it.kind == DeplKind::Node {
                        "node"
                    } else {
                        "infra"
                    }
                    .into(),
                    technology: None,
                    description: None,
                    external: false,
                    shape: Shape::Box,
                    style: Style::default(),
                    tags: Vec::new(),
                },
            };
            b.key = Key::Item(i, c);
            b.id = if c == 0 {
                it.path.clone()
            } else {
                format!("{}_{c}", it.path)
            };
            b.name = name;
            b.technology = it.technology.clone().or(b.technology);
            b.description = it.description.clone().or(b.description);
            b.tags.extend(it.tags.iter().cloned());
            out.push(Part::Box(b));
        }
        if it.kind == DeplKind::Node {
            nodes(model, d, dv, &it.children, out);
        }
    }
}

/// `name ×3` for an item of several replicas drawn as one box.
fn replicated(name: &str, replicas: u32) -> String {
    if replicas > 1 {
        format!("{name} ×{replicas}")
    } else {
        name.to_string()
    }
}
