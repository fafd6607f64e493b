//! c4c → Structurizr DSL → c4c: an example exported with `c4c build
//! --format structurizr`, each workspace imported back with `c4c import
//! structurizr`, gives the same model: the same elements (identifier, C4
//! level, name, description, technology, external), the same relationships
//! (ends, label, technology) and the same views (keys), up to what
//! docs/interop.md lists as lost in the DSL: kinds of c4c's own (`database`,
//! `queue`, …) come back as their C4 level, an annotation as a system (the
//! DSL has neither), and a line break in a text as a space.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{c4c, root, text};

type Element = (String, String, String, String, String, bool);
type Relationship = (String, String, String, String);

/// Elements, relationships and view keys of models, from `build --format json`,
/// each with how many times it occurs.
fn model(
    paths: &[&Path],
) -> (
    BTreeMap<Element, usize>,
    BTreeMap<Relationship, usize>,
    BTreeMap<String, usize>,
) {
    let (mut els, mut rels, mut views) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for p in paths {
        let o = c4c(&["build", "--format", "json", p.to_str().unwrap()], &root());
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            p.display(),
            text(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        // A line break is a space in the DSL.
        let s = |x: &serde_json::Value| x.as_str().unwrap_or("").replace('\n', " ");
        let base = |x: &serde_json::Value| match x.as_str() {
            Some("annotation") => "system".to_string(),
            other => other.unwrap_or("").to_string(),
        };
        for ws in v["workspaces"].as_array().unwrap() {
            for e in ws["elements"].as_array().unwrap() {
                let key = (
                    s(&e["id"]),
                    base(&e["base"]),
                    s(&e["name"]),
                    s(&e["description"]),
                    s(&e["technology"]),
                    e["external"].as_bool().unwrap_or(false),
                );
                *els.entry(key).or_insert(0) += 1;
            }
            for r in ws["relationships"].as_array().unwrap() {
                let key = (
                    s(&r["source"]),
                    s(&r["target"]),
                    s(&r["label"]),
                    s(&r["technology"]),
                );
                *rels.entry(key).or_insert(0) += 1;
            }
            for view in ws["views"].as_array().unwrap() {
                *views.entry(s(&view["key"])).or_insert(0) += 1;
            }
        }
    }
    (els, rels, views)
}

/// What one side has that the other lacks (or has a different number of).
fn missing<K: Ord + std::fmt::Debug>(
    a: &BTreeMap<K, usize>,
    b: &BTreeMap<K, usize>,
) -> Vec<String> {
    a.iter()
        .filter(|(k, n)| b.get(*k) != Some(n))
        .map(|(k, n)| format!("{k:?} ×{n}"))
        .take(10)
        .collect()
}

fn round_trip(example: &str) {
    let dir = tempfile::tempdir().unwrap();
    let dsl = dir.path().join("dsl");
    let o = c4c(
        &[
            "build",
            example,
            "--format",
            "structurizr",
            "-o",
            dsl.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let mut back = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dsl)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let out = dir
            .path()
            .join(format!("{}.c4", f.file_stem().unwrap().to_string_lossy()));
        let o = c4c(
            &[
                "import",
                "structurizr",
                f.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            text(&o.stderr)
        );
        back.push(out);
    }
    let original = model(&[&root().join(example)]);
    let imported = model(&back.iter().map(|p| p.as_path()).collect::<Vec<_>>());
    assert_eq!(
        missing(&original.0, &imported.0),
        Vec::<String>::new(),
        "{example}: elements lost or changed"
    );
    assert_eq!(
        missing(&imported.0, &original.0),
        Vec::<String>::new(),
        "{example}: elements added"
    );
    assert_eq!(
        missing(&original.1, &imported.1),
        Vec::<String>::new(),
        "{example}: relationships lost or changed"
    );
    assert_eq!(
        missing(&imported.1, &original.1),
        Vec::<String>::new(),
        "{example}: relationships added"
    );
    assert_eq!(original.2, imported.2, "{example}: views");
}

#[test]
fn shop_round_trips_through_structurizr() {
    round_trip("examples/shop");
}
