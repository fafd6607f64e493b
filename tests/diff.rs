//! `c4c diff` end to end: real git repositories in temp dirs, one change per
//! scenario, the exact report in all three formats (insta snapshots), and the
//! Markdown report checked by the real Mermaid parser.

use std::path::Path;

use crate::support::{c4c, git, text};

const BASE: &str = r#"// A small shop.
import "std/kinds"

model {
  customer = person "Customer" "Buys things"
  shop = system "Shop" "Sells things" {
    web = container "Web" "Storefront" "React"
    api = container "API" "Orders and catalogue" "Rust" {
      orders = component "Orders" "Takes orders"
      stock = component "Stock" "Counts things"
      orders -> stock "Reserves stock in"
    }
    db = database "DB" "Everything" "PostgreSQL"
    web -> api "Calls" "JSON/HTTPS"
    api -> db "Reads and writes" "SQL"
  }
  mail = external system "Mailer" "Sends e-mail"
  customer -> shop.web "Shops using" "HTTPS"
  shop.api -> mail "Sends receipts with" "SMTP"
}

deployment prod "Production" {
  eu = node "EU" "" "AWS eu-west-1" {
    web = instance shop.web { replicas 2 }
    api = instance shop.api { replicas 2 }
    db = instance shop.db
  }
}
"#;

/// Three relationships to the mailer, merged into one edge where the shop
/// is one box; a view that leaves one of them out.
const MAILER: &str = r#"import "std/kinds"

model {
  customer = person "Customer" "Buys things"
  shop = system "Shop" "Sells things" {
    web = container "Web" "Storefront" "React"
    api = container "API" "Orders" "Rust"
    jobs = container "Jobs" "Nightly work" "Go"
    web -> api "Calls" "JSON/HTTPS"
  }
  mail = external system "Mailer" "Sends e-mail"
  customer -> shop.web "Shops using" "HTTPS"
  shop.web -> mail "Sends sign-up mail with" "SMTP"
  shop.api -> mail "Sends receipts with" "SMTP"
  shop.jobs -> mail "Sends reminders with" "SMTP"
}

views {
  landscape
  context shop
  container shop
  container shop "shop-quiet" "Containers without the API's mail" {
    include *
    exclude shop.api -> mail
  }
}
"#;

/// Views enough for the report to fold, two of them drawing the same
/// diagram (a custom view that includes what the default one does).
const MANY: &str = r#"import "std/kinds"

model {
  customer = person "Customer" "Buys things"
  shop = system "Shop" "Sells things" {
    web = container "Web" "Storefront" "React"
    api = container "API" "Orders" "Rust"
    web -> api "Calls" "JSON/HTTPS"
  }
  mail = external system "Mailer" "Sends e-mail"
  partner = external system "Partner" "Resells"
  customer -> shop.web "Shops using" "HTTPS"
  shop.api -> mail "Sends receipts with" "SMTP"
  partner -> mail "Sends offers with" "SMTP"
}

views {
  landscape
  context shop
  container shop
  container shop "shop-again" "Containers, once more" {
    include *
  }
}
"#;

/// A service mesh over two pods.
const MESH: &str = r#"model {
  user = person "User"
  shop = system "Shop" {
    order   = container "Order Service"
    payment = container "Payment Service"
    order -> payment "Charges payments"
  }
  user -> shop.order "Places orders" "HTTPS"
}

deployment production {
  k8s = node "Kubernetes Cluster" {
    order   = instance shop.order "Order App"
    payment = instance shop.payment "Payment App"
  }
}

mesh istio "Istio" in production.k8s {
  sidecar "Envoy Proxy" "Sidecar"
  ingress "Ingress Gateway" "Edge proxy"
  protocol "mTLS"
  control "Control Plane" {
    pilot "Pilot" "Traffic management" { uses "Configures routes" }
  }
}

views {
  defaults off
  mesh istio "istio-mesh"
}
"#;

/// A two-tier CDN in three regions.
const CDN: &str = r#"import "std/kinds"

model {
  site = system "Static Site" "Serves static assets" {
    server = container "Origin Server" "Static assets" "nginx"
  }
}

deployment production "Production" {
  origin = node "Origin" {
    lb     = infra "Origin Load Balancer" "" "CloudFront Origin"
    server = instance site.server
    lb -> server
  }
}

cdn assets "Content Delivery Network" in production {
  origin "origin"
  entry "lb"
  users "Users"
  edge = tier "Edge Layer" {
    pop "Edge POP" cache "1TB" ttl "1 hour" miss "10%"
  }
  shield = tier "Shield Layer" {
    pop "Shield POP" cache "10TB" ttl "24 hours" miss "5%"
  }
  us   = region "User in US" { edge "New York" shield "US-East" }
  eu   = region "User in EU" { edge "Frankfurt" shield "EU-West" }
  asia = region "User in Asia" { edge "Singapore" shield "AP-South" }
}

views {
  defaults off
  cdn assets "cdn"
  deployment production
}
"#;

/// A repository with `BASE` committed as `arch/model.c4`, then `change`
/// applied to the working tree.
fn repo_with_change(change: impl Fn(&str) -> String) -> tempfile::TempDir {
    repo_from(BASE, change)
}

/// A repository with `base` committed as `arch/model.c4`, then `change`
/// applied to the working tree.
fn repo_from(base: &str, change: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::create_dir_all(dir.path().join("arch")).unwrap();
    std::fs::write(dir.path().join("arch/model.c4"), base).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    let changed = change(base);
    assert_ne!(changed, base, "the scenario changes the file");
    std::fs::write(dir.path().join("arch/model.c4"), changed).unwrap();
    dir
}

fn replace(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "{from:?} is in the base model");
    s.replacen(from, to, 1)
}

/// Runs `c4c diff --git HEAD arch` in all three formats, checks exit codes and
/// returns (text, json, markdown).
fn diff_all(dir: &Path) -> (String, String, String) {
    let mut outs = Vec::new();
    for format in ["text", "json", "markdown"] {
        let o = c4c(&["diff", "--git", "HEAD", "arch", "--format", format], dir);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        outs.push(text(&o.stdout));
    }
    let json: serde_json::Value = serde_json::from_str(&outs[1]).expect("valid JSON");
    assert_eq!(json["schema"], "c4c-diff/2", "{json}");
    let [t, j, m]: [String; 3] = outs.try_into().unwrap();
    (t, j, m)
}

fn exit_code(dir: &Path) -> Option<i32> {
    c4c(&["diff", "--git", "HEAD", "arch", "--exit-code"], dir)
        .status
        .code()
}

/// The `.mmd` files `c4c build` writes for `dir`: file name → text.
fn built(dir: &Path, what: &str) -> std::collections::BTreeMap<String, String> {
    let out = dir.join(format!("{what}-out"));
    let o = c4c(&["build", what, "-o", out.to_str().unwrap()], dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    std::fs::read_dir(&out)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmd"))
        .map(|p| {
            let key = p.file_stem().unwrap().to_string_lossy().into_owned();
            (key, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A view is affected exactly when it is on both sides and the diagram
/// `c4c build` writes for it differs between base and head.
fn affected_exactly_when_drawing_differs(dir: &Path, base: &str, json: &str) {
    std::fs::create_dir_all(dir.join("old")).unwrap();
    std::fs::write(dir.join("old/model.c4"), base).unwrap();
    let (old, new) = (built(dir, "old"), built(dir, "arch"));
    let differ: Vec<&String> = new
        .iter()
        .filter(|(k, text)| old.get(*k).is_some_and(|was| &was != text))
        .map(|(k, _)| k)
        .collect();
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    let affected: Vec<&str> = json["affected_views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(affected, differ, "affected views are the redrawn ones");
}

macro_rules! scenario {
    ($name:ident, $change:expr) => {
        scenario!($name, BASE, $change);
    };
    ($name:ident, $base:expr, $change:expr) => {
        #[test]
        fn $name() {
            let repo = repo_from($base, $change);
            let (t, j, m) = diff_all(repo.path());
            insta::assert_snapshot!(concat!(stringify!($name), "_text"), t);
            insta::assert_snapshot!(concat!(stringify!($name), "_json"), j);
            insta::assert_snapshot!(concat!(stringify!($name), "_markdown"), m);
            assert_eq!(exit_code(repo.path()), Some(1));
            affected_exactly_when_drawing_differs(repo.path(), $base, &j);
            crate::mermaid::check_markdown(stringify!($name), &m);
        }
    };
}

// One of three relationships merged into the shop → mailer edge removed:
// the red edge says only what was removed, the edge left says the other
// two; the view that never drew it is not affected.
scenario!(diff_remove_merged_relationship, MAILER, |s| replace(
    s,
    "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n",
    ""
));

// A relationship added where a view excludes it: that view is not affected.
scenario!(diff_add_excluded_relationship, MAILER, |s| replace(
    s,
    "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n",
    "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n  shop.api -> mail \"Sends invoices with\" \"SMTP\"\n"
));

// A payment provider added: four views change, two of them identically
// (drawn once under both keys), and a new view: the report has a legend,
// and the diagrams past the third fold into `<details>`.
scenario!(diff_many_views_fold, MANY, |s| replace(
    &replace(
        s,
        "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n",
        "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n  pay = external system \"Payments\" \"Takes card payments\"\n  shop.api -> pay \"Charges cards with\" \"HTTPS\"\n",
    ),
    "  context shop\n",
    "  context shop\n  context pay\n",
));

// A CDN region removed, and nothing else: a change like any other (the
// CDN view is affected and says what it shows).
scenario!(diff_cdn_remove_region, CDN, |s| replace(
    s,
    "  asia = region \"User in Asia\" { edge \"Singapore\" shield \"AP-South\" }\n",
    ""
));

// A mesh's protocol changed: the mesh itself is a changed part.
scenario!(diff_mesh_change_protocol, MESH, |s| replace(
    s,
    "protocol \"mTLS\"",
    "protocol \"mTLS 1.3\""
));

// A relationship written in the deployment removed: a removed part, drawn
// dashed red in the deployment view.
scenario!(diff_deployment_relationship_removed, CDN, |s| replace(
    s,
    "    lb -> server\n",
    ""
));

// A new service in the mesh: its pod drawn green in the mesh view.
scenario!(diff_mesh_add_service, MESH, |s| {
    let s = replace(
        s,
        "    order -> payment \"Charges payments\"\n",
        "    refund  = container \"Refund Service\"\n    order -> payment \"Charges payments\"\n    payment -> refund \"Starts refunds\"\n",
    );
    replace(
        &s,
        "    payment = instance shop.payment \"Payment App\"\n",
        "    payment = instance shop.payment \"Payment App\"\n    refund  = instance shop.refund \"Refund App\"\n",
    )
});

// The origin behind the CDN swaps its server for a cache: the CDN view draws
// the new box green and the old one red.
scenario!(diff_cdn_origin_changes, CDN, |s| replace(
    s,
    "    server = instance site.server\n    lb -> server\n",
    "    cache  = infra \"Origin Cache\" \"\" \"Varnish\"\n    lb -> cache\n"
));

// An instance leaves the deployment: drawn red with its edge.
scenario!(diff_deployment_remove_instance, |s| replace(
    s,
    "    db = instance shop.db\n",
    ""
));

// A changed property nothing draws: no view is affected.
scenario!(diff_change_undrawn_property, MAILER, |s| replace(
    s,
    "    jobs = container \"Jobs\" \"Nightly work\" \"Go\"\n",
    "    jobs = container \"Jobs\" \"Nightly work\" \"Go\" {\n      properties { owner \"ops\" }\n    }\n"
));

scenario!(diff_add_container, |s| replace(
    s,
    "    db = database",
    "    cache = cache \"Cache\" \"Hot prices\" \"Redis\"\n    api -> cache \"Caches in\" \"RESP\"\n    db = database"
));

scenario!(diff_remove_relationship, |s| replace(
    s,
    "  shop.api -> mail \"Sends receipts with\" \"SMTP\"\n",
    ""
));

scenario!(diff_change_technology, |s| replace(
    s,
    "\"Orders and catalogue\" \"Rust\"",
    "\"Orders and catalogue\" \"Rust, axum\""
));

scenario!(diff_change_relationship, |s| replace(
    s,
    "web -> api \"Calls\" \"JSON/HTTPS\"",
    "web -> api \"Calls the API\" \"gRPC\""
));

// A second relationship between a pair already related: its own edge, and
// only it highlighted.
scenario!(diff_add_second_relationship, |s| replace(
    s,
    "    web -> api \"Calls\" \"JSON/HTTPS\"\n",
    "    web -> api \"Calls\" \"JSON/HTTPS\"\n    web -> api \"Streams prices from\" \"SSE\"\n"
));

scenario!(diff_move_component, |s| {
    // `stock` leaves the API for a new Stock container.
    let s = replace(
        s,
        "      stock = component \"Stock\" \"Counts things\"\n      orders -> stock \"Reserves stock in\"\n",
        "      orders -> shop.inventory.stock \"Reserves stock in\"\n",
    );
    replace(
        &s,
        "    db = database",
        "    inventory = container \"Inventory\" \"Stock levels\" \"Go\" {\n      stock = component \"Stock\" \"Counts things\"\n    }\n    db = database",
    )
});

scenario!(diff_deployment_replicas, |s| replace(
    s,
    "api = instance shop.api { replicas 2 }",
    "api = instance shop.api { replicas 5 }"
));

#[test]
fn reformatting_gives_an_empty_diff() {
    let repo = repo_with_change(|s| {
        // Different indentation, blank lines, comments and a split line.
        let mut out = String::from("// reformatted\n\n");
        for line in s.lines() {
            out.push_str(&format!("\t{}\n\n", line.trim()));
        }
        out
    });
    let (t, j, m) = diff_all(repo.path());
    assert_eq!(t, "no architecture changes\n");
    let json: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(json["summary"]["total"], 0, "{j}");
    assert!(m.contains("No architecture changes"), "{m}");
    assert!(!m.contains("```mermaid"), "{m}");
    assert_eq!(exit_code(repo.path()), Some(0));
}

#[test]
fn two_revisions_and_two_paths_agree() {
    let repo = repo_with_change(|s| replace(s, "\"Sends e-mail\"", "\"Sends e-mail and SMS\""));
    let dir = repo.path();
    git(dir, &["commit", "-q", "-am", "change"]);
    let by_range = c4c(&["diff", "--git", "HEAD~1..HEAD", "arch"], dir);
    assert_eq!(
        by_range.status.code(),
        Some(0),
        "{}",
        text(&by_range.stderr)
    );
    // The same change, as two plain paths.
    std::fs::create_dir_all(dir.join("old")).unwrap();
    std::fs::write(dir.join("old/model.c4"), BASE).unwrap();
    let by_paths = c4c(&["diff", "old", "arch"], dir);
    assert_eq!(
        by_paths.status.code(),
        Some(0),
        "{}",
        text(&by_paths.stderr)
    );
    assert_eq!(text(&by_range.stdout), text(&by_paths.stdout));
    assert!(text(&by_paths.stdout).contains("Sends e-mail and SMS"));
    // The work tree was not touched by `--git`.
    assert_eq!(
        std::fs::read_to_string(dir.join("arch/model.c4")).unwrap(),
        BASE.replace("\"Sends e-mail\"", "\"Sends e-mail and SMS\"")
    );
}

#[test]
fn errors_name_the_side_and_exit_2() {
    let repo = repo_with_change(|s| replace(s, "web -> api", "web -> nowhere"));
    let o = c4c(&["diff", "--git", "HEAD", "arch"], repo.path());
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("the new model has errors"), "{err}");
    assert!(err.contains("nowhere"), "{err}");
    // An error on the old side names the revision, not a temporary copy.
    git(repo.path(), &["commit", "-q", "-am", "broken"]);
    let o = c4c(&["diff", "--git", "HEAD..HEAD~1", "arch"], repo.path());
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("the old model has errors"), "{err}");
    assert!(err.contains("HEAD:arch/model.c4:"), "{err}");
    let bad_rev = c4c(&["diff", "--git", "no-such-rev", "arch"], repo.path());
    assert_eq!(bad_rev.status.code(), Some(2));
    let usage = c4c(&["diff", "arch"], repo.path());
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn a_model_new_at_this_revision_is_all_added() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("README"), "x").unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "before the model"]);
    std::fs::create_dir_all(dir.path().join("arch")).unwrap();
    std::fs::write(dir.path().join("arch/model.c4"), BASE).unwrap();
    let o = c4c(
        &["diff", "--git", "HEAD", "arch", "--format", "json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(json["summary"]["elements_added"], 8, "{json}");
    assert_eq!(json["summary"]["relationships_added"], 5, "{json}");
    assert_eq!(json["summary"]["elements_removed"], 0, "{json}");
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let repo = repo_with_change(|s| {
        replace(
            s,
            "    db = database",
            "    cache = cache \"Cache\" \"Hot prices\" \"Redis\"\n    api -> cache \"Caches in\" \"RESP\"\n    db = database",
        )
    });
    let full = c4c(
        &["diff", "--git", "HEAD", "arch", "--format", "markdown"],
        repo.path(),
    );
    let full = text(&full.stdout);
    assert!(full.len() > 3_000, "{}", full.len());
    let o = c4c(
        &[
            "diff",
            "--git",
            "HEAD",
            "arch",
            "--format",
            "markdown",
            "--comment-limit",
            "3000",
        ],
        repo.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let md = text(&o.stdout);
    assert!(md.len() <= 3_000, "{} bytes", md.len());
    assert_eq!(md.matches("```mermaid").count(), 1, "{md}");
    assert!(md.contains("more affected view(s) not drawn"), "{md}");
    assert!(md.contains("`shop-containers`") || md.contains("View `shop-containers`"));
    crate::mermaid::check_markdown("limited", &md);
}

/// `subject box` / `subject both`: the container is a box in its own
/// component view, so a change to it is highlighted on that box, and so is
/// a changed relationship of the container itself, drawn from it.
#[test]
fn a_container_drawn_as_a_box_in_its_component_view_is_highlighted() {
    for draw in ["box", "both"] {
        let dir = tempfile::tempdir().unwrap();
        let with_views = |model: &str| {
            format!("{model}\nviews {{\n  component shop.api {{ subject {draw} }}\n}}\n")
        };
        std::fs::create_dir_all(dir.path().join("old")).unwrap();
        std::fs::create_dir_all(dir.path().join("new")).unwrap();
        std::fs::write(dir.path().join("old/model.c4"), with_views(BASE)).unwrap();
        let changed = replace(
            BASE,
            "\"Orders and catalogue\" \"Rust\"",
            "\"Orders\" \"Rust\"",
        );
        let changed = replace(
            &changed,
            "\"Reads and writes\" \"SQL\"",
            "\"Stores in\" \"SQL\"",
        );
        std::fs::write(dir.path().join("new/model.c4"), with_views(&changed)).unwrap();
        let o = c4c(&["diff", "old", "new", "--format", "markdown"], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let md = text(&o.stdout);
        let view = md
            .split("### View `shop-api-components`")
            .nth(1)
            .and_then(|v| v.split("```\n").nth(1))
            .unwrap_or_else(|| panic!("{draw}: the component view is affected:\n{md}"));
        assert!(
            view.contains("class shop_api c4c_changed"),
            "{draw}: the box is highlighted:\n{view}"
        );
        let edge = view
            .lines()
            .filter(|l| l.contains("-->") || l.contains("-.->"))
            .position(|l| l.contains("shop_api -->|\"Stores in<br/>[SQL]\"| shop_db"))
            .unwrap_or_else(|| panic!("{draw}: the edge is drawn from the box:\n{view}"));
        assert!(
            view.contains(&format!(
                "linkStyle {edge} stroke:{}",
                c4c::model::palette::CHANGED.stroke
            )),
            "{draw}: the changed edge is highlighted:\n{view}"
        );
        crate::mermaid::check_markdown(draw, &md);
    }
}
