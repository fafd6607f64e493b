//! Emitters: computed views and the model → text (Mermaid, JSON, Markdown index).
//!
//! Emitters compute nothing about what a view shows: they turn a computed
//! [`crate::view::View`] into text.

pub mod json;
pub mod markdown;
pub mod mermaid;

/// One rendered diagram.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    pub text: String,
    /// A part of a split view (`split frames`): the key of its overview.
    pub part_of: Option<String>,
}
