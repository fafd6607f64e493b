//! `c4c import`: Structurizr DSL inputs translated to `.c4`.
//!
//! In: `tests/import/structurizr/**/*.dsl` (a folder with `workspace.dsl`
//! is one input; `hostile/` holds inputs that must fail cleanly). Out: an
//! insta snapshot per input of the `.c4` text and the import issues; every
//! output is `fmt`-clean and compiles with no errors, with every element,
//! relationship and view of the input in it. Also: hostile inputs (deep
//! nesting, a huge file, include cycles, paths out of the folder) give
//! coded errors in bounded time, and the import codes match the table of
//! docs/interop.md both ways.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use c4c::import::{Code, Outcome, structurizr};

use crate::support::root;

/// Imports `file`, reading includes inside its folder.
fn import_file(file: &Path) -> Outcome {
    let dir = file.parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(file).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let mut read = |rel: &str| c4c::import::files::read_inside(&dir, rel);
    structurizr::import(&name, &text, &mut read)
}

fn import_text(text: &str) -> Outcome {
    let mut read = |_: &str| Err("no files here".to_string());
    structurizr::import("workspace.dsl", text, &mut read)
}

fn inputs() -> Vec<PathBuf> {
    let dir = root().join("tests/import/structurizr");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            if p.is_dir() {
                let w = p.join("workspace.dsl");
                w.exists().then_some(w)
            } else {
                (p.extension().is_some_and(|x| x == "dsl")).then_some(p)
            }
        })
        .collect();
    out.sort();
    out
}

pub fn issues_text(o: &Outcome) -> String {
    o.issues
        .iter()
        .map(|i| {
            format!(
                "{}[{}] {}:{}: {}\n",
                if i.code.is_error() {
                    "error"
                } else {
                    "warning"
                },
                i.code.as_str(),
                i.file,
                i.line,
                i.message
            )
        })
        .collect()
}

/// Checks that an import has no error, is `fmt`-clean, compiles with no
/// error and keeps every element, relationship and view it counted; gives
/// the compilation and the snapshot text (the `.c4`, issues, diagnostics).
pub fn compiled_keeping_everything(name: &str, o: &Outcome) -> (c4c::Compilation, String) {
    assert_eq!(o.errors(), 0, "{name}:\n{}", issues_text(o));
    assert_eq!(
        c4c::format::format_source(&o.c4),
        o.c4,
        "{name}: not fmt-clean"
    );
    let c = c4c::compile_text("model.c4", &o.c4);
    let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
    assert_eq!(c.error_count(), 0, "{name}:\n{}\n{rendered}", o.c4);
    let model = &c.compiled[0];
    assert_eq!(
        model.model.elements().count(),
        o.counts.elements,
        "{name}: elements"
    );
    assert_eq!(
        model.model.relationships().count(),
        o.counts.relationships,
        "{name}: relationships"
    );
    assert_eq!(model.views.len(), o.counts.views, "{name}: views");
    let snap = format!(
        "{}\n--- issues ---\n{}--- compiler ---\n{rendered}",
        o.c4,
        issues_text(o)
    );
    (c, snap)
}

#[test]
fn structurizr_inputs_import_compile_and_keep_everything() {
    let inputs = inputs();
    assert!(inputs.len() >= 5, "{inputs:?}");
    for file in inputs {
        let o = import_file(&file);
        let rel = file
            .strip_prefix(root().join("tests/import/structurizr"))
            .unwrap();
        let name = rel.to_string_lossy().replace('/', "__");
        let (_, snap) = compiled_keeping_everything(&name, &o);
        insta::assert_snapshot!(format!("import_structurizr_{name}"), snap);
    }
}

#[test]
fn include_cycles_and_escapes_are_coded_errors() {
    let o = import_file(&root().join("tests/import/structurizr/hostile/cycle.dsl"));
    let codes: Vec<Code> = o.issues.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [Code::I104, Code::I103, Code::I103, Code::I102],
        "{}",
        issues_text(&o)
    );
    assert_eq!(c4c::compile_text("m.c4", &o.c4).error_count(), 0);
}

/// `workspace extends` is read like an `!include`: a workspace extending
/// itself is read a bounded number of times, a path out of the folder is
/// refused; either way the extension's own content is translated.
#[test]
fn extension_cycles_and_escapes_are_coded() {
    let dir = root().join("tests/import/structurizr/hostile");
    let o = import_file(&dir.join("extends-cycle.dsl"));
    assert!(
        o.issues.iter().any(|i| i.code == Code::I104),
        "{}",
        issues_text(&o)
    );
    assert!(o.c4.contains("person \"A\""), "{}", o.c4);
    assert_eq!(c4c::compile_text("m.c4", &o.c4).error_count(), 0);
    let o = import_file(&dir.join("extends-out.dsl"));
    let codes: Vec<Code> = o.issues.iter().map(|i| i.code).collect();
    assert_eq!(codes, [Code::I103, Code::I001], "{}", issues_text(&o));
    assert!(o.c4.contains("person \"A\""), "{}", o.c4);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let text = format!(
        "workspace {{\n{}\n{}",
        "group \"g\" {\n".repeat(depth),
        "}\n".repeat(depth)
    );
    let o = import_text(&text);
    assert!(
        o.issues.iter().any(|i| i.code == Code::I101),
        "{}",
        issues_text(&o)
    );
}

#[test]
fn huge_inputs_import_in_linear_time() {
    let time = |n: usize| {
        let mut text = String::from("workspace {\nmodel {\n");
        for i in 0..n {
            text.push_str(&format!("p{i} = person \"P {i}\"\ns{i} = softwareSystem \"S {i}\" {{\n c = container \"C\"\n}}\np{i} -> s{i} \"Uses\"\n"));
        }
        text.push_str("}\nviews {\nsystemLandscape {\ninclude *\n}\n}\n}\n");
        let start = Instant::now();
        let o = import_text(&text);
        assert_eq!(o.counts.elements, 3 * n);
        start.elapsed()
    };
    let small = time(2_000);
    let big = time(20_000);
    assert!(
        big < small * 30 + Duration::from_millis(500),
        "2k: {small:?}, 20k: {big:?}"
    );
}

#[test]
fn garbage_never_panics() {
    for text in [
        "{",
        "}",
        "}}}{{{",
        "a = ",
        "-> ->",
        "\"unterminated",
        "workspace { model { x = person } }",
        "views { dynamic * { { { a -> } } } }",
        "!include",
        "!const",
        "/* open",
        "model { a -> b }",
        "views { styles { element { } } }",
    ] {
        let _ = import_text(text);
    }
}

#[test]
fn import_codes_match_docs_interop_both_ways() {
    let doc = std::fs::read_to_string(root().join("docs/interop.md")).unwrap();
    let rows: Vec<(String, String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() == 5
                && cells[1].starts_with('I')
                && cells[1].len() == 4
                && cells[1][1..].chars().all(|c| c.is_ascii_digit()))
            .then(|| {
                (
                    cells[1].to_string(),
                    cells[2].to_string(),
                    cells[3].to_string(),
                )
            })
        })
        .collect();
    let want: Vec<(String, String, String)> = Code::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                if c.is_error() { "error" } else { "warning" }.to_string(),
                c.meaning().to_string(),
            )
        })
        .collect();
    assert_eq!(rows, want);
}

#[test]
fn the_command_writes_the_model_and_sums_up() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("tests/import/structurizr/include");
    let out = dir.path().join("model.c4");
    let o = crate::support::c4c(
        &[
            "import",
            "structurizr",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        crate::support::text(&o.stderr)
    );
    let stderr = crate::support::text(&o.stderr);
    assert!(
        stderr.contains("c4c: imported 5 elements, 3 relationships"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("extend shop {"), "{written}");
    let check = crate::support::c4c(&["check", out.to_str().unwrap()], dir.path());
    assert_eq!(check.status.code(), Some(0));

    let to_stdout = crate::support::c4c(
        &[
            "import",
            "structurizr",
            input.join("workspace.dsl").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(crate::support::text(&to_stdout.stdout), written);

    let hostile = root().join("tests/import/structurizr/hostile/cycle.dsl");
    let bad = crate::support::c4c(
        &["import", "structurizr", hostile.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(crate::support::text(&bad.stderr).contains("error[I103]"));

    let missing = crate::support::c4c(&["import", "structurizr", "no-such.dsl"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn hidden_characters_of_the_input_are_escaped_in_the_output() {
    let text = "workspace {\n  model {\n    # evil \u{1b}[31m \u{202e}\n    a = person \"A\u{1b}[2J \u{202e} B\"\n    a -> b\u{7}c \"x\"\n  }\n}\n";
    let o = import_text(text);
    assert!(
        !o.c4
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{202e}' || c == '\u{7}'),
        "{}",
        o.c4
    );
    assert_eq!(
        c4c::compile_text("m.c4", &o.c4).error_count(),
        0,
        "{}",
        o.c4
    );
}

#[test]
fn many_elements_of_one_name_import_in_linear_time() {
    let time = |n: usize| {
        let text = format!(
            "workspace {{\nmodel {{\n{}}}\n}}\n",
            "softwareSystem \"Same\"\n".repeat(n)
        );
        let start = Instant::now();
        let o = import_text(&text);
        assert_eq!(o.counts.elements, n);
        start.elapsed()
    };
    let small = time(2_000);
    let big = time(20_000);
    assert!(
        big < small * 30 + Duration::from_millis(500),
        "2k: {small:?}, 20k: {big:?}"
    );
}

#[test]
fn constants_cannot_blow_up_the_output() {
    let big = "x".repeat(1 << 20);
    let text = format!(
        "workspace {{\n!const A \"{big}\"\nmodel {{\n{}}}\n}}\n",
        "p = person \"${A}${A}${A}${A}\"\n".repeat(20)
    );
    let o = import_text(&text);
    assert!(
        o.issues.iter().any(|i| i.code == Code::I105),
        "{}",
        issues_text(&o)
    );
    assert!(o.c4.is_empty());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.dsl"),
        "leak = person \"Secret\"\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.dsl"),
        dir.path().join("link.dsl"),
    )
    .unwrap();
    let ws = dir.path().join("workspace.dsl");
    std::fs::write(
        &ws,
        "workspace {\n  model {\n    !include link.dsl\n  }\n}\n",
    )
    .unwrap();
    let o = import_file(&ws);
    assert_eq!(
        o.issues.iter().map(|i| i.code).collect::<Vec<_>>(),
        [Code::I102],
        "{}",
        issues_text(&o)
    );
    assert!(!o.c4.contains("Secret"), "{}", o.c4);
}

/// Inputs with junk inserted (deterministic positions): the importer never
/// panics and never writes a `.c4` syntax error (E001): whatever it cannot
/// translate becomes a comment.
#[test]
fn mutated_inputs_always_give_valid_syntax() {
    let junk = [
        "\"", "{", "}", "->", "=", "#", "/*", "*/", "\\", "${A}", "this", "*", ",", "\"\"",
        "group", "tags", "-> ->", "\n",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for file in inputs() {
        let original = std::fs::read_to_string(&file).unwrap();
        seed = seed.rotate_left(7) ^ 0x9E37;
        for text in crate::support::mutations(&original, &junk, seed, 40) {
            let o = import_text(&text);
            let c = c4c::compile_text("m.c4", &o.c4);
            let syntax: Vec<_> = c
                .diagnostics
                .iter()
                .filter(|d| d.code.as_str() == "E001")
                .collect();
            assert!(syntax.is_empty(), "{text}\n---\n{}", o.c4);
        }
    }
}

/// `--root`: a workspace extending one in a folder above is read when the
/// root holds both, refused (I103, exit 1) without it; an input outside the
/// root is a usage error.
#[test]
fn root_widens_the_folder_extensions_are_read_in() {
    let dir = tempfile::tempdir().unwrap();
    let base = root().join("tests/import/structurizr/extends/landscape.dsl");
    std::fs::copy(&base, dir.path().join("landscape.dsl")).unwrap();
    let bank = dir.path().join("systems/bank");
    std::fs::create_dir_all(&bank).unwrap();
    std::fs::write(
        bank.join("workspace.dsl"),
        "workspace extends ../../landscape.dsl {\n  model {\n    !ref internetBankingSystem {\n      api = container \"API\"\n    }\n    customer -> api \"Calls\"\n  }\n}\n",
    )
    .unwrap();
    let run = |args: &[&str]| crate::support::c4c(args, dir.path());
    let inside = run(&["import", "structurizr", "systems/bank/workspace.dsl"]);
    assert_eq!(inside.status.code(), Some(1));
    assert!(crate::support::text(&inside.stderr).contains("error[I103]"));
    let rooted = run(&[
        "import",
        "structurizr",
        "systems/bank/workspace.dsl",
        "--root",
        ".",
    ]);
    let stderr = crate::support::text(&rooted.stderr);
    assert_eq!(rooted.status.code(), Some(0), "{stderr}");
    let out = crate::support::text(&rooted.stdout);
    assert!(
        out.contains("mainframe") && out.contains("extend internetBankingSystem {"),
        "{out}"
    );
    assert!(
        out.contains("customer -> internetBankingSystem.api"),
        "{out}"
    );
    let outside = run(&[
        "import",
        "structurizr",
        "landscape.dsl",
        "--root",
        "systems",
    ]);
    assert_eq!(outside.status.code(), Some(2));
}
