//! The view layer's rules, one test each, on small models.

use super::*;
use crate::model::{EnvId, Model, Selection, StaticDef, StaticKind};
use crate::syntax::ast::Arrow;

/// The model of `src` (which must compile without errors) and its views.
fn compiled(src: &str) -> (Model, Vec<View>) {
    let c = crate::compile_text("t.c4", src);
    assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
    let w = c.compiled.into_iter().next().expect("a model");
    (w.model, w.views)
}

fn view<'v>(views: &'v [View], key: &str) -> &'v View {
    views
        .iter()
        .find(|v| v.key == key)
        .unwrap_or_else(|| panic!("no view {key}"))
}

fn paths(m: &Model, ids: &[ElementId]) -> Vec<String> {
    ids.iter().map(|e| m.element(*e).path.clone()).collect()
}

/// `source -> target` of each edge, `(implied)` marked.
fn edges(m: &Model, v: &View) -> Vec<String> {
    v.edges()
        .iter()
        .map(|e| {
            let mark = if e.implied { " (implied)" } else { "" };
            format!(
                "{} -> {}{mark}",
                m.element(e.source).path,
                m.element(e.target).path
            )
        })
        .collect()
}

const SHOP: &str = r#"
model {
  customer = person "Customer"
  shop = system "Shop" {
    web = container "Web"
    api = container "API" {
      orders = component "Orders"
      users = component "Users"
      orders -> users "Looks up"
    }
    web -> api.orders "Calls"
  }
  erp = system "ERP"
  note = annotation "Note"
  customer -> shop.web "Uses"
  erp -> shop.api.users "Imports"
  erp ~> shop.api.users "Notifies"
}
"#;

#[test]
fn a_landscape_shows_people_and_systems_but_no_annotation() {
    let (m, views) = compiled(SHOP);
    let v = view(&views, "landscape");
    assert_eq!(paths(&m, v.nodes()), ["customer", "shop", "erp"]);
    assert!(v.boundaries().is_empty());
}

#[test]
fn a_relationship_between_hidden_elements_is_lifted_to_their_drawn_ancestors() {
    let (m, views) = compiled(SHOP);
    let v = view(&views, "landscape");
    // customer -> shop.web and erp -> shop.api.users land on `shop`: implied.
    assert_eq!(
        edges(&m, v),
        [
            "customer -> shop (implied)",
            "erp -> shop (implied)",
            "erp -> shop (implied)"
        ]
    );
}

#[test]
fn synchronous_and_asynchronous_relationships_stay_separate_edges() {
    let (_, views) = compiled(SHOP);
    let arrows: Vec<Arrow> = view(&views, "landscape")
        .edges()
        .iter()
        .map(|e| e.arrow)
        .collect();
    assert_eq!(arrows, [Arrow::Sync, Arrow::Sync, Arrow::Async]);
}

#[test]
fn a_context_view_shows_its_subject_and_what_connects_to_it() {
    let (m, views) = compiled(SHOP);
    let v = view(&views, "shop-context");
    assert_eq!(paths(&m, v.nodes()), ["customer", "shop", "erp"]);
}

#[test]
fn a_container_view_frames_its_subject_and_lifts_outsiders_to_their_system() {
    let (m, views) = compiled(SHOP);
    let v = view(&views, "shop-containers");
    assert_eq!(paths(&m, v.boundaries()), ["shop"]);
    assert_eq!(
        paths(&m, v.nodes()),
        ["customer", "shop.web", "shop.api", "erp"]
    );
    // web -> api.orders lands on the container: implied; customer -> web is direct.
    assert_eq!(
        edges(&m, v),
        [
            "shop.web -> shop.api (implied)",
            "customer -> shop.web",
            "erp -> shop.api (implied)",
            "erp -> shop.api (implied)"
        ]
    );
}

#[test]
fn a_component_view_frames_the_container_and_its_system_and_shows_siblings() {
    let (m, views) = compiled(SHOP);
    let v = view(&views, "shop-api-components");
    assert_eq!(paths(&m, v.boundaries()), ["shop", "shop.api"]);
    assert_eq!(
        paths(&m, v.nodes()),
        ["shop.web", "shop.api.orders", "shop.api.users", "erp"]
    );
    assert_eq!(
        v.as_static().map(|s| s.tree.len()),
        Some(2),
        "the system frame and erp at the top"
    );
}

#[test]
fn subject_box_and_both_draw_the_container_as_a_box_its_own_edges_on_it() {
    let src = format!(
        "{SHOP}model {{ shop.web -> shop.api \"Pings\" }}\nviews {{\n  \
         component shop.api \"box\" {{ subject box  exclude shop.api.users }}\n  \
         component shop.api \"both\" {{ subject both }}\n}}"
    );
    let (m, views) = compiled(&src);
    let boxed = view(&views, "box");
    assert_eq!(paths(&m, boxed.boundaries()), ["shop"]);
    assert_eq!(
        paths(&m, boxed.nodes()),
        ["shop.web", "shop.api", "shop.api.orders", "erp"]
    );
    // The container's own relationship ends on its box, a component's on the
    // component; the hidden Users' relationships are lifted to the box.
    assert_eq!(
        edges(&m, boxed),
        [
            "shop.web -> shop.api.orders",
            "erp -> shop.api (implied)",
            "erp -> shop.api (implied)",
            "shop.web -> shop.api"
        ]
    );
    // The components sit in the system's frame, beside the box.
    let tree = &boxed.as_static().expect("static").tree;
    let Some(Item::Boundary(_, kids)) = tree.first() else {
        panic!("the system frame first: {tree:?}")
    };
    assert_eq!(kids.len(), 3, "web, the API's box, orders: {kids:?}");

    let both = view(&views, "both");
    assert_eq!(paths(&m, both.boundaries()), ["shop", "shop.api"]);
    assert!(paths(&m, both.nodes()).contains(&"shop.api".to_string()));
    let tree = &both.as_static().expect("static").tree;
    let Some(Item::Boundary(_, kids)) = tree.first() else {
        panic!("the system frame first: {tree:?}")
    };
    let api = m.find("shop.api").expect("api");
    assert!(
        matches!(kids.as_slice(), [_, Item::Node(b), Item::Boundary(f, _)] if *b == api && *f == api),
        "the API's box just before its frame: {kids:?}"
    );
    assert!(edges(&m, both).contains(&"shop.web -> shop.api".to_string()));
}

#[test]
fn an_edge_between_an_element_and_its_own_frame_is_not_drawn() {
    let (m, views) = compiled(&format!(
        "{SHOP}views {{ landscape \"x\" {{ include shop, shop.web  }} }}\n"
    ));
    let v = view(&views, "x");
    assert_eq!(paths(&m, v.boundaries()), ["shop"]);
    assert_eq!(paths(&m, v.nodes()), ["shop.web"]);
    assert!(edges(&m, v).is_empty(), "{:?}", edges(&m, v));
}

#[test]
fn a_frame_does_not_stand_for_its_parts_that_are_not_shown() {
    // `shop` is drawn only to frame `web`: `erp`'s relationships with
    // `shop.api.users` are not redirected to it.
    let (m, views) = compiled(&format!(
        "{SHOP}views {{ landscape \"x\" {{ include shop.web, erp, customer }} }}\n"
    ));
    let v = view(&views, "x");
    assert_eq!(edges(&m, v), ["customer -> shop.web"]);
}

#[test]
fn excluding_an_element_hides_it_and_everything_inside_it() {
    let (m, views) = compiled(&format!(
        "{SHOP}views {{ container shop \"x\" {{ include * shop.api.* exclude shop.api }} }}\n"
    ));
    let v = view(&views, "x");
    assert_eq!(paths(&m, v.nodes()), ["customer", "shop.web", "erp"]);
}

#[test]
fn excluding_relationships_removes_only_the_matching_arrows() {
    let (m, views) = compiled(&format!(
        "{SHOP}views {{ landscape \"x\" {{ include * exclude erp ~> * }} }}\n"
    ));
    let v = view(&views, "x");
    assert_eq!(
        edges(&m, v),
        ["customer -> shop (implied)", "erp -> shop (implied)"]
    );
    assert!(v.edges().iter().all(|e| e.arrow == Arrow::Sync));
}

#[test]
fn relationships_landing_on_one_pair_merge_into_one_edge_in_source_order() {
    let (m, views) = compiled(
        r#"
model {
  a = system "A" { x = container "X"  y = container "Y" }
  b = system "B"
  a.y -> b "Second"
  a.x -> b "First"
}
"#,
    );
    let v = view(&views, "landscape");
    assert_eq!(edges(&m, v), ["a -> b (implied)"]);
    let e = &v.edges()[0];
    assert_eq!(e.relationships.len(), 2);
    assert!(e.relationships[0] < e.relationships[1]);
    assert_eq!(e.label.as_deref(), Some("Second\nFirst"));
}

#[test]
fn a_custom_view_draws_no_boundaries_and_one_frame_per_group_title() {
    let (m, views) = compiled(
        r#"
model {
  group "Team" { a = system "A" { x = container "X" } }
  s = system "S" { group "Team" { y = container "Y" } }
}
views { custom "c" { include a, a.x, s.y } }
"#,
    );
    let v = view(&views, "c");
    assert!(v.boundaries().is_empty());
    assert_eq!(paths(&m, v.nodes()), ["a", "a.x", "s.y"]);
    let tree = &v.as_static().expect("static").tree;
    assert_eq!(tree.len(), 1, "{tree:?}");
    assert!(matches!(&tree[0], Item::Group(_, kids) if kids.len() == 3));
}

#[test]
fn a_view_past_its_work_cap_is_left_empty() {
    let (m, _) = compiled(SHOP);
    let def = m
        .views
        .iter()
        .find(|d| d.key == "landscape")
        .expect("landscape");
    let mut scratch = Scratch::new(&m);
    scratch.cap = 1;
    let v = compute(&m, def, &mut scratch);
    assert_eq!(v.overflow, Some(budget::Overflow::Budget));
    assert!(v.nodes().is_empty());
}

#[test]
fn a_relationship_selection_shows_the_ends_at_the_views_level() {
    let (m, _) = compiled(SHOP);
    let shop = m.find("shop").expect("shop");
    let def = StaticDef {
        kind: StaticKind::Container,
        subject: Some(shop),
        include: vec![Selection::Relationships(
            Box::new(Selection::Any),
            Arrow::Async,
            Box::new(Selection::Any),
        )],
        exclude: Vec::new(),
        subject_draw: crate::model::SubjectDraw::Boundary,
        boundaries: crate::model::Boundaries::All,
        split: None,
        collapse: crate::model::Collapse::None,
    };
    let v = c4::compute(&m, &def, &mut Scratch::new(&m)).expect("drawn");
    // erp ~> shop.api.users: erp at the top, users as its container.
    assert_eq!(paths(&m, &v.nodes), ["shop.api", "erp"]);
}

#[test]
fn two_relationships_between_ends_drawn_as_themselves_are_two_edges() {
    let (m, views) = compiled(
        r#"
model {
  app = system "App"
  cache = system "Cache"
  db = system "DB"
  app -> cache "Check cache" "RESP" { step 1 }
  app -> db "Read" { step 2 }
  app -> cache "Update cache" "RESP" { step 3 }
}
"#,
    );
    let v = view(&views, "landscape");
    assert_eq!(edges(&m, v), ["app -> cache", "app -> db", "app -> cache"]);
    let said: Vec<_> = v
        .edges()
        .iter()
        .map(|e| (e.step.as_deref(), e.label.as_deref(), e.relationships.len()))
        .collect();
    assert_eq!(
        said,
        [
            (Some("1"), Some("Check cache"), 1),
            (Some("2"), Some("Read"), 1),
            (Some("3"), Some("Update cache"), 1)
        ]
    );
}

#[test]
fn lifted_relationships_list_what_each_says_with_its_own_technology() {
    let (m, views) = compiled(
        r#"
model {
  customer = person "Customer"
  shop = system "Shop" { web = container "Web"  app = container "App" }
  customer -> shop.web "Browses and orders using" "HTTPS"
  customer -> shop.app "Orders on the go using" "JSON"
  customer -> shop.web "Browses and orders using" "HTTPS"
}
"#,
    );
    let v = view(&views, "landscape");
    assert_eq!(edges(&m, v), ["customer -> shop (implied)"]);
    let e = &v.edges()[0];
    assert_eq!(
        e.label.as_deref(),
        Some("Browses and orders using [HTTPS]\nOrders on the go using [JSON]")
    );
    assert_eq!(e.technology, None);
    // Where the ends are drawn, each is its own edge again.
    let v = view(&views, "shop-containers");
    assert_eq!(
        edges(&m, v),
        ["customer -> shop.web", "customer -> shop.app"]
    );
}

#[test]
fn a_technology_every_lifted_relationship_names_is_shown_once() {
    let (_, views) = compiled(
        r#"
model {
  a = system "A" { x = container "X"  y = container "Y" }
  b = system "B"
  a.x -> b "Reads orders from" "HTTPS" { step 1 }
  a.y -> b "Writes orders to" "HTTPS" { step 2 }
}
"#,
    );
    let e = &view(&views, "landscape").edges()[0];
    assert_eq!(
        e.label.as_deref(),
        Some("1. Reads orders from\n2. Writes orders to")
    );
    assert_eq!(e.technology.as_deref(), Some("HTTPS"));
    assert_eq!(e.step, None);
}

#[test]
fn a_pairs_own_relationship_speaks_for_those_lifted_onto_it() {
    let (m, views) = compiled(
        r#"
model {
  customer = person "Customer"
  shop = system "Shop" { web = container "Web" }
  customer -> shop.web "Browses"
  customer -> shop "Buys from"
  customer -> shop "Complains to"
}
"#,
    );
    let v = view(&views, "landscape");
    assert_eq!(edges(&m, v), ["customer -> shop", "customer -> shop"]);
    let labels: Vec<_> = v.edges().iter().map(|e| e.label.as_deref()).collect();
    assert_eq!(labels, [Some("Buys from"), Some("Complains to")]);
    // The first stands for the lifted one too (a diff highlights it).
    assert_eq!(v.edges()[0].relationships.len(), 2);
    assert_eq!(v.edges()[1].relationships.len(), 1);
}

#[test]
fn a_merged_label_says_one_thing_once_and_caps_its_lines() {
    use lift::{MAX_LINES, Merged, Said};
    let said = |label: &'static str, technology: Option<&'static str>| Said {
        step: None,
        label: Some(label),
        technology,
    };
    let nothing = Said {
        step: None,
        label: None,
        technology: None,
    };
    // The same thing said twice, and a relationship saying nothing: one thing.
    assert_eq!(
        Said::merge([said("a", Some("T")), nothing, said("a", Some("T"))]),
        Merged {
            label: Some("a".into()),
            technology: Some("T".into()),
            step: None
        }
    );
    // A technology some name and others do not stays on its line.
    assert_eq!(
        Said::merge([said("a", Some("T")), said("b", None)]).label,
        Some("a [T]\nb".into())
    );
    let many: Vec<Said> = ["a", "b", "c", "d", "e"]
        .into_iter()
        .map(|l| said(l, None))
        .collect();
    let label = Said::merge(many).label.expect("a label");
    assert_eq!(label, "a\nb\n… and 3 more");
    assert_eq!(label.lines().count(), MAX_LINES);
    assert_eq!(Said::merge([nothing, nothing]).label, None);
}

const DEPLOYED: &str = r#"
model {
  user = person "User"
  shop = system "Shop" { web = container "Web"  api = container "API" }
  other = system "Other" { job = container "Job" }
  user -> shop.web "Uses"
  shop.web -> shop.api "Calls"
}
deployment prod "Prod" {
  n = node "Node" {
    lb = infra "LB"
    web = instance shop.web { replicas 2  expand }
    api = instance shop.api { replicas 2  expand }
  }
  m = node "Other node" { job = instance other.job }
  user -> n.web "Visits"
}
"#;

#[test]
fn a_deployment_view_pairs_copies_of_items_of_one_size() {
    let (m, views) = compiled(DEPLOYED);
    let Content::Deployment(dv) = &view(&views, "prod-deployment").content else {
        panic!("a deployment view");
    };
    // web -> api is carried from the model: copy 1 -> copy 1, 2 -> 2.
    let pairs: Vec<(deployment::BoxRef, deployment::BoxRef)> = dv
        .edges
        .iter()
        .filter(|e| matches!(e.source, deployment::BoxRef::Item(..)))
        .map(|e| (e.source, e.target))
        .collect();
    let d = m.env(dv.env);
    let web = d
        .items
        .iter()
        .position(|i| i.path == "prod.n.web")
        .expect("web");
    let api = d
        .items
        .iter()
        .position(|i| i.path == "prod.n.api")
        .expect("api");
    use deployment::BoxRef::Item;
    assert_eq!(
        pairs,
        [(Item(web, 1), Item(api, 1)), (Item(web, 2), Item(api, 2))]
    );
    // The user, named by a deployment relationship, is drawn beside it, to every copy.
    assert_eq!(paths(&m, &dv.elements), ["user"]);
    assert_eq!(dv.edges.len(), 4);
}

#[test]
fn a_deployment_view_of_one_system_shows_its_instances_their_nodes_and_their_infrastructure() {
    let (m, views) = compiled(&format!(
        "{DEPLOYED}views {{ deployment prod of shop \"x\" }}\n"
    ));
    let Content::Deployment(dv) = &view(&views, "x").content else {
        panic!("a deployment view");
    };
    let d = m.env(dv.env);
    let shown: Vec<&str> = (0..d.items.len())
        .filter(|i| dv.shows(*i))
        .map(|i| d.items[i].path.as_str())
        .collect();
    assert_eq!(shown, ["prod.n", "prod.n.lb", "prod.n.web", "prod.n.api"]);
    assert_eq!(view(&views, "x").subject(), m.find("shop"));
}

#[test]
fn a_mesh_routes_callers_through_its_ingress_and_draws_each_edge_once() {
    let (m, views) = compiled(&format!(
        "{DEPLOYED}mesh sm \"Mesh\" in prod.n {{\n  ingress \"Gate\"\n  control {{ pilot \"Pilot\" {{ uses \"Config\" }} }}\n}}\n"
    ));
    let Content::Mesh(mv) = &view(&views, "sm-mesh").content else {
        panic!("a mesh view");
    };
    use mesh::MeshBox::{App, Caller, Control, Ingress, Proxy};
    let d = m.env(m.mesh(mv.mesh).env);
    let at = |p: &str| d.items.iter().position(|i| i.path == p).expect(p);
    let (web, api) = (at("prod.n.web"), at("prod.n.api"));
    let user = m.find("user").expect("user");
    let got: Vec<(mesh::MeshBox, mesh::MeshBox)> =
        mv.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        got,
        [
            (Caller(user), Ingress),
            (Ingress, Proxy(web)),
            (Proxy(web), Proxy(api)),
            (Proxy(web), Control(0)),
            (Proxy(api), Control(0)),
            (Proxy(web), App(web)),
            (Proxy(api), App(api)),
        ]
    );
}

#[test]
fn a_cdn_misses_to_the_next_tier_and_the_last_tier_to_the_origin_entry() {
    let (m, views) = compiled(&format!(
        r#"{DEPLOYED}cdn c "CDN" in prod {{
  origin "n"
  entry "lb"
  latency "fast"
  edge = tier "Edge" {{ pop "Edge" cache "1GB" miss "5%" }}
  shield = tier "Shield" {{ pop "Shield" }}
  a = region "A" {{ edge "Paris" shield "Lyon" }}
  b = region "B" {{ edge "Rome" shield "Milan" }}
}}
"#
    ));
    let Content::Cdn(cv) = &view(&views, "c-cdn").content else {
        panic!("a CDN view");
    };
    let lb = m
        .env(EnvId::new(0))
        .items
        .iter()
        .position(|i| i.path == "prod.n.lb")
        .expect("lb");
    use cdn::CdnBox::{Origin, Pop, User};
    let got: Vec<(cdn::CdnBox, cdn::CdnBox, Option<&str>)> = cv
        .edges
        .iter()
        .map(|e| (e.from, e.to, e.label.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (User(0), Pop(0, 0), Some("fast")),
            (User(1), Pop(0, 1), Some("fast")),
            (Pop(0, 0), Pop(1, 0), Some("Cache miss (5%)")),
            (Pop(0, 1), Pop(1, 1), Some("Cache miss (5%)")),
            (Pop(1, 0), Origin(deployment::BoxRef::Item(lb, 0)), None),
            (Pop(1, 1), Origin(deployment::BoxRef::Item(lb, 0)), None),
        ]
    );
    let paris = cv.pops[0][0].as_ref().expect("a POP in Paris");
    assert_eq!(paris.name, "Edge - Paris");
    assert_eq!(paris.details, ["Cache: 1GB"]);
}
