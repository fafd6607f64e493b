//! Property tests (proptest) over generated input:
//!
//! - any text as a name, description, technology, label, tag, property value,
//!   url, title or note (`tests/properties/every-field.c4` puts it in every
//!   string of a model with every view kind) compiles without error, and
//!   every diagram — in both dialects — is rendered by the real Mermaid in
//!   headless Chromium (all cases in one browser session), and the upper
//!   bound `check` measures a flowchart by is never below its length;
//! - `fmt` is idempotent and keeps the model, whatever the layout;
//! - a model diffed with itself, or with its formatted self, is empty, and a
//!   change of text only is reported as changes, never as additions.
//!
//! The runs are deterministic (a fixed seed) so CI is repeatable; set
//! `PROPTEST_RNG_SEED` and `PROPTEST_CASES` to explore further.

use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

use crate::mermaid::{checker, run_checker};
use crate::support::root;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 48;

fn runner() -> TestRunner {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(0x0c4c);
    }
    TestRunner::new(config)
}

/// Text built from pieces Mermaid, HTML or the `.c4` syntax read specially,
/// arbitrary unicode (control characters included) and plain words.
fn nasty_text() -> impl Strategy<Value = String> {
    const SPECIAL: &[&str] = &[
        "\"",
        "'",
        "#",
        ";",
        "<",
        ">",
        "|",
        "&",
        "%",
        "%%",
        "`",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "\\",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "  ",
        ":",
        ",",
        "-->",
        "->",
        "~>",
        "==>",
        "-.->",
        "end",
        "graph",
        "flowchart",
        "style",
        "class",
        "classDef",
        "click",
        "subgraph",
        "note",
        "participant",
        "par",
        "and",
        "alt",
        "state",
        "direction",
        "#quot;",
        "#35;",
        "<br/>",
        "&lt;",
        "&#x3C;",
        "é",
        "日本",
        "🚀",
        "\u{200b}",
        "\u{2028}",
        "\u{0}",
        "\u{7f}",
        "\u{85}",
        "\u{feff}",
        "$",
        "*",
        "~",
        "<<",
        ">>",
        "[*]",
        "--",
        "@",
        "=",
        "+",
        "_",
        "\"\"\"",
        "//",
        "/*",
        "*/",
        "{S}",
        "\u{1b}[31m",
        "%%{",
        "}%%",
        "%%{init: {}}%%",
        // Mermaid reads any diagram holding these words as its C4 dialect.
        "C4Container",
        "C4Dynamic",
        // Bidi controls and invisible characters.
        "\u{202e}",
        "\u{2066}",
        "\u{200f}",
        "\u{e0041}",
    ];
    let piece = prop_oneof![
        3 => any::<char>().prop_map(String::from),
        6 => prop::sample::select(SPECIAL).prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// `text` as the inside of a `.c4` double-quoted string.
fn c4_string(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The model of `tests/properties/every-field.c4` with `text` in every string.
pub fn model_with(text: &str) -> String {
    fill(&template(), text)
}

fn template() -> String {
    std::fs::read_to_string(root().join("tests/properties/every-field.c4")).unwrap()
}

/// A template with `text` in every placeholder.
fn fill(template: &str, text: &str) -> String {
    // A tag: tags are split at commas and trimmed, so keep it one tag.
    let tag = format!("t{}", text.replace(',', " ").trim());
    // One pass, so a `{S}` inside the text is not replaced again.
    let (tag, text) = (c4_string(&tag), c4_string(text));
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(at) = rest.find(['{']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (with, len) = if tail.starts_with("{S}") {
            (text.as_str(), 3)
        } else if tail.starts_with("{T}") {
            (tag.as_str(), 3)
        } else {
            ("{", 1)
        };
        out.push_str(with);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// (file name, text) pairs.
pub type Files = Vec<(String, String)>;

/// Every diagram of a compiled model, in both dialects: (file name, text).
pub fn all_diagrams(c: &c4c::Compilation) -> Files {
    let mut out: Vec<(String, String)> = c
        .diagrams()
        .map(|d| (format!("{}.mmd", d.key), d.text.clone()))
        .collect();
    for w in &c.compiled {
        for view in &w.views {
            if let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, view) {
                out.push((format!("{}.c4-dialect.mmd", view.key), text));
            }
        }
    }
    out
}

fn errors(c: &c4c::Compilation) -> String {
    let errors: Vec<c4c::diagnostic::Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    c4c::diagnostic::render_all(&errors, &c.sources, false)
}

#[test]
fn any_text_in_any_field_gives_diagrams_real_mermaid_renders() {
    let generated: Mutex<Vec<(String, Files)>> = Mutex::new(Vec::new());
    let result = runner().run(&nasty_text(), |text| {
        let src = model_with(&text);
        let c = c4c::compile_text("every-field.c4", &src);
        prop_assert!(c.error_count() == 0, "{text:?}:\n{}", errors(&c));
        let diagrams = all_diagrams(&c);
        // Every view kind: 15 flowchart/class/state/sequence views (three
        // of them the dynamic view with control-flow blocks, one of those
        // over the container view), and the C4-dialect forms of the static
        // ones.
        prop_assert_eq!(c.diagrams().count(), 15);
        // `check`'s bound of each flowchart's length holds for any text.
        let bound = crate::bound::bound_holds(&c);
        prop_assert!(bound.is_ok(), "{text:?}: {bound:?}");
        for (name, d) in &diagrams {
            // Control characters other than the line break, bidi controls
            // and invisible characters never reach a diagram.
            let bad = d.chars().find(|c| {
                (c.is_control() && *c != '\n') || crate::security_diagrams::invisible(*c)
            });
            prop_assert!(bad.is_none(), "{text:?}: {bad:?} in {name}");
        }
        generated.lock().unwrap().push((text, diagrams));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }

    let Some(checker) = checker() else { return };
    let dir = tempfile::tempdir().unwrap();
    let generated = generated.into_inner().unwrap();
    for (i, (_, diagrams)) in generated.iter().enumerate() {
        let case = dir.path().join(format!("case-{i:03}"));
        std::fs::create_dir_all(&case).unwrap();
        for (name, text) in diagrams {
            std::fs::write(case.join(name), text).unwrap();
        }
    }
    let (ok, report) = run_checker(&checker, dir.path());
    if !ok {
        // Name the generated text behind each rejected diagram.
        let mut failures = String::new();
        for line in report.lines().filter(|l| l.starts_with("FAIL ")) {
            let case = line
                .split("case-")
                .nth(1)
                .and_then(|r| r.get(..3))
                .and_then(|n| n.parse::<usize>().ok());
            let text = case.and_then(|i| generated.get(i)).map(|(t, _)| t.as_str());
            failures.push_str(&format!("{line}\n    text: {text:?}\n"));
        }
        panic!("Mermaid rejected diagrams made from generated text:\n{failures}\n{report}");
    }
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// A template laid out differently: every line break becomes one of a few
/// messy spellings, every indentation and every space between tokens a
/// random run of blanks. (No blank lines: `fmt` keeps those, and they end a
/// run of aligned `=`.) Comment lines, and the spacing within lines of
/// `code`, `states` and `dynamic` blocks (free-text labels), are left alone:
/// `fmt` keeps those as written.
fn messy_layout(template: &str, choices: &[u8]) -> String {
    const BREAKS: &[&str] = &["\n", "\r\n", "  \n", " \t\r\n", "\t\n"];
    const BLANKS: &[&str] = &["", " ", "      ", "\t", "  \t  "];
    let mut pick = choices.iter().cycle().map(|c| *c as usize);
    let mut next = || pick.next().unwrap_or(0);
    let mut out = String::new();
    let mut verbatim = false;
    for line in template.lines() {
        if ["code ", "states ", "dynamic "]
            .iter()
            .any(|k| line.starts_with(k))
        {
            verbatim = true;
        }
        let inside = verbatim && !line.starts_with(char::is_alphabetic);
        if line == "}" {
            verbatim = false;
        }
        let line = line.trim_start();
        out.push_str(BLANKS[next() % BLANKS.len()]);
        if line.starts_with("//") || inside {
            out.push_str(line);
        } else {
            let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    out.push_str(&" ".repeat(1 + next() % 3));
                    if next() % 4 == 0 {
                        out.push('\t');
                    }
                }
                out.push_str(w);
            }
        }
        out.push_str(BREAKS[next() % BREAKS.len()]);
    }
    out
}

fn diagrams_of(c: &c4c::Compilation) -> Vec<(String, String)> {
    c.diagrams()
        .map(|d| (d.key.clone(), d.text.clone()))
        .collect()
}

#[test]
fn fmt_is_idempotent_and_keeps_the_model_whatever_the_layout() {
    let strategy = (nasty_text(), prop::collection::vec(any::<u8>(), 1..64));
    let result = runner().run(&strategy, |(text, choices)| {
        let src = model_with(&text);
        let messy = fill(&messy_layout(&template(), &choices), &text);
        let once = c4c::format::format_source(&messy);
        let twice = c4c::format::format_source(&once);
        prop_assert_eq!(&once, &twice, "not idempotent for {:?}", text);
        let reference = c4c::compile_text("m.c4", &src);
        let formatted = c4c::compile_text("m.c4", &once);
        prop_assert!(
            formatted.error_count() == 0,
            "{text:?}:\n{}",
            errors(&formatted)
        );
        prop_assert_eq!(diagrams_of(&reference), diagrams_of(&formatted));
        // Formatting the tidy source and the messy one gives the same file.
        let tidy = c4c::format::format_source(&src);
        prop_assert!(
            tidy == once,
            "{text:?}:\n{}",
            similar::TextDiff::from_lines(&tidy, &once).unified_diff()
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn diff_of_a_model_with_itself_is_empty_and_text_changes_are_changes() {
    let strategy = (nasty_text(), nasty_text());
    let result = runner().run(&strategy, |(a, b)| {
        let old = c4c::compile_text("m.c4", &model_with(&a));
        let same = c4c::compile_text("m.c4", &c4c::format::format_source(&model_with(&a)));
        let d = c4c::diff::diff(&old.compiled, &same.compiled);
        prop_assert!(
            d.is_empty(),
            "{a:?}: {}",
            c4c::diff::report::text(&d, false)
        );

        let new = c4c::compile_text("m.c4", &model_with(&b));
        let d = c4c::diff::diff(&old.compiled, &new.compiled);
        let report = c4c::diff::report::text(&d, false);
        // Same identifiers, other text: nothing added, removed or moved.
        prop_assert!(
            d.added_elements.is_empty()
                && d.removed_elements.is_empty()
                && d.moved_elements.is_empty()
                && d.added_views.is_empty()
                && d.removed_views.is_empty(),
            "{a:?} → {b:?}:\n{report}"
        );
        if a != b {
            prop_assert!(
                !d.changed_elements.is_empty(),
                "{a:?} → {b:?}: no change seen"
            );
        }
        // Every report format renders; the Markdown one is checked with real
        // Mermaid in tests/diff.rs.
        let _ = c4c::diff::report::json(&d);
        let _ = c4c::diff::report::markdown(&d, &old.compiled, &new.compiled, Some(60_000));
        Ok::<(), TestCaseError>(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
