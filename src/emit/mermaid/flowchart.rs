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

/// Renders one view as a Mermaid flowchart.
pub fn render(model: &Model, view: &View) -> String {
    let mut ids = IdMap::new();
    let mut element_ids: IndexMap<ElementId, String> = IndexMap::new();
    let mut group_ids: IndexMap<GroupId, String> = IndexMap::new();
    // Ids in tree order so they are stable and readable.
    fn assign(
        items: &[Item],
        model: &Model,
        ids: &mut IdMap,
        el: &mut IndexMap<ElementId, String>,
        gr: &mut IndexMap<GroupId, String>,
    ) {
        for item in items {
            match item {
                Item::Node(e) => {
                    el.insert(*e, ids.id(&model.element(*e).path));
                }
                Item::Boundary(e, kids) => {
                    el.insert(*e, ids.id(&model.element(*e).path));
                    assign(kids, model, ids, el, gr);
                }
                Item::Group(g, kids) => {
                    let title = &model.group(*g).title;
                    gr.insert(
                        *g,
                        ids.id(&format!("group_{}", crate::model::resolve::slug(title))),
                    );
                    assign(kids, model, ids, el, gr);
                }
            }
        }
    }
    assign(
        &view.tree,
        model,
        &mut ids,
        &mut element_ids,
        &mut group_ids,
    );

    let mut lines = Vec::new();
    let mut class_members: IndexMap<String, (Style, Vec<String>)> = IndexMap::new();
    let mut boundary_ids = Vec::new();
    let mut group_id_list = Vec::new();
    #[allow(clippy::too_many_arguments)]
    fn walk(
        items: &[Item],
        depth: usize,
        model: &Model,
        el: &IndexMap<ElementId, String>,
        gr: &IndexMap<GroupId, String>,
        lines: &mut Vec<Line>,
        classes: &mut IndexMap<String, (Style, Vec<String>)>,
        boundaries: &mut Vec<String>,
        groups: &mut Vec<String>,
    ) {
        let indent = "  ".repeat(depth + 1);
        for item in items {
            match item {
                Item::Node(e) => {
                    let (style, class) = element_style(model, *e);
                    let shape = style
                        .shape
                        .unwrap_or(Shape::default_for(model.element(*e).base));
                    let (open, close) = shape_brackets(shape);
                    let id = el.get(e).cloned().unwrap_or_default();
                    lines.push(Line {
                        indent: indent.clone(),
                        kind: "node",
                        id: id.clone(),
                        label: element_label(model, *e),
                        open,
                        close,
                    });
                    classes
                        .entry(class)
                        .or_insert_with(|| (style, Vec::new()))
                        .1
                        .push(id);
                }
                Item::Boundary(e, kids) => {
                    let id = el.get(e).cloned().unwrap_or_default();
                    let elem = model.element(*e);
                    lines.push(Line {
                        indent: indent.clone(),
                        kind: "open",
                        id: id.clone(),
                        label: format!(
                            "{} [{}]",
                            escape::label(&elem.name),
                            escape::label(elem.base.label(elem.external))
                        ),
                        open: "",
                        close: "",
                    });
                    boundaries.push(id);
                    walk(
                        kids,
                        depth + 1,
                        model,
                        el,
                        gr,
                        lines,
                        classes,
                        boundaries,
                        groups,
                    );
                    lines.push(Line {
                        indent: indent.clone(),
                        kind: "end",
                        id: String::new(),
                        label: String::new(),
                        open: "",
                        close: "",
                    });
                }
                Item::Group(g, kids) => {
                    let id = gr.get(g).cloned().unwrap_or_default();
                    lines.push(Line {
                        indent: indent.clone(),
                        kind: "open",
                        id: id.clone(),
                        label: escape::nonempty_label(&model.group(*g).title),
                        open: "",
                        close: "",
                    });
                    groups.push(id);
                    walk(
                        kids,
                        depth + 1,
                        model,
                        el,
                        gr,
                        lines,
                        classes,
                        boundaries,
                        groups,
                    );
                    lines.push(Line {
                        indent: indent.clone(),
                        kind: "end",
                        id: String::new(),
                        label: String::new(),
                        open: "",
                        close: "",
                    });
                }
            }
        }
    }
    walk(
        &view.tree,
        0,
        model,
        &element_ids,
        &group_ids,
        &mut lines,
        &mut class_members,
        &mut boundary_ids,
        &mut group_id_list,
    );

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
