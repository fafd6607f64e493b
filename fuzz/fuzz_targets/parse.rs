//! The parser alone: any bytes in, a syntax tree and diagnostics out, and
//! rendering those diagnostics (with their spans) must not panic either.
#![no_main]

use c4c::diagnostic::render_all;
use c4c::source::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let id = sources.add("fuzz.c4", None, text.to_string());
    let (_file, diags) = c4c::syntax::parse(id, text);
    for d in &diags {
        if let Some(span) = d.primary_span() {
            assert!(span.start <= span.end, "{}: inverted span", d.code);
            assert!(
                span.end as usize <= text.len(),
                "{}: span past the end",
                d.code
            );
        }
    }
    let _ = render_all(&diags, &sources, false);
});
