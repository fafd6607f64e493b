//! The built-in theme of what c4c draws itself in derived views.
//!
//! In: a [`ViewPart`] — a box or an edge of a deployment, mesh or CDN
//! diagram that no model element stands for — or a `label` style property.
//! Out: the part's name, default colours and [`LabelFormat`] from the one
//! table of defaults below ([`THEME`]; `model::style` lays the user's
//! `element NAME` / `relationship NAME` rules over them), and label formats
//! parsed (E031 for a bad one) and filled in one pass.
//!
//! A label format is text with `{placeholder}`s (`{{` and `}}` are literal
//! braces), one line per line of the label. A line naming a value the box
//! or edge lacks is left out; the first line kept is a box's title.

use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{StyleProp, StyleValue};

/// A box or an edge c4c draws in a derived view, styled by its name
/// (`element pop { … }`, `relationship miss { … }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewPart {
    /// A deployment's infrastructure node.
    Infra,
    /// A deployment node, drawn as a frame around its contents.
    Node,
    /// A mesh's sidecar proxy (one per pod).
    Proxy,
    /// A part of a mesh's control plane.
    Control,
    /// A mesh's ingress gateway.
    Ingress,
    /// A CDN's user of one region.
    User,
    /// A CDN tier's point of presence in one region.
    Pop,
    /// A note of a CDN.
    Note,
    /// A CDN edge: a region's user → its first tier's POP.
    Request,
    /// A CDN edge: a POP, on a cache miss, ⇢ the next tier or the origin.
    Miss,
    /// A deployment edge: a node drawn as a box → an item it holds (`hosts`).
    Hosts,
    /// A mesh edge: the ingress gateway → the proxy of a called service.
    IngressLink,
    /// A mesh edge: a sidecar proxy ↔ its pod's app.
    SidecarLink,
    /// A mesh edge: proxy → proxy, a service-to-service call.
    CallLink,
    /// A mesh edge: proxies and a control-plane part (its `flow`).
    ControlLink,
    /// A step of a dynamic view drawn over a static view (`flowchart over`).
    Step,
}

/// One row of the theme.
struct Row {
    part: ViewPart,
    name: &'static str,
    /// Drawn as a box (styled by `element NAME`) or as an edge
    /// (`relationship NAME`).
    edge: bool,
    /// fill, stroke, text colour.
    colours: Option<(&'static str, &'static str, &'static str)>,
    /// The default label format, in the placeholders of `slots`.
    label: Option<&'static str>,
    /// The placeholders its label format may name, in the order
    /// [`LabelFormat::fill`] takes their values.
    slots: &'static [&'static str],
}

/// The built-in theme: every default colour and label format of the parts
/// of derived views, in one place (docs/language.md, "What derived views draw", shows it as styles;
/// a test checks the two agree).
const THEME: &[Row] = &[
    Row {
        part: ViewPart::Infra,
        name: "infra",
        edge: false,
        colours: Some(("#F2F2F2", "#666666", "#000")),
        label: None,
        slots: &[],
    },
    Row {
        part: ViewPart::Node,
        name: "node",
        edge: false,
        colours: Some(("#FFFFFF", "#808080", "#24292F")),
        label: Some("{name}\n[{technology}]\n×{replicas}"),
        slots: &["name", "technology", "replicas"],
    },
    Row {
        part: ViewPart::Proxy,
        name: "proxy",
        edge: false,
        colours: Some(("#029E73", "#016B4E", "#000")),
        label: Some("{name}\n{description}"),
        slots: &["name", "description", "service"],
    },
    Row {
        part: ViewPart::Control,
        name: "control",
        edge: false,
        colours: Some(("#CA9161", "#8A6240", "#000")),
        label: Some("{name}\n{description}"),
        slots: &["name", "description"],
    },
    Row {
        part: ViewPart::Ingress,
        name: "ingress",
        edge: false,
        colours: Some(("#DE8F05", "#8F5C03", "#000")),
        label: Some("{name}\n{description}"),
        slots: &["name", "description"],
    },
    Row {
        part: ViewPart::User,
        name: "user",
        edge: false,
        colours: Some(("#CC78BC", "#8E4F82", "#000")),
        label: Some("{name}"),
        slots: &["name", "region"],
    },
    Row {
        part: ViewPart::Pop,
        name: "pop",
        edge: false,
        colours: Some(("#029E73", "#016B4E", "#000")),
        label: Some("{name} - {location}\n{technology}\n{description}\nCache: {cache}\nTTL: {ttl}"),
        slots: &[
            "name",
            "location",
            "tier",
            "technology",
            "description",
            "cache",
            "ttl",
            "miss",
        ],
    },
    Row {
        part: ViewPart::Note,
        name: "note",
        edge: false,
        colours: Some(("#F5F5F5", "#999999", "#000")),
        label: Some("{name}\n{details}"),
        slots: &["name", "details"],
    },
    Row {
        part: ViewPart::Request,
        name: "request",
        edge: true,
        colours: None,
        label: Some("{latency}"),
        slots: &["latency", "region"],
    },
    Row {
        part: ViewPart::Miss,
        name: "miss",
        edge: true,
        colours: None,
        label: Some("Cache miss ({rate})"),
        slots: &["rate", "tier"],
    },
    Row {
        part: ViewPart::Hosts,
        name: "hosts",
        edge: true,
        colours: None,
        label: Some("hosts"),
        slots: &["node", "item"],
    },
    // Mesh edges: unlabelled by default where the usual drawing leaves them so.
    Row {
        part: ViewPart::IngressLink,
        name: "ingress",
        edge: true,
        colours: None,
        label: Some(""),
        slots: &["protocol", "ingress", "service"],
    },
    Row {
        part: ViewPart::SidecarLink,
        name: "sidecar",
        edge: true,
        colours: None,
        label: Some(""),
        slots: &["protocol", "sidecar", "service"],
    },
    Row {
        part: ViewPart::CallLink,
        name: "call",
        edge: true,
        colours: None,
        label: Some("{protocol}"),
        slots: &["protocol", "from", "to"],
    },
    Row {
        part: ViewPart::ControlLink,
        name: "control",
        edge: true,
        colours: None,
        label: Some("{uses}"),
        slots: &["uses", "name", "service", "protocol"],
    },
    // A flow's numbered step: its label is the step's own (number, blocks,
    // text, technology); `relationship step` restyles every step.
    Row {
        part: ViewPart::Step,
        name: "step",
        edge: true,
        colours: None,
        label: None,
        slots: &[],
    },
];

impl ViewPart {
    fn row(self) -> &'static Row {
        // Every part has its row (a unit test checks it).
        THEME.iter().find(|r| r.part == self).unwrap_or(&THEME[0])
    }

    /// The name it is styled by.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The part a box (`element NAME`) or edge (`relationship NAME`) rule names.
    pub fn named(name: &str, edge: bool) -> Option<ViewPart> {
        THEME
            .iter()
            .find(|r| r.name == name && r.edge == edge)
            .map(|r| r.part)
    }

    /// The names of the boxes (or, with `edge`, the edges) of derived views.
    pub fn names(edge: bool) -> impl Iterator<Item = &'static str> {
        THEME.iter().filter(move |r| r.edge == edge).map(|r| r.name)
    }

    /// The placeholders its label format may name.
    pub fn slots(self) -> &'static [&'static str] {
        self.row().slots
    }

    /// Whether it has a label format (and so takes a `label` property).
    pub fn has_label(self) -> bool {
        self.row().label.is_some()
    }

    /// Its built-in colours (fill, stroke, text), if it has any.
    pub fn colours(self) -> Option<(&'static str, &'static str, &'static str)> {
        self.row().colours
    }

    /// Its built-in label format, if it has one (parsed once).
    pub fn default_label(self) -> Option<&'static LabelFormat> {
        static BUILT: OnceLock<Vec<Option<LabelFormat>>> = OnceLock::new();
        let built = BUILT.get_or_init(|| {
            THEME
                .iter()
                .map(|r| r.label.and_then(|l| LabelFormat::parse(l, r.slots).ok()))
                .collect()
        });
        let i = THEME.iter().position(|r| r.part == self)?;
        built.get(i)?.as_ref()
    }
}

/// The `label` property: a format naming the placeholders of `part`
/// (E031 for another target, a value that is not a string, an unknown
/// placeholder, an unclosed `{` or more than [`MAX_PLACEHOLDERS`]).
pub(crate) fn label_property(
    p: &StyleProp,
    part: Option<ViewPart>,
    diags: &mut Vec<Diagnostic>,
) -> Option<LabelFormat> {
    let Some(part) = part.filter(|d| d.has_label()) else {
        diags.push(not_here(p));
        return None;
    };
    let StyleValue::Text(text) = &p.value else {
        diags.push(
            Diagnostic::new(Code::E031, "invalid value for `label`: expected a string")
                .label(p.value_span, "not a string")
                .hint(format!(
                    "write the format as a string, for example `label \"{{{}}}\"`; {}",
                    part.slots().first().copied().unwrap_or("name"),
                    placeholders(part)
                )),
        );
        return None;
    };
    LabelFormat::parse(text, part.slots())
        .map_err(|e| diags.push(bad_format(p, part, text, e)))
        .ok()
}

/// "placeholders of `pop`: {name}, {location}, …"
fn placeholders(part: ViewPart) -> String {
    let list: Vec<String> = part.slots().iter().map(|s| format!("{{{s}}}")).collect();
    format!("placeholders of `{}`: {}", part.name(), list.join(", "))
}

/// E031: `label` in a rule for what has no label format.
fn not_here(p: &StyleProp) -> Diagnostic {
    let boxes: Vec<&str> = ViewPart::names(false)
        .filter(|n| ViewPart::named(n, false).is_some_and(ViewPart::has_label))
        .collect();
    let edges: Vec<&str> = ViewPart::names(true)
        .filter(|n| ViewPart::named(n, true).is_some_and(ViewPart::has_label))
        .collect();
    Diagnostic::new(Code::E031, "`label` is not a style property here")
        .label(p.key.span, "no label format to set here")
        .hint(format!(
            "label formats belong to what derived views draw: `element {}` and `relationship {}`",
            boxes.join("`, `element "),
            edges.join("`, `relationship ")
        ))
}

/// E031 for a format that does not parse: at the placeholder or brace when
/// the string was written as is (quoted, no escapes), else at the value.
fn bad_format(p: &StyleProp, part: ViewPart, text: &str, e: FormatError) -> Diagnostic {
    let verbatim = p.value_span.range().len() == text.len() + 2;
    let inner = |r: std::ops::Range<usize>| {
        let start = p.value_span.start as usize + 1;
        Span::new(p.value_span.file, start + r.start, start + r.end)
    };
    let (span, note) = match &e {
        FormatError::Unknown(_, r) if verbatim => (inner(r.clone()), "not a placeholder here"),
        FormatError::Unclosed(at) if verbatim => (inner(*at..*at + 1), "not closed"),
        _ => (p.value_span, "invalid label format"),
    };
    let (what, hint) = match e {
        FormatError::Unknown(name, _) => (
            format!("unknown placeholder `{{{name}}}`"),
            match did_you_mean(&name, part.slots().iter().copied()) {
                Some(m) => format!("did you mean `{{{m}}}`? {}", placeholders(part)),
                None => format!("{}; write `{{{{` for a literal brace", placeholders(part)),
            },
        ),
        FormatError::TooMany => (
            format!("more than {MAX_PLACEHOLDERS} placeholders"),
            "a label shows each value once or a few times; name fewer placeholders".to_string(),
        ),
        FormatError::Unclosed(_) => (
            "a `{` without its `}`".to_string(),
            format!("write `{{{{` for a literal brace; {}", placeholders(part)),
        ),
    };
    Diagnostic::new(Code::E031, format!("invalid value for `label`: {what}"))
        .label(span, note)
        .hint(hint)
}

/// `template` with each `{key}` of `values` replaced by its value, in one
/// pass: a value is copied as it is, never read for placeholders, and any
/// other `{…}` stays as written (an `expand` template's `{name}` and `{n}`).
pub fn substitute(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let hit = values.iter().find_map(|(k, v)| {
            let after = tail.strip_prefix(k)?.strip_prefix('}')?;
            Some((*v, after))
        });
        match hit {
            Some((v, after)) => {
                out.push_str(v);
                rest = after;
            }
            None => {
                out.push('{');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A piece of a label format's line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Text(String),
    /// A placeholder: an index into the part's [`ViewPart::slots`].
    Slot(usize),
}

/// A parsed label format: lines of text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LabelFormat {
    lines: Vec<Vec<Piece>>,
}

/// Why a label format does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// `{name}` names no placeholder of the part; where it is in the text
    /// (bytes, braces included).
    Unknown(String, std::ops::Range<usize>),
    /// A `{` without its `}`, and where it is in the text.
    Unclosed(usize),
    /// More than [`MAX_PLACEHOLDERS`] placeholders.
    TooMany,
}

/// Most placeholders one label format may name: each copies a value of the
/// model into every box it labels, so a format of a few bytes could
/// otherwise ask for far more text than the model holds.
pub const MAX_PLACEHOLDERS: usize = 16;

impl LabelFormat {
    /// Parses `text`, whose placeholders must be among `slots`.
    pub fn parse(text: &str, slots: &[&str]) -> Result<LabelFormat, FormatError> {
        let mut lines = Vec::new();
        let mut line_start = 0;
        let mut named = 0;
        for line in text.split('\n') {
            let mut pieces = Vec::new();
            let mut lit = String::new();
            let mut rest = line;
            while let Some(at) = rest.find(['{', '}']) {
                lit.push_str(&rest[..at]);
                let tail = &rest[at..];
                if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
                    lit.push_str(&tail[..1]);
                    rest = after;
                } else if let Some(after) = tail.strip_prefix('}') {
                    // A lone `}` is itself.
                    lit.push('}');
                    rest = after;
                } else {
                    let at = line_start + (line.len() - tail.len());
                    let end = tail.find('}').ok_or(FormatError::Unclosed(at))?;
                    let name = &tail[1..end];
                    let slot = slots
                        .iter()
                        .position(|s| *s == name)
                        .ok_or_else(|| FormatError::Unknown(name.to_string(), at..at + end + 1))?;
                    named += 1;
                    if named > MAX_PLACEHOLDERS {
                        return Err(FormatError::TooMany);
                    }
                    if !lit.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut lit)));
                    }
                    pieces.push(Piece::Slot(slot));
                    rest = &tail[end + 1..];
                }
            }
            lit.push_str(rest);
            if !lit.is_empty() {
                pieces.push(Piece::Text(lit));
            }
            lines.push(pieces);
            line_start += line.len() + 1;
        }
        Ok(LabelFormat { lines })
    }

    /// The format filled with `values` (by slot; `None`: the part lacks
    /// it), one pass over the pieces: a value is copied as it is, never
    /// read for placeholders. A line naming a missing value is left out.
    pub fn fill(&self, values: &[Option<&str>]) -> Vec<String> {
        let mut out = Vec::with_capacity(self.lines.len());
        'lines: for line in &self.lines {
            let mut s = String::new();
            for piece in line {
                match piece {
                    Piece::Text(t) => s.push_str(t),
                    Piece::Slot(i) => match values.get(*i).copied().flatten() {
                        Some(v) => s.push_str(v),
                        None => continue 'lines,
                    },
                }
            }
            out.push(s);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::style::part_default;

    const ALL: [ViewPart; 16] = [
        ViewPart::Infra,
        ViewPart::Node,
        ViewPart::Proxy,
        ViewPart::Control,
        ViewPart::Ingress,
        ViewPart::User,
        ViewPart::Pop,
        ViewPart::Note,
        ViewPart::Request,
        ViewPart::Miss,
        ViewPart::Hosts,
        ViewPart::IngressLink,
        ViewPart::SidecarLink,
        ViewPart::CallLink,
        ViewPart::ControlLink,
        ViewPart::Step,
    ];

    #[test]
    fn every_part_has_one_row_and_its_default_format_parses() {
        for d in ALL {
            assert_eq!(THEME.iter().filter(|r| r.part == d).count(), 1, "{d:?}");
            assert_eq!(ViewPart::named(d.name(), d.row().edge), Some(d));
            if let Some(l) = d.row().label {
                assert!(LabelFormat::parse(l, d.slots()).is_ok(), "{d:?}");
                assert!(d.default_label().is_some());
            }
        }
        assert_eq!(THEME.len(), ALL.len());
    }

    /// docs/language.md shows the theme as a `styles` block: it says what
    /// the table says.
    #[test]
    fn the_docs_show_the_built_in_theme() {
        let doc = include_str!("../../docs/language.md");
        let at = doc
            .find("is, written as styles:")
            .expect("the docs show the theme");
        let block = doc[at..]
            .split("```c4\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .expect("a c4 block");
        let c = crate::compile_text("theme.c4", block);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let styles = &c.compiled[0].model.styles;
        for part in ALL {
            let written = if part.row().edge {
                let mut rules = styles.relationships.iter().filter(|r| r.0 == part.name());
                rules.next().map(|r| r.1.clone())
            } else {
                let mut rules = styles.elements.iter().filter(|r| r.0.name() == part.name());
                rules.next().map(|r| r.1.clone())
            };
            assert_eq!(written, Some(part_default(part)), "{part:?}");
        }
        assert_eq!(
            styles.elements.len() + styles.relationships.len(),
            ALL.len()
        );
    }

    #[test]
    fn placeholders_fill_in_one_pass() {
        let f = LabelFormat::parse("{name} – {location}", &["name", "location"]).unwrap();
        // A value holding a placeholder stays as written.
        assert_eq!(
            f.fill(&[Some("{location}"), Some("Berlin")]),
            ["{location} – Berlin"]
        );
    }

    #[test]
    fn substitute_replaces_known_keys_once_and_keeps_the_rest() {
        let t = "{name} {n} {x} {{name}}";
        assert_eq!(
            substitute(t, &[("name", "Web {n}"), ("n", "2")]),
            "Web {n} 2 {x} {Web {n}}"
        );
    }

    #[test]
    fn a_line_naming_a_missing_value_is_left_out() {
        let f = LabelFormat::parse("{a}\nCache: {b}\nfixed", &["a", "b"]).unwrap();
        assert_eq!(f.fill(&[Some("x"), None]), ["x", "fixed"]);
        assert_eq!(f.fill(&[Some("x"), Some("")]), ["x", "Cache: ", "fixed"]);
    }

    #[test]
    fn braces_are_escaped_by_doubling_and_a_lone_close_is_literal() {
        let f = LabelFormat::parse("{{{a}}} }", &["a"]).unwrap();
        assert_eq!(f.fill(&[Some("v")]), ["{v} }"]);
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_errors() {
        assert_eq!(
            LabelFormat::parse("a\nb {nme}", &["name"]),
            Err(FormatError::Unknown("nme".into(), 4..9))
        );
        assert_eq!(
            LabelFormat::parse("x {name", &["name"]),
            Err(FormatError::Unclosed(2))
        );
        let many = "{name}".repeat(MAX_PLACEHOLDERS);
        assert!(LabelFormat::parse(&many, &["name"]).is_ok());
        assert_eq!(
            LabelFormat::parse(&format!("{many}\n{{name}}"), &["name"]),
            Err(FormatError::TooMany)
        );
    }
}
