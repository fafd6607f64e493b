//! Importers: another tool's model in, c4c text out.
//!
//! In: the text of a model written for another tool. Out: c4c text and
//! notes on what was not translated. `likec4`: LikeC4's language.

pub mod likec4;
