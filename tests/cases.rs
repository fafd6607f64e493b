//! Every case under `tests/cases` is compiled and its output snapshotted.
//! Valid cases snapshot their Mermaid; cases under `errors/` their diagnostics.

use crate::support::case_output;

#[test]
fn valid_cases() {
    insta::glob!("cases/*.c4", |path| {
        let out = case_output(path);
        assert!(!out.contains("error["), "a valid case has errors:\n{out}");
        insta::assert_snapshot!(out);
    });
    insta::glob!("cases/*/main.c4", |path| {
        insta::assert_snapshot!(case_output(path));
    });
}

#[test]
fn error_cases() {
    insta::glob!("cases/errors/*.c4", |path| {
        insta::assert_snapshot!(case_output(path));
    });
    insta::glob!("cases/errors/**/main.c4", |path| {
        let out = case_output(path);
        assert!(
            out.contains("error["),
            "an error case has no errors:\n{out}"
        );
        insta::assert_snapshot!(out);
    });
}

#[test]
fn every_error_case_reports_an_error_or_warning() {
    for entry in std::fs::read_dir(crate::support::root().join("tests/cases/errors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "c4") {
            let out = case_output(&path);
            assert!(
                out.contains("error[") || out.contains("warning["),
                "{}: no diagnostics",
                path.display()
            );
        }
    }
}
