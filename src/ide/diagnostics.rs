//! c4c diagnostics → LSP diagnostics.
//!
//! In: an [`Analysis`]. Out: per file on disk, its diagnostics as an editor
//! shows them: the primary label's exact range, the severity, the code
//! (`E021`), the message with the primary label's text, the hint and the
//! notes after it, and every secondary label as a related location.
//! A diagnostic with no span (a file that cannot be read, say) goes to the
//! list of those that belong to no file.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position, Range,
};

use super::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

/// The diagnostics of a whole compilation, by file.
#[derive(Debug, Default)]
pub struct Published {
    /// By the canonical path of the file they point into.
    pub by_file: HashMap<PathBuf, Vec<lsp_types::Diagnostic>>,
    /// Those with no place in any file on disk (no span, or in the stdlib).
    pub unplaced: Vec<lsp_types::Diagnostic>,
}

/// Every diagnostic of `a`, converted and sorted by file.
pub fn all(a: &Analysis) -> Published {
    let mut out = Published::default();
    for d in &a.comp.diagnostics {
        let converted = convert(a, d);
        let path = d
            .primary_span()
            .and_then(|s| a.path(s.file))
            .map(|p| p.to_path_buf());
        match path {
            Some(p) => out.by_file.entry(p).or_default().push(converted),
            None => out.unplaced.push(converted),
        }
    }
    out
}

/// One diagnostic, as an editor shows it.
pub fn convert(a: &Analysis, d: &Diagnostic) -> lsp_types::Diagnostic {
    let primary = d.labels.iter().find(|l| l.primary);
    let range = primary.map_or(Range::new(Position::new(0, 0), Position::new(0, 0)), |l| {
        a.range(l.span.file, l.span.range())
    });
    let mut message = d.message.clone();
    if let Some(l) = primary.filter(|l| !l.message.is_empty()) {
        message.push_str(&format!(": {}", l.message));
    }
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.hint {
        message.push_str(&format!("\nhint: {h}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: a.location(l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("c4c".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
