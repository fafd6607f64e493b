//! Every example builds without errors or warnings; its output is snapshotted.

use crate::support::root;

#[test]
fn every_example_builds_cleanly() {
    let dir = root().join("examples");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !(path.is_dir() || path.extension().is_some_and(|e| e == "c4")) {
            continue;
        }
        count += 1;
        let rel = path.strip_prefix(root()).unwrap().to_path_buf();
        let c = c4c::compile(std::slice::from_ref(&rel), &c4c::LoadOptions::default()).unwrap();
        let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert!(c.diagnostics.is_empty(), "{}:\n{rendered}", rel.display());
        let mut out = String::new();
        for d in c.diagrams() {
            out.push_str(&format!("--- {}.mmd ---\n{}", d.key, d.text));
        }
        let name = rel.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("example_{name}"), out);
    }
    assert!(count >= 1);
}
