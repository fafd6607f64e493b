//! Mermaid output.
//!
//! In: the model and computed views. Out: Mermaid text. `escape` is the one
//! module that escapes labels and mangles ids; each diagram type has its own
//! generator (`flowchart` for the C4 levels 1–3).

pub mod escape;
pub mod flowchart;

pub use flowchart::render as flowchart;
