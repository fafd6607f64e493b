//! `c4c import structurizr workspace.json`: the workspace JSON Structurizr
//! exports, translated to `.c4`.
//!
//! In: `tests/import/structurizr-json/*.json` (real exports, with their
//! attribution in `NOTICE.md`, and hand-written cases). Out: an insta
//! snapshot per input of the `.c4` text and the issues; every output is
//! `fmt`-clean, compiles with no errors, keeps every element and declared
//! relationship, and each static view shows the elements the JSON view
//! lists. Also: hostile JSON (deep nesting, not JSON, ids naming nothing,
//! duplicate ids, hostile names, huge arrays) gives coded issues that point
//! into the JSON, never a panic.

use std::collections::HashMap;
use std::path::PathBuf;

use c4c::import::{Code, Outcome, structurizr};
use serde_json::Value;

use crate::import::{compiled_keeping_everything, issues_text};
use crate::support::root;

fn inputs() -> Vec<PathBuf> {
    let dir = root().join("tests/import/structurizr-json");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

/// Every element of the JSON (model and deployment), id → name.
fn names(v: &Value, out: &mut HashMap<String, String>) {
    let Some(o) = v.as_object() else { return };
    if let (Some(id), Some(name)) = (o.get("id").and_then(Value::as_str), o.get("name")) {
        out.entry(id.to_string())
            .or_insert_with(|| name.as_str().unwrap_or_default().to_string());
    }
    for key in [
        "people",
        "softwareSystems",
        "containers",
        "components",
        "customElements",
    ] {
        for e in o.get(key).and_then(Value::as_array).into_iter().flatten() {
            names(e, out);
        }
    }
}

/// Every deployment item of the JSON, id → name (an instance's: its element's).
fn deployed_names(v: &Value, out: &mut HashMap<String, String>) {
    let Some(o) = v.as_object() else { return };
    for key in ["children", "infrastructureNodes"] {
        for n in o.get(key).and_then(Value::as_array).into_iter().flatten() {
            names(n, out);
            deployed_names(n, out);
        }
    }
    for (key, of) in [
        ("containerInstances", "containerId"),
        ("softwareSystemInstances", "softwareSystemId"),
    ] {
        for i in o.get(key).and_then(Value::as_array).into_iter().flatten() {
            let (Some(id), Some(of)) = (i["id"].as_str(), i[of].as_str()) else {
                continue;
            };
            let name = out.get(of).cloned().unwrap_or_default();
            out.entry(id.to_string()).or_insert(name);
        }
    }
}

/// For each view of the JSON but dynamic ones, (key, the names of the
/// elements it lists, sorted).
fn json_views(ws: &Value) -> Vec<(String, Vec<String>)> {
    let mut ids = HashMap::new();
    names(&ws["model"], &mut ids);
    for n in ws["model"]["deploymentNodes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        names(n, &mut ids);
        deployed_names(n, &mut ids);
    }
    let mut out = Vec::new();
    for kind in [
        "systemLandscapeViews",
        "systemContextViews",
        "containerViews",
        "componentViews",
        "customViews",
        "deploymentViews",
    ] {
        for v in ws["views"][kind].as_array().into_iter().flatten() {
            let mut shown: Vec<String> = v["elements"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| ids.get(e["id"].as_str()?).cloned())
                .collect();
            shown.sort();
            out.push((v["key"].as_str().unwrap_or_default().to_string(), shown));
        }
    }
    out
}

/// The names of what a compiled view draws: a static view's boxes, a
/// deployment view's items.
fn drawn(model: &c4c::model::Model, view: &c4c::view::View) -> Vec<String> {
    let mut got: Vec<String> = match &view.content {
        c4c::view::Content::Deployment(d) => model
            .env(d.env)
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| d.shows(*i))
            .map(|(_, it)| it.name.clone())
            .collect(),
        _ => view
            .nodes()
            .iter()
            .map(|e| model.element(*e).name.clone())
            .collect(),
    };
    got.sort();
    got
}

#[test]
fn workspace_json_inputs_import_compile_and_keep_everything() {
    let inputs = inputs();
    assert!(inputs.len() >= 3, "{inputs:?}");
    for file in inputs {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let o = structurizr::json::import(&name, &text);
        let (c, snap) = compiled_keeping_everything(&name, &o);
        let compiled = &c.compiled[0];
        let model = &compiled.model;
        let ws: Value = serde_json::from_str(&text).unwrap();
        for (key, want) in json_views(&ws) {
            let view = compiled.views.iter().find(|v| v.key == key);
            let view = view.unwrap_or_else(|| panic!("{name}: no view {key}"));
            let got = drawn(model, view);
            assert_eq!(got, want, "{name}: the elements of view {key}");
        }
        let stem = name.trim_end_matches(".json");
        insta::assert_snapshot!(format!("import_structurizr_json_{stem}"), snap);
    }
}

fn import(text: &str) -> Outcome {
    structurizr::json::import("workspace.json", text)
}

fn codes(o: &Outcome) -> Vec<(Code, usize)> {
    o.issues.iter().map(|i| (i.code, i.line)).collect()
}

/// The output compiles with no error (syntax or other).
fn assert_compiles(o: &Outcome) {
    let c = c4c::compile_text("m.c4", &o.c4);
    let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
    assert_eq!(c.error_count(), 0, "{}\n{rendered}", o.c4);
}

#[test]
fn json_that_is_no_workspace_is_a_coded_error_with_its_line() {
    let o = import("{\n  \"name\": \"x\",\n  \"model\": ,\n}");
    assert_eq!(codes(&o), [(Code::I106, 3)], "{}", issues_text(&o));
    assert!(
        o.issues[0].message.contains("column"),
        "{}",
        issues_text(&o)
    );
    assert!(o.c4.is_empty());
    for text in [
        "",
        "[1, 2]",
        "\"text\"",
        "{\"model\": 5}",
        "{\"views\": {\"systemLandscapeViews\": 3}}",
    ] {
        let o = import(text);
        assert_eq!(
            o.issues.iter().map(|i| i.code).collect::<Vec<_>>(),
            [Code::I106],
            "{text}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!(
            "{{\"model\": {}1{}}}",
            open.repeat(depth),
            close.repeat(depth)
        );
        let o = import(&text);
        assert_eq!(
            o.issues.iter().map(|i| i.code).collect::<Vec<_>>(),
            [Code::I106]
        );
        assert!(
            o.issues[0].message.contains("recursion"),
            "{}",
            issues_text(&o)
        );
    }
    // Deployment nodes nested as deep as JSON allows still translate.
    let mut node = String::from("{\"id\": \"n\", \"name\": \"N\", \"environment\": \"Live\"}");
    for i in 0..60 {
        node = format!(
            "{{\"id\": \"n{i}\", \"name\": \"N\", \"environment\": \"Live\", \"children\": [{node}]}}"
        );
    }
    let o = import(&format!("{{\"model\": {{\"deploymentNodes\": [{node}]}}}}"));
    assert_eq!(o.errors(), 0, "{}", issues_text(&o));
    assert_eq!(o.counts.deployment, 62);
}

#[test]
fn ids_naming_nothing_and_duplicate_ids_are_reported_at_their_line() {
    let text = r#"{
  "model": {
    "people": [
      { "id": "1", "name": "User",
        "relationships": [ { "id": "10", "sourceId": "1", "destinationId": "99" } ] },
      { "id": "1", "name": "Twin" }
    ],
    "softwareSystems": [ { "id": "2", "name": "S" } ],
    "deploymentNodes": [
      { "id": "5", "name": "Box", "environment": "Live",
        "containerInstances": [ { "id": "6", "containerId": "98" } ] }
    ]
  },
  "views": {
    "systemLandscapeViews": [ { "key": "L", "elements": [ { "id": "1" }, { "id": "97" } ] } ],
    "containerViews": [ { "key": "C", "softwareSystemId": "1" } ],
    "dynamicViews": [ { "key": "D", "relationships": [ { "id": "96", "order": "1" } ] } ]
  }
}"#;
    let o = import(text);
    assert_eq!(
        codes(&o),
        [
            (Code::I003, 5),
            (Code::I002, 6),
            (Code::I003, 11),
            (Code::I003, 15),
            (Code::I003, 16),
            (Code::I003, 17),
        ],
        "{}",
        issues_text(&o)
    );
    assert!(o.issues.iter().all(|i| i.file == "workspace.json"));
    assert_compiles(&o);
    assert_eq!(o.counts.elements, 3);
}

#[test]
fn hostile_names_give_valid_unique_identifiers_and_escaped_text() {
    let hostile = [
        "",
        "   ",
        "日本語",
        "a\"b\\c",
        "line\nbreak\r",
        "\u{202e}evil\u{1b}[2J",
        "${A}",
        "!include /etc/passwd",
        "this",
        "title",
        "-> ->",
        "}",
        "9lives",
    ];
    let mut systems = Vec::new();
    for (i, n) in hostile.iter().enumerate() {
        let n = serde_json::to_string(n).unwrap();
        systems.push(format!(
            r#"{{ "id": "s{i}", "name": {n}, "description": {n}, "tags": {n}, "group": {n},
                 "properties": {{ {n}: {n} }},
                 "containers": [ {{ "id": "c{i}", "name": {n}, "technology": {n} }}, {{ "id": "d{i}", "name": {n} }} ],
                 "relationships": [ {{ "id": "r{i}", "sourceId": "s{i}", "destinationId": "c0", "description": {n} }} ] }}"#
        ));
    }
    let text = format!(
        r#"{{ "name": "\u202e", "model": {{ "softwareSystems": [ {} ] }},
             "views": {{ "systemLandscapeViews": [ {{ "key": "../../x \"y\"", "title": "\u001b[31m", "elements": [ {{ "id": "s0" }}, {{ "id": "s1" }} ] }} ] }} }}"#,
        systems.join(",")
    );
    let o = import(&text);
    assert_eq!(o.errors(), 0, "{}", issues_text(&o));
    assert!(
        !o.c4
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{202e}' || c == '\r'),
        "{}",
        o.c4
    );
    assert_compiles(&o);
    let c = c4c::compile_text("m.c4", &o.c4);
    assert_eq!(c.compiled[0].model.elements().count(), 3 * hostile.len());
}

#[test]
fn huge_arrays_translate_in_one_pass() {
    let n = 5_000;
    let people: Vec<String> = (0..n)
        .map(|i| {
            let to = (i + 1) % n;
            format!(
                r#"{{"id": "p{i}", "name": "Same", "relationships": [{{"id": "r{i}", "sourceId": "p{i}", "destinationId": "p{to}"}}]}}"#
            )
        })
        .collect();
    // Many views, each of many elements: the relationships they leave out
    // are looked for within a bounded budget.
    let elements: Vec<String> = (0..n).map(|i| format!(r#"{{"id": "p{i}"}}"#)).collect();
    let views: Vec<String> = (0..20)
        .map(|i| format!(r#"{{"key": "v{i}", "elements": [{}]}}"#, elements.join(",")))
        .collect();
    let text = format!(
        r#"{{"model": {{"people": [{}]}}, "views": {{"systemLandscapeViews": [{}]}}}}"#,
        people.join(","),
        views.join(",")
    );
    let o = import(&text);
    assert_eq!(o.errors(), 0, "{}", issues_text(&o));
    assert_eq!(o.counts.elements, n);
    assert_eq!(o.counts.relationships, n);
    assert_eq!(o.counts.views, 20);
}

/// Real inputs with junk inserted at deterministic places: never a panic,
/// never a `.c4` syntax error.
#[test]
fn mutated_json_never_panics_nor_gives_invalid_syntax() {
    let junk = [
        "\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\\",
        "\"id\": \"1\",",
        "null",
        "\n",
    ];
    for file in inputs() {
        let original = std::fs::read_to_string(&file).unwrap();
        for text in crate::support::mutations(&original, &junk, 0x9E37_79B9_7F4A_7C15, 40) {
            let o = import(&text);
            let c = c4c::compile_text("m.c4", &o.c4);
            assert!(
                c.diagnostics.iter().all(|d| d.code.as_str() != "E001"),
                "{text}\n---\n{}",
                o.c4
            );
        }
    }
}

#[test]
fn the_command_reads_a_json_file_or_a_folder_holding_workspace_json() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("tests/import/structurizr-json/shop.json");
    std::fs::copy(&src, dir.path().join("workspace.json")).unwrap();
    let run = |args: &[&str]| crate::support::c4c(args, dir.path());
    let from_folder = run(&["import", "structurizr", "."]);
    assert_eq!(
        from_folder.status.code(),
        Some(0),
        "{}",
        crate::support::text(&from_folder.stderr)
    );
    let stderr = crate::support::text(&from_folder.stderr);
    assert!(
        stderr.contains("warning[I001]: workspace.json:"),
        "{stderr}"
    );
    let out = crate::support::text(&from_folder.stdout);
    assert!(out.contains("shop.webApp -> shop.database"), "{out}");
    // Read as JSON by its content too.
    std::fs::copy(&src, dir.path().join("export.txt")).unwrap();
    let by_content = run(&["import", "structurizr", "export.txt"]);
    assert_eq!(crate::support::text(&by_content.stdout), out);
    std::fs::write(dir.path().join("bad.json"), "{\n\"model\": [\n").unwrap();
    let bad = run(&["import", "structurizr", "bad.json"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(crate::support::text(&bad.stderr).contains("error[I106]: bad.json:3:"));
}
