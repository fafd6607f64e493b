//! `docs/gallery.md` shows every view of the bundled examples as GitHub
//! renders it, and stays true: the page is the hand-written intro (kept as
//! it is, up to the `GENERATED` marker), then one section per example file
//! and one per view — title, key, size, and a `<!-- c4c:view KEY -->` block
//! that `c4c build examples --inject docs/gallery.md` fills. The test
//! rebuilds the whole page from the examples and fails when the committed
//! one differs; `C4C_UPDATE_GALLERY=1` writes it instead.
//!
//! Sizes are counted in each view's Mermaid text (what is drawn: boxes,
//! lines or messages, frames), and for static views checked against c4c's
//! JSON output (`elements`, `edges`, `boundaries` + `groups`).

use std::collections::BTreeSet;

use crate::support::{c4c, root, text};

/// The line after which the page is generated.
const GENERATED: &str = "<!-- Generated below by tests/gallery.rs: do not edit by hand. -->";
/// The variable that rewrites the page instead of failing.
const UPDATE_VAR: &str = "C4C_UPDATE_GALLERY";

/// What a view draws, counted in its Mermaid text.
#[derive(Debug, Default, PartialEq, Eq)]
struct Size {
    /// Boxes (flowchart nodes), classes, states or participants.
    elements: usize,
    /// Lines between them: edges, class relations, transitions, messages.
    relationships: usize,
    /// Frames: subgraphs (boundaries, groups, deployment nodes), boxes
    /// around participants, composite states.
    frames: usize,
}

/// Text outside double quotes (labels may hold anything).
fn unquoted(line: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The size of one diagram by its dialect (the first line that is not a
/// `%%` comment).
fn size_of(diagram: &str) -> Size {
    let mut lines = diagram
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("%%"));
    let head = lines.next().unwrap_or("");
    let body: Vec<String> = lines.map(unquoted).collect();
    let mut s = Size::default();
    match head.split_whitespace().next().unwrap_or("") {
        "flowchart" | "graph" => {
            for l in &body {
                let arrow = ["-->", "-.->", "==>", "---", "-.-"]
                    .iter()
                    .any(|a| l.contains(a));
                let word = l.split_whitespace().next().unwrap_or("");
                let id_len = l.chars().take_while(|c| is_id_char(*c)).count();
                if arrow {
                    s.relationships += 1;
                } else if word == "subgraph" {
                    s.frames += 1;
                } else if id_len > 0 && l[id_len..].starts_with(['[', '(', '{', '>', '@']) {
                    s.elements += 1;
                }
            }
        }
        "classDiagram" => {
            // Members sit between `class X {` and `}`.
            let mut members = false;
            for l in &body {
                let rel = ["<|--", "*--", "o--", "-->", "..>", "..|>", "--", ".."]
                    .iter()
                    .any(|a| l.contains(a));
                if members {
                    members = l != "}";
                } else if l.starts_with("class ") {
                    s.elements += 1;
                    members = l.ends_with('{');
                } else if rel {
                    s.relationships += 1;
                }
            }
        }
        "stateDiagram-v2" | "stateDiagram" => {
            let mut states = BTreeSet::new();
            // A note's text runs from `note …` (without `:`) to `end note`.
            let mut note = false;
            for l in &body {
                let id_len = l.chars().take_while(|c| is_id_char(*c)).count();
                if note {
                    note = l != "end note";
                } else if l.starts_with("note ") {
                    note = !l.contains(':');
                } else if let Some((from, to)) = l.split_once("-->") {
                    s.relationships += 1;
                    for end in [from, to.split(':').next().unwrap_or("")] {
                        let id = end.trim();
                        if !id.is_empty() && id != "[*]" {
                            states.insert(id.to_string());
                        }
                    }
                } else if let Some(rest) = l.strip_prefix("state ") {
                    let id = rest.split(" as ").last().unwrap_or(rest);
                    let id = id.trim_end_matches('{').trim();
                    if l.ends_with('{') {
                        s.frames += 1;
                    }
                    states.insert(id.to_string());
                } else if id_len > 0 && l[id_len..].trim_start().starts_with(':') {
                    states.insert(l[..id_len].to_string());
                }
            }
            s.elements = states.len();
        }
        "sequenceDiagram" => {
            for l in &body {
                let word = l.split_whitespace().next().unwrap_or("");
                let message = l.split(':').next().is_some_and(|m| {
                    ["->>", "-->>", "-)", "--)", "-x", "--x", "->", "-->"]
                        .iter()
                        .any(|a| m.contains(a))
                });
                match word {
                    "participant" | "actor" => s.elements += 1,
                    "box" => s.frames += 1,
                    _ if message => s.relationships += 1,
                    _ => {}
                }
            }
        }
        _ => {}
    }
    s
}

/// "1 element", "2 elements".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// GitHub's anchor of a heading (lower case, punctuation dropped, spaces
/// to hyphens).
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The generated part of the page, with its diagrams injected.
fn generated(c: &c4c::Compilation) -> String {
    let json: serde_json::Value = serde_json::from_str(&c.json()).unwrap();
    let mut toc = String::new();
    let mut sections = String::new();
    let mut views = 0;
    for (w, jw) in c
        .compiled
        .iter()
        .zip(json["workspaces"].as_array().unwrap())
    {
        let file = c.sources.name(w.root).replace('\\', "/");
        let file = file
            .strip_prefix(&format!("{}/", root().display()))
            .unwrap_or(&file)
            .to_string();
        let heading = format!("`{file}`");
        toc.push_str(&format!(
            "- [{heading}](#{}) — {}\n",
            anchor(&file),
            count(w.diagrams.len(), "view", "views")
        ));
        sections.push_str(&format!("\n## {heading}\n"));
        for (d, jv) in w.diagrams.iter().zip(jw["views"].as_array().unwrap()) {
            assert_eq!(jv["key"], d.key.as_str(), "JSON and diagrams in one order");
            let size = size_of(&d.text);
            let listed = |k: &str| jv[k].as_array().map_or(0, Vec::len);
            let kind = jv["kind"].as_str().unwrap_or("?");
            let is_static = ["landscape", "context", "container", "component", "custom"];
            if is_static.contains(&kind) {
                // Static views: what c4c's JSON says the view shows.
                let json_size = Size {
                    elements: listed("elements"),
                    relationships: listed("edges"),
                    frames: listed("boundaries") + listed("groups"),
                };
                // Annotations (an API contract, a note) are boxes but no
                // model elements; two groups of one title may share a frame
                // (seed 73).
                assert!(
                    size.elements >= json_size.elements
                        && size.relationships == json_size.relationships
                        && size.frames <= json_size.frames,
                    "{}: counted {size:?}, JSON {json_size:?}\n{}",
                    d.key,
                    d.text
                );
            }
            views += 1;
            let mut what = vec![
                count(size.elements, "element", "elements"),
                count(size.relationships, "relationship", "relationships"),
            ];
            if size.frames > 0 {
                what.push(count(size.frames, "frame", "frames"));
            }
            sections.push_str(&format!(
                "\n### {}\n\nView `{}` ({}) · {}\n\n<!-- c4c:view {} -->\n<!-- /c4c:view -->\n",
                c4c::emit::markdown::md_text(&d.title),
                d.key,
                kind,
                what.join(", "),
                d.key
            ));
        }
    }
    let page = format!(
        "{GENERATED}\n\n{} in {} example files:\n\n{toc}{sections}",
        count(views, "view", "views"),
        c.compiled.len()
    );
    let diagrams: Vec<&c4c::Diagram> = c.diagrams().collect();
    c4c::emit::markdown::inject(&page, &diagrams).unwrap()
}

#[test]
fn sizes_are_counted_per_dialect() {
    let flow = "%% c\nflowchart TB\n  a[\"A --> B\"]\n  subgraph s[\"S\"]\n    b((\"B\"))\n  end\n  \
                a -->|\"x\"| b\n  a ~~~ b\n  classDef k fill:#fff\n  class a k\n";
    assert_eq!(
        size_of(flow),
        Size {
            elements: 2,
            relationships: 1,
            frames: 1
        }
    );
    let seq = "sequenceDiagram\n  participant a as A\n  actor b as B\n  a->>b: hi -> there\n  \
               b-->>a: ok\n  Note over a: n\n";
    assert_eq!(
        size_of(seq),
        Size {
            elements: 2,
            relationships: 2,
            frames: 0
        }
    );
    let states = "stateDiagram-v2\n  [*] --> A : go\n  A --> B\n  state \"C c\" as C\n  B --> [*]\n  \
                  D : alone\n  note right of A\n    x --> y\n  end note\n";
    assert_eq!(
        size_of(states),
        Size {
            elements: 4,
            relationships: 3,
            frames: 0
        }
    );
    let class = "classDiagram\n  class A {\n    +id: UUID\n    -x() int\n    a -- b\n  }\n  class B\n  A --> B\n  \
                 A ..|> B : uses\n";
    assert_eq!(
        size_of(class),
        Size {
            elements: 2,
            relationships: 2,
            frames: 0
        }
    );
}

#[test]
fn gallery_shows_every_example_view_and_is_up_to_date() {
    let c = c4c::compile(&[root().join("examples")], &c4c::LoadOptions::default()).unwrap();
    assert_eq!(c.error_count(), 0);
    let path = root().join("docs/gallery.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let intro = old
        .split_once(GENERATED)
        .map(|(intro, _)| intro)
        .unwrap_or(&old);
    let new = format!("{intro}{}", generated(&c));
    if old != new && std::env::var_os(UPDATE_VAR).is_some_and(|v| v == "1") {
        std::fs::write(&path, &new).unwrap();
        return;
    }
    let blocks_only = c4c::emit::markdown::inject(&old, &c.diagrams().collect::<Vec<_>>())
        .is_ok_and(|refreshed| refreshed == new);
    assert!(
        old == new,
        "docs/gallery.md is out of date: {}",
        if blocks_only {
            "only its diagrams changed; run `cargo run -- build examples --inject docs/gallery.md`"
        } else {
            "views or their sizes changed; run `C4C_UPDATE_GALLERY=1 cargo test --test main gallery`"
        }
    );
    // The documented command agrees (and its --check passes).
    let o = c4c(
        &[
            "build",
            "examples",
            "--inject",
            "docs/gallery.md",
            "--check",
        ],
        &root(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}
