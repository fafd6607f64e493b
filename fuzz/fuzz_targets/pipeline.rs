//! The whole pipeline on one model: parse → resolve → validate → every view →
//! Mermaid, then diagnostics as text and JSON. Nothing may panic, hang or
//! overflow; every diagnostic span must lie inside its file; and the same
//! input must give the same output twice (determinism).
#![no_main]

use c4c::diagnostic::render_all;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = c4c::compile_text("fuzz.c4", text);
    for d in &c.diagnostics {
        for l in &d.labels {
            let len = c.sources.get(l.span.file).map_or(0, |f| f.text.len());
            assert!(
                l.span.start <= l.span.end && l.span.end as usize <= len,
                "{}: bad span",
                d.code
            );
        }
        let _ = d.to_json(&c.sources);
    }
    let _ = render_all(&c.diagnostics, &c.sources, true);
    for d in c.diagrams() {
        assert!(!d.text.contains('\0'), "{}: NUL in a diagram", d.key);
        // Keys become file names: each must be a plain, valid one.
        assert!(
            c4c::model::resolve::check_view_key(&d.key).is_ok()
                && c4c::output::is_plain_file_name(&format!("{}.mmd", d.key)),
            "unsafe view key {:?}",
            d.key
        );
    }
    let all: Vec<&c4c::Diagram> = c.diagrams().collect();
    let _ = c4c::emit::markdown::index(&all);
    let _ = c4c::emit::json::export(&c.sources, &c.compiled);
    let again = c4c::compile_text("fuzz.c4", text);
    let texts =
        |c: &c4c::Compilation| -> Vec<String> { c.diagrams().map(|d| d.text.clone()).collect() };
    assert_eq!(texts(&c), texts(&again), "two runs differ");
});
