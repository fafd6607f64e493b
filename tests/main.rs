//! The integration tests: one binary, one module per area.
//!
//! Cases are data: `tests/cases/**/*.c4` (or a directory with `main.c4`) in,
//! an insta snapshot of the diagnostics and the Mermaid of every view out.

mod architecture;
mod baseline;
mod bound;
mod cases;
mod cli;
mod cli_setup;
mod contrast;
mod diff;
mod edge;
mod editors;
mod examples;
mod export;
mod fmt;
mod fuzz_checks;
mod gallery;
mod grammar;
mod ide;
mod import;
mod import_json;
mod likec4;
mod lsp;
mod mermaid;
mod properties;
mod readme;
mod regressions;
mod reuse;
mod roundtrip;
mod security_cdn;
mod security_diagrams;
mod security_io;
mod security_limits;
mod security_output;
mod security_read;
mod serve;
mod stdlib;
mod support;
mod workflows;
