//! c4c → Structurizr DSL → c4c: an example exported with `c4c build
//! --format structurizr`, each workspace imported back with `c4c import
//! structurizr`, gives the same model: the same elements (identifier, C4
//! level, name, description, technology, external), the same relationships
//! (ends, label, technology) and the same views (keys), up to what
//! docs/interop.md lists as lost in the DSL: kinds of c4c's own (`database`,
//! `queue`, …) come back as their C4 level, an annotation as the element its
//! place allows (the DSL has neither), people and systems lose their
//! technology (the DSL gives them none), a line break in a text is a space,
//! and mesh, CDN, code and state views and custom views that draw components
//! are not exported.

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
        // An annotation is the element its place allows (by its depth).
        let base = |e: &serde_json::Value| match e["base"].as_str() {
            Some("annotation") => match s(&e["id"]).matches('.').count() {
                0 => "system".to_string(),
                1 => "container".to_string(),
                _ => "component".to_string(),
            },
            other => other.unwrap_or("").to_string(),
        };
        for ws in v["workspaces"].as_array().unwrap() {
            for e in ws["elements"].as_array().unwrap() {
                let level = base(e);
                // People and systems have no technology in the DSL.
                let technology = if level == "person" || level == "system" {
                    String::new()
                } else {
                    s(&e["technology"])
                };
                let key = (
                    s(&e["id"]),
                    level,
                    s(&e["name"]),
                    s(&e["description"]),
                    technology,
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
            let bases: BTreeMap<String, String> = ws["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (s(&e["id"]), s(&e["base"])))
                .collect();
            for view in ws["views"].as_array().unwrap() {
                // Not in the DSL (docs/interop.md, "What is lost"): mesh,
                // CDN, code and state views, and custom views that draw
                // components.
                let kind = s(&view["kind"]);
                let components = view["elements"].as_array().is_some_and(|els| {
                    els.iter()
                        .any(|e| bases.get(&s(e)).is_some_and(|b| b == "component"))
                });
                if ["mesh", "cdn", "code", "states"].contains(&kind.as_str())
                    || (kind == "custom" && components)
                {
                    continue;
                }
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
    assert_eq!(
        missing(&original.2, &imported.2),
        Vec::<String>::new(),
        "{example}: views lost"
    );
    assert_eq!(
        missing(&imported.2, &original.2),
        Vec::<String>::new(),
        "{example}: views added"
    );
}

#[test]
fn shop_round_trips_through_structurizr() {
    round_trip("examples/shop");
}

#[test]
fn seeds_round_trip_through_structurizr() {
    round_trip("examples/seeds");
}
