//! Emitters: computed views and the model → text (Mermaid, JSON, Markdown
//! index, and the exports: PlantUML, D2, Structurizr DSL).
//!
//! Emitters compute nothing about what a view shows: they turn a computed
//! [`crate::view::View`] into text.

pub mod d2;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod plantuml;
pub mod scene;
pub mod structurizr;

/// One rendered diagram.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    /// The Mermaid text; empty when the run kept only sizes
    /// ([`crate::pipeline::Keep::Size`]).
    pub text: String,
    /// The length of the Mermaid text in bytes, kept or not; a run that
    /// keeps only sizes may give an upper bound instead for a diagram it did
    /// not write, one below W003's limit ([`crate::emit::mermaid::Renderer::measure`]).
    pub size: usize,
    /// [`crate::pipeline::fingerprint`] of the text, when the run kept
    /// fingerprints ([`crate::pipeline::Keep::Fingerprint`]).
    pub fingerprint: Option<u64>,
    /// A part of a split view (`split frames`): the key of its overview.
    pub part_of: Option<String>,
}

/// Text for a one-line comment in an exported file (PlantUML, D2): control
/// characters and Unicode line and paragraph separators become spaces, so
/// model text cannot end the comment and start a statement.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
