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

/// The same cases in Mermaid's C4 dialect, for the view kinds that have one.
#[test]
fn c4_dialect_cases() {
    for name in [
        "basic",
        "groups",
        "views",
        "deployment",
        "dynamic",
        "adversarial-labels",
        "distinct-relationships",
        "deployment-nodes",
        "deployment-node-shapes",
        "deployment-selected",
        "numbered-flows",
        "component-subject",
        "component-boundaries",
        "queue-shapes",
        "c4-dialect-layout",
        "deployment-collapse",
    ] {
        let path = crate::support::root().join(format!("tests/cases/{name}.c4"));
        let rel = path
            .strip_prefix(crate::support::root())
            .unwrap()
            .to_path_buf();
        let c = c4c::compile(&[rel], &c4c::LoadOptions::default()).unwrap();
        assert_eq!(c.error_count(), 0, "{name}");
        let mut out = String::new();
        for w in &c.compiled {
            for view in &w.views {
                if let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, view) {
                    out.push_str(&format!("--- {}.mmd ---\n{text}", view.key));
                }
            }
        }
        insta::assert_snapshot!(format!("c4_dialect_{name}"), out);
    }
}
