//! Every diagram c4c emits is checked with the real Mermaid parser (Node +
//! the pinned `mermaid` package in `tools/mermaid-check`): all test cases, all
//! examples, the Markdown index, and a generated model whose names, labels and
//! identifiers use every printable ASCII character and some unicode.
//!
//! Without Node the test prints a loud warning and passes locally; in CI
//! (`CI` set) a missing Node is a failure.

use std::path::Path;
use std::process::Command;

use crate::support::{root, text};

/// Writes every diagram (and the Markdown index), and next to them the same
/// views in Mermaid's C4 dialect.
fn write_compilation(c: &c4c::Compilation, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let diagrams: Vec<&c4c::Diagram> = c.diagrams().collect();
    for d in &diagrams {
        std::fs::write(dir.join(format!("{}.mmd", d.key)), &d.text).unwrap();
    }
    std::fs::write(dir.join("index.md"), c4c::emit::markdown::index(&diagrams)).unwrap();
    let c4 = dir.join("c4-dialect");
    std::fs::create_dir_all(&c4).unwrap();
    for w in &c.compiled {
        for (def, view) in w.model.views.iter().zip(&w.views) {
            if let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, def, view) {
                std::fs::write(c4.join(format!("{}.mmd", def.key)), text).unwrap();
            }
        }
    }
}

/// A model that puts every printable ASCII character (and some unicode) into
/// names, descriptions, technologies, relationship labels and group titles.
fn adversarial_model() -> String {
    let mut chars: Vec<String> = (0x20u8..0x7f).map(|b| (b as char).to_string()).collect();
    chars.extend(
        [
            "é", "日本", "🚀", "\u{200b}", "end", "graph", "%%", "#quot;", "-->", "```", "\"\"",
            "\\n", "<br/>",
        ]
        .map(String::from),
    );
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut m = String::from("model {\n  group \"\" { hub = system \"\" }\n");
    for (i, c) in chars.iter().enumerate() {
        let e = esc(c);
        m.push_str(&format!(
            "  group \"g {e}\" {{\n    s{i} = system \"{e}\" \"desc {e} {e}\" {{\n      c{i} = container \"{e}x{e}\" \"{e}\" \"{e}\"\n    }}\n  }}\n  s{i}.c{i} -> hub \"{e}\" \"{e}\"\n  hub ~> s{i} \"line1\\n{e}\"\n"
        ));
    }
    m.push_str("}\n");
    m
}

/// Makes sure Node and the pinned checker are installed (once per test run).
/// Returns the checker's directory, or `None` when Node is missing outside CI.
pub fn checker() -> Option<std::path::PathBuf> {
    static READY: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    READY
        .get_or_init(|| {
            let node_ok = Command::new("node")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            if !node_ok {
                let msg = "\n\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                           !!  Node.js is not installed: the real-Mermaid check did NOT run.\n\
                           !!  Install Node >= 20 and npm, then run `cargo test` again.\n\
                           !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n";
                if std::env::var_os("CI").is_some() {
                    panic!("{msg}(CI is set: a missing Node is a failure)");
                }
                eprintln!("{msg}");
                return None;
            }
            let tool = root().join("tools/mermaid-check");
            let install = Command::new("bash")
                .arg(tool.join("install.sh"))
                .output()
                .expect("bash runs");
            assert!(
                install.status.success(),
                "installing the Mermaid checker failed:\n{}{}",
                text(&install.stdout),
                text(&install.stderr)
            );
            Some(tool)
        })
        .clone()
}

/// Runs the real Mermaid parser over every diagram in `dir` (`.mmd` files and
/// fenced blocks in `.md` files) and fails the test when one is rejected.
fn check_dir(tool: &Path, dir: &Path) {
    let (ok, report) = run_checker(tool, dir);
    assert!(ok, "Mermaid rejected generated diagrams:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// Runs the real Mermaid parser over `dir`: (all passed, the checker's report,
/// one `FAIL file: why` line per rejected diagram).
pub fn run_checker(tool: &Path, dir: &Path) -> (bool, String) {
    let check = Command::new("node")
        .arg(tool.join("check.mjs"))
        .arg(dir)
        .output()
        .unwrap();
    let report = format!("{}{}", text(&check.stdout), text(&check.stderr));
    (check.status.success(), report)
}

/// Checks every Mermaid block of a Markdown document (e.g. a diff report).
pub fn check_markdown(name: &str, markdown: &str) {
    let Some(tool) = checker() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("{name}.md")), markdown).unwrap();
    check_dir(&tool, dir.path());
}

#[test]
fn every_emitted_diagram_parses_with_real_mermaid() {
    let Some(tool) = checker() else { return };
    let out = tempfile::tempdir().unwrap();
    let opts = c4c::LoadOptions { root_dir: None };
    let mut inputs = Vec::new();
    for pattern_dir in ["tests/cases", "examples"] {
        for entry in std::fs::read_dir(root().join(pattern_dir)).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name == "errors" {
                continue;
            }
            if p.extension().is_some_and(|e| e == "c4") || p.is_dir() {
                inputs.push((format!("{pattern_dir}/{name}").replace('/', "_"), p));
            }
        }
    }
    inputs.sort();
    assert!(inputs.len() >= 10);
    for (name, path) in &inputs {
        let c = c4c::compile(std::slice::from_ref(path), &opts).unwrap();
        assert_eq!(c.error_count(), 0, "{}", path.display());
        write_compilation(&c, &out.path().join(name));
    }
    let adversarial = c4c::compile_text("adversarial.c4", &adversarial_model());
    let rendered =
        c4c::diagnostic::render_all(&adversarial.diagnostics, &adversarial.sources, false);
    assert_eq!(adversarial.error_count(), 0, "{rendered}");
    write_compilation(&adversarial, &out.path().join("generated_adversarial"));

    check_dir(&tool, out.path());
}
