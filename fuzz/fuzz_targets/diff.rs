//! `c4c diff` on two models: the input is split at the first NUL byte into
//! an old and a new text. Nothing may panic; every report format renders;
//! and a model diffed with itself is empty.
#![no_main]

use c4c::diff::{diff, report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    let old = c4c::compile_text("old.c4", old);
    let new = c4c::compile_text("new.c4", new);
    let d = diff(&old.compiled, &new.compiled);
    let _ = report::text(&d, true);
    let _ = report::json(&d);
    let _ = report::markdown(&d, &old.compiled, &new.compiled, Some(60_000));
    let same = diff(&new.compiled, &new.compiled);
    assert!(
        same.is_empty(),
        "a model diffed with itself is not empty: {}",
        report::text(&same, false)
    );
});
