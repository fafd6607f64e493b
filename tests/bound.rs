//! `check` measures a view drawn as a flowchart by an upper bound of its
//! text's length when that is below W003's limit, without writing the text
//! (`flowchart::text_bound`). Here, over every bundled example and test case:
//! the bound is never below the real length, and `check`'s way of measuring
//! finds exactly the diagnostics that writing every diagram finds.

use std::path::PathBuf;

use c4c::emit::mermaid::Renderer;
use c4c::emit::mermaid::flowchart::{render_graph, text_bound};
use c4c::{Draw, compile_with};

use crate::support::root;

/// Every `.c4` file of the examples and the test cases.
fn models() -> Vec<PathBuf> {
    let dirs = [root().join("examples"), root().join("tests/cases")];
    let files = c4c::load::c4_files(&dirs).unwrap();
    assert!(files.len() > 50, "{} files", files.len());
    files
}

/// `Err` names each view of `c` whose bound is below its real length.
pub fn bound_holds(c: &c4c::Compilation) -> Result<usize, String> {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for w in &c.compiled {
        let renderer = Renderer::new(&w.model);
        for v in &w.views {
            let Some(g) = renderer.flow_graph(v) else {
                continue;
            };
            let (bound, real) = (text_bound(&g), render_graph(&g).len());
            if bound < real {
                wrong.push(format!("{}: bound {bound} < {real}", v.key));
            }
            checked += 1;
        }
    }
    if wrong.is_empty() {
        Ok(checked)
    } else {
        Err(wrong.join("\n"))
    }
}

#[test]
fn the_bound_is_never_below_the_real_length() {
    let mut checked = 0;
    for file in models() {
        let Ok(c) = c4c::compile(std::slice::from_ref(&file), &c4c::LoadOptions::default()) else {
            continue;
        };
        match bound_holds(&c) {
            Ok(n) => checked += n,
            Err(e) => panic!("{}:\n{e}", file.display()),
        }
    }
    // Enough views to mean something: static, deployment, mesh, CDN, flows.
    assert!(checked > 200, "{checked} views");
}

/// A landscape of `n` systems, each described in `words` words: views
/// near W003's 50,000 characters, from either side.
fn landscape(n: usize, words: usize) -> String {
    let mut s = String::from("model {\n");
    let description = vec!["capability"; words].join(" ");
    for i in 0..n {
        s.push_str(&format!(
            "  s{i} = system \"System {i}\" \"{description}\"\n"
        ));
    }
    for i in 1..n {
        s.push_str(&format!("  s{i} -> s{} \"Calls\"\n", i - 1));
    }
    s.push_str("}\nviews {\n  landscape\n}\n");
    s
}

#[test]
fn measuring_by_bounds_finds_the_same_diagnostics_as_writing_every_diagram() {
    let opts = c4c::LoadOptions::default();
    let mut w003 = 0;
    let dir = tempfile::tempdir().unwrap();
    let mut files = models();
    // Past W003 by its text (not its edges); just below it, where the bound
    // is above the limit and the text is written to be measured.
    // (88 systems: a landscape of about 47,000 characters, bounded at about
    // 53,000; 200: about 107,000.)
    for (name, n, words) in [("past.c4", 200, 30), ("below.c4", 88, 30)] {
        let path = dir.path().join(name);
        std::fs::write(&path, landscape(n, words)).unwrap();
        files.push(path);
    }
    for file in files {
        let paths = std::slice::from_ref(&file);
        let written = compile_with(paths, &opts, Draw::text(c4c::Dialect::Flowchart), None);
        let measured = compile_with(paths, &opts, Draw::size(), None);
        let (Ok(written), Ok(measured)) = (written, measured) else {
            continue;
        };
        // Every diagnostic in full: W003's label says how long the text is.
        let list =
            |c: &c4c::Compilation| c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert_eq!(list(&written), list(&measured), "{}", file.display());
        let warned = written
            .diagnostics
            .iter()
            .filter(|d| d.code == c4c::diagnostic::Code::W003)
            .count();
        match file.file_name().and_then(|n| n.to_str()) {
            Some("past.c4") => assert_eq!(warned, 1),
            Some("below.c4") => assert_eq!(warned, 0),
            _ => {}
        }
        w003 += warned;
    }
    assert!(w003 > 0, "no W003 among the models");
}
