//! Flowchart generator: a computed [`View`] → Mermaid `flowchart` text.
//!
//! In: the model and one computed view. Out: the diagram text (through the
//! askama template `templates/flowchart.mmd`): a comment header naming the
//! view, boundaries and groups as nested `subgraph`s, one node per element in
//! C4 style (bold name, `[Container: Technology]`, description), edges with
//! labels and technology, and styles as one `classDef` per kind/tag
//! combination. All text goes through [`super::escape`].

use askama::Template;
use indexmap::IndexMap;

use super::escape::{self, IdMap};
use crate::model::style::{Style, edge_style, element_style};
use crate::model::{ElementId, GroupId, Model, Shape};
use crate::syntax::ast::Arrow;
use crate::view::{Item, View};

struct Line {
    indent: String,
    /// "open", "end" or "node"
    kind: &'static str,
    id: String,
    label: String,
    open: &'static str,
    close: &'static str,
}

struct EdgeLine {
    from: String,
    arrow: &'static str,
    label: Option<String>,
    to: String,
}

#[derive(Template)]
#[template(path = "flowchart.mmd", escape = "none")]
struct Flowchart {
    key: String,
    title: String,
    direction: &'static str,
    lines: Vec<Line>,
    edges: Vec<EdgeLine>,
    class_defs: Vec<(String, String)>,
    classes: Vec<(String, String)>,
    link_styles: Vec<(String, String)>,
}

/// Mermaid's classic shape brackets.
pub fn shape_brackets(shape: Shape) -> (&'static str, &'static str) {
    match shape {
        Shape::Box => ("[", "]"),
        Shape::Rounded => ("(", ")"),
        Shape::Person => ("([", "])"),
        Shape::Cylinder => ("[(", ")]"),
        Shape::Queue => ("[[", "]]"),
        Shape::Hexagon => ("{{", "}}"),
        Shape::Circle => ("((", "))"),
        Shape::Diamond => ("{", "}"),
        Shape::Trapezoid => ("[/", "\\]"),
        Shape::Parallelogram => ("[/", "/]"),
        Shape::Flag => (">", "]"),
    }
}

/// The CSS of a `classDef`.
fn class_css(s: &Style) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &s.fill {
        parts.push(format!("fill:{v}"));
    }
    if let Some(v) = &s.stroke {
        parts.push(format!("stroke:{v}"));
    }
    if let Some(v) = &s.color {
        parts.push(format!("color:{v}"));
    }
    if let Some(v) = &s.stroke_width {
        parts.push(format!("stroke-width:{v}"));
    }
    if s.dashed == Some(true) {
        parts.push("stroke-dasharray:5 5".into());
    } else if s.dotted == Some(true) {
        parts.push("stroke-dasharray:2 2".into());
    }
    if let Some(v) = &s.opacity {
        parts.push(format!("opacity:{v}"));
    }
    if s.bold == Some(true) {
        parts.push("font-weight:bold".into());
    }
    parts.join(",")
}

/// The C4 label of an element node.
pub fn element_label(model: &Model, id: ElementId) -> String {
    let e = model.element(id);
    let mut s = format!(
        "<b>{}</b><br/>[{}]",
        escape::label(&e.name),
        escape::label(&model.type_label(id))
    );
    if let Some(d) = &e.description {
        s.push_str("<br/><br/>");
        s.push_str(&escape::label(d));
    }
    s
}

/// How one element is drawn, the same in every view: computed once per model.
struct NodeInfo {
    label: String,
    open: &'static str,
    close: &'static str,
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
            let (open, close) = shape_brackets(shape);
            NodeInfo {
                label: element_label(self.model, e),
                open,
                close,
                class,
                style,
            }
        })
    }

    /// Renders one view.
    pub fn render(&self, view: &View) -> String {
        let mut b = Builder {
            r: self,
            ids: IdMap::new(),
            element_ids: IndexMap::new(),
            group_ids: IndexMap::new(),
            lines: Vec::new(),
            classes: IndexMap::new(),
            boundaries: Vec::new(),
            groups: Vec::new(),
        };
        b.assign(&view.tree);
        b.walk(&view.tree, 0);
        b.finish(view)
    }
}

/// Renders one view as a Mermaid flowchart.
pub fn render(model: &Model, view: &View) -> String {
    Renderer::new(model).render(view)
}

/// The state of rendering one view.
struct Builder<'r, 'm> {
    r: &'r Renderer<'m>,
    ids: IdMap,
    element_ids: IndexMap<ElementId, String>,
    group_ids: IndexMap<GroupId, String>,
    lines: Vec<Line>,
    /// class name → (style, member ids), in first-use order
    classes: IndexMap<String, (Style, Vec<String>)>,
    boundaries: Vec<String>,
    groups: Vec<String>,
}

impl Builder<'_, '_> {
    /// Ids in tree order, so they are stable and readable.
    fn assign(&mut self, items: &[Item]) {
        let model = self.r.model;
        for item in items {
            match item {
                Item::Node(e) => {
                    let id = self.ids.id(&model.element(*e).path);
                    self.element_ids.insert(*e, id);
                }
                Item::Boundary(e, kids) => {
                    let id = self.ids.id(&model.element(*e).path);
                    self.element_ids.insert(*e, id);
                    self.assign(kids);
                }
                Item::Group(g, kids) => {
                    let slug = crate::model::resolve::slug(&model.group(*g).title);
                    let id = self.ids.id(&format!("group_{slug}"));
                    self.group_ids.insert(*g, id);
                    self.assign(kids);
                }
            }
        }
    }

    fn open(&mut self, indent: &str, id: String, label: String) {
        self.lines.push(Line {
            indent: indent.to_string(),
            kind: "open",
            id,
            label,
            open: "",
            close: "",
        });
    }

    fn close(&mut self, indent: &str) {
        self.lines.push(Line {
            indent: indent.to_string(),
            kind: "end",
            id: String::new(),
            label: String::new(),
            open: "",
            close: "",
        });
    }

    fn walk(&mut self, items: &[Item], depth: usize) {
        let model = self.r.model;
        let indent = "  ".repeat(depth + 1);
        for item in items {
            match item {
                Item::Node(e) => {
                    let info = self.r.node(*e);
                    let id = self.element_ids.get(e).cloned().unwrap_or_default();
                    self.lines.push(Line {
                        indent: indent.clone(),
                        kind: "node",
                        id: id.clone(),
                        label: info.label.clone(),
                        open: info.open,
                        close: info.close,
                    });
                    self.classes
                        .entry(info.class.clone())
                        .or_insert_with(|| (info.style.clone(), Vec::new()))
                        .1
                        .push(id);
                }
                Item::Boundary(e, kids) => {
                    let id = self.element_ids.get(e).cloned().unwrap_or_default();
                    let elem = model.element(*e);
                    let label = format!(
                        "{} [{}]",
                        escape::label(&elem.name),
                        escape::label(elem.base.label(elem.external))
                    );
                    self.open(&indent, id.clone(), label);
                    self.boundaries.push(id);
                    self.walk(kids, depth + 1);
                    self.close(&indent);
                }
                Item::Group(g, kids) => {
                    let id = self.group_ids.get(g).cloned().unwrap_or_default();
                    let label = escape::nonempty_label(&model.group(*g).title);
                    self.open(&indent, id.clone(), label);
                    self.groups.push(id);
                    self.walk(kids, depth + 1);
                    self.close(&indent);
                }
            }
        }
    }

    fn finish(self, view: &View) -> String {
        let model = self.r.model;
        let element_ids = self.element_ids;
        let lines = self.lines;
        let class_members = self.classes;
        let boundary_ids = self.boundaries;
        let group_id_list = self.groups;
        let mut edges = Vec::new();
        let mut link_styles = Vec::new();
        for (i, edge) in view.edges.iter().enumerate() {
            let style = edge_style(model, edge.arrow, &edge.tags);
            let dashed = style.dashed == Some(true) || style.dotted == Some(true);
            let thick = style.bold == Some(true);
            let arrow = match (edge.arrow == Arrow::Both, dashed, thick) {
                (false, true, _) => "-.->",
                (false, false, true) => "==>",
                (false, false, false) => "-->",
                (true, true, _) => "<-.->",
                (true, false, true) => "<==>",
                (true, false, false) => "<-->",
            };
            let mut text = edge.label.as_deref().map(escape::label).unwrap_or_default();
            if let Some(t) = &edge.technology {
                if !text.is_empty() {
                    text.push_str("<br/>");
                }
                text.push('[');
                text.push_str(&escape::label(t));
                text.push(']');
            }
            edges.push(EdgeLine {
                from: element_ids.get(&edge.source).cloned().unwrap_or_default(),
                arrow,
                label: (!text.is_empty()).then_some(text),
                to: element_ids.get(&edge.target).cloned().unwrap_or_default(),
            });
            let mut css = Vec::new();
            if let Some(c) = style.stroke.as_ref().or(style.color.as_ref()) {
                css.push(format!("stroke:{c}"));
            }
            if let Some(w) = &style.stroke_width {
                css.push(format!("stroke-width:{w}"));
            }
            if let Some(c) = &style.color {
                css.push(format!("color:{c}"));
            }
            if !css.is_empty() {
                link_styles.push((i.to_string(), css.join(",")));
            }
        }

        let mut class_defs = Vec::new();
        let mut classes = Vec::new();
        let mut class_ids = IdMap::new();
        for (name, (style, members)) in &class_members {
            let css = class_css(style);
            if css.is_empty() {
                continue;
            }
            let cname = class_ids.id(name);
            class_defs.push((cname.clone(), css));
            classes.push((members.join(","), cname));
        }
        if !boundary_ids.is_empty() {
            let cname = class_ids.id("boundary");
            class_defs.push((
                cname.clone(),
                "fill:none,stroke:#444,stroke-dasharray:5 5,color:#222".into(),
            ));
            classes.push((boundary_ids.join(","), cname));
        }
        if !group_id_list.is_empty() {
            let cname = class_ids.id("group");
            class_defs.push((
                cname.clone(),
                "fill:none,stroke:#888,stroke-dasharray:2 2,color:#444".into(),
            ));
            classes.push((group_id_list.join(","), cname));
        }

        let chart = Flowchart {
            key: escape::comment(&view.key),
            title: escape::comment(&view.title),
            direction: view.direction.as_str(),
            lines,
            edges,
            class_defs,
            classes,
            link_styles,
        };
        let mut text = chart.render().unwrap_or_default();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }
}
