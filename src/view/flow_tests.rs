//! Flows over static views: one test per rule of [`super`].

use super::super::{Content, View};
use crate::diagnostic::Code;
use crate::model::Model;
use crate::syntax::ast::Direction;

const MODEL: &str = r#"
model {
  customer = person "Customer"
  shop = system "Shop" {
    web = container "Web"
    mobile = container "Mobile"
    api = container "API" {
      orders = component "Orders"
    }
    db = container "Database"
    web -> api "Calls"
    api -> db "Reads"
  }
  pay = system "Payments"
  mail = system "Mail"
  customer -> shop.web "Browses"
  customer -> shop.mobile "Orders on the go"
  shop.api -> pay "Charges"
}
"#;

/// The model of `MODEL` + `rest` and its views (no errors allowed).
fn compiled(rest: &str) -> (Model, Vec<View>, Vec<Code>) {
    let c = crate::compile_text("t.c4", &format!("{MODEL}{rest}"));
    assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
    let codes = c.diagnostics.iter().map(|d| d.code).collect();
    let w = c.compiled.into_iter().next().expect("a model");
    (w.model, w.views, codes)
}

/// The plain edges and the steps of view `key`: `a -> b: label`, `a => b: N. text`, `a ~> b: N. text` (dashed).
fn drawn(m: &Model, views: &[View], key: &str) -> (Vec<String>, Vec<String>) {
    let v = views.iter().find(|v| v.key == key).expect("the view");
    let Content::Flow(f) = &v.content else {
        panic!("{key} is not a flow");
    };
    let p = |e| m.element(e).path.clone();
    let plain = f
        .base
        .edges
        .iter()
        .map(|e| {
            format!(
                "{} -> {}: {}",
                p(e.source),
                p(e.target),
                e.label.clone().unwrap_or_default()
            )
        })
        .collect();
    let steps = f
        .steps
        .iter()
        .map(|s| {
            let arrow = if s.dashed { "~>" } else { "=>" };
            format!(
                "{} {arrow} {}: {}. {}",
                p(s.source),
                p(s.target),
                s.number,
                s.text.clone().unwrap_or_default()
            )
        })
        .collect();
    (plain, steps)
}

#[test]
fn a_step_replaces_the_edge_of_the_relationship_it_follows_and_the_others_stay_plain() {
    let (m, v, _) = compiled(
        r#"dynamic Buy { customer -> web "Buy" web -> api "POST" web <- api "201" }
views { defaults off container shop dynamic Buy "buy" { flowchart over "shop-containers" } }"#,
    );
    let (plain, steps) = drawn(&m, &v, "buy");
    assert_eq!(
        plain,
        [
            "shop.api -> shop.db: Reads",
            "customer -> shop.mobile: Orders on the go",
            "shop.api -> pay: Charges"
        ]
    );
    // A request and its reply: both directions, the reply dashed.
    assert_eq!(
        steps,
        [
            "customer => shop.web: 1. Buy",
            "shop.web => shop.api: 2. POST",
            "shop.api ~> shop.web: 3. 201"
        ]
    );
}

#[test]
fn a_lifted_step_takes_its_relationship_out_of_a_merged_edge() {
    // In the landscape `customer -> shop` stands for two relationships; the
    // step follows one: the edge is merged again from the other.
    let (m, v, _) = compiled(
        r#"dynamic Buy { customer -> web "Buy" }
views { defaults off landscape dynamic Buy "buy" { flowchart over "landscape" } }"#,
    );
    let (plain, steps) = drawn(&m, &v, "buy");
    assert_eq!(
        plain,
        ["customer -> shop: Orders on the go", "shop -> pay: Charges"]
    );
    assert_eq!(steps, ["customer => shop: 1. Buy"]);
}

#[test]
fn a_step_drawn_to_another_box_than_its_relationship_leaves_that_edge() {
    // `web -> api.orders` is drawn to `orders` in the component view, where
    // `web -> api` is drawn to the `api` frame: not the same drawn ends.
    let (m, v, _) = compiled(
        r#"dynamic Buy { web -> orders "POST" }
views { defaults off component shop.api dynamic Buy "buy" { flowchart over "shop-api-components" } }"#,
    );
    let (plain, steps) = drawn(&m, &v, "buy");
    assert!(plain.contains(&"shop.web -> shop.api: Calls".to_string()));
    assert_eq!(steps, ["shop.web => shop.api.orders: 1. POST"]);
}

#[test]
fn an_end_the_view_does_not_draw_adds_its_element_at_the_views_level() {
    let (m, v, _) = compiled(
        r#"dynamic Mail { api -> mail "Send" orders -> pay "Charge" }
views { defaults off context shop "ctx" { include shop pay } dynamic Mail "mail" { flowchart over "ctx" } }"#,
    );
    let view = v.iter().find(|v| v.key == "mail").unwrap();
    let Content::Flow(f) = &view.content else {
        panic!()
    };
    let added: Vec<&str> = f
        .added
        .iter()
        .map(|e| m.element(*e).path.as_str())
        .collect();
    assert_eq!(added, ["mail"]);
    let (plain, steps) = drawn(&m, &v, "mail");
    assert!(plain.is_empty(), "{plain:?}");
    assert_eq!(steps, ["shop => mail: 1. Send", "shop => pay: 2. Charge"]);
}

#[test]
fn a_step_inside_one_box_is_not_drawn_and_says_so() {
    let (m, v, codes) = compiled(
        r#"dynamic Buy { web -> api "POST" api -> pay "Charge" }
views { defaults off context shop dynamic Buy "buy" { flowchart over "shop-context" } }"#,
    );
    let (_, steps) = drawn(&m, &v, "buy");
    assert_eq!(steps, ["shop => pay: 2. Charge"]);
    assert!(codes.contains(&Code::W015), "{codes:?}");
}

#[test]
fn a_flow_takes_its_views_direction_unless_it_says_its_own() {
    let (_, v, _) = compiled(
        r#"dynamic Buy { web -> api "POST" }
views {
  defaults off
  container shop { direction LR }
  dynamic Buy "a" { flowchart over "shop-containers" }
  dynamic Buy "b" { flowchart over "shop-containers" direction BT }
}"#,
    );
    let dir = |k: &str| {
        v.iter()
            .find(|v| v.key == k)
            .unwrap()
            .direction
            .map(Direction::as_str)
    };
    assert_eq!((dir("a"), dir("b")), (Some("LR"), Some("BT")));
}

#[test]
fn over_names_a_static_view_of_the_model() {
    let c = crate::compile_text(
        "t.c4",
        &format!(
            "{MODEL}dynamic Buy {{ web -> api \"POST\" }}\nviews {{\n  \
             dynamic Buy \"a\" {{ flowchart over \"shop-container\" }}\n  \
             dynamic Buy \"b\" {{ flowchart over \"a\" }}\n}}"
        ),
    );
    let e044: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::E044)
        .collect();
    assert_eq!(e044.len(), 2, "{:?}", c.diagnostics);
    assert!(format!("{:?}", e044[0]).contains("did you mean `shop-containers`"));
    assert!(format!("{:?}", e044[1]).contains("dynamic view"));
}

#[test]
fn a_step_between_the_boxes_themselves_sums_up_the_relationships_inside_them() {
    let (m, v, _) = compiled(
        r#"dynamic Buy { customer -> shop "Buys" }
views { defaults off landscape dynamic Buy "buy" { flowchart over "landscape" } }"#,
    );
    let (plain, steps) = drawn(&m, &v, "buy");
    assert_eq!(plain, ["shop -> pay: Charges"]);
    assert_eq!(steps, ["customer => shop: 1. Buys"]);
}

#[test]
fn of_two_relationships_between_the_same_ends_a_step_follows_the_one_saying_its_text() {
    let (m, v, _) = compiled(
        r#"model { shop.web -> shop.api "Polls" }
dynamic Poll { web -> api "Polls" }
views { defaults off container shop dynamic Poll "poll" { flowchart over "shop-containers" } }"#,
    );
    let (plain, steps) = drawn(&m, &v, "poll");
    assert!(
        plain.contains(&"shop.web -> shop.api: Calls".to_string()),
        "{plain:?}"
    );
    assert!(
        !plain.contains(&"shop.web -> shop.api: Polls".to_string()),
        "{plain:?}"
    );
    assert_eq!(steps, ["shop.web => shop.api: 1. Polls"]);
}
