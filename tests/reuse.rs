//! A long-running command (`serve`, the language server) compiles again
//! after each edit, reusing what the run before left ([`c4c::Reuse`]): the
//! trees of unchanged files and the text of unchanged flowcharts. Here the
//! result is always the same as a fresh compilation's: over every bundled
//! example and test case (each compiled right after another one, so the
//! cache holds a different model's files under the same ids), and over a
//! series of edits to a model of several files.

use std::path::{Path, PathBuf};

use c4c::{Compilation, Draw, Reuse, compile_reusing, compile_with};

use crate::support::root;

/// What a user sees of a compilation: the diagnostics and every diagram.
fn seen(c: &Compilation) -> String {
    let diagrams: Vec<(&str, &str, usize)> = c
        .diagrams()
        .map(|d| (d.key.as_str(), d.text.as_str(), d.size))
        .collect();
    format!("{:#?}\n{diagrams:#?}", c.diagnostics)
}

fn fresh(paths: &[PathBuf], draw: Draw) -> String {
    let opts = c4c::LoadOptions::default();
    compile_with(paths, &opts, draw, None).map_or_else(|e| format!("{e}"), |c| seen(&c))
}

fn reused(paths: &[PathBuf], draw: Draw, reuse: &mut Reuse) -> String {
    let opts = c4c::LoadOptions::default();
    compile_reusing(paths, &opts, (draw, None), reuse).map_or_else(|e| format!("{e}"), |c| seen(&c))
}

#[test]
fn every_example_and_case_compiles_the_same_with_what_another_left() {
    let dirs = [root().join("examples"), root().join("tests/cases")];
    let files = c4c::load::c4_files(&dirs).unwrap();
    assert!(files.len() > 50, "{} files", files.len());
    for draw in [Draw::text(c4c::Dialect::Flowchart), Draw::size()] {
        let mut reuse = Reuse::default();
        for file in &files {
            let paths = std::slice::from_ref(file);
            let want = fresh(paths, draw);
            assert_eq!(reused(paths, draw, &mut reuse), want, "{}", file.display());
            // Again, now that every file and flowchart is known.
            assert_eq!(reused(paths, draw, &mut reuse), want, "{}", file.display());
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_series_of_edits_compiles_as_a_fresh_run_would() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    write(
        dir,
        "main.c4",
        "import \"std/kinds\"\nimport \"shop.c4\"\nimport \"people.c4\"\n\
         model {\n  u -> shop.web \"Browses\"\n}\nviews { landscape }\n",
    );
    write(dir, "people.c4", "model {\n  u = person \"User\"\n}\n");
    write(
        dir,
        "shop.c4",
        "model {\n  shop = system \"Shop\" {\n    web = container \"Web\" \"Shows the shop\" \"Rust\"\n    \
         db = database \"DB\"\n    web -> db \"Reads\"\n  }\n}\n",
    );
    let paths = vec![dir.join("main.c4")];
    let draw = Draw::text(c4c::Dialect::Flowchart);
    let mut reuse = Reuse::default();
    let edits: [(&str, &str); 6] = [
        ("people.c4", "model {\n  u = person \"Customer\"\n}\n"),
        // A syntax error, then its fix.
        (
            "shop.c4",
            "model {\n  shop = system \"Shop\" {\n    web = container \"Web\" \"\n  }\n}\n",
        ),
        (
            "shop.c4",
            "model {\n  shop = system \"Shop\" {\n    web = container \"Web\" \"Shows it\" \"Go\"\n    \
             db = database \"DB\"\n    web -> db \"Writes\"\n  }\n}\n",
        ),
        // An unknown name, then the same text as two edits before.
        (
            "people.c4",
            "model {\n  u = person \"Customer\"\n  u -> nowhere\n}\n",
        ),
        ("people.c4", "model {\n  u = person \"Customer\"\n}\n"),
        // An import added in front: every file gets another id.
        (
            "main.c4",
            "import \"people.c4\"\nimport \"std/kinds\"\nimport \"shop.c4\"\n\
             model {\n  u -> shop.web \"Browses\"\n}\nviews { landscape }\n",
        ),
    ];
    assert_eq!(reused(&paths, draw, &mut reuse), fresh(&paths, draw));
    let opts = c4c::LoadOptions::default();
    let diagrams = compile_with(&paths, &opts, draw, None)
        .unwrap()
        .diagrams()
        .count();
    assert_eq!(
        reuse.len(),
        (4, diagrams),
        "every file (std/kinds too), every flowchart"
    );
    for (name, text) in edits {
        write(dir, name, text);
        assert_eq!(
            reused(&paths, draw, &mut reuse),
            fresh(&paths, draw),
            "after editing {name}"
        );
    }
}
