//! C4 view generator: a computed [`View`] → [`FlowGraph`] → Mermaid text.
//!
//! In: the model and one computed landscape/context/container/component view.
//! Out: boundaries and groups as subgraphs, one node per element in C4 style
//! (bold name, `[Container: Technology]`, description), edges with label and
//! technology, one style class per kind/tag combination. Per-element work is
//! cached in a [`Renderer`] shared by every view of a model. A flow over a
//! static view is that view's graph with its steps as numbered edges after
//! the plain ones ([`step_edges`]).

use std::collections::HashMap;

use super::escape;
use super::flowchart::{FlowEdge, FlowGraph, FlowItem, Frame, render_graph};
use super::wrap;
use crate::model::style::{Style, edge_style, element_style, step_style};
use crate::model::{ElementId, Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::flow::FlowView;
use crate::view::fold::{End, Fold, FrameId};
use crate::view::{Content, Item, View};

/// The C4 label of an element node drawn in its kind's default shape.
pub fn element_label(model: &Model, id: ElementId) -> String {
    let shape = Shape::default_for(model.element(id).base);
    shaped_label(model, id, shape)
}

/// The C4 label of an element node drawn as `shape`: its description
/// broken into lines as long as the shape has room for ([`wrap::budget`]).
fn shaped_label(model: &Model, id: ElementId, shape: Shape) -> String {
    let e = model.element(id);
    let mut s = format!(
        "<b>{}</b><br/>[{}]",
        escape::label(&e.name),
        escape::label(&wrap::type_line(&model.type_label(id)))
    );
    if let Some(d) = &e.description {
        s.push_str("<br/><br/>");
        s.push_str(&escape::label(&wrap::words(d, wrap::budget(shape))));
    }
    s
}

/// The title of the boundary around a subject's parts when the subject
/// itself is a box beside it (`subject both`): `API: components`, or
/// `Shop: containers` (not escaped).
pub(crate) fn parts_title(model: &Model, e: ElementId) -> String {
    let el = model.element(e);
    let parts = match el.base {
        crate::model::BaseKind::System => "containers",
        crate::model::BaseKind::Container => "components",
        _ => "parts",
    };
    format!("{}: {parts}", el.name)
}

/// The operations of an element's API contract, as a node inside its boundary.
fn contract_node(el: &crate::model::Element) -> Option<FlowItem> {
    let c = el.contract.as_ref()?;
    let mut label = format!(
        "<b>{}</b><br/>[API contract: {}]",
        escape::label(c.title.as_deref().unwrap_or("API")),
        escape::label(&c.file)
    );
    for op in &c.operations {
        label.push_str("<br/>");
        label.push_str(&escape::label(&format!("{} {}", op.method, op.path)));
        if let Some(id) = &op.operation_id {
            label.push_str(&escape::label(&format!(" · {id}")));
        }
    }
    Some(FlowItem::Node {
        key: format!("{}.api_contract", el.path),
        label,
        shape: Shape::Flag,
        class: "contract".into(),
        style: Style {
            fill: Some("#FFFFFF".into()),
            stroke: Some("#666666".into()),
            color: Some("#000".into()),
            ..Style::default()
        },
    })
}

/// The steps of a flow as numbered edges, after the plain ones: labelled
/// `N. [alt: x] text`, styled as the relationship each follows (or as a
/// plain one) and set apart from the plain edges — a call thick (`==>`), a
/// reply or an asynchronous step dashed and wider.
pub fn step_edges(model: &Model, f: &FlowView) -> Vec<FlowEdge> {
    f.steps
        .iter()
        .map(|s| {
            let arrow = if s.dashed { Arrow::Async } else { Arrow::Sync };
            let tags = s
                .follows
                .first()
                .map_or(&[][..], |r| model.relationship(*r).tags.as_slice());
            let style = step_style(model, arrow, tags, s.dashed);
            let text = s.text.as_deref().map(|t| wrap::words(t, wrap::EDGE));
            let mut label = super::sequence::step_label(&s.number, &s.within, text.as_deref());
            push_technology(&mut label, s.technology.as_deref());
            FlowEdge {
                from: model.element(s.source).path.clone(),
                to: model.element(s.target).path.clone(),
                arrow,
                style,
                label: Some(label),
            }
        })
        .collect()
}

/// An edge label's technology line, `[technology]`, below its text (if any).
fn push_technology(label: &mut String, technology: Option<&str>) {
    if let Some(t) = technology {
        if !label.is_empty() {
            label.push_str("<br/>");
        }
        label.push('[');
        label.push_str(&escape::label(&wrap::technology(t)));
        label.push(']');
    }
}

/// The escaped label of an edge saying `label`, with its step number and
/// technology; `None` when it says nothing.
pub fn edge_label(
    label: Option<&str>,
    step: Option<&str>,
    technology: Option<&str>,
) -> Option<String> {
    let mut text = label
        .map(|l| escape::label(&wrap::words(l, wrap::EDGE)))
        .unwrap_or_default();
    if let Some(n) = step {
        text = format!("{}. {text}", escape::label(n))
            .trim_end()
            .to_string();
    }
    push_technology(&mut text, technology);
    (!text.is_empty()).then_some(text)
}

/// What an edge says, for [`FlowEdge`]'s label and style.
struct EdgeText<'a> {
    label: Option<&'a str>,
    step: Option<&'a str>,
    technology: Option<&'a str>,
    arrow: Arrow,
    tags: &'a [String],
}

/// The key of a folded frame's box: a boundary's element path (the box
/// stands for the element), a group's `group_TITLE#N`.
fn fold_key(model: &Model, i: usize, f: &Fold) -> String {
    match f.frame {
        FrameId::Element(e) => model.element(e).path.clone(),
        FrameId::Group(_) => format!("group_{}#{i}", crate::model::resolve::slug(&f.title)),
    }
}

/// How one element is drawn, the same in every view: computed once per model.
struct NodeInfo {
    label: String,
    shape: Shape,
    class: String,
    style: Style,
}

/// Renders views of one model, caching per-element work (labels, styles)
/// across views. Shareable between threads.
pub struct Renderer<'m> {
    model: &'m Model,
    nodes: Vec<std::sync::OnceLock<NodeInfo>>,
}

impl<'m> Renderer<'m> {
    pub fn new(model: &'m Model) -> Renderer<'m> {
        Renderer {
            model,
            nodes: (0..model.graph.node_count())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn node(&self, e: ElementId) -> &NodeInfo {
        self.nodes[e.index()].get_or_init(|| {
            let (style, class) = element_style(self.model, e);
            let shape = style
                .shape
                .unwrap_or(Shape::default_for(self.model.element(e).base));
            NodeInfo {
                label: shaped_label(self.model, e, shape),
                shape,
                class,
                style,
            }
        })
    }

    /// The graph of one static view (nothing drawn for other kinds).
    pub fn graph<'v>(&self, view: &'v View) -> FlowGraph {
        let model = self.model;
        let (tree, edges) = view.as_static().map_or((&[][..], &[][..]), |s| {
            (s.tree.as_slice(), s.edges.as_slice())
        });
        // The edges of a view say the same few things in the same few
        // styles: each label and style is worked out once per view.
        type Said<'v> = (Option<&'v str>, Option<&'v str>, Option<&'v str>);
        let mut labels: HashMap<Said<'v>, Option<String>, foldhash::fast::RandomState> =
            HashMap::default();
        let mut styles: HashMap<(Arrow, &'v [String]), Style, foldhash::fast::RandomState> =
            HashMap::default();
        let mut flow_edge = |from: String, to: String, e: EdgeText<'v>| FlowEdge {
            from,
            to,
            arrow: e.arrow,
            style: styles
                .entry((e.arrow, e.tags))
                .or_insert_with(|| edge_style(model, e.arrow, e.tags))
                .clone(),
            label: labels
                .entry((e.label, e.step, e.technology))
                .or_insert_with(|| edge_label(e.label, e.step, e.technology))
                .clone(),
        };
        let path = |e: ElementId| model.element(e).path.clone();
        let mut edges = edges
            .iter()
            .map(|e| {
                let text = EdgeText {
                    label: e.label.as_deref(),
                    step: e.step.as_deref(),
                    technology: e.technology.as_deref(),
                    arrow: e.arrow,
                    tags: &e.tags,
                };
                flow_edge(path(e.source), path(e.target), text)
            })
            .collect::<Vec<FlowEdge>>();
        let folds = view.as_static().map_or(&[][..], |s| s.folds.as_slice());
        let end = |x: End| match x {
            End::Element(e) => path(e),
            End::Fold(i) => folds
                .get(i)
                .map(|f| fold_key(model, i, f))
                .unwrap_or_default(),
        };
        for e in view
            .as_static()
            .map_or(&[][..], |s| s.fold_edges.as_slice())
        {
            let text = EdgeText {
                label: e.label.as_deref(),
                step: None,
                technology: e.technology.as_deref(),
                arrow: e.arrow,
                tags: &e.tags,
            };
            edges.push(flow_edge(end(e.source), end(e.target), text));
        }
        if let Content::Flow(f) = &view.content {
            edges.extend(step_edges(model, f));
        }
        // `subject both`: the subject's boundary frames its parts; its box
        // (keyed by its path, where its edges end) stands beside it.
        let beside = view
            .as_static()
            .and_then(|s| s.subject.filter(|e| s.boxed_beside_boundary(*e)));
        FlowGraph {
            key: view.key.clone(),
            title: view.title.clone(),
            direction: view.direction,
            items: self.items(tree, beside, folds),
            edges,
            node_frame: None,
        }
    }

    /// `beside`: the subject drawn as a box beside its boundary, whose
    /// boundary then has a key of its own and says it holds the parts.
    fn items(&self, tree: &[Item], beside: Option<ElementId>, folds: &[Fold]) -> Vec<FlowItem> {
        let model = self.model;
        tree.iter()
            .map(|item| match item {
                Item::Node(e) => {
                    let info = self.node(*e);
                    FlowItem::Node {
                        key: model.element(*e).path.clone(),
                        label: info.label.clone(),
                        shape: info.shape,
                        class: info.class.clone(),
                        style: info.style.clone(),
                    }
                }
                Item::Boundary(e, kids) => {
                    let el = model.element(*e);
                    let (key, label) = if beside == Some(*e) {
                        (
                            format!("{}#parts", el.path),
                            escape::label(&parts_title(model, *e)),
                        )
                    } else {
                        (
                            el.path.clone(),
                            format!(
                                "{} [{}]",
                                escape::label(&el.name),
                                escape::label(el.base.label(el.external))
                            ),
                        )
                    };
                    FlowItem::Subgraph {
                        key,
                        label,
                        frame: Frame::Boundary,
                        children: {
                            let mut children = self.items(kids, beside, folds);
                            children.extend(contract_node(el));
                            children
                        },
                    }
                }
                Item::Fold(i) => match folds.get(*i) {
                    Some(f) => self.fold_node(*i, f),
                    None => FlowItem::Node {
                        key: format!("fold{i}"),
                        label: String::new(),
                        shape: Shape::Box,
                        class: "fold".into(),
                        style: Style::default(),
                    },
                },
                Item::Group(g, kids) => {
                    let title = &model.group(*g).title;
                    FlowItem::Subgraph {
                        key: format!("group_{}", crate::model::resolve::slug(title)),
                        label: escape::nonempty_label(title),
                        frame: Frame::Group,
                        children: self.items(kids, beside, folds),
                    }
                }
            })
            .collect()
    }

    /// A folded frame's box: its title, its kind and how many elements it
    /// holds; a boundary's keeps the element's look and description, a
    /// group's is a plain dashed box.
    fn fold_node(&self, i: usize, f: &Fold) -> FlowItem {
        let model = self.model;
        let count = match f.count {
            1 => "1 element".to_string(),
            n => format!("{n} elements"),
        };
        let key = fold_key(model, i, f);
        match f.frame {
            FrameId::Element(e) => {
                let el = model.element(e);
                let info = self.node(e);
                let mut label = format!(
                    "<b>{}</b><br/>[{}]",
                    escape::label(&el.name),
                    escape::label(&format!("{} · {count}", model.type_label(e)))
                );
                if let Some(d) = &el.description {
                    label.push_str("<br/><br/>");
                    label.push_str(&escape::label(&wrap::words(d, wrap::TEXT)));
                }
                FlowItem::Node {
                    key,
                    label,
                    shape: info.shape,
                    class: info.class.clone(),
                    style: info.style.clone(),
                }
            }
            FrameId::Group(_) => FlowItem::Node {
                key,
                label: format!("<b>{}</b><br/>[Group · {count}]", escape::label(&f.title)),
                shape: Shape::Box,
                class: "folded_group".into(),
                style: Style {
                    fill: Some("#FFFFFF".into()),
                    stroke: Some("#666666".into()),
                    color: Some("#000000".into()),
                    dashed: Some(true),
                    ..Style::default()
                },
            },
        }
    }

    /// Renders one view as Mermaid flowchart text.
    pub fn render(&self, view: &View) -> String {
        render_graph(&self.graph(view))
    }
}
