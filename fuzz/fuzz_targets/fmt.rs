//! The formatter: idempotent on any text, and on text that compiles without
//! errors it keeps the model (same diagrams, same non-whitespace characters).
#![no_main]

use libfuzzer_sys::fuzz_target;

fn non_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = c4c::format::format_source(text);
    let twice = c4c::format::format_source(&once);
    assert_eq!(once, twice, "formatting is not idempotent");

    let before = c4c::compile_text("fuzz.c4", text);
    if before.error_count() > 0 {
        return; // `c4c fmt` leaves files with errors alone
    }
    assert_eq!(
        non_whitespace(text),
        non_whitespace(&once),
        "fmt changed content"
    );
    let after = c4c::compile_text("fuzz.c4", &once);
    assert_eq!(after.error_count(), 0, "fmt broke a model that compiled");
    let diagrams = |c: &c4c::Compilation| -> Vec<(String, String)> {
        c.diagrams()
            .map(|d| (d.key.clone(), d.text.clone()))
            .collect()
    };
    assert_eq!(diagrams(&before), diagrams(&after), "fmt changed a diagram");
});
