//! Tests of the parser: statements, strings, recovery, nesting, parallel parse.

use super::*;
use crate::diagnostic::Code;
use chunks::matching_brace;

fn ok(src: &str) -> File {
    let (f, d) = parse(FileId(0), src);
    assert!(d.is_empty(), "unexpected diagnostics: {d:#?}");
    f
}

fn errs(src: &str) -> Vec<Diagnostic> {
    parse(FileId(0), src).1
}

#[test]
fn elements_relationships_and_blocks() {
    let f = ok(r#"
        model {
          customer = person "Customer" "Buys things"
          shop = system "Shop" {
            api = container "API" "Orders" "Rust" {
              tags "core", "critical"
              -> db "reads" "SQL"
            }
            db = container "DB"
          }
          payments = external system "Payments"
          customer -> shop.api "Uses"
          shop.api ~> payments "Charges"
          shop.api <-> payments
        }
    "#);
    let TopItem::Model(stmts) = &f.items[0] else {
        panic!()
    };
    assert_eq!(stmts.len(), 6);
    let Stmt::Element(shop) = &stmts[1] else {
        panic!()
    };
    assert_eq!(shop.kind.value, "system");
    let Stmt::Element(p) = &stmts[2] else {
        panic!()
    };
    assert!(p.external);
    let Stmt::Relationship(r) = &stmts[4] else {
        panic!()
    };
    assert_eq!(r.arrow, Arrow::Async);
    assert_eq!(
        r.source.as_ref().map(|p| p.dotted()),
        Some("shop.api".into())
    );
}

#[test]
fn strings_escape_and_dedent() {
    let f = ok(
        "model { a = person \"A \\\"q\\\" \\u{E9}\" \"\"\"\n    line one\n      line two\n    \"\"\" }",
    );
    let TopItem::Model(stmts) = &f.items[0] else {
        panic!()
    };
    let Stmt::Element(e) = &stmts[0] else {
        panic!()
    };
    assert_eq!(e.strings[0].value, "A \"q\" é");
    assert_eq!(e.strings[1].value, "line one\n  line two");
}

#[test]
fn every_bad_line_is_reported() {
    let d =
        errs("model {\n  a = person \"A\"\n  a -> \n  = oops\n  b = person \"B\"\n  ?? what\n}\n");
    assert!(d.len() >= 2, "{d:#?}");
    assert!(d.iter().all(|d| d.code == Code::E001));
}

#[test]
fn unclosed_block_and_stray_brace() {
    assert_eq!(
        errs("model {\n a = person \"A\"\n")[0].message,
        "unclosed `{`"
    );
    assert_eq!(errs("model { }\n}")[0].message, "unmatched `}`");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!("model {}{}", "{".repeat(10_000), "}".repeat(10_000));
    assert_eq!(errs(&src)[0].code, Code::E005);
}

fn big_model(middle: &str) -> String {
    let mut s = String::from("model {\n");
    for i in 0..4000 {
        s.push_str(&format!(
            "  s{i} = system \"System {i}\" \"d\" {{\n    c = container \"C\"\n  }}\n"
        ));
        if i == 2000 {
            s.push_str(middle);
        }
        s.push_str(&format!(
            "  s{i} -> s0 \"calls\"\n  // comment {{ with a brace\n"
        ));
    }
    s.push_str("}\n");
    assert!(s.len() > 300_000);
    s
}

#[test]
fn parallel_parse_equals_sequential_parse() {
    // A relationship split over two lines looks like two statements to the
    // splitter; the parallel parse must still give the sequential result.
    for middle in [
        "",
        "  s1 ->\n  s2 \"split over lines\"\n",
        "  s3 = system\n  \"Name on next line\"\n",
    ] {
        let text = big_model(middle);
        let (file, diags) = parse(FileId(0), &text);
        assert!(diags.is_empty(), "{diags:#?}");
        let mut ctx = Ctx {
            file: FileId(0),
            text: &text,
            diags: Vec::new(),
            base: 0,
        };
        let open = text.find('{').unwrap();
        let close = matching_brace(&text, open).unwrap();
        let sequential = ctx.stmt_list(open + 1, close);
        let TopItem::Model(parallel) = &file.items[0] else {
            panic!()
        };
        assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"));
    }
}

#[test]
fn nesting_at_the_limit_compiles_on_a_small_stack() {
    // Test threads have 2 MiB of stack; a debug build uses the most per level.
    let depth = MAX_DEPTH - 1;
    let mut src = String::from("model {\n");
    for i in 0..depth - 1 {
        src.push_str(&format!("group \"g{i}\" {{\n"));
    }
    src.push_str("p = person \"P\"\n");
    src.push_str(&"}\n".repeat(depth));
    let c = crate::compile_text("deep.c4", &src);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(c.diagrams().count(), 1);
}

#[test]
fn bad_escape() {
    assert_eq!(errs(r#"model { a = person "x\q" }"#)[0].code, Code::E004);
}

#[test]
fn views_and_styles() {
    let f = ok(r#"
        views {
          landscape all "Everything"
          container shop "shop-containers" { include * shop.api.* exclude a -> b direction LR title "T" }
          context shop
        }
        styles {
          element database { fill #029E73 color #fff shape cylinder }
          relationship async { dashed }
          tag "critical" { stroke #f00; stroke-width 3px }
        }
        specification { kind database extends container { shape cylinder } tag critical }
    "#);
    let TopItem::Views(ViewsBlock { views: v, .. }) = &f.items[0] else {
        panic!()
    };
    assert_eq!(v.len(), 3);
    assert_eq!(
        v[0].subject.as_ref().map(|s| s.dotted()),
        Some("all".into())
    );
    assert_eq!(v[1].body.len(), 4);
}

#[test]
fn mesh_options_are_typed() {
    let f = ok(r#"
        mesh m "M" in prod.k8s {
          sidecar "Envoy" "Proxy"
          mtls
          pod "{name} pod"
          control "CP" { pilot "Pilot" { uses "config" } ca "CA" }
          sidecr "x"
        }
    "#);
    let TopItem::Mesh(m) = &f.items[0] else {
        panic!()
    };
    assert_eq!(m.target.dotted(), "prod.k8s");
    let [
        MeshOpt::Sidecar { name, description },
        MeshOpt::Mtls,
        MeshOpt::Pod(Some(pod)),
        MeshOpt::Control { title, parts },
        MeshOpt::Unknown(key),
    ] = &m.options[..]
    else {
        panic!("{:#?}", m.options)
    };
    assert_eq!(name.as_ref().map(|t| t.value.as_str()), Some("Envoy"));
    assert_eq!(
        description.as_ref().map(|t| t.value.as_str()),
        Some("Proxy")
    );
    assert_eq!(pod.value, "{name} pod");
    assert_eq!(title.as_ref().map(|t| t.value.as_str()), Some("CP"));
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].id.value, "pilot");
    assert!(matches!(&parts[0].options[..], [ControlOpt::Uses(Some(u))] if u.value == "config"));
    assert_eq!(key.value, "sidecr");
}

#[test]
fn cdn_options_are_typed() {
    let f = ok(r#"
        cdn c in prod {
          origin "o"
          edge = tier "Edge" { pop "POP" ttl "1h" size "x" }
          tier = users "U"
          latncy "x"
          r = region "R" { edge "Paris" }
          notes { n = note "N" "D" { from "edge.r" "why" to "x" } other "y" }
        }
    "#);
    let TopItem::Cdn(c) = &f.items[0] else {
        panic!()
    };
    let [
        CdnOpt::Origin {
            path: Some(origin), ..
        },
        CdnOpt::Tier(tier),
        CdnOpt::Users(Some(users)),
        CdnOpt::Unknown(unknown),
        CdnOpt::Region(region),
        CdnOpt::Notes(notes),
    ] = &c.options[..]
    else {
        panic!("{:#?}", c.options)
    };
    assert_eq!(origin.value, "o");
    assert_eq!(
        tier.head.id.as_ref().map(|t| t.value.as_str()),
        Some("edge")
    );
    assert!(matches!(
        &tier.props[..],
        [
            TierProp::Set(TierField::Pop, Some(_)),
            TierProp::Set(TierField::Ttl, Some(_)),
            TierProp::Unknown(k)
        ] if k.value == "size"
    ));
    // `tier = users "U"`: the option `users` (with an identifier it ignores).
    assert_eq!(users.value, "U");
    assert_eq!(unknown.value, "latncy");
    assert_eq!(region.pops.len(), 1);
    assert_eq!(region.pops[0].0.value, "edge");
    let [NotesItem::Note(note), NotesItem::Unknown(other)] = &notes.notes[..] else {
        panic!("{:#?}", notes.notes)
    };
    assert_eq!(other.value, "other");
    assert_eq!(note.details.as_ref().map(|t| t.value.as_str()), Some("D"));
    assert!(matches!(
        &note.links[..],
        [NoteOpt::From { reference: Some(r), .. }, NoteOpt::Unknown(k)] if r.value == "edge.r" && k.value == "to"
    ));
}

#[test]
fn unused_option_bodies_still_report_bad_lines_and_escapes() {
    let d = errs("mesh m in p {\n  sidecar \"S\" {\n    x \"\\q\"\n    = =\n  }\n}\n");
    let codes: Vec<Code> = d.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::E004, Code::E001], "{d:#?}");
}

#[test]
fn dynamic_blocks_nest_with_their_sections_and_options() {
    let f = ok(r#"
        dynamic D "T" {
          autonumber text
          boxes container
          alt "hit" {
            a -> b "x"
          } else "miss" {
            loop { a <- b }
          } else {
          }
          par { a ~> b } and "two" { a -> b }
          critical "c" { a -> b } option "o" { break "end" { a <- b "y" } }
          opt { a -> b }
        }
    "#);
    let Some(TopItem::Dynamic(d)) = f.items.first() else {
        panic!("no dynamic block: {f:?}");
    };
    assert_eq!(d.numbering, Numbering::Text);
    assert_eq!(d.boxes, Some(BoxLevel::Container));
    let kinds: Vec<(BlockKind, usize)> = d
        .steps
        .iter()
        .filter_map(|s| match s {
            DynStep::Block { kind, sections, .. } => Some((*kind, sections.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (BlockKind::Alt, 3),
            (BlockKind::Par, 2),
            (BlockKind::Critical, 2),
            (BlockKind::Opt, 1)
        ]
    );
    let DynStep::Block { sections, .. } = &d.steps[0] else {
        panic!("not a block");
    };
    assert_eq!(
        sections[1].label.as_ref().map(|l| l.value.as_str()),
        Some("miss")
    );
    assert!(matches!(
        &sections[1].steps[0],
        DynStep::Block {
            kind: BlockKind::Loop,
            ..
        }
    ));
    assert!(sections[2].label.is_none() && sections[2].steps.is_empty());
    // A participant may be called like a block keyword.
    let f = ok("dynamic D { alt -> loop \"x\" }");
    let Some(TopItem::Dynamic(d)) = f.items.first() else {
        panic!("no dynamic block");
    };
    assert!(matches!(&d.steps[0], DynStep::Message { .. }));
    // Plain `autonumber` is Mermaid's.
    let f = ok("dynamic D { autonumber a -> b }");
    assert!(
        matches!(f.items.first(), Some(TopItem::Dynamic(d)) if d.numbering == Numbering::Mermaid)
    );
}

#[test]
fn dynamic_block_mistakes_are_e074_or_e001_with_a_hint() {
    let codes = |src: &str| errs(src).iter().map(|d| d.code).collect::<Vec<_>>();
    assert_eq!(
        codes("dynamic D { loop { a -> b } else { a -> b } }"),
        [Code::E074]
    );
    assert_eq!(
        codes("dynamic D { alt { a -> b } and { a -> b } }"),
        [Code::E074]
    );
    assert_eq!(
        codes("dynamic D { par { a -> b } option { a -> b } }"),
        [Code::E074]
    );
    assert_eq!(
        codes("dynamic D { opt { autonumber a -> b } }"),
        [Code::E074]
    );
    assert_eq!(codes("dynamic D { opt { boxes system } }"), [Code::E074]);
    let d = errs("dynamic D {\n  alt \"x\"\n    a -> b\n  end\n}\n");
    assert!(d.iter().all(|d| d.code == Code::E001), "{d:?}");
    assert!(
        d.iter()
            .all(|d| d.hint.as_deref().is_some_and(|h| h.contains("braces"))),
        "{d:?}"
    );
}
