//! `split frames` and `collapse`, one rule per test, on a small model.

use super::fold::{End, FrameId};
use super::*;
use crate::model::Model;

const SHOP: &str = r#"
model {
  customer = person "Customer"
  bank = system "Bank"
  shop = system "Shop" {
    group "Front" {
      web = container "Web"
      api = container "API"
    }
    group "Back" {
      billing = container "Billing"
      ledger = container "Ledger"
    }
    queue = container "Queue"
  }
  customer -> shop.web "Browses"
  customer -> shop.api "Calls"
  shop.web -> shop.api "Uses"
  shop.api ~> shop.queue "Publishes"
  shop.queue ~> shop.billing "Delivers"
  shop.billing -> shop.ledger "Writes"
  shop.billing -> bank "Charges"
}
"#;

fn compiled(views: &str) -> (Model, Vec<View>) {
    let c = crate::compile_text("t.c4", &format!("{SHOP}views {{ defaults off\n{views} }}"));
    assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
    let w = c.compiled.into_iter().next().expect("a model");
    (w.model, w.views)
}

/// `source -> target` of each folded edge, a fold named by its title.
fn fold_edges(m: &Model, v: &View) -> Vec<String> {
    let s = v.as_static().expect("a static view");
    let name = |e: End| match e {
        End::Element(x) => m.element(x).path.clone(),
        End::Fold(i) => format!("[{}]", s.folds[i].title),
    };
    s.fold_edges
        .iter()
        .map(|e| format!("{} -> {}", name(e.source), name(e.target)))
        .collect()
}

#[test]
fn split_writes_an_overview_then_a_part_per_group_inside_the_subject() {
    let (_, views) = compiled(r#"container shop "c" { split frames }"#);
    let keys: Vec<&str> = views.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["c", "c--front", "c--back"]);
    assert!(views[0].is_primary() && !views[1].is_primary());
    let part = views[2].part.as_ref().expect("a part");
    assert_eq!(
        (part.of.as_str(), part.frame.as_deref()),
        ("c", Some("Back"))
    );
    assert_eq!((part.index, part.count), (2, 2));
}

#[test]
fn the_overview_lifts_edges_to_the_folded_groups_and_merges_them() {
    let (m, views) = compiled(r#"container shop "c" { split frames }"#);
    let o = views[0].as_static().expect("static");
    let titles: Vec<(&str, usize)> = o
        .folds
        .iter()
        .map(|f| (f.title.as_str(), f.count))
        .collect();
    assert_eq!(titles, [("Front", 2), ("Back", 2)]);
    // Browses and Calls merge onto one edge; web -> api and billing ->
    // ledger are inside one fold and vanish.
    assert_eq!(
        fold_edges(&m, &views[0]),
        [
            "customer -> [Front]",
            "[Front] -> shop.queue",
            "shop.queue -> [Back]",
            "[Back] -> bank"
        ]
    );
    assert_eq!(o.fold_edges[0].label.as_deref(), Some("Browses\nCalls"));
    assert!(o.edges.is_empty());
    let nodes: Vec<&str> = o
        .nodes
        .iter()
        .map(|e| m.element(*e).path.as_str())
        .collect();
    assert_eq!(nodes, ["customer", "bank", "shop.queue"]);
}

#[test]
fn a_part_draws_its_frame_and_the_boxes_its_contents_connect_to() {
    let (m, views) = compiled(r#"container shop "c" { split frames }"#);
    let p = views[2].as_static().expect("static");
    let nodes: Vec<&str> = p
        .nodes
        .iter()
        .map(|e| m.element(*e).path.as_str())
        .collect();
    assert_eq!(nodes, ["bank", "shop.billing", "shop.ledger", "shop.queue"]);
    assert_eq!(p.edges.len(), 3);
    assert!(p.folds.is_empty());
}

#[test]
fn collapse_by_name_folds_only_that_frame() {
    let (m, views) = compiled(r#"container shop "c" { collapse back }"#);
    assert_eq!(views.len(), 1);
    let v = views[0].as_static().expect("static");
    assert_eq!(v.folds.len(), 1);
    assert_eq!(
        v.folds[0].frame,
        FrameId::Group(
            m.groups
                .iter()
                .position(|g| g.title == "Back")
                .map(|i| crate::model::GroupId(i as u32))
                .expect("Back")
        )
    );
    assert_eq!(
        fold_edges(&m, &views[0]),
        ["shop.queue -> [Back]", "[Back] -> bank"]
    );
}

#[test]
fn collapse_of_a_boundary_keeps_the_element_as_the_box() {
    let (m, views) = compiled(r#"container shop "c" { collapse shop }"#);
    let v = views[0].as_static().expect("static");
    assert_eq!(
        v.folds[0].frame,
        FrameId::Element(m.find("shop").expect("shop"))
    );
    assert_eq!(v.folds[0].count, 5);
    assert_eq!(
        fold_edges(&m, &views[0]),
        ["customer -> [Shop]", "[Shop] -> bank"]
    );
}

#[test]
fn a_view_without_frames_is_not_split() {
    let (_, views) = compiled(r#"landscape "l" { split frames }"#);
    assert_eq!(views.len(), 1);
    assert!(views[0].part.is_none());
}

#[test]
fn the_json_export_says_which_view_a_part_belongs_to() {
    let c = crate::compile_text(
        "t.c4",
        &format!(
            r#"{SHOP}views {{ defaults off
container shop "c" {{ split frames }} }}"#
        ),
    );
    let json: serde_json::Value = serde_json::from_str(&c.json()).expect("JSON");
    let views = &json["workspaces"][0]["views"];
    assert_eq!(views[0]["part"]["frame"], serde_json::Value::Null);
    assert_eq!(views[0]["folds"][1]["title"], "Back");
    assert_eq!(views[0]["folded_edges"][0]["source"], "customer");
    assert_eq!(views[0]["folded_edges"][0]["target"]["fold"], 0);
    assert_eq!(views[2]["key"], "c--back");
    assert_eq!(views[2]["part"]["of"], "c");
    assert_eq!(views[2]["part"]["frame"], "Back");
}
