//! Mermaid output.
//!
//! In: the model and computed views. Out: Mermaid text. `escape` is the one
//! module that escapes labels and mangles ids; `flowchart` writes any
//! [`flowchart::FlowGraph`]; `c4` builds that graph for the C4 levels 1–3.

pub mod c4;
pub mod c4dialect;
pub mod cdn;
pub mod class;
pub mod deployment;
pub mod escape;
pub mod flowchart;
pub mod keys;
pub mod mesh;
pub mod sequence;
pub mod state;

pub use c4::render as flowchart;
