//! Diagrams of a hostile model: what a pull request can put into a model
//! never hides itself in a diagram, never breaks rendering, and never draws
//! one thing inside another.
//!
//! - bidi controls and invisible characters in any text are shown as a
//!   visible `‹U+202E›` marker, in every diagram type and in both dialects;
//! - identifiers that are Mermaid keywords of any diagram type, JavaScript
//!   object names, the class `o` or Mermaid's C4 detector words render in
//!   headless Chromium in every diagram type;
//! - groups that share a title are distinct subgraphs;
//! - the real-Mermaid check fails with an install hint when it cannot run,
//!   unless `C4C_SKIP_MERMAID` asks to skip it.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::mermaid::{Decision, Mode, Needs, check_dir, checker, decide, prepare, run_checker};
use crate::properties::{all_diagrams, model_with};
use crate::support::root;

/// Characters that reorder or hide text: bidi controls and marks, zero-width
/// and other invisible format characters, tag characters.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

fn compile(name: &str, src: &str) -> c4c::Compilation {
    let c = c4c::compile_text(name, src);
    let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
    assert_eq!(c.error_count(), 0, "{rendered}");
    c
}

/// Writes diagrams into a fresh folder and renders them all in one Chromium.
fn render_all(sets: &[(&str, &crate::properties::Files)]) {
    let dir = tempfile::tempdir().unwrap();
    for (name, files) in sets {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        for (file, text) in files.iter() {
            std::fs::write(sub.join(file), text).unwrap();
        }
    }
    let Some(checker) = checker() else { return };
    check_dir(&checker, dir.path());
}

#[test]
fn a_bidi_override_or_invisible_character_is_shown_neutralised_in_every_diagram() {
    // `admin` U+202E `gnp.exe` would read `adminexe.png`.
    let hostile = "admin\u{202E}gnp.exe \u{2066}x\u{2069} a\u{200B}b\u{200F} \u{E0041}\u{FEFF}";
    let c = compile("bidi.c4", &model_with(hostile));
    let diagrams = all_diagrams(&c);
    assert!(diagrams.len() >= 18, "every view kind, both dialects");
    for (name, text) in &diagrams {
        if let Some(bad) = text.chars().find(|c| invisible(*c)) {
            panic!("{name}: U+{:04X} reaches the diagram:\n{text}", bad as u32);
        }
        // Every diagram shows the name somewhere (at least in its title).
        assert!(
            text.contains("admin‹U+202E›gnp.exe"),
            "{name}: no visible marker:\n{text}"
        );
        for marker in ["‹U+2066›", "‹U+200B›", "‹U+E0041›"] {
            assert!(text.contains(marker), "{name}: no {marker}:\n{text}");
        }
    }
    render_all(&[("bidi", &diagrams)]);
}

/// Identifiers that broke parsing or rendering of at least one diagram type
/// (mermaid 11.17.2): JavaScript object names (Mermaid's layout keeps nodes
/// in plain objects), the C4 detector words, `o` (an aggregation end in
/// class diagrams), flowchart, state and class keywords, the diagram-type
/// words and sequence-diagram keywords. The first [`AS_BOUNDARY`] are also
/// drawn as boundaries (subgraph ids).
const HOSTILE_IDS: &[&str] = &[
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "__proto__",
    "C4Container",
    "myC4Component",
    "C4Dynamic",
    "C4Deployment",
    "C4Context",
    "o",
    "end",
    "default",
    "graph",
    "subgraph",
    "style",
    "class",
    "classDef",
    "state",
    // the rest as nodes, classes, states and participants only
    "box",
    "loop",
    "alt",
    "opt",
    "par",
    "par_over",
    "and",
    "else",
    "rect",
    "critical",
    "break",
    "create",
    "destroy",
    "actor",
    "participant",
    "activate",
    "deactivate",
    "links",
    "link",
    "properties",
    "details",
    "option",
    "off",
    "over",
    "note",
    "left",
    "right",
    "as",
    "classDiagram",
    "stateDiagram",
    "sequenceDiagram",
    "click",
    "call",
    "href",
    "linkStyle",
    "interpolate",
    "TB",
    "LR",
    "namespace",
    "cssClass",
    "hide",
    "scale",
    "callback",
    "_self",
    "_blank",
];

/// How many of [`HOSTILE_IDS`] get a container view (their boundary is a
/// subgraph named by them); the words after them only matter outside
/// flowcharts.
const AS_BOUNDARY: usize = 22;

/// One model with each of `ids` as a system (a node, and with `boundaries`
/// a boundary in its container view), a class, a state and a participant.
/// Models are kept small: Mermaid's layout time grows faster than the size.
fn hostile_ids_model(ids: &[&str], boundaries: bool) -> String {
    let next = |i: usize| ids[(i + 1) % ids.len()];
    let mut m = String::from("import \"std/kinds\"\nmodel {\n  p = person \"P\"\n");
    for w in ids {
        m.push_str(&format!(
            "  {w} = system \"S {w}\" {{ c = container \"C\" }}\n"
        ));
    }
    for (i, w) in ids.iter().enumerate() {
        m.push_str(&format!(
            "  p -> {w}.c \"uses\"\n  {w} -> {} \"calls\"\n",
            next(i)
        ));
    }
    let home = ids[0];
    m.push_str(&format!("}}\ncode {home}.c \"t\" {{\n"));
    for w in ids {
        m.push_str(&format!("  class {w} {{ +x: int }}\n"));
    }
    for (i, w) in ids.iter().enumerate() {
        m.push_str(&format!("  {w} --> {} : \"l\"\n", next(i)));
    }
    m.push_str(&format!(
        "}}\nstates St \"t\" of {home}.c {{\n  [*] -> {home} : \"e\"\n"
    ));
    for (i, w) in ids.iter().enumerate() {
        m.push_str(&format!("  {w} -> {} : \"f\"\n", next(i)));
    }
    m.push_str(&format!("}}\ndynamic D \"d\" of {home} {{\n"));
    for (i, w) in ids.iter().enumerate() {
        m.push_str(&format!("  {w} -> {} \"m\"\n", next(i)));
    }
    m.push_str("}\nviews {\n  defaults off\n  landscape \"l1\" \"L\"\n  custom \"c1\" \"C\" { include * }\n");
    m.push_str(&format!(
        "  code {home}.c \"code\" \"C\"\n  states St \"st\" \"S\"\n"
    ));
    m.push_str("  dynamic D \"dyn\" \"D\"\n  dynamic D \"dflow\" \"D\" { flowchart }\n");
    if boundaries {
        for (i, w) in ids.iter().enumerate() {
            m.push_str(&format!("  container {w} \"cont{i}\" \"C\"\n"));
        }
    }
    m.push_str("}\n");
    m
}

#[test]
fn identifiers_that_are_mermaid_or_javascript_words_render_in_every_diagram_type() {
    let (first, rest) = HOSTILE_IDS.split_at(AS_BOUNDARY);
    let half = rest.len() / 2;
    let models = [
        (first, true),
        (&rest[..half], false),
        (&rest[half..], false),
    ];
    let sets: Vec<(String, crate::properties::Files)> = models
        .into_iter()
        .enumerate()
        .map(|(i, (ids, boundaries))| {
            let c = compile("hostile-ids.c4", &hostile_ids_model(ids, boundaries));
            (format!("hostile-ids-{i}"), all_diagrams(&c))
        })
        .collect();
    // First the browser: every diagram renders.
    let named: Vec<(&str, &crate::properties::Files)> =
        sets.iter().map(|(n, d)| (n.as_str(), d)).collect();
    render_all(&named);
    // Every diagram type was there.
    let mut kinds = HashSet::new();
    for (name, text) in sets.iter().flat_map(|(_, d)| d) {
        let kind = crate::support::diagram_type(text);
        kinds.insert(kind.split_whitespace().next().unwrap_or("").to_string());
        // No C4 detector word outside the C4 dialect (Mermaid would read the
        // whole diagram as C4).
        if !kind.starts_with("C4") {
            for w in ["C4Container", "C4Component", "C4Dynamic", "C4Deployment"] {
                assert!(!text.contains(w), "{name} holds {w}:\n{text}");
            }
        }
    }
    for kind in [
        "flowchart",
        "classDiagram",
        "stateDiagram-v2",
        "sequenceDiagram",
        "C4Context",
        "C4Container",
        "C4Dynamic",
    ] {
        assert!(kinds.contains(kind), "no {kind} diagram: {kinds:?}");
    }
}

/// A flowchart line that declares a node: `id[…`, `id(…`, `id{…`, `id>…`.
fn is_node_line(line: &str) -> bool {
    let id_len = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    let word = &line[..id_len];
    !word.is_empty()
        && !["subgraph", "class", "classDef", "linkStyle", "style"].contains(&word)
        && line[id_len..].starts_with(['[', '(', '{', '>'])
}

/// `(subgraph id, ids of the nodes and subgraphs directly or indirectly
/// inside it)` for every subgraph of a flowchart.
fn subgraphs(text: &str) -> Vec<(String, Vec<String>)> {
    let mut open: Vec<usize> = Vec::new();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        let id_of = |l: &str| {
            l.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        };
        if let Some(rest) = line.strip_prefix("subgraph ") {
            let id = id_of(rest);
            for &o in &open {
                out[o].1.push(id.clone());
            }
            open.push(out.len());
            out.push((id, Vec::new()));
        } else if line == "end" {
            open.pop();
        } else if is_node_line(line) {
            let id = id_of(line);
            for &o in &open {
                out[o].1.push(id.clone());
            }
        }
    }
    out
}

#[test]
fn groups_with_the_same_title_are_distinct_subgraphs_and_render() {
    let path = root().join("tests/cases/group-titles.c4");
    let c = compile("group-titles.c4", &std::fs::read_to_string(&path).unwrap());
    let diagrams = all_diagrams(&c);
    // First the browser: nested groups of one title once failed here.
    render_all(&[("group-titles", &diagrams)]);
    for (name, text) in diagrams.iter().filter(|(n, _)| !n.contains("c4-dialect")) {
        let subs = subgraphs(text);
        let mut seen = HashSet::new();
        for (id, _) in &subs {
            assert!(
                seen.insert(id.clone()),
                "{name}: subgraph id {id} twice:\n{text}"
            );
        }
        // The container view: four groups titled "Layer"/"layer" inside the
        // shop, one outside. (A custom view merges sibling groups of one
        // title by design: still one subgraph per id.)
        if name == "cont.mmd" {
            let groups = subs.iter().filter(|(id, _)| id.starts_with("group_"));
            assert_eq!(groups.count(), 5, "{name}:\n{text}");
        }
        // The external partner is drawn in its own group, never inside the
        // system's boundary.
        if let Some((_, inside)) = subs.iter().find(|(id, _)| id == "shop") {
            assert!(!inside.contains(&"partner".to_string()), "{name}:\n{text}");
        }
    }
    // The C4 dialect's boundaries are unique too.
    for (name, text) in diagrams.iter().filter(|(n, _)| n.contains("c4-dialect")) {
        let mut seen = HashSet::new();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.split_once("Boundary(").map(|(_, r)| r) {
                let id = rest.split(',').next().unwrap_or("");
                assert!(seen.insert(id.to_string()), "{name}: {id} twice:\n{text}");
            }
        }
    }
}

#[test]
fn every_example_has_unique_subgraph_ids() {
    // The seed examples 73 and 82 have groups at model level and inside a
    // system with the same title: their container views once drew the
    // external systems inside the system's boundary.
    for entry in std::fs::read_dir(root().join("examples/seeds")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|e| e != "c4") {
            continue;
        }
        let rel = p.strip_prefix(root()).unwrap().to_path_buf();
        let c = c4c::compile(&[rel], &c4c::LoadOptions::default()).unwrap();
        for d in c.diagrams() {
            let mut seen = HashSet::new();
            for (id, _) in subgraphs(&d.text) {
                assert!(
                    seen.insert(id.clone()),
                    "{} {}: {id} twice",
                    p.display(),
                    d.key
                );
            }
        }
    }
}

#[test]
fn the_render_check_catches_what_parsing_lets_through() {
    let Some(checker) = checker() else { return };
    if checker.mode != Mode::Render {
        return; // skipped on purpose: only parsing is possible here
    }
    let dir = tempfile::tempdir().unwrap();
    // Parses, but a browser cannot lay it out: a subgraph inside itself.
    std::fs::write(
        dir.path().join("cycle.mmd"),
        "flowchart TB\n  subgraph g[\"A\"]\n    subgraph g[\"A\"]\n      x[\"x\"]\n    end\n  end\n",
    )
    .unwrap();
    let (ok, report) = run_checker(&checker, dir.path());
    assert!(!ok, "{report}");
    assert!(report.contains("would create a cycle"), "{report}");
}

#[test]
fn without_node_the_real_mermaid_check_fails_with_an_install_hint() {
    let needs = Needs {
        node: "/nonexistent/node".into(),
        ..Needs::from_env()
    };
    let err = decide(prepare(&needs), false).unwrap_err();
    assert!(err.contains("Node.js is not installed"), "{err}");
    assert!(err.contains("apt-get install"), "{err}");
    assert!(err.contains("C4C_SKIP_MERMAID=1"), "{err}");
    // Skipped on purpose: nothing is checked, and it says so.
    let Ok(Decision::Skip(line, None)) = decide(prepare(&needs), true) else {
        panic!("not skipped");
    };
    assert!(
        line.starts_with("SKIPPED: the real-Mermaid check did not run"),
        "{line}"
    );
}

#[test]
fn without_chromium_the_render_check_fails_unless_skipped_then_it_parses() {
    let Some(_) = checker() else { return };
    let needs = Needs {
        chromium: PathBuf::from("/nonexistent/chromium"),
        ..Needs::from_env()
    };
    let err = decide(prepare(&needs), false).unwrap_err();
    assert!(err.contains("Chromium is not installed"), "{err}");
    assert!(err.contains("apt-get install -y chromium"), "{err}");
    assert!(err.contains("C4C_SKIP_MERMAID=1"), "{err}");
    let Ok(Decision::Skip(line, Some(parse_only))) = decide(prepare(&needs), true) else {
        panic!("not skipped to parsing");
    };
    assert!(
        line.starts_with("SKIPPED: diagrams are only parsed"),
        "{line}"
    );
    assert_eq!(parse_only.mode, Mode::Parse);
}

#[test]
fn with_node_but_offline_the_real_mermaid_check_fails_with_an_install_hint() {
    let Some(_) = checker() else { return };
    let deps = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let needs = Needs {
        deps: Some(deps.path().to_path_buf()),
        // A registry that refuses connections (nothing listens on port 9
        // of the loopback), an empty cache, no retries.
        install_env: [
            ("npm_config_registry", "http://127.0.0.1:9/"),
            ("npm_config_cache", &cache.path().to_string_lossy()),
            ("npm_config_fetch_retries", "0"),
            ("npm_config_fetch_timeout", "5000"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec(),
        ..Needs::from_env()
    };
    let err = decide(prepare(&needs), false).unwrap_err();
    assert!(
        err.contains("installing the pinned Mermaid checker failed"),
        "{err}"
    );
    assert!(err.contains("install.sh"), "{err}");
    assert!(err.contains("C4C_SKIP_MERMAID=1"), "{err}");
    let skipped = decide(prepare(&needs), true);
    assert!(
        matches!(skipped, Ok(Decision::Skip(_, None))),
        "{skipped:?}"
    );
}

#[test]
fn a_replica_never_takes_the_edges_of_a_sibling_named_like_it() {
    // `web` expanded into `web 1`, `web 2`, beside an item called `web_1`:
    // the item and the first replica were once one node.
    let c = compile(
        "replicas.c4",
        "import \"std/kinds\"\nmodel { s = system \"S\" { web = container \"Web\" } }\n\
         deployment prod \"P\" {\n  n = node \"N\" {\n\
         web = instance s.web { replicas 2  expand }\n\
         web_1 = infra \"Other\"\n  lb = infra \"LB\"\n  lb -> web_1 \"to infra\"\n  }\n}\n\
         views { defaults off deployment prod \"dep\" \"D\" }\n",
    );
    let text = &c.diagrams().next().unwrap().text;
    let id_of = |label: &str| {
        let line = text.lines().find(|l| l.contains(label)).unwrap();
        line.trim().split('[').next().unwrap().to_string()
    };
    let (lb, other) = (id_of("<b>LB</b>"), id_of("<b>Other</b>"));
    // Two boxes, not one node declared twice.
    assert_ne!(id_of("Instance 1"), other, "{text}");
    assert!(
        text.contains(&format!("{lb} -->|\"to infra\"| {other}\n")),
        "{text}"
    );
}
