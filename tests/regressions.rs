//! Every input a fuzz target once failed on (`tests/regressions/TARGET/*`,
//! copied from `fuzz/artifacts/`), replayed through the same checks
//! (`tests/fuzz_checks.rs`). Add a file here for each crash, hang or
//! failed property the fuzzers find, and fix it.

use crate::fuzz_checks;
use crate::support::root;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = root().join("tests/regressions").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let name = f.display().to_string();
        if let Err(e) = std::panic::catch_unwind(|| check(&data)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{name}: {why}");
        }
    }
}

#[test]
fn parse_regressions() {
    replay("parse", fuzz_checks::parse);
}

#[test]
fn fmt_regressions() {
    replay("fmt", fuzz_checks::fmt);
}

#[test]
fn pipeline_regressions() {
    replay("pipeline", fuzz_checks::pipeline);
}

#[test]
fn diff_regressions() {
    replay("diff", fuzz_checks::diff);
}

#[test]
fn inject_regressions() {
    replay("inject", fuzz_checks::inject);
}
