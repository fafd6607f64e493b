//! CDN and mesh diagrams of a hostile model: names the view invents (the
//! users, a POP's `tier.region`, the control plane, the ingress) and names
//! the model chooses (a tier called `users`, a CDN named like its
//! environment, two control-plane parts of one id) never give two boxes one
//! id, and every edge ends on the box it is meant for.
//!
//! Each diagram is read back as Mermaid text: a box is named by its label and
//! the titles of the frames around it (`O tier / OPOP - Lyon`), and every
//! edge must be one the model asks for, between those names.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::mermaid::{check_dir, checker};
use crate::support::root;

/// (from, arrow, label, to): boxes by name.
type Edge = (String, String, String, String);

/// What a flowchart draws: its boxes by name and its edges between them.
#[derive(Debug)]
struct Chart {
    /// Mermaid id → the box's name (frame titles, then its first label line).
    boxes: HashMap<String, String>,
    edges: BTreeSet<Edge>,
}

fn quoted(s: &str) -> &str {
    match (s.find('"'), s.rfind('"')) {
        (Some(a), Some(b)) if b > a => &s[a + 1..b],
        _ => "",
    }
}

fn id_prefix(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Reads a flowchart: panics when a box is declared twice, an id names a
/// box and a frame, two boxes have one name, an edge names no box, or an
/// invisible link (`a ~~~ b`) names anything but frames.
fn chart(name: &str, text: &str) -> Chart {
    let mut frames: Vec<String> = Vec::new();
    let mut frame_ids = HashSet::new();
    let mut boxes: HashMap<String, String> = HashMap::new();
    let mut raw_edges = Vec::new();
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.is_empty()
            || line.starts_with("%%")
            || ["flowchart", "classDef", "class", "linkStyle"].contains(&words[0])
        {
            continue;
        }
        if let Some(rest) = line.strip_prefix("subgraph ") {
            assert!(
                frame_ids.insert(id_prefix(rest).to_string()),
                "{name}: frame {rest} twice:\n{text}"
            );
            frames.push(quoted(rest).to_string());
        } else if line == "end" {
            frames.pop();
        } else if words.len() == 3 && words[1] == "~~~" {
            // An invisible link stacks two frames; it is no edge.
            assert!(
                frame_ids.contains(words[0]) && frame_ids.contains(words[2]),
                "{name}: an invisible link joins more than frames: {line}"
            );
        } else if words.len() >= 3 && words[1].contains("->") {
            let label = line
                .split_once("|\"")
                .and_then(|(_, r)| r.rsplit_once("\"|"))
                .map_or("", |(l, _)| l);
            let arrow = words[1].split('|').next().unwrap_or("");
            raw_edges.push((words[0], arrow, label, words[words.len() - 1]));
        } else {
            let id = id_prefix(line);
            let label = quoted(line);
            // The bold name (which may be broken over lines), else the first line.
            let shown = match label
                .split_once("<b>")
                .and_then(|(_, r)| r.split_once("</b>"))
            {
                Some((name, _)) => name.replace("<br/>", " "),
                None => label.split("<br/>").next().unwrap_or("").to_string(),
            };
            let mut path = frames.clone();
            path.push(shown);
            assert!(
                boxes.insert(id.to_string(), path.join(" / ")).is_none(),
                "{name}: box {id} declared twice:\n{text}"
            );
        }
    }
    let mut names = HashSet::new();
    for (id, box_name) in &boxes {
        assert!(!frame_ids.contains(id), "{name}: {id} is a box and a frame");
        assert!(
            names.insert(box_name.clone()),
            "{name}: two boxes are {box_name}"
        );
    }
    let edges = raw_edges
        .into_iter()
        .map(|(from, arrow, label, to)| {
            let name_of = |id: &str| match boxes.get(id) {
                Some(n) => n.clone(),
                None => panic!("{name}: an edge ends at {id}, which is no box:\n{text}"),
            };
            (
                name_of(from),
                arrow.to_string(),
                label.to_string(),
                name_of(to),
            )
        })
        .collect();
    Chart { boxes, edges }
}

fn edge(from: &str, arrow: &str, label: &str, to: &str) -> Edge {
    (from.into(), arrow.into(), label.into(), to.into())
}

fn compile(name: &str, src: &str) -> c4c::Compilation {
    let c = c4c::compile_text(name, src);
    let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
    assert_eq!(c.error_count(), 0, "{rendered}");
    c
}

fn diagram(c: &c4c::Compilation, key: &str) -> String {
    match c.diagrams().find(|d| d.key == key) {
        Some(d) => d.text.clone(),
        None => panic!("no view {key}"),
    }
}

/// Renders diagrams in headless Chromium (one browser for all).
fn render(diagrams: &[(String, String)]) {
    let Some(checker) = checker() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (file, text) in diagrams {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    check_dir(&checker, dir.path());
}

fn case() -> c4c::Compilation {
    let src = std::fs::read_to_string(root().join("tests/cases/colliding-ids.c4")).unwrap();
    compile("colliding-ids.c4", &src)
}

#[test]
fn every_box_of_a_cdn_diagram_has_its_own_id_and_each_edge_ends_on_its_box() {
    let c = case();
    let text = diagram(&c, "colliding-cdn");
    render(&[("colliding-cdn.mmd".into(), text.clone())]);
    let got = chart("colliding-cdn", &text);
    let (u_lb, u_server) = ("Users / User LB", "Users / User Server");
    let (p_paris, p_oslo) = (
        "Users tier / UsersPOP - Paris",
        "Users tier / UsersPOP - Oslo",
    );
    let (p_lyon, p_bergen) = ("O tier / OPOP - Lyon", "O tier / OPOP - Bergen");
    let (lb, server) = ("Origin / Origin LB", "Origin / Origin Server");
    let want: BTreeSet<Edge> = [
        edge(u_lb, "-->", "", p_paris),
        edge(u_server, "-->", "", p_oslo),
        edge(p_paris, "-.->", "", p_lyon),
        edge(p_oslo, "-.->", "", p_bergen),
        edge(p_lyon, "-.->", "", lb),
        edge(p_bergen, "-.->", "", lb),
        edge(lb, "-->", "Forwards", server),
        edge(p_lyon, "-.->", "pop", "Notes on users / Note on a POP"),
        edge(u_lb, "-.->", "user", "Notes on O / Note on a user"),
        edge(lb, "-.->", "origin", "Notes on O / Note on the origin"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got.edges, want, "\n{text}");
    // Two users, four POPs, two origin items, three notes: eleven boxes.
    assert_eq!(got.boxes.len(), 11, "\n{text}");
}

#[test]
fn every_box_of_a_mesh_diagram_has_its_own_id_and_each_edge_ends_on_its_box() {
    let c = case();
    let text = diagram(&c, "colliding-mesh");
    render(&[("colliding-mesh.mmd".into(), text.clone())]);
    let got = chart("colliding-mesh", &text);
    let caller = "Caller like the node";
    let gate = "Cluster / Gate";
    let (a_app, a_proxy) = ("Cluster / A Pod / A", "Cluster / A Pod / Sidecar Proxy");
    let (b_app, b_proxy) = ("Cluster / B Pod / B", "Cluster / B Pod / Sidecar Proxy");
    let one = "Cluster / Control Plane / Pilot one";
    let two = "Cluster / Control Plane / Pilot two";
    let want: BTreeSet<Edge> = [
        edge(caller, "-->", "Enters", gate),
        edge(gate, "-->", "", a_proxy),
        edge(a_proxy, "-->", "mTLS", b_proxy),
        edge(a_proxy, "-.->", "First", one),
        edge(b_proxy, "-.->", "First", one),
        edge(a_proxy, "-.->", "Second", two),
        edge(b_proxy, "-.->", "Second", two),
        edge(a_proxy, "<-->", "", a_app),
        edge(b_proxy, "<-->", "", b_app),
    ]
    .into_iter()
    .collect();
    assert_eq!(got.edges, want, "\n{text}");
    assert_eq!(got.boxes.len(), 8, "\n{text}");
}

/// A CDN in environment `assets` whose names are `cdn`, `tiers`, `regions`
/// and note groups `(group id, note id, from)`, with the edges its diagram
/// must have.
fn cdn_model(
    cdn: &str,
    tiers: &[&str],
    regions: &[&str],
    notes: &[(&str, &str, &str)],
) -> (String, BTreeSet<Edge>) {
    let mut src = String::from(
        "model { site = system \"Site\" { server = container \"Server\" } }\n\
         deployment assets {\n  o = node \"Origin\" {\n    lb = infra \"Origin LB\"\n\
         \x20   users = infra \"Origin users\"\n    server = instance site.server\n\
         \x20   lb -> server \"Forwards\"\n  }\n}\n",
    );
    src.push_str(&format!("cdn {cdn} in assets {{\n  origin \"o\"\n"));
    let pop = |t: &str, r: &str| format!("Tier {t} / POP {t} - {t} at {r}");
    let user = |r: &str| format!("Users / User {r}");
    let mut want = BTreeSet::new();
    for t in tiers {
        src.push_str(&format!(
            "  {t} = tier \"Tier {t}\" {{ pop \"POP {t}\" }}\n"
        ));
    }
    for r in regions {
        let at: Vec<String> = tiers
            .iter()
            .map(|t| format!("{t} \"{t} at {r}\""))
            .collect();
        src.push_str(&format!(
            "  {r} = region \"User {r}\" {{ {} }}\n",
            at.join(" ")
        ));
        want.insert(edge(&user(r), "-->", "", &pop(tiers[0], r)));
        for w in tiers.windows(2) {
            want.insert(edge(&pop(w[0], r), "-.->", "", &pop(w[1], r)));
        }
        let last = tiers[tiers.len() - 1];
        want.insert(edge(&pop(last, r), "-.->", "", "Origin / Origin LB"));
    }
    want.insert(edge(
        "Origin / Origin LB",
        "-->",
        "Forwards",
        "Origin / Server",
    ));
    for (i, (g, n, from)) in notes.iter().enumerate() {
        src.push_str(&format!(
            "  {g} = notes \"Notes {i}\" {{ {n} = note \"Note {i}\" {{ from \"{from}\" \"n{i}\" }} }}\n"
        ));
        let source = match from.split_once('.') {
            Some(("users", r)) => user(r),
            Some(("origin", "lb")) => "Origin / Origin LB".to_string(),
            Some(("origin", "users")) => "Origin / Origin users".to_string(),
            Some(("origin", "server")) => "Origin / Server".to_string(),
            Some((t, r)) => pop(t, r),
            None => unreachable!(),
        };
        let to = format!("Notes {i} / Note {i}");
        want.insert(edge(&source, "-.->", &format!("n{i}"), &to));
    }
    src.push_str(&format!("}}\nviews {{ cdn {cdn} \"c\" }}\n"));
    (src, want)
}

#[test]
fn names_a_cdn_shares_with_what_its_view_invents_never_move_an_edge() {
    // Every way a key of one box can be spelt like another's: a tier or a
    // note group called `users` (the users' key), a CDN named like its
    // environment (POPs and notes keyed like the origin's items), regions
    // and notes named like origin items, a tier named like the origin node.
    let models = [
        cdn_model(
            "assets",
            &["users"],
            &["lb"],
            &[("users", "lb", "users.lb")],
        ),
        cdn_model(
            "assets",
            &["o", "users"],
            &["lb", "server"],
            &[("o", "server", "origin.users"), ("users", "lb", "o.lb")],
        ),
        cdn_model(
            "assets",
            &["users", "o"],
            &["users", "lb"],
            &[("o", "users", "users.users"), ("users", "users", "o.users")],
        ),
        cdn_model(
            "users",
            &["users"],
            &["users"],
            &[("users", "users", "users.users")],
        ),
        cdn_model(
            "assets",
            &["origin", "o"],
            &["origin", "lb"],
            &[("origin", "lb", "origin.users"), ("o", "lb", "origin.lb")],
        ),
    ];
    let mut rendered = Vec::new();
    for (i, (src, want)) in models.iter().enumerate() {
        let c = compile(&format!("cdn{i}.c4"), src);
        let text = diagram(&c, "c");
        let got = chart(&format!("cdn{i}"), &text);
        assert_eq!(&got.edges, want, "model:\n{src}\ndiagram:\n{text}");
        rendered.push((format!("cdn{i}.mmd"), text));
    }
    render(&rendered);
}

/// `model` and an environment with an origin, then `cdn big in env { … }`
/// holding `body`.
fn big_cdn(body: &str) -> String {
    format!(
        "model {{ s = system \"S\" {{ c = container \"C\" }} }}\n\
         deployment env {{ o = node \"O\" {{ lb = infra \"LB\" }} }}\n\
         cdn big in env {{\n  origin \"o\"\n{body}}}\n"
    )
}

fn codes<'a>(c: &'a c4c::Compilation, code: &str) -> Vec<&'a c4c::diagnostic::Diagnostic> {
    c.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect()
}

#[test]
fn a_tier_identifier_taken_twice_is_an_error_not_a_diagram_quadratic_in_the_text() {
    // One `t "x"` in a region served every tier called `t`: 300 lines of
    // tiers and 300 of regions drew 90,000 POPs (1,600 of each: a 200 MB
    // diagram from 70 KB).
    let n = 300;
    let mut body: String = (0..n).map(|_| "  t = tier \"T\"\n").collect();
    body.extend((0..n).map(|i| format!("  r{i} = region \"U\" {{ t \"x\" }}\n")));
    let src = big_cdn(&body);
    let c = c4c::compile_text("dup.c4", &src);
    let dups = codes(&c, "E020");
    assert_eq!(dups.len(), n - 1, "{:?}", c.diagnostics.first());
    assert_eq!(dups[0].message, "duplicate tier `t`");
    let drawn: usize = c.diagrams().map(|d| d.text.len()).sum();
    assert!(drawn < 20 * src.len(), "{drawn} bytes of diagrams");
    // Regions too: `TIER.REGION` and `users.REGION` must name one.
    let c = c4c::compile_text(
        "dupr.c4",
        &big_cdn(
            "  t = tier \"T\"\n  us = region \"A\" { t \"x\" }\n  us = region \"B\" { t \"y\" }\n",
        ),
    );
    let dups = codes(&c, "E020");
    assert_eq!(dups.len(), 1, "{:?}", c.diagnostics);
    assert_eq!(dups[0].message, "duplicate region `us`");
}

#[test]
fn regions_missing_pops_give_one_error_each_not_one_per_tier() {
    // 1,000 tiers and 1,000 empty regions (38 KB) once gave a million
    // errors: 240 MB of messages, 39 s.
    let n = 300;
    let mut body: String = (0..n).map(|i| format!("  t{i} = tier \"T\"\n")).collect();
    body.extend((0..n).map(|i| format!("  r{i} = region \"U\"\n")));
    body.push_str("  one = region \"U\" { t0 \"x\" t2 \"x\" }\n");
    let c = c4c::compile_text("missing.c4", &big_cdn(&body));
    let missing = codes(&c, "E060");
    assert_eq!(missing.len(), n + 1, "{:?}", missing.first());
    assert_eq!(
        missing[0].message,
        format!("region `r0` has no POP in {n} tiers: `t0`, `t1`, `t2`, `t3`, `t4`, …")
    );
    assert_eq!(
        missing[n].message,
        format!(
            "region `one` has no POP in {} tiers: `t1`, `t3`, `t4`, `t5`, `t6`, …",
            n - 2
        )
    );
    // One missing tier reads as it always did.
    let c = c4c::compile_text(
        "one.c4",
        &big_cdn("  a = tier \"A\"\n  b = tier \"B\"\n  r = region \"U\" { a \"x\" }\n"),
    );
    let missing = codes(&c, "E060");
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].message, "region `r` has no `b` POP");
}

#[test]
fn an_unknown_region_entry_names_a_few_tiers_not_all_of_them() {
    // Each unknown entry's hint listed every tier and compared it with every
    // tier: 20,000 of each did not finish in 5 minutes.
    let n = 2000;
    let mut body: String = (0..n).map(|i| format!("  t{i} = tier \"T\"\n")).collect();
    let entries: String = (0..n).map(|i| format!("    x{i} \"L\"\n")).collect();
    body.push_str(&format!("  r = region \"U\" {{\n{entries}  }}\n"));
    let c = c4c::compile_text("unknown.c4", &big_cdn(&body));
    let unknown: Vec<_> = codes(&c, "E060")
        .into_iter()
        .filter(|d| d.message.starts_with("unknown region"))
        .collect();
    assert_eq!(unknown.len(), n);
    for d in &unknown {
        let hint = d.hint.as_deref().unwrap_or("");
        assert!(hint.len() < 100, "{hint:.200}");
    }
    assert_eq!(
        unknown[0].hint.as_deref(),
        Some("options: t0, t1, t2, t3, t4, …")
    );
    // A near miss is still suggested.
    let c = c4c::compile_text(
        "near.c4",
        &big_cdn("  edge = tier \"E\"\n  r = region \"U\" { edge \"x\" edg \"y\" }\n"),
    );
    let unknown = codes(&c, "E060");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].hint.as_deref(), Some("did you mean `edge`?"));
}

/// Note links are resolved once, through maps (each `from` used to search
/// every tier, region and origin item: 40,000 links and tiers took 45 s).
/// The speed is measured outside the tests (docs/reliability.md); this
/// checks that the one-pass resolution still reports every bad link.
#[test]
fn every_note_link_to_an_unknown_place_gets_its_own_error() {
    let n = 2_000;
    let mut body: String = (0..n).map(|i| format!("  t{i} = tier \"T\"\n")).collect();
    let last = n - 1;
    let links: String = (0..n)
        .map(|_| format!("      from \"t{last}.zz\"\n"))
        .collect();
    body.push_str(&format!(
        "  g = notes \"N\" {{\n    n = note \"N\" {{\n{links}    }}\n  }}\n"
    ));
    let src = big_cdn(&body);
    let c = c4c::compile_text("links.c4", &src);
    assert_eq!(codes(&c, "E061").len(), n);
}
