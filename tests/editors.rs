//! The editor support in `editors/vscode/` and `docs/editors.md`.
//!
//! In: the extension's package.json, snippets and extension.js, and the
//! docs. Out: the extension claims exactly the file extensions c4c reads,
//! every file it names exists, every snippet (placeholders at their
//! defaults) compiles without errors in a small host model,
//! `editors/vscode/test/smoke.js` (extension.js against stubs of VS Code and a
//! fake c4c: client, preview, stop, missing executable) passes, and the JSON
//! blocks of docs/editors.md parse. The smoke test needs Node.js; without it,
//! it fails unless `C4C_SKIP_GRAMMAR=1` (or `C4C_SKIP_MERMAID=1`) is set, and
//! then says SKIPPED on stderr.

use std::process::Command;

use crate::support::{root, text};

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A JSON file that may start with `//` comment lines (VS Code reads JSONC).
fn jsonc(rel: &str) -> serde_json::Value {
    let body: String = read(rel)
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_extension_claims_what_c4c_reads_and_its_files_exist() {
    let pkg = jsonc("editors/vscode/package.json");
    let langs = pkg["contributes"]["languages"].as_array().unwrap();
    assert_eq!(langs.len(), 1);
    assert_eq!(langs[0]["id"], "c4c");
    let exts: Vec<&str> = langs[0]["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let mut want: Vec<String> = c4c::source::MODEL_EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect();
    want.sort();
    let mut got: Vec<String> = exts.iter().map(|e| e.to_string()).collect();
    got.sort();
    assert_eq!(got, want, "the extension claims the extensions c4c reads");
    for e in &exts {
        assert!(c4c::source::is_model_file(std::path::Path::new(&format!(
            "x{e}"
        ))));
    }
    let grammar = &pkg["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "c4c");
    let tm = jsonc(&format!(
        "editors/vscode/{}",
        grammar["path"].as_str().unwrap()
    ));
    assert_eq!(tm["scopeName"], grammar["scopeName"]);
    jsonc(&format!(
        "editors/vscode/{}",
        langs[0]["configuration"].as_str().unwrap()
    ));
    jsonc(&format!(
        "editors/vscode/{}",
        pkg["contributes"]["snippets"][0]["path"].as_str().unwrap()
    ));
    let js = read("editors/vscode/extension.js");
    for cmd in pkg["contributes"]["commands"].as_array().unwrap() {
        let id = cmd["command"].as_str().unwrap();
        assert!(
            js.contains(&format!("registerCommand(\"{id}\"")),
            "extension.js registers {id}"
        );
    }
    // Pinned versions only, and a lock to install them from.
    for deps in ["dependencies", "devDependencies"] {
        for (name, v) in pkg[deps].as_object().unwrap() {
            let v = v.as_str().unwrap();
            assert!(
                v.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{name} is not pinned: {v}"
            );
        }
    }
    assert!(root().join("editors/vscode/package-lock.json").is_file());
}

/// A snippet's text with every placeholder at its default (`${1:x}` and `$1`
/// → `x`, `${1|a,b|}` → `a`, `$0` → nothing).
fn expand(body: &str) -> String {
    let mut defaults = std::collections::HashMap::new();
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').expect("closed placeholder");
            let p = &inner[..end];
            let n: String = p.chars().take_while(char::is_ascii_digit).collect();
            let tail = &p[n.len()..];
            let value = if let Some(d) = tail.strip_prefix(':') {
                d.to_string()
            } else {
                let choices = tail.trim_matches('|');
                choices.split(',').next().unwrap_or("").to_string()
            };
            out.push_str(&value);
            defaults.insert(n, value);
            rest = &inner[end + 1..];
        } else {
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            out.push_str(defaults.get(&n).map_or("", String::as_str));
            rest = &rest[n.len()..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_snippet_compiles() {
    let snippets = jsonc("editors/vscode/snippets/c4c.json");
    let host = |name: &str| -> &str {
        match name {
            "Model skeleton" => "%",
            "Person" | "System" => "model { % }",
            "Container" => "model { s = system \"S\" { % } }",
            "Component" => "model { s = system \"S\" { c = container \"C\" { % } } }",
            "Relationship" => "model { source = person \"A\"\n target = system \"B\"\n % }",
            "Views block" => "model { system = system \"S\" { c = container \"C\" } }\n%",
            "Deployment" => "model { system = system \"S\" { container = container \"C\" } }\n%",
            "Deployment node" => "model { s = system \"S\" }\ndeployment d {\n%\n}",
            "Dynamic view" => {
                "model { customer = person \"C\"\n shop = system \"S\" { web = container \"W\"\n \
                 api = container \"A\" }\n customer -> shop.web \"uses\"\n \
                 shop.web -> shop.api \"calls\" }\n%"
            }
            other => panic!("snippet {other:?} has no host model in this test: add one"),
        }
    };
    for (name, s) in snippets.as_object().unwrap() {
        let lines: Vec<&str> = s["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let text = host(name).replace('%', &expand(&lines.join("\n")));
        let c = c4c::compile_text("snippet.c4", &text);
        let shown = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert_eq!(c.error_count(), 0, "snippet {name}:\n{text}\n{shown}");
        assert_eq!(c.warning_count(), 0, "snippet {name}:\n{text}\n{shown}");
    }
}

#[test]
fn the_extension_starts_the_server_and_the_preview() {
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        let set = |v: &str| std::env::var_os(v).is_some_and(|v| !v.is_empty() && v != "0");
        let why = "Node.js is not installed: the VS Code extension's smoke test cannot run";
        if set(crate::grammar::SKIP_VAR) || set(crate::mermaid::SKIP_VAR) {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "\nSKIPPED: {why}\n");
            return;
        }
        panic!(
            "{why}. Install Node.js >= 20, or set {}=1 to skip.",
            crate::grammar::SKIP_VAR
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("c4c");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncase \"$1\" in\n  --version) echo \"c4c 0.1.0\" ;;\n  lsp) sleep 60 ;;\n  \
         serve) echo \"$*\" > \"$0.serve-args\"; echo $$ > \"$0.serve-pid\"; \
         echo \"c4c: reading models\" >&2; echo \"c4c: serving http://127.0.0.1:43210/\" >&2; \
         exec sleep 60 ;;\nesac\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new("node")
        .arg(root().join("editors/vscode/test/smoke.js"))
        .arg(&fake)
        .output()
        .unwrap();
    assert!(
        out.status.success() && text(&out.stdout).contains("smoke: ok"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The ```json blocks of docs/editors.md parse (```jsonc ones may hold comments).
#[test]
fn the_editor_docs_json_parses() {
    let doc = read("docs/editors.md");
    let mut in_json = false;
    let mut body = String::new();
    let mut seen = 0;
    for line in doc.lines() {
        if in_json {
            if line.starts_with("```") {
                serde_json::from_str::<serde_json::Value>(&body)
                    .unwrap_or_else(|e| panic!("docs/editors.md JSON: {e}\n{body}"));
                in_json = false;
                seen += 1;
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if line == "```json" {
            in_json = true;
            body.clear();
        }
    }
    assert!(seen > 0, "docs/editors.md has JSON examples");
}
