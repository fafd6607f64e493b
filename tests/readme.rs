//! The README's commands and its 30-second example are tested, so they stay true.

use crate::support::{c4c, root, text};

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The fenced blocks of a section, as (info string, body).
fn blocks(section: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((info.to_string(), body));
        }
    }
    out
}

fn section(name: &str) -> String {
    let r = readme();
    let start = r
        .find(&format!("## {name}"))
        .unwrap_or_else(|| panic!("README has no section {name}"));
    let rest = &r[start + 3..];
    let end = rest.find("\n## ").map(|i| i + 1).unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() {
    let cmds: Vec<String> = blocks(&section("Quick start"))
        .into_iter()
        .filter(|(info, _)| info == "sh")
        .map(|(_, b)| b.trim().to_string())
        .collect();
    assert_eq!(
        cmds,
        [
            "cargo run --release -- build examples/shop -o diagrams",
            "cargo test"
        ]
    );
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim().starts_with("cargo test")),
        ".ci/run must run the README's test command"
    );
}

#[test]
fn quick_start_build_command_works_from_a_fresh_directory() {
    let cmds = blocks(&section("Quick start"));
    let build = cmds[0].1.trim();
    let args: Vec<&str> = build
        .split_once(" -- ")
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    // Run it where a newcomer would: a checkout with the examples, no prior output.
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("examples/shop");
    std::fs::create_dir_all(&dest).unwrap();
    for e in std::fs::read_dir(root().join("examples/shop")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dest.join(p.file_name().unwrap())).unwrap();
    }
    let o = c4c(&args, dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let index = std::fs::read_to_string(dir.path().join("diagrams/index.md")).unwrap();
    assert!(index.contains("```mermaid"));
    assert!(dir.path().join("diagrams/shop-containers.mmd").exists());
}

#[test]
fn thirty_second_example_output_is_what_c4c_produces() {
    let b = blocks(&section("A 30-second example"));
    let model = &b.iter().find(|(i, _)| i == "c4").expect("a c4 block").1;
    let shown = &b
        .iter()
        .find(|(i, _)| i == "mermaid")
        .expect("a mermaid block")
        .1;
    let c = c4c::compile_text("shop.c4", model);
    let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
    assert!(c.diagnostics.is_empty(), "{rendered}");
    let d = c.diagrams().find(|d| d.key == "shop-containers").unwrap();
    assert_eq!(
        &d.text, shown,
        "README's diagram is stale: update it from `c4c build`"
    );
}

/// Every ```c4 example in docs/language.md compiles: without errors or
/// warnings, or — when a ```text block of diagnostics follows it — with
/// exactly the diagnostic codes shown there. Multi-file examples
/// (`// file: NAME`) are written to a directory and compiled together; an
/// example starting `// not compiled` (one naming a file) is skipped.
#[test]
fn language_doc_examples_are_true() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let all = blocks(&doc);
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut multi_file = Vec::new();
    for (i, (info, body)) in all.iter().enumerate() {
        if info != "c4" || body.starts_with("// not compiled") {
            continue;
        }
        if let Some(name) = body
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// file: "))
        {
            let path = dir.path().join("files").join(name.trim());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, body).unwrap();
            multi_file.push(path);
            continue;
        }
        let expected: Vec<String> = match all.get(i + 1) {
            Some((next, text))
                if next == "text"
                    && (text.starts_with("error[") || text.starts_with("warning[")) =>
            {
                text.lines()
                    .filter_map(|l| l.split_once("]:").map(|(head, _)| head.to_string()))
                    .filter(|h| h.starts_with("error[") || h.starts_with("warning["))
                    .collect()
            }
            _ => Vec::new(),
        };
        let c = c4c::compile_text("example.c4", body);
        let got: Vec<String> = c
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}[{}",
                    if d.is_error() { "error" } else { "warning" },
                    d.code
                )
            })
            .collect();
        let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert_eq!(
            got, expected,
            "docs/language.md example #{i}:\n{body}\n{rendered}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} examples found");
    if let Some(main) = multi_file.first() {
        let c = c4c::compile(
            std::slice::from_ref(main),
            &c4c::LoadOptions::rooted(Some(dir.path().join("files"))),
        )
        .unwrap();
        let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert!(c.diagnostics.is_empty(), "{rendered}");
    }
}

/// docs/language.md: a ```text block of diagram lines (not diagnostics)
/// after a ```c4 example shows what that example draws — every line of it
/// is a line of one of the example's diagrams (in either dialect), so the
/// docs cannot drift.
#[test]
fn language_doc_diagram_excerpts_are_true() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let mut example: Option<&str> = None;
    let mut checked = 0;
    let all = blocks(&doc);
    for (info, body) in &all {
        if info == "c4" {
            example = Some(body);
            continue;
        }
        let diagnostics = body.starts_with("error[") || body.starts_with("warning[");
        let (true, false, Some(model)) = (info == "text", diagnostics, example) else {
            continue;
        };
        let c = c4c::compile_text("example.c4", model);
        // The C4 dialect's diagrams too (`build --dialect c4`).
        let c4: Vec<String> = c
            .compiled
            .iter()
            .flat_map(|w| {
                w.views
                    .iter()
                    .filter_map(|v| c4c::emit::mermaid::c4dialect::render(&w.model, v))
            })
            .collect();
        let lines: std::collections::HashSet<&str> = c
            .diagrams()
            .map(|d| d.text.as_str())
            .chain(c4.iter().map(String::as_str))
            .flat_map(str::lines)
            .map(str::trim)
            .collect();
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(
                lines.contains(line),
                "docs/language.md: `{line}` is not drawn by the example before it:\n{model}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} diagram excerpts found");
}

/// docs/ci.md: every YAML block parses, and every flag its `c4c` commands use
/// is one the subcommand accepts.
#[test]
fn ci_guide_yaml_parses_and_uses_real_flags() {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let all = blocks(&doc);
    let yaml: Vec<&String> = all
        .iter()
        .filter(|(i, _)| i == "yaml")
        .map(|(_, b)| b)
        .collect();
    assert!(yaml.len() >= 3, "GitHub, GitLab and pre-commit examples");
    for body in &yaml {
        yaml_rust2::YamlLoader::load_from_str(body)
            .unwrap_or_else(|e| panic!("docs/ci.md YAML does not parse: {e}\n{body}"));
    }
    // The commands the action and the GitLab component run are checked too.
    let mut bodies: Vec<String> = all.iter().map(|(_, b)| b.clone()).collect();
    for f in ["action.yml", "templates/c4c/template.yml"] {
        bodies.push(std::fs::read_to_string(root().join(f)).unwrap());
    }
    let mut checked = 0;
    for body in &bodies {
        // Join shell continuation lines, then look at each `c4c SUB …` command.
        let joined = body.replace("\\\n", " ");
        for line in joined.lines() {
            let mut rest = line;
            while let Some(at) = rest.find("c4c ") {
                let cmd = &rest[at + 4..];
                rest = cmd;
                let mut words = cmd.split_whitespace();
                let Some(sub) = words.next() else { continue };
                if !["build", "check", "diff", "views", "fmt"].contains(&sub) {
                    continue;
                }
                let help = text(&c4c(&[sub, "--help"], &root()).stdout);
                for w in words.take_while(|w| !["|", "||", "&&", ">", ";"].contains(w)) {
                    if let Some(flag) = w.strip_prefix("--") {
                        let flag = flag.split('=').next().unwrap_or(flag);
                        assert!(
                            help.contains(&format!("--{flag}")),
                            "docs/ci.md uses `c4c {sub} --{flag}`, which `c4c {sub}` does not accept"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 8, "only {checked} flags found");
}

#[test]
fn install_section_has_the_crates_io_and_clone_lines() {
    let cmds: Vec<String> = blocks(&section("Install"))
        .into_iter()
        .filter(|(info, _)| info == "sh")
        .flat_map(|(_, b)| {
            b.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        cmds,
        [
            "cargo install --locked c4c",
            "cargo install --locked --path ."
        ]
    );
    // The clone line installs this package: the manifest names the binary.
    let toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(toml.contains("name = \"c4c\""));
    assert!(toml.contains("rust-version = \"1.88\""));
}
