//! Diagnostics: every problem c4c finds, from any phase.
//!
//! In: a stable code, a severity, a message, labelled spans and a hint.
//! Out: text rendered with codespan-reporting (file:line:col, the source line,
//! the span underlined) or a serde-serialisable record for `--format json`.
//! Nothing here prints: rendering returns a `String`.

use codespan_reporting::term;
use serde::Serialize;

use crate::source::{SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Every diagnostic code c4c emits, with its one-line meaning. `docs/language.md`
/// lists the same codes; a test keeps the two in step and checks each is used.
pub const CODES: &[(&str, &str)] = &[
    ("E001", "syntax error"),
    ("E002", "invalid UTF-8 in a source file"),
    ("E003", "file cannot be read"),
    ("E004", "invalid string escape"),
    ("E005", "nesting too deep"),
    ("E010", "import not found"),
    ("E011", "import cycle"),
    ("E012", "import outside the root directory"),
    ("E013", "unknown stdlib module"),
    (
        "E014",
        "too many imported files, or too long an import chain",
    ),
    ("E020", "duplicate identifier"),
    ("E021", "unknown element"),
    ("E022", "ambiguous element name"),
    ("E023", "element nested where its kind is not allowed"),
    ("E024", "unknown element kind"),
    ("E025", "relationship from an element to itself"),
    (
        "E026",
        "relationship between an element and its own ancestor",
    ),
    ("E027", "invalid kind declaration"),
    ("E028", "statement not allowed here"),
    (
        "E029",
        "relationship source missing (`-> x` outside an element)",
    ),
    ("E030", "unknown style target"),
    ("E031", "invalid style property or value"),
    ("E040", "duplicate view key"),
    ("E041", "view subject of the wrong kind"),
    ("E042", "invalid view key"),
    ("E043", "view statement not allowed"),
    ("E050", "instance of an unknown element"),
    ("E051", "instance of a person"),
    ("E052", "replicas not a positive number"),
    ("E053", "no such copy of an expanded instance"),
    ("E054", "too many replicas to expand"),
    ("E055", "deployment or mesh view too large to compute"),
    ("E056", "view with too many edges"),
    ("E057", "the views of a model too large together"),
    ("E058", "elements nested too deep"),
    ("E059", "full identifier too long"),
    ("E060", "unknown option of a derived view (mesh, cdn)"),
    ("E061", "unknown deployment environment or node"),
    ("E071", "unknown class or state"),
    ("E072", "duplicate class member"),
    ("E073", "transition out of a final state"),
    ("E080", "relationship denied by a rule"),
    ("E081", "element lacks what a rule requires"),
    ("E082", "dependency goes up the layers of a rule"),
    ("E090", "API contract file missing or unreadable"),
    ("E091", "API contract is not an OpenAPI document"),
    ("W001", "element appears in no view"),
    ("W002", "relationship without a label"),
    ("W003", "view exceeds Mermaid's default limits"),
    ("W004", "duplicate relationship"),
    ("W005", "view selector matches no element"),
    (
        "W006",
        "deployment relationship to an element with no instance",
    ),
];

/// A message made safe for a terminal: text quoted from the input may hold
/// tabs, NULs or escape sequences; each control character becomes its
/// escape (`\t`, `\u{1b}`), so a message is always one visible line.
fn printable(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A span with a message under it.
#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    /// A hint on how to fix it ("did you mean …").
    pub hint: Option<String>,
    /// Further notes (for example an import chain).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: printable(message.into()),
            labels: Vec::new(),
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: printable(message.into()),
            primary: true,
        });
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: printable(message.into()),
            primary: false,
        });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(printable(hint.into()));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(printable(note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The first primary span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

    /// Renders with codespan-reporting; `color` adds ANSI colours.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        render_all(std::slice::from_ref(self), sources, color)
    }

    pub fn to_json(&self, sources: &SourceMap) -> JsonDiagnostic {
        let location = |span: Span| {
            let (line, column) = sources.line_col(span.file, span.start);
            let (end_line, end_column) = sources.line_col(span.file, span.end);
            JsonLocation {
                file: sources.name(span.file).to_string(),
                line,
                column,
                end_line,
                end_column,
                offset: span.start as usize,
                length: span.range().len(),
            }
        };
        let primary = self.primary_span().map(location);
        JsonDiagnostic {
            code: self.code,
            severity: self.severity,
            message: self.message.clone(),
            location: primary,
            labels: self
                .labels
                .iter()
                .map(|l| JsonLabel {
                    location: location(l.span),
                    message: l.message.clone(),
                    primary: l.primary,
                })
                .collect(),
            hint: self.hint.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// Renders many diagnostics, in order, as one text.
///
/// Source lines longer than [`MAX_SHOWN_LINE`] bytes (a minified or generated
/// file, one 80 KB line) are cut to a window around the labels, marked `…`;
/// the header still gives the real line and column.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    use term::termcolor::{Ansi, NoColor};
    let config = term::Config::default();
    let view = excerpt::View::new(diags, sources);
    let codespan: Vec<_> = diags.iter().map(|d| view.to_codespan(d)).collect();
    let bytes = if color {
        let mut w = Ansi::new(Vec::new());
        for d in &codespan {
            let _ = term::emit_to_write_style(&mut w, &config, &view, d);
        }
        w.into_inner()
    } else {
        let mut w = NoColor::new(Vec::new());
        for d in &codespan {
            let _ = term::emit_to_write_style(&mut w, &config, &view, d);
        }
        w.into_inner()
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The longest source line shown whole under a diagnostic, in bytes.
pub const MAX_SHOWN_LINE: usize = 200;

mod excerpt {
    //! A view of the sources for rendering: files whose labelled lines are
    //! too long to show get a stand-in text with those lines cut to a window
    //! around the labels. Line numbers are kept (one line in, one line out);
    //! columns in the header are mapped back to the real file.

    use std::collections::HashMap;
    use std::ops::Range;

    use codespan_reporting::diagnostic as cs;
    use codespan_reporting::files::{Error, Files, Location};

    use super::{Diagnostic, MAX_SHOWN_LINE};
    use crate::source::{FileId, SourceMap, Span};

    /// Bytes shown before the first label on a cut line.
    const LEAD: usize = 60;
    const MARK: &str = "…";

    /// One line of the stand-in text.
    struct Line {
        /// Where the line starts in the original text.
        start: usize,
        /// Where the line starts in the stand-in text.
        at: usize,
        /// The part of the original line shown (without its newline).
        shown: Range<usize>,
        /// Bytes of the `…` put in front (0 when the line is shown from its start).
        lead: usize,
    }

    struct Excerpt {
        text: String,
        lines: Vec<Line>,
    }

    impl Excerpt {
        /// Original offset → stand-in offset (clamped into the shown window).
        fn map(&self, orig: usize) -> usize {
            let i = self
                .lines
                .partition_point(|l| l.start <= orig)
                .saturating_sub(1);
            let Some(l) = self.lines.get(i) else {
                return 0;
            };
            l.at + l.lead + (orig.clamp(l.shown.start, l.shown.end) - l.shown.start)
        }

        /// Stand-in offset → original offset.
        fn unmap(&self, ex: usize) -> usize {
            let i = self.lines.partition_point(|l| l.at <= ex).saturating_sub(1);
            let Some(l) = self.lines.get(i) else {
                return 0;
            };
            let within = ex.saturating_sub(l.at + l.lead);
            (l.shown.start + within).min(l.shown.end)
        }

        fn line_range(&self, index: usize) -> Option<Range<usize>> {
            let start = self.lines.get(index)?.at;
            let end = self
                .lines
                .get(index + 1)
                .map(|l| l.at)
                .unwrap_or(self.text.len());
            Some(start..end)
        }
    }

    pub struct View<'a> {
        sources: &'a SourceMap,
        cut: HashMap<FileId, Excerpt>,
    }

    impl<'a> View<'a> {
        pub fn new(diags: &[Diagnostic], sources: &'a SourceMap) -> View<'a> {
            let mut points: HashMap<FileId, Vec<usize>> = HashMap::new();
            for l in diags.iter().flat_map(|d| &d.labels) {
                let p = points.entry(l.span.file).or_default();
                p.push(l.span.start as usize);
                p.push(l.span.end as usize);
            }
            let mut cut = HashMap::new();
            for (file, mut pts) in points {
                let Some(src) = sources.get(file) else {
                    continue;
                };
                pts.sort_unstable();
                if let Some(ex) = excerpt(&src.text, &pts) {
                    cut.insert(file, ex);
                }
            }
            View { sources, cut }
        }

        fn span(&self, span: Span) -> Range<usize> {
            match self.cut.get(&span.file) {
                Some(ex) => {
                    let start = ex.map(span.start as usize);
                    start..ex.map(span.end as usize).max(start)
                }
                None => span.range(),
            }
        }

        pub fn to_codespan(&self, d: &Diagnostic) -> cs::Diagnostic<FileId> {
            let base = match d.severity {
                super::Severity::Error => cs::Diagnostic::error(),
                super::Severity::Warning => cs::Diagnostic::warning(),
            };
            let labels = d
                .labels
                .iter()
                .map(|l| {
                    let range = self.span(l.span);
                    let label = if l.primary {
                        cs::Label::primary(l.span.file, range)
                    } else {
                        cs::Label::secondary(l.span.file, range)
                    };
                    label.with_message(l.message.clone())
                })
                .collect();
            let mut notes = d.notes.clone();
            if let Some(hint) = &d.hint {
                notes.push(format!("hint: {hint}"));
            }
            base.with_code(d.code)
                .with_message(d.message.clone())
                .with_labels(labels)
                .with_notes(notes)
        }
    }

    /// The stand-in text of a file, or `None` when no line needs cutting.
    /// `points` (sorted) are the label ends in this file.
    fn excerpt(text: &str, points: &[usize]) -> Option<Excerpt> {
        let mut ranges = Vec::new();
        let mut start = 0;
        for (i, _) in text.match_indices('\n') {
            ranges.push(start..i);
            start = i + 1;
        }
        ranges.push(start..text.len());
        if ranges.iter().all(|r| r.len() <= MAX_SHOWN_LINE) {
            return None;
        }
        let mut out = String::with_capacity(text.len().min(1 << 16));
        let mut lines = Vec::with_capacity(ranges.len());
        for r in ranges {
            let at = out.len();
            if r.len() <= MAX_SHOWN_LINE {
                out.push_str(&text[r.clone()]);
                out.push('\n');
                lines.push(Line {
                    start: r.start,
                    at,
                    shown: r,
                    lead: 0,
                });
                continue;
            }
            // The window starts a little before the first label end on the line.
            let lo = points.partition_point(|p| *p < r.start);
            let first = points.get(lo).copied().filter(|p| *p <= r.end);
            let mut from = first.map_or(r.start, |p| p.saturating_sub(LEAD).max(r.start));
            let mut to = (from + MAX_SHOWN_LINE).min(r.end);
            if to == r.end {
                from = to.saturating_sub(MAX_SHOWN_LINE).max(r.start);
            }
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            while !text.is_char_boundary(to) {
                to += 1;
            }
            let lead = if from > r.start {
                out.push_str(MARK);
                MARK.len()
            } else {
                0
            };
            out.push_str(&text[from..to]);
            if to < r.end {
                out.push_str(MARK);
            }
            out.push('\n');
            lines.push(Line {
                start: r.start,
                at,
                shown: from..to,
                lead,
            });
        }
        Some(Excerpt { text: out, lines })
    }

    impl<'a> Files<'a> for View<'a> {
        type FileId = FileId;
        type Name = &'a str;
        type Source = &'a str;

        fn name(&'a self, id: FileId) -> Result<&'a str, Error> {
            Files::name(self.sources, id)
        }

        fn source(&'a self, id: FileId) -> Result<&'a str, Error> {
            match self.cut.get(&id) {
                Some(ex) => Ok(&ex.text),
                None => Files::source(self.sources, id),
            }
        }

        fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, Error> {
            match self.cut.get(&id) {
                Some(ex) => Ok(ex
                    .lines
                    .partition_point(|l| l.at <= byte_index)
                    .saturating_sub(1)),
                None => Files::line_index(self.sources, id, byte_index),
            }
        }

        fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, Error> {
            match self.cut.get(&id) {
                Some(ex) => ex.line_range(line_index).ok_or(Error::LineTooLarge {
                    given: line_index,
                    max: ex.lines.len().saturating_sub(1),
                }),
                None => Files::line_range(self.sources, id, line_index),
            }
        }

        fn location(&'a self, id: FileId, byte_index: usize) -> Result<Location, Error> {
            let orig = match self.cut.get(&id) {
                Some(ex) => ex.unmap(byte_index),
                None => byte_index,
            };
            let (line_number, column_number) = self.sources.line_col(id, orig as u32);
            Ok(Location {
                line_number,
                column_number,
            })
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: usize,
    pub length: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonLabel {
    #[serde(flatten)]
    pub location: JsonLocation,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Option<JsonLocation>,
    pub labels: Vec<JsonLabel>,
    pub hint: Option<String>,
    pub notes: Vec<String>,
}

/// "did you mean …" among candidates, by Jaro-Winkler similarity.
pub fn did_you_mean<'a>(
    needle: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // A comparison costs the product of the lengths: a name past the longest
    // full identifier (512) is no typo of another, and is not compared.
    const LONGEST: usize = 512;
    if needle.len() > LONGEST {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates.into_iter().filter(|c| c.len() <= LONGEST) {
        let score = strsim::jaro_winkler(needle, c);
        if score > 0.8 && best.is_none_or(|(b, bc)| score > b || (score == b && c < bc)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}
