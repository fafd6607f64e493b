//! Resolution: syntax trees of a workspace → [`Model`].
//!
//! In: a [`Workspace`] (parsed files in merge order).
//! Out: the model graph and every problem found on the way, all collected:
//! unknown / duplicate / ambiguous identifiers (E020–E022), wrong nesting
//! (E023), unknown kinds (E024), bad relationships (E025, E026, E029),
//! misplaced statements (E028), kind declarations (E027), style targets
//! (E030, E031) and view definitions (E040–E043).
//!
//! Order of work: kinds from every `specification`, then elements (so a
//! relationship may refer to an element declared later or in another file),
//! then `extend` blocks, relationships, deployments (and the meshes, CDNs,
//! code, state machines and dynamic views built on the model), styles, views
//! and rules. One file per step: `kinds`, `elements`, `names` (lookup and
//! "did you mean"), `relationships`, `deployments`, `styles`, `views`
//! (with `defaults` and `over`), `rules`; this one holds the shared state,
//! [`Resolver`].

// The parts of the resolver (the `mod`s below) share these imports.
use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use petgraph::graph::NodeIndex;

use super::index::{self, RelIndex, dedup_tags};
use super::kind::BaseKind;
use super::limits;
use super::relationship::{non_empty, push_tags};
use super::style::{
    ELEMENT_PROPS, Kind, RELATIONSHIP_PROPS, Style, StyleTarget, Styles, style_from_props,
};
use super::*;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::Workspace;
use crate::syntax::ast::{
    self, Direction, PathRef, Selector, Star, Stmt, Text, ViewExpr, ViewKind, ViewStmt,
};

pub use super::limits::{MAX_ID_LEN, slug};

mod defaults;
mod deployment_views;
mod deployments;
mod elements;
mod frames;
mod kinds;
mod names;
mod over;
mod relationships;
mod rules;
mod styles;
mod views;
pub use views::{check_view_key, derived_key};

/// Statement keywords, offered as suggestions when a kind is unknown (and
/// by the editor's completion in a model block).
pub const STMT_KEYWORDS: &[&str] = &[
    "description",
    "technology",
    "tags",
    "url",
    "properties",
    "external",
    "group",
    "extend",
];

/// Resolves a workspace into a model. Diagnostics are appended to `diags`.
pub fn resolve(ws: &Workspace, diags: &mut Vec<Diagnostic>) -> Model {
    let mut r = Resolver {
        m: Model::default(),
        diags,
        children: IndexMap::default(),
        short: HashMap::new(),
        rels: Vec::new(),
        extends: Vec::new(),
        order: 0,
        rel_index: RelIndex::default(),
        dropped: limits::Dropped::default(),
        names_len: 0,
        tags_len: 0,
        suggest_left: std::cell::Cell::new(limits::SUGGEST_BUDGET),
        group_names: None,
        refs: std::cell::RefCell::new(Vec::new()),
    };
    r.kinds(ws);
    for (_, file) in &ws.files {
        for item in &file.items {
            if let ast::TopItem::Model(stmts) = item {
                r.walk(stmts, Ctx::top());
            }
        }
    }
    r.walk_extends();
    // Every element block and `extend` is read: settle the tags once.
    for e in r.m.graph.node_weights_mut() {
        dedup_tags(&mut e.tags);
    }
    let rels = std::mem::take(&mut r.rels);
    for (stmt, scope) in rels {
        r.relationship(stmt, scope);
    }
    (r.m.parents, r.m.rel_ends) = index::compact(&r.m);
    r.m.crossing_rels = index::crossing(&r.m);
    (r.m.tagged, r.m.rel_tags) = index::tags(&r.m);
    r.tags_len = r.m.tagged.keys().map(String::len).sum();
    r.deployments(ws);
    r.styles(ws);
    r.views(ws);
    r.rules(ws);
    r.m.refs = r.refs.take();
    r.m
}

#[derive(Clone, Copy)]
struct Ctx {
    /// The element whose block we are in.
    this: Option<ElementId>,
    group: Option<GroupId>,
    /// Inside a group (element properties are not allowed there).
    in_group: bool,
}

impl Ctx {
    fn top() -> Ctx {
        Ctx {
            this: None,
            group: None,
            in_group: false,
        }
    }
}

/// A key of `Resolver::children` borrowed: hashes as the owned key does
/// (a tuple hashes its fields in order; `&str` as `String`).
#[derive(Hash)]
struct ChildOf<'a>(Option<ElementId>, &'a str);

impl indexmap::Equivalent<(Option<ElementId>, String)> for ChildOf<'_> {
    fn equivalent(&self, key: &(Option<ElementId>, String)) -> bool {
        self.0 == key.0 && self.1 == key.1
    }
}

/// What the resolver knows so far: the model being built, name tables, and
/// the relationships and `extend`s waiting for every element to be declared.
struct Resolver<'d, 'a> {
    m: Model,
    diags: &'d mut Vec<Diagnostic>,
    /// (parent, local id) → element; looked up by [`ChildOf`], without
    /// building an owned key per lookup.
    children: IndexMap<(Option<ElementId>, String), ElementId, foldhash::fast::RandomState>,
    /// local id → every element with it
    short: HashMap<String, Vec<ElementId>>,
    rels: Vec<(&'a ast::RelStmt, Option<ElementId>)>,
    extends: Vec<(&'a PathRef, &'a [Stmt], Option<ElementId>)>,
    order: u32,
    rel_index: RelIndex,
    dropped: limits::Dropped,
    /// Length of every full and short identifier (what E021 suggests from).
    names_len: usize,
    /// Length of every element tag (what W005 suggests from).
    tags_len: usize,
    suggest_left: std::cell::Cell<usize>,
    /// Group title, and its slug, → the title (`collapse` names), built on first use.
    group_names: Option<HashMap<String, String>>,
    /// Every reference resolved so far (see [`Model::refs`]).
    refs: std::cell::RefCell<Vec<Reference>>,
}

fn is_deployment_stmt(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::Instance(..)
            | Stmt::Replicas(..)
            | Stmt::Expand(..)
            | Stmt::Attr(..)
            | Stmt::Shape(..)
    )
}

#[cfg(test)]
mod tests {
    use crate::model::{BaseKind, Model};

    fn model(src: &str) -> Model {
        let c = crate::compile_text("t.c4", src);
        let errors: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        c.compiled
            .into_iter()
            .next()
            .map(|w| w.model)
            .unwrap_or_default()
    }

    fn codes(src: &str) -> Vec<&'static str> {
        crate::compile_text("t.c4", src)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    fn rel(m: &Model, i: usize) -> (String, String) {
        let (s, t) = m.ends(petgraph::graph::EdgeIndex::new(i));
        (m.element(s).path.clone(), m.element(t).path.clone())
    }

    #[test]
    fn short_names_resolve_in_the_nearest_scope_first() {
        let m = model(
            r#"model {
                a = system "A" { api = container "A API" { h = component "H" } db = container "DB" { -> api "x" } }
                b = system "B" { api = container "B API" { -> db "y" } db = container "B DB" }
            }"#,
        );
        assert_eq!(rel(&m, 0), ("a.db".into(), "a.api".into()));
        assert_eq!(rel(&m, 1), ("b.api".into(), "b.db".into()));
    }

    #[test]
    fn unique_short_names_resolve_anywhere_and_ambiguous_ones_fail() {
        let m = model(
            r#"model { u = person "U"  s = system "S" { c = container "C" { h = component "H" } }  u -> h "uses" }"#,
        );
        assert_eq!(rel(&m, 0), ("u".into(), "s.c.h".into()));
        assert_eq!(
            codes(
                r#"model { u = person "U" s = system "S" { x = container "X" } t = system "T" { x = container "X" } u -> x "?" }"#
            ),
            ["E022"]
        );
    }

    #[test]
    fn this_and_sourceless_arrows_mean_the_enclosing_element() {
        let m = model(
            r#"model { s = system "S" { a = container "A" { this -> b "1" -> b "2" } b = container "B" } }"#,
        );
        assert_eq!(rel(&m, 0), ("s.a".into(), "s.b".into()));
        assert_eq!(rel(&m, 1), ("s.a".into(), "s.b".into()));
        assert_eq!(codes(r#"model { a = person "A" -> a "x" }"#), ["E029"]);
    }

    #[test]
    fn extend_adds_to_an_element_declared_anywhere() {
        let m = model(
            r#"model { extend s.a { b = component "B" } } model { s = system "S" { a = container "A" } }"#,
        );
        let b = m.find("s.a.b").unwrap();
        assert_eq!(m.element(b).base, BaseKind::Component);
        assert_eq!(m.element(m.find("s.a").unwrap()).children, vec![b]);
    }

    #[test]
    fn kinds_resolve_to_a_base_and_inherit_style_and_technology() {
        let m = model(
            r#"specification { kind store extends container { shape cylinder technology "PostgreSQL" } kind archive extends store { fill #aaa } }
               model { s = system "S" { a = archive "A" } }"#,
        );
        let a = m.element(m.find("s.a").unwrap());
        assert_eq!(a.base, BaseKind::Container);
        assert_eq!(a.technology.as_deref(), Some("PostgreSQL"));
        let k = &m.kinds["archive"];
        assert_eq!(k.style.shape, Some(crate::model::Shape::Cylinder));
        assert_eq!(k.style.fill.as_deref(), Some("#aaa"));
    }

    #[test]
    fn relationship_rules() {
        assert_eq!(codes(r#"model { a = person "A" a -> a "x" }"#), ["E025"]);
        assert_eq!(
            codes(r#"model { s = system "S" { c = container "C" } s -> s.c "x" }"#),
            ["E026"]
        );
        assert_eq!(
            codes(r#"model { a = person "A" b = person "B" a -> b "x" a -> b "x" }"#),
            ["W004"]
        );
        // The same call at two steps of a flow is no duplicate.
        assert_eq!(
            codes(
                r#"model { a = person "A" b = person "B" a -> b "x" { step 1 } a -> b "x" { step 3 } }"#
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(r#"model { a = person "A" b = person "B" a -> b }"#),
            ["W002"]
        );
    }

    #[test]
    fn nesting_rules() {
        assert_eq!(codes(r#"model { c = container "C" }"#), ["E023"]);
        assert_eq!(
            codes(r#"model { s = system "S" { p = person "P" } }"#),
            ["E023"]
        );
        assert_eq!(
            codes(r#"model { s = system "S" { c = container "C" { d = container "D" } } }"#),
            ["E023"]
        );
        assert_eq!(
            codes(r#"model { s = system "S" { c = component "C" } }"#),
            ["E023"]
        );
    }

    #[test]
    fn view_keys_are_checked() {
        assert!(super::check_view_key("shop-containers").is_ok());
        for bad in [
            "",
            "../x",
            "/etc",
            "a b",
            "con",
            "index",
            "a..b",
            &"x".repeat(101),
        ] {
            assert!(super::check_view_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(super::slug("Order API"), "order_api");
        assert_eq!(super::slug("  --Crème Brûlée-- "), "cr_me_br_l_e");
        assert_eq!(super::slug("3D Viewer"), "_3d_viewer");
        assert_eq!(super::slug("!!!"), "element");
    }

    #[test]
    fn long_derived_keys_are_cut_and_stay_unique_and_valid() {
        use super::{ViewKind, check_view_key, derived_key};
        let a = format!("{}.{}", "s".repeat(128), "a".repeat(128));
        let b = format!("{}.{}", "s".repeat(128), "b".repeat(128));
        let (ka, kb) = (
            derived_key(ViewKind::Component, &a),
            derived_key(ViewKind::Component, &b),
        );
        assert_ne!(ka, kb);
        for k in [&ka, &kb] {
            assert!(check_view_key(k).is_ok(), "{k}");
            assert!(k.ends_with("-components"), "{k}");
        }
        assert_eq!(
            derived_key(ViewKind::Context, "shop.api"),
            "shop-api-context"
        );
    }
}
