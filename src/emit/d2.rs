//! D2 export (`c4c build --format d2`).
//!
//! In: the model and a computed view. Out: one `.d2` text — a title shape,
//! each box a shape (`person`, `cylinder` for databases, `queue`, …) whose
//! label holds its name, `[kind: technology]` and description, each
//! boundary, group or deployment node a container holding what it holds,
//! each edge `a -> b: "label [technology]"` (dashed when asynchronous, `<->`
//! both ways, numbered in a dynamic view), and the boxes' colours as
//! `style` — or `None` for the kinds it has no form for (mesh, CDN, code,
//! state machines). What is drawn comes from [`super::scene`]; escaping and
//! ids are [`string`] and [`Ids`] here and nowhere else.

use std::collections::HashMap;

use super::mermaid::escape::IdMap;
use super::scene::{self, BoxKind, Key, Part, SceneBox};
use crate::model::Model;
use crate::model::Shape;
use crate::view::View;

/// D2's keywords: an id equal to one (in any case) gets a suffix.
const RESERVED: &[&str] = &[
    "label",
    "shape",
    "style",
    "icon",
    "near",
    "width",
    "height",
    "direction",
    "tooltip",
    "link",
    "class",
    "classes",
    "vars",
    "constraint",
    "grid-rows",
    "grid-columns",
    "grid-gap",
    "top",
    "left",
    "source-arrowhead",
    "target-arrowhead",
    "layers",
    "scenarios",
    "steps",
    "title",
    "null",
    "true",
    "false",
    "md",
];

/// A D2 double-quoted string: `\` and `"` escaped, `$` escaped (no variable
/// substitution), line breaks as `\n`, control and invisible characters
/// dropped. No text leaves its string or its line.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '"' | '\\' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || crate::terminal_text::is_hidden(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A colour D2 reads (`#rgb`, `#rrggbb`, a CSS name), quoted; else `None`.
fn color(s: &str) -> Option<String> {
    let ok = match s.strip_prefix('#') {
        Some(h) => matches!(h.len(), 3 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()),
        None => !s.is_empty() && s.len() <= 30 && s.chars().all(|c| c.is_ascii_alphabetic()),
    };
    ok.then(|| format!("\"{s}\""))
}

/// Each key's full path (`shop_boundary.shop_api`), unique in the file.
struct Ids {
    ids: IdMap,
    path: HashMap<Key, String>,
}

impl Ids {
    fn id(&mut self, base: &str) -> String {
        let reserved = RESERVED.contains(&base.to_ascii_lowercase().as_str());
        self.ids.id(&if reserved {
            format!("{base}_el")
        } else {
            base.to_string()
        })
    }
}

/// Renders a view as D2, or `None` when it has no form there.
pub fn render(model: &Model, view: &View) -> Option<String> {
    let scene = scene::of(model, view)?;
    let mut ids = Ids {
        ids: IdMap::new(),
        path: HashMap::new(),
    };
    let title = ids.id("title");
    let mut out = format!(
        "# c4c · view {} · {}\ndirection: down\n\n{title}: {} {{\n  shape: text\n  near: top-center\n  style.font-size: 24\n  style.bold: true\n}}\n\n",
        comment(&view.key),
        comment(&view.title),
        string(&view.title)
    );
    parts(&scene.parts, "", 0, &mut ids, &mut out);
    out.push('\n');
    for l in &scene.links {
        let (Some(a), Some(b)) = (ids.path.get(&l.from), ids.path.get(&l.to)) else {
            continue;
        };
        let arrow = if l.both { "<->" } else { "->" };
        let mut text = String::new();
        if let Some(n) = &l.number {
            text.push_str(&format!("{n}. "));
        }
        text.push_str(l.label.as_deref().unwrap_or(""));
        if let Some(t) = &l.technology {
            text.push_str(&format!(" [{t}]"));
        }
        let text = text.trim();
        let label = if text.is_empty() {
            String::new()
        } else {
            format!(": {}", string(text))
        };
        let dash = if l.dashed {
            " {style.stroke-dash: 3}"
        } else {
            ""
        };
        out.push_str(&format!("{a} {arrow} {b}{label}{dash}\n"));
    }
    Some(out)
}

/// A one-line comment's text ([`super::one_line`]).
fn comment(s: &str) -> String {
    super::one_line(s)
}

fn parts(list: &[Part], prefix: &str, depth: usize, ids: &mut Ids, out: &mut String) {
    let pad = "  ".repeat(depth);
    for p in list {
        match p {
            Part::Box(b) => {
                let id = ids.id(&b.id);
                ids.path.insert(b.key.clone(), format!("{prefix}{id}"));
                out.push_str(&format!("{pad}{id}: {} {{\n", string(&box_label(b))));
                for l in box_style(b) {
                    out.push_str(&format!("{pad}  {l}\n"));
                }
                out.push_str(&format!("{pad}}}\n"));
            }
            Part::Frame(f, kids) => {
                let id = ids.id(&f.id);
                let path = format!("{prefix}{id}");
                ids.path.insert(f.key.clone(), path.clone());
                let mut title = f.title.clone();
                if let Some(t) = &f.technology {
                    title.push_str(&format!(" [{t}]"));
                }
                out.push_str(&format!("{pad}{id}: {} {{\n", string(&title)));
                out.push_str(&format!(
                    "{pad}  style.stroke-dash: 3\n{pad}  style.fill: transparent\n"
                ));
                parts(kids, &format!("{path}."), depth + 1, ids, out);
                out.push_str(&format!("{pad}}}\n"));
            }
        }
    }
}

/// `Name`, `[Kind: technology]`, the description: one line each.
fn box_label(b: &SceneBox) -> String {
    let kind = match b.kind {
        BoxKind::Person => "Person",
        BoxKind::System => "Software System",
        BoxKind::Container => "Container",
        BoxKind::Component => "Component",
        BoxKind::Node => "Deployment Node",
        BoxKind::Infra => "Infrastructure Node",
        BoxKind::Fold => "Folded",
    };
    let ext = if b.external { "External " } else { "" };
    let mut s = b.name.clone();
    match &b.technology {
        Some(t) => s.push_str(&format!("\n[{ext}{kind}: {t}]")),
        None => s.push_str(&format!("\n[{ext}{kind}]")),
    }
    if let Some(d) = &b.description {
        s.push_str(&format!("\n\n{d}"));
    }
    s
}

fn box_style(b: &SceneBox) -> Vec<String> {
    let mut lines = Vec::new();
    let shape = match b.shape {
        Shape::Person => "person",
        Shape::Cylinder => "cylinder",
        Shape::Queue | Shape::HCylinder => "queue",
        Shape::Hexagon => "hexagon",
        Shape::Circle => "circle",
        Shape::Diamond => "diamond",
        Shape::Stadium => "oval",
        Shape::Parallelogram => "parallelogram",
        _ => "rectangle",
    };
    lines.push(format!("shape: {shape}"));
    if b.shape == Shape::Rounded {
        lines.push("style.border-radius: 8".into());
    }
    // D2 writes a person's label under the figure, on the page: its text
    // keeps D2's colour.
    let font = if b.shape == Shape::Person {
        &None
    } else {
        &b.style.color
    };
    for (name, v) in [
        ("fill", &b.style.fill),
        ("stroke", &b.style.stroke),
        ("font-color", font),
    ] {
        if let Some(c) = v.as_deref().and_then(color) {
            lines.push(format!("style.{name}: {c}"));
        }
    }
    if b.external || b.kind == BoxKind::Fold {
        lines.push("style.stroke-dash: 3".into());
    }
    lines
}
