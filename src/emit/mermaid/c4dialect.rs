//! Mermaid's own C4 dialect (`c4c build --dialect c4`).
//!
//! In: the model and a computed view. Out: `C4Context`
//! (landscape and context views), `C4Container`, `C4Component`, `C4Dynamic`
//! (a flow over a static view: that view's diagram, numbered steps in the
//! `Rel` labels) or `C4Deployment` text — `Person`, `System_Ext`, `ContainerDb`,
//! `*_Boundary`, `Deployment_Node`, `Rel`/`BiRel`, `UpdateElementStyle`,
//! `UpdateRelStyle` and `UpdateLayoutConfig` —
//! or `None` for view kinds the dialect has no form for (mesh, CDN, code,
//! state machines), which keep their flowchart/class/state diagrams.
//! Every alias a `Rel` names is declared (Mermaid only notices at render
//! time); in a static view the order of the boxes, the `UpdateLayoutConfig`
//! and the re-targeting of relationships to a boundary (which the dialect
//! cannot draw) come from `c4layout`; edges between the same two boxes
//! share one `Rel`, as the dialect would draw them over each other.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::c4layout::{self, Block, Slot};
use super::escape::{self, IdMap};
use crate::model::deployment::{DeplKind, Deployment};
use crate::model::dynamic::Dynamic;
use crate::model::palette;
use crate::model::style::{Style, box_style, element_style, label_lines, line_style, named_style};
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
fn static_rels(edges: &[Edge], aliases: &HashMap<ElementId, String>) -> Vec<Rel> {
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
            Rel {
                from: a.to_string(),
                to: b.to_string(),
                line: rel_line(a, b, arrow, label.as_deref(), said.technology.as_deref()),
            }
        })
        .collect()
}

/// A `Rel` line and the aliases it links.
struct Rel {
    from: String,
    to: String,
    line: String,
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
    slots: &[Slot],
    depth: usize,
    out: &mut Out,
    aliases: &mut HashMap<ElementId, String>,
) {
    for slot in slots {
        match slot {
            Slot::Node(e) => {
                let alias = out.ids.id(&model.element(*e).path);
                out.line(depth, &element_line(model, *e, &alias));
                let (style, _) = element_style(model, *e);
                if let Some(s) = style_line(&alias, &style) {
                    out.styles.push(s);
                }
                out.declared.insert(alias.clone());
                aliases.insert(*e, alias);
            }
            Slot::Boundary(e, kids) => {
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
                out.styles.push(frame_style(&alias));
                tree(model, kids, depth + 1, out, aliases);
                out.line(depth, "}");
            }
            Slot::Group(g, kids) => {
                let title = &model.group(*g).title;
                let alias = out
                    .ids
                    .id(&format!("group_{}", crate::model::resolve::slug(title)));
                out.line(
                    depth,
                    &format!("Boundary({alias}, {}, \"group\") {{", q(title)),
                );
                out.styles.push(frame_style(&alias));
                tree(model, kids, depth + 1, out, aliases);
                out.line(depth, "}");
            }
            Slot::Row(kind, kids) => {
                let alias = out.ids.id(kind.alias_base());
                out.line(depth, &format!("Boundary({alias}, \"\", \"\") {{"));
                out.styles.push(format!(
                    "UpdateElementStyle({alias}, $borderColor=\"transparent\")"
                ));
                tree(model, kids, depth + 1, out, aliases);
                out.line(depth, "}");
            }
        }
    }
}

/// A boundary's or group's frame: the mid-grey that shows at 3:1 on a
/// white and on a dark page. Its title cannot be styled (Mermaid draws it
/// `#444444` whatever `$fontColor` says) and it cannot be filled (Mermaid
/// paints a boundary's fill over what it holds).
fn frame_style(alias: &str) -> String {
    format!(
        "UpdateElementStyle({alias}, $borderColor={})",
        q(palette::BOUNDARY.stroke)
    )
}

/// A `Rel`'s line and text: the mid-grey line shows at 3:1 on both pages;
/// the label (on no fill) reads at 4.5:1 on white and 4.1:1 on GitHub's
/// dark page, where Mermaid's `#444444` reads at 1.9:1.
fn rel_style(from: &str, to: &str) -> String {
    format!(
        "UpdateRelStyle({from}, {to}, $textColor={}, $lineColor={})",
        q(REL_TEXT),
        q(palette::EDGE)
    )
}

/// The text of a `Rel` label: the darkest grey that still reads at 4:1 on
/// GitHub's dark page (4.5:1 on white).
pub const REL_TEXT: &str = "#767676";

/// A deployment's body: each node's frame and boxes, and a frameless
/// `Boundary` around a node whose boxes Mermaid must count afresh
/// ([`c4layout::put_alone`]).
fn write_blocks(out: &mut Out, blocks: &[Block], depth: usize, n: usize) {
    let alone = c4layout::put_alone(&Block::counts(blocks), n);
    for (b, alone) in blocks.iter().zip(alone) {
        match b {
            Block::Line(l) => out.line(depth, l),
            Block::Frame(open, kids) => {
                let d = if alone {
                    let alias = out.ids.id("row_alone");
                    out.line(depth, &format!("Boundary({alias}, \"\", \"\") {{"));
                    out.styles.push(format!(
                        "UpdateElementStyle({alias}, $borderColor=\"transparent\")"
                    ));
                    depth + 1
                } else {
                    depth
                };
                out.line(d, open);
                write_blocks(out, kids, d + 1, n);
                out.line(d, "}");
                if alone {
                    out.line(depth, "}");
                }
            }
        }
    }
}

/// `UpdateLayoutConfig` with a view's numbers.
fn layout_line(lay: c4layout::Layout) -> String {
    format!(
        "UpdateLayoutConfig($c4ShapeInRow=\"{}\", $c4BoundaryInRow=\"{}\")",
        lay.shapes_in_row, lay.boundaries_in_row
    )
}

/// A static view's tree in drawing order, its `Rel`s (relationships to a
/// boundary re-targeted to a box inside it) and the layout config.
fn static_view(model: &Model, items: &[Item], edges: &[Edge], out: &mut Out) -> Vec<String> {
    let (slots, lay) = c4layout::layout(&c4layout::arrange(model, items, edges));
    out.line(0, &layout_line(lay));
    let mut aliases = HashMap::new();
    tree(model, &slots, 0, out, &mut aliases);
    let first = c4layout::first_boxes(&slots);
    let edges = c4layout::retarget(model, edges, |e| aliases.contains_key(&e), &first);
    let rels = static_rels(&edges, &aliases);
    // Mermaid styles the first `Rel` of a pair (a `Rel` and a `BiRel`
    // between the same two boxes share one style line).
    let mut styled = HashSet::new();
    for r in &rels {
        if styled.insert((r.from.as_str(), r.to.as_str())) {
            out.styles.push(rel_style(&r.from, &r.to));
        }
    }
    rels.into_iter().map(|r| r.line).collect()
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
        Content::Static(sv) => static_view(model, &sv.tree, &sv.edges, &mut out),
        Content::Flow(f) => static_view(model, &f.base.tree, &flow_edges(f), &mut out),
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
    let layout_at = out.text.len();
    let mut aliases = HashMap::new();
    let steps = crate::model::dynamic::messages(&d.steps);
    for m in &steps {
        for e in [&m.from, &m.to] {
            if !aliases.contains_key(e) {
                let alias = out.ids.id(&model.element(*e).path);
                out.line(0, &element_line(model, *e, &alias));
                if let Some(s) = style_line(&alias, &element_style(model, *e).0) {
                    out.styles.push(s);
                }
                out.declared.insert(alias.clone());
                aliases.insert(*e, alias);
            }
        }
    }
    let lay = c4layout::layout_of(&c4layout::Frame {
        boxes: aliases.len(),
        frames: Vec::new(),
    });
    out.text
        .insert_str(layout_at, &format!("  {}\n", layout_line(lay)));
    // The dialect's dynamic relationships have no dashed form: all are drawn as calls.
    let mut rels = Vec::new();
    let mut styled = HashSet::new();
    for m in steps {
        if m.from != m.to {
            if styled.insert((m.from, m.to)) {
                out.styles
                    .push(rel_style(&aliases[&m.from], &aliases[&m.to]));
            }
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
    let layout_at = out.text.len();
    let mut box_alias = HashMap::new();
    for &e in &dv.elements {
        let alias = out.ids.id(&model.element(e).path);
        out.line(0, &element_line(model, e, &alias));
        if let Some(s) = style_line(&alias, &element_style(model, e).0) {
            out.styles.push(s);
        }
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
    let mut body = Vec::new();
    w.nodes(&d.roots, &mut body);
    let lay = c4layout::layout_of_blocks(&body, dv.elements.len());
    out.text
        .insert_str(layout_at, &format!("  {}\n", layout_line(lay)));
    write_blocks(out, &body, 0, lay.shapes_in_row);
    let mut rels = Vec::new();
    let mut styled = HashSet::new();
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
            if styled.insert((a.clone(), b.clone())) {
                out.styles.push(rel_style(a, b));
            }
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
    /// The nodes of `list` (shown ones), as blocks.
    fn nodes(&mut self, list: &[usize], blocks: &mut Vec<Block>) {
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
                let open = format!(
                    "Deployment_Node({alias}, {}, {}, {}) {{",
                    q(&it.name),
                    q(it.technology.as_deref().unwrap_or("")),
                    q(it.description.as_deref().unwrap_or(""))
                );
                self.out.styles.push(frame_style(&alias));
                let mut inner = Vec::new();
                self.nodes(&it.children, &mut inner);
                blocks.push(Block::Frame(open, inner));
            } else {
                self.item(i, blocks);
                if it.kind == DeplKind::Node {
                    self.nodes(&it.children, blocks);
                }
            }
        }
    }

    /// An instance or infrastructure node: one box per copy.
    fn item(&mut self, i: usize, blocks: &mut Vec<Block>) {
        let it = &self.d.items[i];
        // The colours of the flowchart's deployment view: the element's
        // under the item's tags, or the theme's `infra`.
        let style = match it.kind {
            DeplKind::Instance(e) => {
                let (base, class) = element_style(self.model, e);
                named_style(self.model, base, &class, &[], &it.tags).0
            }
            _ => box_style(self.model, ViewPart::Infra, &it.tags).0,
        };
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
            blocks.push(Block::Line(format!(
                "{m}({alias}, {}, {}, {})",
                q(&name),
                q(it.technology.as_deref().unwrap_or("")),
                q(it.description.as_deref().unwrap_or(""))
            )));
            if let Some(s) = style_line(&alias, &style) {
                self.out.styles.push(s);
            }
            self.out.declared.insert(alias.clone());
            self.box_alias.insert(BoxRef::Item(i, c), alias);
        }
    }
}
