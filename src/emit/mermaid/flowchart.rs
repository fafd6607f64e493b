//! Flowchart writer: a [`FlowGraph`] → Mermaid `flowchart` text.
//!
//! In: a diagram-neutral graph — nested subgraphs, nodes with an escaped
//! label, a shape and a style class, and edges — built by the view-specific
//! generators (`c4` for landscape/context/container/component views,
//! `deployment` for deployment views). Out: the text, through the askama
//! template `templates/flowchart.mmd`: a comment header naming the view,
//! readable unique ids (from [`super::escape::IdMap`]), one `classDef` per
//! style class, `linkStyle` for coloured edges.

use std::collections::HashMap;

use askama::Template;
use indexmap::IndexMap;

use super::escape::{self, IdMap};
use super::stack::{self, Slot};
use super::wrap;
use crate::model::Shape;
use crate::model::palette;
use crate::model::style::Style;
use crate::syntax::ast::{Arrow, Direction};

/// A diagram before it is written as text (its hash stands for the text:
/// [`render_graph`] depends on nothing else).
#[derive(Debug, Clone, Hash)]
pub struct FlowGraph {
    pub key: String,
    pub title: String,
    /// `None`: chosen by [`super::layout::direction`].
    pub direction: Option<Direction>,
    pub items: Vec<FlowItem>,
    pub edges: Vec<FlowEdge>,
    /// How deployment nodes' frames ([`Frame::Node`]) look; `None`: the
    /// theme's `node` (a graph without such frames need not say).
    pub node_frame: Option<Style>,
}

/// How a subgraph is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    /// A C4 boundary (a system or container around its parts).
    Boundary,
    /// A visual group.
    Group,
    /// A deployment node.
    Node,
}

#[derive(Debug, Clone, Hash)]
pub enum FlowItem {
    /// `key` identifies the item for edges and is the base of its Mermaid id;
    /// `label` is already escaped (it may hold `<b>`/`<br/>`).
    Node {
        key: String,
        label: String,
        shape: Shape,
        class: String,
        style: Style,
    },
    Subgraph {
        key: String,
        label: String,
        frame: Frame,
        children: Vec<FlowItem>,
    },
}

#[derive(Debug, Clone, Hash)]
pub struct FlowEdge {
    pub from: String,
    pub to: String,
    pub arrow: Arrow,
    /// `dashed`/`dotted`/`bold` pick the line; colours become `linkStyle`.
    pub style: Style,
    /// Escaped label, if any.
    pub label: Option<String>,
}

/// The line of each arrow in a derived view (by default `->` as the model
/// styles a sync relationship, `~>` an async one), styled once per view.
pub struct ArrowStyles {
    sync: Style,
    asynchronous: Style,
}

impl ArrowStyles {
    /// The model's plain relationship styles.
    pub fn new(model: &crate::model::Model) -> ArrowStyles {
        use crate::model::style::edge_style;
        ArrowStyles::of(
            edge_style(model, Arrow::Sync, &[]),
            edge_style(model, Arrow::Async, &[]),
        )
    }

    /// Given styles: `sync` for `->`, `asynchronous` for `~>`.
    pub fn of(sync: Style, asynchronous: Style) -> ArrowStyles {
        ArrowStyles { sync, asynchronous }
    }

    /// An edge between two box keys, styled by its arrow; `label` unescaped.
    pub fn edge(&self, from: String, to: String, arrow: Arrow, label: Option<&str>) -> FlowEdge {
        FlowEdge {
            from,
            to,
            arrow,
            style: if arrow == Arrow::Async {
                self.asynchronous.clone()
            } else {
                self.sync.clone()
            },
            label: label.map(|l| escape::label(&wrap::words(l, wrap::EDGE))),
        }
    }
}

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
    init: String,
    key: String,
    title: String,
    direction: &'static str,
    lines: Vec<Line>,
    edges: Vec<EdgeLine>,
    class_defs: Vec<(String, String)>,
    classes: Vec<(String, String)>,
    link_styles: Vec<(String, String)>,
}

/// The label of a box: its name in bold, then each detail on a line.
pub(crate) fn box_label<'a>(name: &str, details: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = format!("<b>{}</b>", escape::label(name));
    for d in details {
        s.push_str("<br/>");
        // A `[type]` line breaks only between its entries.
        match d.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            Some(inner) => s.push_str(&escape::label(&format!("[{}]", wrap::type_line(inner)))),
            None => s.push_str(&escape::label(d)),
        }
    }
    s
}

/// The label of a box from the lines of its label format: the first in
/// bold (empty when there is none), then the others.
pub(crate) fn lines_label(lines: &[String]) -> String {
    let (name, details) = lines
        .split_first()
        .map_or(("", &[][..]), |(n, d)| (n.as_str(), d));
    box_label(name, details.iter().map(String::as_str))
}

/// The brackets around a node's quoted label: Mermaid's classic shapes, and
/// for [`Shape::HCylinder`] the `@{ shape: … }` form of Mermaid 11.3+.
pub fn shape_brackets(shape: Shape) -> (&'static str, &'static str) {
    match shape {
        Shape::Box => ("[", "]"),
        Shape::Rounded => ("(", ")"),
        // A person's label (name, type, description) is tall for a stadium.
        Shape::Person => ("(", ")"),
        Shape::Stadium => ("([", "])"),
        Shape::Cylinder => ("[(", ")]"),
        Shape::Queue => ("[[", "]]"),
        Shape::HCylinder => ("@{ shape: h-cyl, label: ", " }"),
        Shape::Hexagon => ("{{", "}}"),
        Shape::Circle => ("((", "))"),
        Shape::Diamond => ("{", "}"),
        Shape::Trapezoid => ("[/", "\\]"),
        Shape::Parallelogram => ("[/", "/]"),
        Shape::Flag => (">", "]"),
    }
}

/// The CSS of a `classDef`.
pub(crate) fn class_css(s: &Style) -> String {
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

/// The CSS of a boundary's or a group's frame.
fn frame_css(c: palette::Colours, dashes: &str) -> String {
    format!(
        "fill:{},stroke:{},stroke-dasharray:{dashes},color:{}",
        c.fill, c.stroke, c.text
    )
}

/// The Mermaid id [`render_graph`] gives each box and frame of `g` (not
/// groups), with the key the graph gave it: `("shop_api", "shop.api")`.
pub fn node_ids(g: &FlowGraph) -> Vec<(String, String)> {
    let mut w = Writer::new();
    w.assign(&g.items, None);
    let mut out: Vec<(String, String)> = w.by_key.into_iter().map(|(k, id)| (id, k)).collect();
    out.sort();
    out
}

/// Writes a graph as Mermaid flowchart text.
pub fn render_graph(g: &FlowGraph) -> String {
    let mut w = Writer::new();
    w.assign(&g.items, None);
    w.walk(&g.items, 0);

    let mut edges = Vec::new();
    let mut link_styles = Vec::new();
    for e in &g.edges {
        let (Some(from), Some(to)) = (w.by_key.get(&e.from), w.by_key.get(&e.to)) else {
            continue;
        };
        let dashed = e.style.dashed == Some(true) || e.style.dotted == Some(true);
        let thick = e.style.bold == Some(true);
        let arrow = match (e.arrow == Arrow::Both, dashed, thick) {
            (false, true, _) => "-.->",
            (false, false, true) => "==>",
            (false, false, false) => "-->",
            (true, true, _) => "<-.->",
            (true, false, true) => "<==>",
            (true, false, false) => "<-->",
        };
        edges.push(EdgeLine {
            from: from.clone(),
            arrow,
            label: e.label.clone().filter(|l| !l.trim().is_empty()),
            to: to.clone(),
        });
        let mut css = Vec::new();
        if let Some(c) = e.style.stroke.as_ref().or(e.style.color.as_ref()) {
            css.push(format!("stroke:{c}"));
        }
        if let Some(width) = &e.style.stroke_width {
            css.push(format!("stroke-width:{width}"));
        }
        if let Some(c) = &e.style.color {
            css.push(format!("color:{c}"));
        }
        if !css.is_empty() {
            // Mermaid numbers links in the order they are written.
            link_styles.push(((edges.len() - 1).to_string(), css.join(",")));
        }
    }

    // Top-down, Mermaid lays sibling subgraphs that no edge links side by
    // side; invisible links stack them. Written after every real edge, so
    // `linkStyle N` still counts real edges only.
    let real_edges = edges.len();
    let direction = g.direction.unwrap_or_else(|| super::layout::direction(g));
    if matches!(direction, Direction::TB | Direction::BT) {
        let real: Vec<(&str, &str)> = edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect();
        for (from, to) in stack::invisible_links(&w.tree, &w.item_ids, &real) {
            edges.push(EdgeLine {
                from,
                arrow: "~~~",
                label: None,
                to,
            });
        }
    }

    let mut class_defs = Vec::new();
    let mut classes = Vec::new();
    let mut class_ids = IdMap::new();
    for (name, (style, members)) in &w.classes {
        let css = class_css(style);
        if css.is_empty() {
            continue;
        }
        let cname = class_ids.class_name(name);
        class_defs.push((cname.clone(), css));
        classes.push((members.join(","), cname));
    }
    // Frame classes in a fixed order: boundary, group, node.
    for frame in [Frame::Boundary, Frame::Group, Frame::Node] {
        let Some(members) = w.frames.get(&frame) else {
            continue;
        };
        let (name, css) = match frame {
            Frame::Boundary => ("boundary", frame_css(palette::BOUNDARY, "5 5")),
            Frame::Group => ("group", frame_css(palette::GROUP, "2 2")),
            Frame::Node => (
                "node",
                match &g.node_frame {
                    Some(style) => class_css(style),
                    None => class_css(&crate::model::style::part_default(
                        crate::model::theme::ViewPart::Node,
                    )),
                },
            ),
        };
        let cname = class_ids.class_name(name);
        class_defs.push((cname.clone(), css));
        classes.push((members.join(","), cname));
    }

    // Every edge mid-grey unless styled: Mermaid's own line colour is dark
    // on GitHub's light theme and light on its dark one, and would vanish
    // on a frame's light fill in dark mode.
    if real_edges > 0 {
        link_styles.insert(0, ("default".into(), format!("stroke:{}", palette::EDGE)));
    }
    let chart = Flowchart {
        init: wrap::init(direction),
        key: escape::comment(&g.key),
        title: escape::comment(&g.title),
        direction: direction.as_str(),
        lines: w.lines,
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

/// An upper bound of `render_graph(g).len()`, without writing the text: in
/// one pass over the graph, each line counted with its escaped label (the
/// graph holds it escaped), each Mermaid id with the most [`IdMap::id`] can
/// make of its key, each style with its CSS. What `check` measures a view
/// by when the bound is below the size that matters (W003): the text
/// itself is then never written. A test holds it above the real length for
/// every view of the bundled models and test cases.
pub fn text_bound(g: &FlowGraph) -> usize {
    let mut b = Bound::new(g);
    // The header: comment line, init directive (the longer of the two
    // directions: the layout may pick either), `flowchart XX`.
    b.total += escape::comment(&g.key).len() + escape::comment(&g.title).len() + 32;
    b.total += wrap::init(Direction::TB)
        .len()
        .max(wrap::init(Direction::LR).len())
        + 16;
    b.items(&g.items, 0);
    let node_frame = match &g.node_frame {
        Some(style) => class_css(style),
        None => class_css(&crate::model::style::part_default(
            crate::model::theme::ViewPart::Node,
        )),
    };
    let frame_css_len = frame_css(palette::BOUNDARY, "5 5")
        .len()
        .max(frame_css(palette::GROUP, "2 2").len())
        .max(node_frame.len());
    // Three frame classes at most: `classDef` and `class` lines.
    b.total += 3 * (2 * b.id(12) + frame_css_len + 32);
    for e in &g.edges {
        // `  FROM -.->|"LABEL"| TO`
        b.total += b.id(e.from.len()) + b.id(e.to.len()) + 16;
        b.total += e.label.as_ref().map_or(0, |l| l.len() + 4);
        // `  linkStyle N stroke:…,stroke-width:…,color:…`
        let field = |v: &Option<String>| v.as_ref().map_or(0, |v| v.len() + 16);
        b.total += b.digits + 16 + field(&e.style.stroke).max(field(&e.style.color));
        b.total += field(&e.style.stroke_width) + field(&e.style.color);
    }
    // `  linkStyle default stroke:#…`
    b.total + 64
}

/// The state of [`text_bound`].
struct Bound<'g> {
    total: usize,
    /// Most digits of a uniqueness suffix (`_N`) or an edge's index.
    digits: usize,
    /// Style classes already counted.
    classes: std::collections::HashSet<&'g str>,
}

impl<'g> Bound<'g> {
    fn new(g: &FlowGraph) -> Bound<'g> {
        fn count(items: &[FlowItem]) -> usize {
            items
                .iter()
                .map(|i| match i {
                    FlowItem::Node { .. } => 1,
                    FlowItem::Subgraph { children, .. } => 1 + count(children),
                })
                .sum()
        }
        // Ids of items and classes, and edge indices, are all below this.
        let most = count(&g.items) + g.edges.len() + 16;
        Bound {
            total: 0,
            digits: most.to_string().len() + 1,
            classes: std::collections::HashSet::new(),
        }
    }

    /// The longest Mermaid id [`IdMap::id`] gives a key of `len` bytes: its
    /// first 80 characters (one byte each once made an id), a leading `n`,
    /// a trailing `_`, one `_` per `C4…` word broken, a `_N` suffix.
    fn id(&self, len: usize) -> usize {
        let c = len.clamp(4, 80);
        c + 2 + c / 2 + 1 + self.digits
    }

    fn items(&mut self, items: &'g [FlowItem], depth: usize) {
        let indent = 2 * (depth + 1);
        for item in items {
            match item {
                FlowItem::Node {
                    key,
                    label,
                    shape,
                    class,
                    style,
                } => {
                    let (open, close) = shape_brackets(*shape);
                    let id = self.id(key.len());
                    // The node line, and its id in its class's `class` line.
                    self.total += indent + id + open.len() + close.len() + label.len() + 4;
                    self.total += id + 1;
                    if self.classes.insert(class.as_str()) {
                        // `  classDef NAME CSS` and `  class … NAME`
                        self.total += 2 * self.id(class.len() + 2) + class_css(style).len() + 24;
                    }
                }
                FlowItem::Subgraph {
                    key,
                    label,
                    children,
                    ..
                } => {
                    let id = self.id(key.len());
                    // `subgraph ID["LABEL"]`, `end`, its id in its frame's
                    // `class` line and in two invisible links.
                    self.total += 2 * indent + id + label.len() + 24;
                    self.total += 3 * (id + 8);
                    self.items(children, depth + 1);
                }
            }
        }
    }
}

/// The state of writing one graph.
struct Writer {
    ids: IdMap,
    /// item key → Mermaid id of the first item with that key (what edges
    /// name); groups are left out, as no edge ends at a group.
    by_key: HashMap<String, String>,
    /// Each item's own Mermaid id, in tree order: two items never share one
    /// (two groups titled alike would otherwise be one subgraph, or a
    /// subgraph nested in itself).
    item_ids: Vec<String>,
    /// Where each entry of `item_ids` sits in the tree.
    tree: Vec<Slot>,
    /// The next entry of `item_ids` for `walk`.
    next: usize,
    lines: Vec<Line>,
    /// class name → (style, member ids), in first-use order
    classes: IndexMap<String, (Style, Vec<String>)>,
    frames: IndexMap<Frame, Vec<String>>,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            ids: IdMap::new(),
            by_key: HashMap::new(),
            item_ids: Vec::new(),
            tree: Vec::new(),
            next: 0,
            lines: Vec::new(),
            classes: IndexMap::new(),
            frames: IndexMap::new(),
        }
    }

    /// Ids in tree order, so they are stable and readable: one per item.
    fn assign(&mut self, items: &[FlowItem], parent: Option<usize>) {
        for item in items {
            let (FlowItem::Node { key, .. } | FlowItem::Subgraph { key, .. }) = item;
            let id = self.ids.id(key);
            let slot = self.item_ids.len();
            self.item_ids.push(id.clone());
            self.tree.push(Slot {
                parent,
                subgraph: matches!(item, FlowItem::Subgraph { .. }),
            });
            let group = matches!(
                item,
                FlowItem::Subgraph {
                    frame: Frame::Group,
                    ..
                }
            );
            if !group {
                self.by_key.entry(key.clone()).or_insert(id);
            }
            if let FlowItem::Subgraph { children, .. } = item {
                self.assign(children, Some(slot));
            }
        }
    }

    /// The id `assign` gave the next item in tree order.
    fn next_id(&mut self) -> String {
        let id = self.item_ids.get(self.next).cloned().unwrap_or_default();
        self.next += 1;
        id
    }

    fn walk(&mut self, items: &[FlowItem], depth: usize) {
        let indent = "  ".repeat(depth + 1);
        for item in items {
            match item {
                FlowItem::Node {
                    label,
                    shape,
                    class,
                    style,
                    ..
                } => {
                    let id = self.next_id();
                    let (open, close) = shape_brackets(*shape);
                    self.lines.push(Line {
                        indent: indent.clone(),
                        kind: "node",
                        id: id.clone(),
                        label: if label.trim().is_empty() {
                            " ".into()
                        } else {
                            label.clone()
                        },
                        open,
                        close,
                    });
                    self.classes
                        .entry(class.clone())
                        .or_insert_with(|| (style.clone(), Vec::new()))
                        .1
                        .push(id);
                }
                FlowItem::Subgraph {
                    label,
                    frame,
                    children,
                    ..
                } => {
                    let id = self.next_id();
                    self.lines.push(Line {
                        indent: indent.clone(),
                        kind: "open",
                        id: id.clone(),
                        label: if label.trim().is_empty() {
                            " ".into()
                        } else {
                            label.clone()
                        },
                        open: "",
                        close: "",
                    });
                    self.frames.entry(*frame).or_default().push(id);
                    self.walk(children, depth + 1);
                    self.lines.push(Line {
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
}
