//! Bounded cost (issue "safe on untrusted pull requests", item 10): no input
//! within the documented limits costs more than about linear time, memory
//! and output. Each limit is tested at the limit and one past it, on models
//! generated here; each shape that used to be quadratic (or worse) is
//! compiled at a size the old code took tens of seconds or gigabytes for,
//! and its result checked. Speed itself is measured by `benches/hostile.sh`
//! (docs/performance.md), never by a timing assertion here.

use std::fmt::Write as _;

use c4c::view::budget::{FLOOR_TEXT, FLOOR_WORK, Left, MAX_EDGES};

fn compile(text: &str) -> c4c::Compilation {
    c4c::compile_text("m.c4", text)
}

fn codes(c: &c4c::Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn errors(c: &c4c::Compilation) -> Vec<String> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// `landscape` over systems `a0…` and `b0…` with every `a` → every `b`:
/// `a * b` edges, plus `extra` edges from one more system.
fn bipartite(a: usize, b: usize, extra: usize) -> String {
    let mut s = String::from("model {\n");
    for i in 0..a {
        writeln!(s, "  a{i} = system \"A{i}\"").unwrap();
    }
    for j in 0..b {
        writeln!(s, "  b{j} = system \"B{j}\"").unwrap();
    }
    s.push_str("  x = system \"X\"\n");
    for i in 0..a {
        for j in 0..b {
            writeln!(s, "  a{i} -> b{j} \"r\"").unwrap();
        }
    }
    for j in 0..extra {
        writeln!(s, "  x -> b{j} \"r\"").unwrap();
    }
    s.push_str("}\nviews { defaults off landscape }\n");
    s
}

#[test]
fn a_view_draws_at_most_50000_edges_and_one_more_is_an_error_not_a_diagram() {
    assert_eq!(MAX_EDGES, 50_000);
    let at = compile(&bipartite(250, 200, 0));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    assert_eq!(at.compiled[0].views[0].edges().len(), MAX_EDGES);

    let over = compile(&bipartite(250, 200, 1));
    assert_eq!(errors(&over), ["E056 view `landscape` is too large"]);
    assert!(over.diagrams().all(|d| d.text.is_empty()));
}

#[test]
fn a_complete_graph_of_systems_fails_fast_instead_of_drawing_every_edge_in_every_view() {
    // Every context view holds every system and every edge: 200 systems
    // made 200 views of 39,800 edges, 350 MB of Mermaid in 30 s; 120 make
    // 120 views of 14,280. Now the budget of all views stops it.
    let n = 120;
    let mut s = String::from("model {\n");
    for i in 0..n {
        writeln!(s, "  s{i} = system \"S{i}\"").unwrap();
    }
    for i in 0..n {
        for j in (0..n).filter(|j| *j != i) {
            writeln!(s, "  s{i} -> s{j} \"uses\"").unwrap();
        }
    }
    s.push_str("}\n");
    let budget = Left::for_source(s.len());
    let c = compile(&s);
    let errs = errors(&c);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("E057 the views of this model are too large together (at view `s"),
        "{errs:?}"
    );
    let text: usize = c.diagrams().map(|d| d.text.len()).sum();
    assert!(text <= budget.text, "{text} bytes kept");
}

#[test]
fn the_views_of_a_model_take_at_most_their_work_budget_and_one_step_more_is_an_error() {
    // 3,999 views each look at all 4,000 elements (`tag:external`, which
    // none is),
    // one more at `e0` named `j` times (`j` steps, one for the element
    // shown): 16,000,000 steps, the budget of a small model, with j = 3,999.
    let model = |j: usize| {
        let mut s = String::from("model {\n");
        for i in 0..4000 {
            writeln!(s, "e{i} = person \"P\"").unwrap();
        }
        s.push_str("}\nviews {\n  defaults off\n");
        for v in 0..3999 {
            writeln!(s, "custom v{v} {{ include tag:external }}").unwrap();
        }
        writeln!(s, "custom z {{ include {} }}", vec!["e0"; j].join(" ")).unwrap();
        s.push_str("}\n");
        s
    };
    let at = model(3999);
    assert_eq!(Left::for_source(at.len()).work, FLOOR_WORK);
    assert_eq!(FLOOR_WORK, 3999 * 4000 + 3999 + 1);
    let c = compile(&at);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));

    let c = compile(&model(4000));
    let errs = errors(&c);
    assert_eq!(
        errs,
        ["E057 the views of this model are too large together (at view `z`)"]
    );
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == c4c::diagnostic::Code::E057)
        .unwrap();
    let shown = c4c::diagnostic::render_all(std::slice::from_ref(d), &c.sources, false);
    assert!(shown.contains("steps to compute"), "{shown}");
}

#[test]
fn the_views_of_a_model_produce_at_most_their_text_budget_and_one_byte_more_is_an_error() {
    // 32 views show `s`, one shows `t`: the text grows by 32 per character of
    // `s`'s description and by 1 per character of `t`'s.
    let model = |ls: usize, lt: usize| {
        let mut s = format!(
            "model {{\n  s = system \"S\" \"{}\"\n  t = system \"T\" \"{}\"\n}}\nviews {{\n  defaults off\n",
            "x".repeat(ls),
            "y".repeat(lt)
        );
        for v in 0..32 {
            writeln!(s, "  custom v{v} {{ include s }}").unwrap();
        }
        s.push_str("  custom w { include t }\n}\n");
        s
    };
    let total = |c: &c4c::Compilation| c.diagrams().map(|d| d.text.len()).sum::<usize>();
    let base = compile(&model(1000, 1000));
    assert!(errors(&base).is_empty(), "{:?}", errors(&base));
    let missing = FLOOR_TEXT - total(&base);
    let (ls, lt) = (1000 + missing / 32, 1000 + missing % 32);
    let at = model(ls, lt);
    assert_eq!(Left::for_source(at.len()).text, FLOOR_TEXT);
    let c = compile(&at);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    assert_eq!(total(&c), FLOOR_TEXT);

    let c = compile(&model(ls, lt + 1));
    assert_eq!(
        errors(&c),
        ["E057 the views of this model are too large together (at view `w`)"]
    );
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == c4c::diagnostic::Code::E057)
        .unwrap();
    let shown = c4c::diagnostic::render_all(std::slice::from_ref(d), &c.sources, false);
    assert!(shown.contains("bytes of Mermaid text"), "{shown}");
    assert!(c.diagrams().all(|d| d.key != "w" || d.text.is_empty()));
}

/// `e1` at the top level, then each `e(k+1)` declared in `extend ek`, to `depth`.
fn extend_chain(depth: usize) -> String {
    let mut s = String::from(
        "specification { kind n extends annotation }\nmodel {\n  e1 = system \"E1\"\n",
    );
    for k in 1..depth {
        writeln!(s, "  extend e{k} {{ e{} = n \"x\" }}", k + 1).unwrap();
    }
    s.push_str("}\n");
    s
}

#[test]
fn elements_nest_at_most_32_deep_and_one_level_more_is_one_error() {
    let at = compile(&extend_chain(32));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    let deepest = at.compiled[0].model.find(
        &(1..=32)
            .map(|k| format!("e{k}"))
            .collect::<Vec<_>>()
            .join("."),
    );
    assert!(deepest.is_some());

    let over = compile(&extend_chain(33));
    assert_eq!(errors(&over), ["E058 elements nested more than 32 deep"]);
    // Through blocks, too.
    let mut s = String::from(
        "specification { kind n extends annotation }\nmodel {\n e1 = system \"E1\" {\n",
    );
    for k in 2..=33 {
        writeln!(s, "e{k} = n \"x\" {{").unwrap();
    }
    s.push_str(&"}".repeat(33));
    s.push_str("}\n");
    assert_eq!(
        errors(&compile(&s)),
        ["E058 elements nested more than 32 deep"]
    );
}

#[test]
fn thousands_of_levels_of_extend_are_one_error_not_quadratic_memory() {
    // Each element keeps its full path: 20,000 levels took 2.5 GB, 10,000 a
    // quarter of that. Now the element past the limit is left out, with
    // everything below it, and the `extend`s of those are not reported again.
    let mut s = extend_chain(10_000);
    s.truncate(s.len() - 2);
    s.push_str("  e9999 -> e1 \"x\"\n}\n");
    let c = compile(&s);
    assert_eq!(errors(&c), ["E058 elements nested more than 32 deep"]);
    assert_eq!(c.compiled[0].model.graph.node_count(), 32);
}

#[test]
fn a_full_identifier_is_at_most_512_characters_and_one_more_is_an_error() {
    let model = |last: usize| {
        format!(
            "specification {{ kind n extends annotation }}\nmodel {{\n  {} = system \"S\" {{\n    {} = container \"C\" {{\n      {} = component \"K\" {{\n        {} = n \"N\"\n      }}\n    }}\n  }}\n}}\n",
            "a".repeat(128),
            "b".repeat(128),
            "c".repeat(128),
            "d".repeat(last)
        )
    };
    let at = compile(&model(125));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    let longest = at.compiled[0]
        .model
        .elements()
        .map(|e| at.compiled[0].model.element(e).path.len())
        .max();
    assert_eq!(longest, Some(512));
    let over = compile(&model(126));
    assert_eq!(
        errors(&over),
        ["E059 full identifier longer than 512 characters"]
    );

    // A deployment item's `env.node.item` too.
    let deployment = |last: usize| {
        format!(
            "model {{ s = system \"S\" }}\ndeployment {} {{\n  {} = node \"N\" {{\n    {} = node \"M\"\n  }}\n}}\n",
            "e".repeat(300),
            "n".repeat(100),
            "m".repeat(last)
        )
    };
    let at = compile(&deployment(110));
    assert!(errors(&at).is_empty(), "{:?}", errors(&at));
    let over = compile(&deployment(111));
    assert_eq!(
        errors(&over),
        ["E059 full identifier longer than 512 characters"]
    );

    // An identifier derived from a long name is cut to 128 characters: no error.
    let long_name = format!("model {{ person \"{}\" }}\n", "Name ".repeat(200));
    let c = compile(&long_name);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let m = &c.compiled[0].model;
    assert_eq!(m.element(m.roots[0]).path.len(), 128);
}

#[test]
fn a_long_identifier_does_not_make_every_element_inside_it_costly() {
    // An over-long explicit identifier (E032) used to be kept and copied into
    // the full identifier of every element inside it: 10,000 children of a
    // 1 MB identifier were 10 GB. Past 512 characters it is left out.
    let mut s = format!("model {{\n  {} = system \"S\" {{\n", "x".repeat(1 << 20));
    for i in 0..10_000 {
        writeln!(s, "    c{i} = container \"C\"").unwrap();
    }
    s.push_str("  }\n}\n");
    let c = compile(&s);
    assert_eq!(codes(&c), ["E032"]);
}

#[test]
fn unknown_references_cost_linear_time_however_long_or_many() {
    // A suggestion compares the reference with every name, at the product
    // of their lengths: two 150,000-character names took 25 s, and every
    // unknown reference in a large model compared itself with every name.
    let long = "x".repeat(150_000);
    let s = format!(
        "model {{\n  a = person \"A\"\n  {long} = person \"B\"\n  a -> {long}y \"uses\"\n}}\n"
    );
    let c = compile(&s);
    assert!(codes(&c).contains(&"E021"), "{:?}", codes(&c));

    let mut s = String::from("model {\n");
    for i in 0..10_000 {
        writeln!(s, "  p{i} = person \"P\"").unwrap();
    }
    for i in 0..10_000 {
        writeln!(s, "  p{i} -> p{i}x \"uses\"").unwrap();
    }
    s.push_str("}\n");
    let c = compile(&s);
    assert_eq!(codes(&c).iter().filter(|c| **c == "E021").count(), 10_000);
    // The first ones still get a suggestion.
    let first = c
        .diagnostics
        .iter()
        .find(|d| d.code == c4c::diagnostic::Code::E021)
        .unwrap();
    let shown = c4c::diagnostic::render_all(std::slice::from_ref(first), &c.sources, false);
    assert!(shown.contains("did you mean"), "{shown}");
}

#[test]
fn relationships_merged_into_one_edge_take_linear_time() {
    // Relationships between one pair, all labels, technologies and tags
    // distinct: merging them scanned the values kept so far, and W004 the
    // relationships kept so far (40,000 took 14 s in a release build).
    let mut s = String::from(
        "model {\n  a = system \"A\" { c = container \"C\" }\n  b = system \"B\" { d = container \"D\" }\n",
    );
    for i in 0..40_000 {
        writeln!(s, "  a.c -> b.d \"label {i}\" \"tech {i}\" \"tag{i}\"").unwrap();
    }
    s.push_str("  a.c -> b.d \"label 7\" \"tech 7\"\n}\nviews { defaults off landscape }\n");
    let c = compile(&s);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    assert_eq!(codes(&c).iter().filter(|c| **c == "W004").count(), 1);
    let e = &c.compiled[0].views[0].edges()[0];
    assert_eq!(e.relationships.len(), 40_000);
    assert_eq!(
        e.label.as_deref(),
        Some("label 0 [tech 0]\nlabel 1 [tech 1]\n… and 39998 more")
    );
    assert_eq!(e.tags.len(), 40_000);
}

#[test]
fn many_tags_on_one_element_take_linear_time() {
    // Each tag was compared with every tag kept before it.
    let tags: Vec<String> = (0..200_000).map(|i| format!("t{}", i % 150_000)).collect();
    let s = format!(
        "model {{\n  a = system \"A\" {{ tags \"{}\" }}\n}}\n",
        tags.join(", ")
    );
    let c = compile(&s);
    assert!(errors(&c).is_empty());
    let m = &c.compiled[0].model;
    let tags = &m.element(m.roots[0]).tags;
    assert_eq!(tags.len(), 150_000);
    assert_eq!(tags[149_999], "t149999");
}

#[test]
fn elements_whose_ids_share_their_first_80_characters_take_linear_time() {
    // Mermaid ids are cut to 80 characters; each clash tried every suffix
    // taken before it: 20,000 components of one container took 40 s.
    let mut s = format!(
        "model {{\n  s = system \"S\" {{\n    {} = container \"C\" {{\n",
        "c".repeat(100)
    );
    for i in 0..20_000 {
        writeln!(s, "      k{i} = component \"K\"").unwrap();
    }
    s.push_str("    }\n  }\n}\n");
    let c = compile(&s);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
}

#[test]
fn a_hub_in_every_context_view_takes_work_linear_in_the_model() {
    // Every context view of the systems around a hub shows the hub, and
    // scanned all the hub's relationships: views × the hub's relationships.
    let (systems, hub_rels) = (1_000, 5_000);
    let mut s = String::from("model {\n  hub = system \"Hub\"\n  t = system \"T\"\n");
    for i in 0..systems {
        writeln!(s, "  s{i} = system \"S{i}\"\n  s{i} -> hub \"uses\"").unwrap();
    }
    for i in 0..hub_rels {
        writeln!(s, "  hub -> t \"call {i}\"").unwrap();
    }
    s.push_str("}\n");
    let c = compile(&s);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let m = &c.compiled[0].model;
    let mut scratch = c4c::view::Scratch::new(m);
    let mut work = 0;
    for def in m.views.iter().filter(|d| d.key.starts_with('s')) {
        let v = c4c::view::compute(m, def, &mut scratch);
        assert_eq!(v.nodes().len(), 2, "{}", def.key);
        work += scratch.work;
    }
    // A few steps per view, not the hub's 6,000 relationships in each.
    assert!(work < 10 * systems as u64, "{work} steps");
}

#[test]
fn a_deployment_split_over_many_blocks_takes_linear_time() {
    // Each `deployment prod { … }` block re-indexed every item before it,
    // and each item compared its name with all its siblings'.
    let mut s = String::from("model { s = system \"S\" }\n");
    for i in 0..20_000 {
        writeln!(s, "deployment prod {{ n{i} = node \"Node\" }}").unwrap();
    }
    let c = compile(&s);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    assert_eq!(codes(&c).iter().filter(|c| **c == "W007").count(), 19_999);
}

#[test]
fn rules_take_at_most_the_work_budget_and_one_step_more_is_an_error() {
    // 3,999 `require` rules look at all 4,000 elements (each has the
    // description), 4,000 `deny` rules at the one relationship (which they
    // do not match): 16,000,000 steps, the budget of a small model.
    let model = |denies: usize| {
        let mut s = String::from("model {\n");
        for i in 0..4000 {
            writeln!(s, "e{i} = person \"P\" \"described\"").unwrap();
        }
        s.push_str("e0 -> e1 \"uses\"\n}\nviews { defaults off }\nrules {\n");
        for _ in 0..3999 {
            s.push_str("require description on *\n");
        }
        for i in 0..denies {
            writeln!(s, "deny e1 -> e0 \"r{i}\"").unwrap();
        }
        s.push_str("}\n");
        s
    };
    let at = model(4000);
    assert_eq!(Left::for_source(at.len()).work, FLOOR_WORK);
    assert_eq!(FLOOR_WORK, 3999 * 4000 + 4000);
    let c = compile(&at);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));

    let c = compile(&model(4001));
    assert_eq!(
        errors(&c),
        ["E057 the rules of this model are too large to check"]
    );
}

#[test]
fn rules_with_many_violations_stop_at_the_budget_instead_of_quadratic_errors() {
    // 10,000 rules each broken by all 2,000 elements were 20,000,000 errors.
    let mut s = String::from("model {\n");
    for i in 0..2000 {
        writeln!(s, "e{i} = person \"P\"").unwrap();
    }
    s.push_str("}\nrules {\n");
    for _ in 0..10_000 {
        s.push_str("require description on *\n");
    }
    s.push_str("}\n");
    let c = compile(&s);
    let codes = codes(&c);
    assert_eq!(codes.iter().filter(|c| **c == "E057").count(), 1);
    let kept = codes.iter().filter(|c| **c == "E081").count() as u64;
    assert!(
        kept * c4c::model::rules::VIOLATION_COST <= FLOOR_WORK,
        "{kept} errors"
    );
}

#[test]
fn a_long_reason_broken_many_times_costs_its_length_each_time() {
    // One rule with a 500 KB reason broken by 2,000 elements: its reason
    // in every message was 1 GB of errors from a 0.5 MB model.
    let mut s = String::from("model {\n");
    for i in 0..2000 {
        writeln!(s, "e{i} = person \"P\"").unwrap();
    }
    s.push_str("}\nrules {\n");
    writeln!(s, "require description on * \"{}\"", "why ".repeat(125_000)).unwrap();
    s.push_str("}\n");
    let c = compile(&s);
    let codes = codes(&c);
    assert_eq!(
        codes.iter().filter(|c| **c == "E057").count(),
        1,
        "{codes:?}"
    );
    let bytes: usize = c.diagnostics.iter().map(|d| d.message.len()).sum();
    let budget = FLOOR_WORK.max(16 * s.len() as u64);
    assert!(bytes as u64 <= budget, "{bytes} bytes of messages");
}

#[test]
fn styles_take_linear_time_however_many_rules_and_elements() {
    // Styling an element looked at every style rule for each kind of its
    // `extends` chain: elements × chain × rules.
    let mut s = String::from("specification {\n  kind k0 extends person\n");
    for i in 1..64 {
        writeln!(s, "  kind k{i} extends k{}", i - 1).unwrap();
    }
    s.push_str("}\nmodel {\n");
    for i in 0..2000 {
        writeln!(s, "  p{i} = k63 \"P\" {{ tags \"t{i}\" }}").unwrap();
    }
    s.push_str("}\nstyles {\n");
    for i in 0..5000 {
        writeln!(s, "  kind k{} {{ fill #FF0000 }}", i % 64).unwrap();
        writeln!(s, "  tag t{} {{ stroke #00FF00 }}", i % 2000).unwrap();
    }
    s.push_str("}\nviews { defaults off landscape }\n");
    let c = compile(&s);
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let text = &c.diagrams().next().unwrap().text;
    assert!(text.contains("k63_t1999"), "each tag still gives its class");
}

#[test]
fn unknown_tags_in_views_take_linear_time() {
    // Each unknown `tag:` gathered every element's tags to suggest one.
    let n = 10_000;
    let mut s = String::from("model {\n");
    for i in 0..n {
        writeln!(s, "  p{i} = person \"P\" {{ tags \"t{i}\" }}").unwrap();
    }
    s.push_str("}\nviews {\n  defaults off\n  landscape\n");
    for i in 0..n {
        writeln!(s, "  custom v{i} {{ include tag:zz{i} }}").unwrap();
    }
    s.push_str("}\n");
    let c = compile(&s);
    assert_eq!(codes(&c).iter().filter(|c| **c == "W005").count(), n);
}

#[test]
fn rules_on_tags_look_only_at_the_tagged_elements() {
    // 10,000 `require … on tag:tN` rules over 10,000 elements of 20 tags
    // each looked at every tag of every element for each rule (and now
    // would spend the budget).
    let n = 10_000;
    let mut s = String::from("model {\n");
    let others: Vec<String> = (0..19).map(|k| format!("other{k}")).collect();
    for i in 0..n {
        let tags = format!("{}, t{i}", others.join(", "));
        writeln!(s, "  p{i} = person \"P\" {{ tags \"{tags}\" }}").unwrap();
    }
    s.push_str("}\nviews { defaults off landscape }\nrules {\n");
    for i in 0..n {
        writeln!(s, "  require description on tag:t{i}").unwrap();
    }
    s.push_str("}\n");
    let c = compile(&s);
    let codes = codes(&c);
    assert_eq!(codes.iter().filter(|c| **c == "E081").count(), n);
    assert!(!codes.contains(&"E057"));
}

/// A pull request that renames every element: each removed element is
/// paired with the first added one of the same kind and name (in path
/// order), through a queue per kind and name — it searched every added
/// element for every removed one (20,000 renamed systems: 6.9 s, release).
#[test]
fn a_diff_that_renames_every_element_pairs_moves_in_path_order() {
    let side = |prefix: &str, names: &[&str]| {
        let mut s = String::from("model {\n");
        for (i, n) in names.iter().enumerate() {
            writeln!(s, "  {prefix}{i} = system \"{n}\"").unwrap();
        }
        s.push_str("}\n");
        compile(&s)
    };
    let old = side("a", &["Same", "Same", "Same", "Other"]);
    let new = side("b", &["Same", "Same", "Fresh"]);
    let d = c4c::diff::diff(&old.compiled, &new.compiled);
    let moves: Vec<(&str, &str)> = d
        .moved_elements
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(moves, [("a0", "b0"), ("a1", "b1")]);
    let removed: Vec<&str> = d.removed_elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(removed, ["a2", "a3"]);
    let added: Vec<&str> = d.added_elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(added, ["b2"]);

    // At scale: every one of 5,000 renamed systems is a move.
    let names: Vec<String> = (0..5000).map(|i| format!("S{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let d = c4c::diff::diff(&side("a", &names).compiled, &side("b", &names).compiled);
    assert_eq!(d.moved_elements.len(), 5000);
    assert!(d.removed_elements.is_empty() && d.added_elements.is_empty());
}
