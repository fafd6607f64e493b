//! PlantUML with the C4-PlantUML standard library (`c4c build --format plantuml`).
//!
//! In: the model and a computed view. Out: one `.puml` text — `@startuml`,
//! `!include <C4/C4_Container>` (Context, Component, Dynamic or Deployment
//! by the view's kind), `Person`/`System`/`Container`/`Component` with their
//! `Db`/`Queue`/`_Ext` variants, `System_Boundary`/`Container_Boundary`/
//! `Boundary` frames (groups too), `Deployment_Node`/`Node`, `Rel`/`BiRel`
//! (`RelIndex` for numbered steps), one `AddElementTag` per distinct box
//! style and `SHOW_LEGEND()` — or `None` for the kinds it has no form for
//! (mesh, CDN, code, state machines). What is drawn comes from
//! [`super::scene`]; escaping and aliases are [`text`] and [`Aliases`] here
//! and nowhere else.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::mermaid::escape::IdMap;
use super::scene::{self, BoxKind, FrameKind, Key, Part, Scene, SceneBox, SceneKind};
use crate::model::{Model, Shape};
use crate::view::View;

/// A PlantUML string argument: `"…"`, with every character that could end
/// the string, start a preprocessor directive or variable (`!`, `$`, `%`),
/// a Creole tag or link (`<`, `>`, `[`, `]`) or an escape (`\`, `~`, `&`)
/// written as a `&#N;` entity, and line breaks as `\n`. No text can leave
/// its string, and a line of output never starts with text from the model.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '"' | '\\' | '!' | '$' | '%' | '<' | '>' | '[' | ']' | '~' | '&' | '@' | '`' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c if c.is_control() || crate::terminal_text::is_hidden(c) => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A colour argument (`"#ff8800"`, `"red"`), or `None` for anything else
/// (a colour PlantUML cannot read is left out rather than escaped).
pub fn color(s: &str) -> Option<String> {
    let hex = s.strip_prefix('#');
    let ok = match hex {
        Some(h) => matches!(h.len(), 3 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()),
        None => !s.is_empty() && s.len() <= 30 && s.chars().all(|c| c.is_ascii_alphabetic()),
    };
    ok.then(|| format!("\"{s}\""))
}

/// A one-line comment's text ([`super::one_line`]).
fn comment(s: &str) -> String {
    super::one_line(s)
}

/// The alias of every key of one file: readable, unique (`shop_api`).
struct Aliases {
    ids: IdMap,
    of: HashMap<Key, String>,
}

impl Aliases {
    fn alias(&mut self, key: &Key, base: &str) -> String {
        let a = self.ids.id(base);
        self.of.insert(key.clone(), a.clone());
        a
    }
}

/// The styles of a file: the plain kinds restyled (`UpdateElementStyle`,
/// one legend entry each), and one `AddElementTag` per other distinct style.
#[derive(Default)]
struct Tags {
    /// C4-PlantUML's element name (`person`, `external_system`) → its style.
    updates: IndexMap<&'static str, String>,
    by_style: IndexMap<String, (String, String)>,
    names: HashSet<String>,
}

/// The C4-PlantUML element name of a box of a plain kind (`container`,
/// `external_container`), whose style is restyled rather than tagged.
fn plain(b: &SceneBox) -> Option<&'static str> {
    Some(match (b.kind, b.kind_name.as_str(), b.external) {
        (BoxKind::Person, "person", false) => "person",
        (BoxKind::Person, "person", true) => "external_person",
        (BoxKind::System, "system", false) => "system",
        (BoxKind::System, "system", true) => "external_system",
        (BoxKind::Container, "container", false) => "container",
        (BoxKind::Container, "container", true) => "external_container",
        (BoxKind::Component, "component", false) => "component",
        (BoxKind::Component, "component", true) => "external_component",
        _ => return None,
    })
}

impl Tags {
    /// The tag of a box's style (declared once), or `None` for no style.
    fn of(&mut self, b: &SceneBox) -> Option<String> {
        let s = &b.style;
        let mut args = Vec::new();
        for (name, value) in [
            ("bgColor", &s.fill),
            ("fontColor", &s.color),
            ("borderColor", &s.stroke),
        ] {
            if let Some(c) = value.as_deref().and_then(color) {
                args.push(format!("${name}={c}"));
            }
        }
        match b.shape {
            Shape::Rounded | Shape::Stadium => args.push("$shape=RoundedBoxShape()".into()),
            Shape::Hexagon => args.push("$shape=EightSidedShape()".into()),
            _ => {}
        }
        if args.is_empty() {
            return None;
        }
        let args = args.join(", ");
        if let Some(p) = plain(b) {
            match self.updates.get(p) {
                None => {
                    self.updates.insert(p, args);
                    return None;
                }
                Some(a) if *a == args => return None,
                Some(_) => {}
            }
        }
        if let Some((name, _)) = self.by_style.get(&args) {
            return Some(name.clone());
        }
        let mut name = b.kind_name.clone();
        let mut n = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{}_{n}", b.kind_name);
            n += 1;
        }
        self.by_style.insert(args.clone(), (name.clone(), args));
        Some(name)
    }
}

/// Renders a view as C4-PlantUML, or `None` when it has no form there.
pub fn render(model: &Model, view: &View) -> Option<String> {
    let scene = scene::of(model, view)?;
    // The library the boxes need: a custom or deep view may draw components.
    let needs = deepest(&scene.parts);
    let include = match scene.kind {
        SceneKind::Dynamic => "C4_Dynamic",
        SceneKind::Deployment => "C4_Deployment",
        _ if needs >= 2 => "C4_Component",
        SceneKind::Component => "C4_Component",
        _ if needs == 1 => "C4_Container",
        SceneKind::Container => "C4_Container",
        SceneKind::Context => "C4_Context",
    };
    let mut w = Writer {
        aliases: Aliases {
            ids: IdMap::new(),
            of: HashMap::new(),
        },
        tags: Tags::default(),
        body: String::new(),
        deployment: scene.kind == SceneKind::Deployment,
    };
    w.parts(&scene.parts, 0);
    let rels = w.rels(&scene);
    let mut out = format!(
        "@startuml\n' c4c · view {} · {}\n!include <C4/{include}>\n\ntitle {}\n\n",
        comment(&view.key),
        comment(&view.title),
        // `title` takes the rest of the line: the same escaping, unquoted.
        text(&view.title).trim_matches('"')
    );
    for (name, args) in &w.tags.updates {
        out.push_str(&format!("UpdateElementStyle({}, {args})\n", text(name)));
    }
    for (name, args) in w.tags.by_style.values() {
        out.push_str(&format!("AddElementTag({}, {args})\n", text(name)));
    }
    out.push_str("AddRelTag(\"async\", $lineStyle=DashedLine())\n\n");
    out.push_str(&w.body);
    if !rels.is_empty() {
        out.push('\n');
        out.push_str(&rels);
    }
    out.push_str("\nSHOW_LEGEND()\n@enduml\n");
    Some(out)
}

/// 2 when a box is a component, 1 a container, else 0.
fn deepest(parts: &[Part]) -> u8 {
    parts
        .iter()
        .map(|p| match p {
            Part::Box(b) => match b.kind {
                BoxKind::Component => 2,
                BoxKind::Container => 1,
                _ => 0,
            },
            Part::Frame(_, kids) => deepest(kids),
        })
        .max()
        .unwrap_or(0)
}

struct Writer {
    aliases: Aliases,
    tags: Tags,
    body: String,
    /// `C4_Deployment` has no `Component`: an instance of one is a `Container`.
    deployment: bool,
}

impl Writer {
    fn line(&mut self, depth: usize, s: &str) {
        self.body.push_str(&"  ".repeat(depth));
        self.body.push_str(s);
        self.body.push('\n');
    }

    fn parts(&mut self, parts: &[Part], depth: usize) {
        for p in parts {
            match p {
                Part::Box(b) => {
                    let line = self.element(b);
                    self.line(depth, &line);
                }
                Part::Frame(f, kids) => {
                    let alias = self.aliases.alias(&f.key, &f.id);
                    let t = text(&f.title);
                    let open = match f.kind {
                        FrameKind::System => format!("System_Boundary({alias}, {t}) {{"),
                        FrameKind::Container => format!("Container_Boundary({alias}, {t}) {{"),
                        FrameKind::Other => format!("Boundary({alias}, {t}) {{"),
                        FrameKind::Group => format!("Boundary({alias}, {t}, \"group\") {{"),
                        FrameKind::Node => format!(
                            "Deployment_Node({alias}, {t}, {}, {}) {{",
                            opt(f.technology.as_deref()),
                            opt(f.description.as_deref())
                        ),
                    };
                    self.line(depth, &open);
                    self.parts(kids, depth + 1);
                    self.line(depth, "}");
                }
            }
        }
    }

    /// One box's macro call.
    fn element(&mut self, b: &SceneBox) -> String {
        let alias = self.aliases.alias(&b.key, &b.id);
        let tag = self.tags.of(b);
        let tags = tag
            .map(|t| format!(", $tags={}", text(&t)))
            .unwrap_or_default();
        let variant = match b.shape {
            Shape::Cylinder => "Db",
            Shape::Queue | Shape::HCylinder => "Queue",
            _ => "",
        };
        let ext = if b.external { "_Ext" } else { "" };
        let name = text(&b.name);
        let desc = opt(b.description.as_deref());
        let tech = opt(b.technology.as_deref());
        match b.kind {
            BoxKind::Person => format!("Person{ext}({alias}, {name}, {desc}{tags})"),
            BoxKind::System => format!("System{variant}{ext}({alias}, {name}, {desc}{tags})"),
            BoxKind::Fold => format!("System({alias}, {name}, {desc}{tags})"),
            BoxKind::Container => {
                format!("Container{variant}{ext}({alias}, {name}, {tech}, {desc}{tags})")
            }
            BoxKind::Component if self.deployment => {
                format!("Container{variant}{ext}({alias}, {name}, {tech}, {desc}{tags})")
            }
            BoxKind::Component => {
                format!("Component{variant}{ext}({alias}, {name}, {tech}, {desc}{tags})")
            }
            BoxKind::Node | BoxKind::Infra => {
                format!("Node({alias}, {name}, {tech}, {desc}{tags})")
            }
        }
    }

    /// The `Rel`s of a scene (those whose ends are both drawn).
    fn rels(&self, scene: &Scene) -> String {
        let mut out = String::new();
        for l in &scene.links {
            let (Some(a), Some(b)) = (self.aliases.of.get(&l.from), self.aliases.of.get(&l.to))
            else {
                continue;
            };
            let label = opt(l.label.as_deref());
            let tech = opt(l.technology.as_deref());
            let tags = if l.dashed { ", $tags=\"async\"" } else { "" };
            let line = match (&l.number, scene.kind) {
                (Some(n), SceneKind::Dynamic) => {
                    format!("RelIndex({}, {a}, {b}, {label}, {tech}{tags})", text(n))
                }
                (Some(n), _) => {
                    let label = text(&format!("{n}. {}", l.label.as_deref().unwrap_or("")));
                    format!("Rel({a}, {b}, {label}, {tech}{tags})")
                }
                (None, _) if l.both => format!("BiRel({a}, {b}, {label}, {tech}{tags})"),
                (None, _) => format!("Rel({a}, {b}, {label}, {tech}{tags})"),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// An optional argument: `""` when absent.
fn opt(s: Option<&str>) -> String {
    text(s.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn text_never_leaves_its_string() {
        let t = text("a\"b\\c\n!include <x>\n@enduml $v %getenv(\"HOME\") [[link]]");
        let inner = t
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap();
        // The only backslash left starts a `\n` PlantUML draws as a line break.
        assert!(!inner.replace("\\n", "").contains('\\'));
        assert!(!inner.contains(['"', '\n', '<', '>', '!', '$', '%', '@', '[', ']']));
    }
}
