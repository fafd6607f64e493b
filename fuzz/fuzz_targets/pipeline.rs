//! Fuzz target `pipeline`: the checks are in tests/fuzz_checks.rs, shared with the
//! regression tests that replay every input the fuzzers once failed on.
#![no_main]

#[path = "../../tests/fuzz_checks.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::pipeline(data));
