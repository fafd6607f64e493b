//! Rule baselines: `check` against a recorded set of rule violations.
//!
//! Cases are data: `tests/baselines/<case>/` holds a model with `rules`,
//! usually a `c4c-baseline.json`, and optionally `args` (extra arguments,
//! one a line). `c4c check` runs in the case's directory, in text and JSON;
//! the snapshot is the exit code and both streams.

use std::path::Path;

use crate::support::{c4c, root, text};

fn run(dir: &Path, extra: &[&str]) -> String {
    let args_file = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut args: Vec<&str> = vec!["check"];
    args.extend(args_file.lines());
    args.extend(extra);
    let o = c4c(&args, dir);
    format!(
        "$ c4c {}\nexit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        args.join(" "),
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr)
    )
}

#[test]
fn baseline_cases() {
    insta::glob!("baselines/*/main.c4", |path| {
        let dir = path.parent().unwrap();
        let out = format!("{}\n{}", run(dir, &[]), run(dir, &["--format", "json"]));
        insta::assert_snapshot!(out);
    });
}

/// A copy of the `suppressed` case's model, without its baseline.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("tests/baselines/suppressed/main.c4");
    std::fs::copy(model, dir.path().join("main.c4")).unwrap();
    dir
}

#[test]
fn update_baseline_records_every_violation_sorted_and_check_then_passes() {
    let dir = project();
    let p = dir.path();
    let o = c4c(&["check"], p);
    assert_eq!(o.status.code(), Some(1));
    let o = c4c(&["check", "--update-baseline"], p);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("c4c: wrote c4c-baseline.json: 3 rule violations recorded\n"),
        "{}",
        text(&o.stderr)
    );
    let written = std::fs::read_to_string(p.join("c4c-baseline.json")).unwrap();
    // The same as the case's hand-checked file.
    let expected =
        std::fs::read_to_string(root().join("tests/baselines/suppressed/c4c-baseline.json"))
            .unwrap();
    assert_eq!(written, expected);
    // Deterministic: a second update leaves the same bytes.
    let o = c4c(&["check", "--update-baseline"], p);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).starts_with(
            "c4c: wrote c4c-baseline.json: 3 rule violations recorded (0 new, 0 gone)\n"
        ),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(p.join("c4c-baseline.json")).unwrap(),
        written
    );
    // One fixed, one new: the update says so.
    let model = std::fs::read_to_string(p.join("main.c4")).unwrap();
    let edited = model.replace("  core -> web \"Notifies\"\n", "").replace(
        "container \"API B\"",
        "container \"API B\" { tags \"owner\" }\n    db = container \"DB\"",
    );
    std::fs::write(p.join("main.c4"), edited).unwrap();
    let o = c4c(&["check", "--update-baseline"], p);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with(
            "c4c: wrote c4c-baseline.json: 2 rule violations recorded (1 new, 2 gone)\n"
        ),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(p.join("main.c4"), &model).unwrap();
    std::fs::write(p.join("c4c-baseline.json"), &written).unwrap();
    // And `build` honours it too.
    let out = p.join("out");
    let o = c4c(&["build", "-o", out.to_str().unwrap()], p);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("c4c-baseline.json: 3 known rule violations suppressed"));
}

#[test]
fn update_baseline_to_a_named_file_and_check_reads_it_only_when_named() {
    let dir = project();
    let p = dir.path();
    std::fs::create_dir(p.join("ci")).unwrap();
    let o = c4c(
        &["check", "--baseline", "ci/rules.json", "--update-baseline"],
        p,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(p.join("ci/rules.json").is_file());
    assert!(!p.join("c4c-baseline.json").exists());
    assert_eq!(c4c(&["check"], p).status.code(), Some(1));
    let o = c4c(&["check", "--baseline", "ci/rules.json"], p);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn update_baseline_is_refused_while_the_models_have_other_errors() {
    let dir = project();
    let p = dir.path();
    let model = std::fs::read_to_string(p.join("main.c4")).unwrap();
    std::fs::write(
        p.join("main.c4"),
        model.replace("web -> core", "web -> nowhere"),
    )
    .unwrap();
    let o = c4c(&["check", "--update-baseline"], p);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("E021"), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("c4c: baseline not written"),
        "{}",
        text(&o.stderr)
    );
    assert!(!p.join("c4c-baseline.json").exists());
}

#[test]
fn the_default_baseline_is_in_the_root_directory() {
    let dir = project();
    let p = dir.path();
    std::fs::create_dir(p.join("arch")).unwrap();
    std::fs::rename(p.join("main.c4"), p.join("arch/main.c4")).unwrap();
    let o = c4c(&["check", "--root", "arch", "arch", "--update-baseline"], p);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(p.join("arch/c4c-baseline.json").is_file());
    assert_eq!(
        c4c(&["check", "--root", "arch", "arch"], p).status.code(),
        Some(0)
    );
}

#[cfg(unix)]
#[test]
fn a_baseline_linked_outside_the_root_is_never_read_and_the_error_is_the_same_either_way() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.json");
    std::fs::write(&secret, "{\"version\": 1, \"violations\": []}").unwrap();
    let mut errors = Vec::new();
    for target in [secret.clone(), outside.path().join("missing.json")] {
        let dir = project();
        let p = dir.path();
        std::os::unix::fs::symlink(&target, p.join("c4c-baseline.json")).unwrap();
        let o = c4c(&["check", "--format", "json"], p);
        assert_eq!(o.status.code(), Some(1));
        let out = text(&o.stdout);
        assert!(out.contains("\"code\": \"E012\""), "{out}");
        assert!(!out.contains(outside.path().to_str().unwrap()), "{out}");
        // Not written through either.
        let o = c4c(&["check", "--update-baseline"], p);
        assert_eq!(o.status.code(), Some(1));
        errors.push(out);
    }
    assert_eq!(errors[0], errors[1]);
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "{\"version\": 1, \"violations\": []}"
    );
}

#[test]
fn a_baseline_over_16_mib_is_refused_unread() {
    let dir = project();
    let p = dir.path();
    let f = std::fs::File::create(p.join("c4c-baseline.json")).unwrap();
    f.set_len((16 << 20) + 1).unwrap();
    let o = c4c(&["check"], p);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("error[E083]: cannot read the rule baseline `c4c-baseline.json`: larger than the 16 MiB limit"),
        "{err}"
    );
}
