//! `c4c fmt`: on every example and test case, formatting changes layout only
//! (same model, same diagrams, same non-whitespace characters — so every
//! comment survives), is idempotent, and `--check` reports a unified diff.

use std::path::{Path, PathBuf};

use crate::support::{c4c, root, text};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn c4_files(dir: &Path) -> Vec<PathBuf> {
    c4c::load::c4_files(&[dir.to_path_buf()]).unwrap()
}

fn non_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn diagrams(dir: &Path) -> (usize, Vec<(String, String)>) {
    let c = c4c::compile(&[dir.to_path_buf()], &c4c::LoadOptions::default()).unwrap();
    let d = c
        .diagrams()
        .map(|d| (d.key.clone(), d.text.clone()))
        .collect();
    (c.error_count(), d)
}

#[test]
fn formatting_every_example_and_case_keeps_the_model() {
    for dir in ["examples", "tests/cases"] {
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("m");
        copy_tree(&root().join(dir), &copy);
        let before: Vec<(PathBuf, String)> = c4_files(&copy)
            .into_iter()
            .filter_map(|p| {
                // (One error case is deliberately not UTF-8.)
                let t = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
                Some((p, t))
            })
            .collect();
        let (errors_before, diagrams_before) = diagrams(&copy);

        let o = c4c(&["fmt", copy.to_str().unwrap()], tmp.path());
        // Files with syntax errors are reported and left alone (exit 1), only in tests/cases.
        let expected = if dir == "examples" { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(expected), "{}", text(&o.stderr));

        let mut changed = 0;
        for (p, old) in &before {
            let new = std::fs::read_to_string(p).unwrap();
            assert_eq!(
                non_whitespace(old),
                non_whitespace(&new),
                "{}: formatting changed more than whitespace",
                p.display()
            );
            changed += usize::from(*old != new);
            let mut sources = c4c::source::SourceMap::new();
            let id = sources.add("x.c4", None, new.clone());
            let (_, diags) = c4c::syntax::parse::parse(id, &new);
            if diags.iter().any(|d| d.is_error()) {
                assert_eq!(*old, new, "{}: broken file was rewritten", p.display());
                continue;
            }
            assert_eq!(
                c4c::format::format_source(&new),
                new,
                "{}: not idempotent",
                p.display()
            );
        }
        if dir == "tests/cases" {
            // The cases are written by hand, unformatted: this exercises the formatter.
            assert!(changed > 0, "{dir}: the formatter did nothing");
        }
        let (errors_after, diagrams_after) = diagrams(&copy);
        assert_eq!(errors_before, errors_after, "{dir}");
        assert_eq!(diagrams_before.len(), diagrams_after.len(), "{dir}");
        for (a, b) in diagrams_before.iter().zip(&diagrams_after) {
            assert_eq!(a, b, "{dir}: view {} changed", a.0);
        }
    }
}

#[test]
fn the_bundled_examples_and_stdlib_are_formatted() {
    let o = c4c(&["fmt", "--check", "examples", "stdlib"], &root());
    assert_eq!(
        o.status.code(),
        Some(0),
        "run `cargo run -- fmt examples stdlib`:\n{}",
        text(&o.stdout)
    );
    assert!(text(&o.stdout).is_empty());
}

#[test]
fn check_prints_a_unified_diff_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let messy = "// The shop.\n\n\nmodel {\n      customer   =   person \"Customer\"   // who buys\n\tshop = system \"Shop\" {\n  web = container \"Web\"\n\n\n\n  }   \n   customer -> shop.web \"Uses\"\n}\n\n";
    std::fs::write(tmp.path().join("shop.c4"), messy).unwrap();
    let o = c4c(&["fmt", "--check", "shop.c4"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("fmt_check_diff", text(&o.stdout));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("shop.c4")).unwrap(),
        messy
    );
    let o = c4c(&["fmt", "shop.c4"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let formatted = std::fs::read_to_string(tmp.path().join("shop.c4")).unwrap();
    insta::assert_snapshot!("fmt_formatted", formatted);
    let o = c4c(&["fmt", "--check", "shop.c4"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn files_with_syntax_errors_are_reported_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = "model {\n   a = person \"A\" @@@\n}\n";
    std::fs::write(tmp.path().join("broken.c4"), broken).unwrap();
    let o = c4c(&["fmt", "broken.c4"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("E001") && err.contains("broken.c4:2:"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("broken.c4")).unwrap(),
        broken
    );
    let missing = c4c(&["fmt", "nope.c4"], tmp.path());
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn messed_up_layout_formats_back_to_the_original() {
    // Every bundled example is formatted, so re-indenting it randomly, adding
    // trailing spaces, tabs and blank lines must format back to the same bytes.
    let mut n = 0;
    for p in c4_files(&root().join("examples")) {
        let original = std::fs::read_to_string(&p).unwrap();
        if original.contains("\"\"\"") || original.contains("/*") {
            continue; // their inner lines are verbatim by design
        }
        let mut messy = String::from("\n\n");
        for (i, line) in original.lines().enumerate() {
            let pad = ["", " ", "\t", "       ", "  \t "][i % 5];
            if line.is_empty() {
                messy.push_str("   \n\n\t\n");
                continue;
            }
            messy.push_str(&format!(
                "{pad}{}{}\r\n",
                line.trim_start(),
                " ".repeat(i % 3)
            ));
        }
        assert_eq!(
            c4c::format::format_source(&messy),
            original,
            "{}",
            p.display()
        );
        n += 1;
    }
    assert!(n >= 10, "only {n} examples tried");
}
