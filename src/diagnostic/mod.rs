//! Diagnostics: every problem c4c finds, from any phase.
//!
//! In: a stable code, a severity, a message, labelled spans and a hint.
//! Out: text rendered with codespan-reporting (file:line:col, the source line,
//! the span underlined) or a serde-serialisable record for `--format json`.
//! A diagnostic keeps the exact text it is given (JSON carries it exactly);
//! the rendered text is safe for a terminal or a CI log: every message,
//! label, note, hint, file name and source line is one visible line with
//! hidden characters escaped, and long tokens, texts and lines are cut.
//! Nothing here prints: rendering returns a `String`.

use codespan_reporting::term;
use serde::Serialize;

use crate::source::{SourceMap, Span};

pub use code::Code;

mod code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
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
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    /// A hint on how to fix it ("did you mean …").
    pub hint: Option<String>,
    /// Further notes (for example an import chain).
    pub notes: Vec<String>,
    /// For a rule violation (E080–E082): what it is, independent of where
    /// it is written — the key a baseline records it by.
    pub violation: Option<Box<Violation>>,
}

/// A rule violation by stable identity: the rule as written (its reason
/// left out) and the elements it is about, by full path. Line numbers and
/// unrelated edits do not change it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Violation {
    pub rule: String,
    pub subject: Subject,
}

/// What a violation is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// A relationship (E080, E082), by the paths of its two ends.
    Relationship { from: String, to: String },
    /// An element (E081), by its path.
    Element(String),
}

impl Diagnostic {
    /// A diagnostic with `code`'s severity.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            hint: None,
            notes: Vec::new(),
            violation: None,
        }
    }

    /// Marks it as a rule violation, keyed by `v`.
    pub fn violation(mut self, v: Violation) -> Diagnostic {
        self.violation = Some(Box::new(v));
        self
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
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
/// the header still gives the real line and column. Hidden characters in
/// source lines (ESC, bare CR, bidi controls, zero-width characters…) are
/// shown as their escapes, with the carets under the escape; messages are
/// one line, cut by [`crate::terminal_text::message`].
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

mod excerpt;

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
    pub code: Code,
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
