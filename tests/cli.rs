//! The command line: exit codes, output files, formats.

use crate::support::{c4c, diagram_type, root, text};

fn example() -> std::path::PathBuf {
    root().join("examples/shop")
}

#[test]
fn build_writes_one_file_per_view_and_an_index() {
    let out = tempfile::tempdir().unwrap();
    let o = c4c(
        &[
            "build",
            example().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let views = c4c(&["views", example().to_str().unwrap()], &root());
    let keys: Vec<String> = text(&views.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(keys.len() >= 5);
    for key in &keys {
        let mmd = std::fs::read_to_string(out.path().join(format!("{key}.mmd"))).unwrap();
        assert!(mmd.starts_with(&format!("%% c4c · view {key} · ")));
    }
    let index = std::fs::read_to_string(out.path().join("index.md")).unwrap();
    assert_eq!(index.matches("```mermaid").count(), keys.len());
    // Nothing else, and no temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), keys.len() + 1, "{names:?}");
}

#[test]
fn build_is_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let o = c4c(
            &["build", "-q", "examples", "-o", d.path().to_str().unwrap()],
            &root(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    let mut names: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in names {
        assert_eq!(
            std::fs::read(a.path().join(&n)).unwrap(),
            std::fs::read(b.path().join(&n)).unwrap(),
            "{n:?}"
        );
    }
}

#[test]
fn model_errors_exit_1_and_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("diagrams");
    let o = c4c(
        &[
            "build",
            "tests/cases/errors/unknown-reference.c4",
            "-o",
            target.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!target.exists());
    let err = text(&o.stderr);
    assert!(
        err.contains("error[E021]: unknown element `customr`"),
        "{err}"
    );
    assert!(
        err.contains("tests/cases/errors/unknown-reference.c4:7:3"),
        "{err}"
    );
    assert!(err.contains("c4c: 4 errors"), "{err}");
}

#[test]
fn warnings_pass_unless_denied() {
    let o = c4c(&["check", "tests/cases/errors/warnings.c4"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning[W001]"));
    let o = c4c(
        &[
            "check",
            "--deny",
            "warnings",
            "tests/cases/errors/warnings.c4",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let o = c4c(&["build", "no/such/path.c4"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("cannot read no/such/path.c4"),
        "{}",
        text(&o.stderr)
    );
    let o = c4c(&["frobnicate"], &root());
    assert_eq!(o.status.code(), Some(2));
    let o = c4c(&["check", "--deny", "everything", "examples"], &root());
    assert_eq!(o.status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let o = c4c(&["check", empty.path().to_str().unwrap()], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no .c4 files"));
    // The output path exists and is a file.
    let file = empty.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    let o = c4c(
        &["build", "examples/shop", "-o", file.to_str().unwrap()],
        &root(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_documents_exit_codes() {
    for args in [&["--help"][..], &["build", "--help"], &["check", "--help"]] {
        let o = c4c(args, &root());
        assert_eq!(o.status.code(), Some(0));
        let out = text(&o.stdout);
        assert!(
            out.contains("Exit codes:") && out.contains("1  the model has errors"),
            "{out}"
        );
    }
}

#[test]
fn check_json_lists_every_diagnostic_with_location() {
    let o = c4c(
        &[
            "check",
            "--format",
            "json",
            "tests/cases/errors/ambiguous.c4",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E022");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["location"]["file"], "tests/cases/errors/ambiguous.c4");
    assert_eq!(d["location"]["line"], 6);
    assert_eq!(d["location"]["column"], 11);
    assert!(d["hint"].as_str().unwrap().contains("billing.api"));
}

#[test]
fn build_json_exports_the_model() {
    let o = c4c(&["build", "--format", "json", "examples/shop"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let ws = &v["workspaces"][0];
    let ids: Vec<&str> = ws["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"shop.orders.checkout"));
    assert!(ws["relationships"].as_array().unwrap().len() > 10);
    assert!(
        ws["views"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["key"] == "shop-containers")
    );
}

#[test]
fn views_lists_keys_and_titles() {
    let o = c4c(&["views", "examples/shop"], &root());
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.lines()
            .any(|l| l.starts_with("shop-containers") && l.contains("Containers: Online Shop")),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn build_replaces_a_symlink_instead_of_writing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("landscape.mmd")).unwrap();
    let o = c4c(
        &["build", "-q", "examples/shop", "-o", out.to_str().unwrap()],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        std::fs::read_to_string(out.join("landscape.mmd"))
            .unwrap()
            .starts_with("%% c4c")
    );
}

#[test]
fn a_directory_of_independent_models_builds_with_distinct_keys() {
    let o = c4c(&["views", "tests/fixtures/two-models"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let keys: Vec<String> = text(&o.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["a-landscape", "b-landscape"]);
}

#[test]
fn a_directory_given_on_the_command_line_is_the_import_root() {
    // sub/app.c4 imports ../common.c4: fine when the directory `tree` is given …
    let o = c4c(&["check", "tests/fixtures/tree"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // … but not when only the file is, whose own directory is then the root.
    let o = c4c(&["check", "tests/fixtures/tree/sub/app.c4"], &root());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("error[E012]"),
        "{}",
        text(&o.stderr)
    );
    let o = c4c(
        &[
            "check",
            "--root",
            "tests/fixtures/tree",
            "tests/fixtures/tree/sub/app.c4",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn build_in_the_c4_dialect() {
    let out = tempfile::tempdir().unwrap();
    let o = c4c(
        &[
            "build",
            "-q",
            "--dialect",
            "c4",
            "tests/cases/deployment.c4",
            "-o",
            out.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let read = |k: &str| std::fs::read_to_string(out.path().join(format!("{k}.mmd"))).unwrap();
    assert!(diagram_type(&read("shop-containers")) == "C4Container");
    assert!(diagram_type(&read("landscape")) == "C4Context");
    assert!(diagram_type(&read("production-deployment")) == "C4Deployment");
    // Views the dialect has no form for keep their own diagrams.
    assert!(diagram_type(&read("linkerd-mesh")).starts_with("flowchart"));
}

#[test]
fn build_check_lists_stale_missing_and_extra_files_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o_str = out.to_str().unwrap();
    // Nothing built yet: everything is missing, nothing gets written.
    let o = c4c(
        &["build", "--check", "tests/cases/basic.c4", "-o", o_str],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("missing: "), "{}", text(&o.stdout));
    assert!(!out.exists());
    // Built: up to date.
    assert_eq!(
        c4c(
            &["build", "-q", "tests/cases/basic.c4", "-o", o_str],
            &root()
        )
        .status
        .code(),
        Some(0)
    );
    let o = c4c(
        &["build", "--check", "tests/cases/basic.c4", "-o", o_str],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // A changed file and a stray one.
    std::fs::write(out.join("landscape.mmd"), "old").unwrap();
    std::fs::write(out.join("gone-view.mmd"), "x").unwrap();
    let o = c4c(
        &["build", "--check", "tests/cases/basic.c4", "-o", o_str],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let listed = text(&o.stdout);
    assert!(
        listed.contains("stale: ") && listed.contains("landscape.mmd"),
        "{listed}"
    );
    assert!(
        listed.contains("extra: ") && listed.contains("gone-view.mmd"),
        "{listed}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("landscape.mmd")).unwrap(),
        "old"
    );
}

#[test]
fn build_inject_replaces_marked_views_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("ARCHITECTURE.md");
    let original = "# Our shop\n\nIntro.\n\n<!-- c4c:view shop-containers -->\nold diagram\n<!-- /c4c:view -->\n\nOutro.\n";
    std::fs::write(&doc, original).unwrap();
    let d = doc.to_str().unwrap();
    let model = root().join("tests/cases/basic.c4");
    let m = model.to_str().unwrap();
    let here = dir.path();
    let o = c4c(&["build", "--check", "--inject", d, m], here);
    assert_eq!(o.status.code(), Some(1), "stale before the first injection");
    let o = c4c(&["build", "-q", "--inject", d, m], here);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let updated = std::fs::read_to_string(&doc).unwrap();
    assert!(updated.starts_with("# Our shop\n\nIntro.\n\n<!-- c4c:view shop-containers -->\n```mermaid\n%% c4c · view shop-containers"));
    assert!(
        updated.ends_with("```\n<!-- /c4c:view -->\n\nOutro.\n"),
        "{updated}"
    );
    assert!(!updated.contains("old diagram"));
    let o = c4c(&["build", "--check", "--inject", d, m], here);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // Without -o nothing else is written.
    assert!(!here.join("diagrams").exists());
    // An unknown view is an error with its line, and the file is left alone.
    std::fs::write(&doc, "x\n<!-- c4c:view nope -->\n<!-- /c4c:view -->\n").unwrap();
    let o = c4c(&["build", "--inject", d, m], here);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains(":2: no view `nope`"),
        "{}",
        text(&o.stderr)
    );
}
