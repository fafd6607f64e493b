//! Emitters: computed views and the model → text (Mermaid, JSON, Markdown index).

pub mod json;
pub mod markdown;
pub mod mermaid;
