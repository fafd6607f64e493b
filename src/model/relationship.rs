//! A relationship's attributes, read one way for model and deployment
//! relationships alike.
//!
//! In: a relationship statement: its positional strings (label, technology,
//! tags) and its block (description, technology, tags, url, properties, and
//! in a model `step`).
//! Out: [`Attributes`]; E028 for a fourth positional string and for any other
//! statement in the block.

use indexmap::IndexMap;

use super::index::dedup_tags;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{RelStmt, Stmt, Text};

/// What a relationship says about itself, apart from its ends and arrow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Attributes {
    pub label: Option<String>,
    pub technology: Option<String>,
    /// Split at commas, repeats dropped.
    pub tags: Vec<String>,
    pub url: Option<String>,
    pub properties: IndexMap<String, String>,
    /// `step N` (model relationships only: a dynamic view's order).
    pub step: Option<String>,
}

/// Where a relationship is written: `step` is read only in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Model,
    Deployment,
}

/// Reads `r`'s attributes.
pub(crate) fn attributes(r: &RelStmt, place: Place, diags: &mut Vec<Diagnostic>) -> Attributes {
    if let Some(extra) = r.strings.get(3) {
        diags.push(
            Diagnostic::new(Code::E028, "too many strings after the relationship")
                .label(extra.span, "unexpected")
                .hint(
                    "positional strings are: label, technology, tags; use the block form for more",
                ),
        );
    }
    let positional = |i: usize| {
        r.strings
            .get(i)
            .map(|s| s.value.clone())
            .filter(|s| !s.is_empty())
    };
    let mut a = Attributes {
        label: positional(0),
        technology: positional(1),
        ..Attributes::default()
    };
    if let Some(t) = r.strings.get(2) {
        push_tags(&mut a.tags, std::slice::from_ref(t));
    }
    for stmt in r.body.iter().flatten() {
        match stmt {
            Stmt::Description(t, _) => a.label = non_empty(&t.value),
            Stmt::Technology(t, _) => a.technology = non_empty(&t.value),
            Stmt::Url(t, _) => a.url = non_empty(&t.value),
            Stmt::Tags(tags, _) => push_tags(&mut a.tags, tags),
            Stmt::Properties(props, _) => {
                for (k, v) in props {
                    a.properties.insert(k.value.clone(), v.value.clone());
                }
            }
            Stmt::Step(n, _) if place == Place::Model => a.step = Some(n.value.clone()),
            other => diags.push(
                Diagnostic::new(
                    Code::E028,
                    format!("`{}` is not allowed in a relationship's block", other.keyword()),
                )
                .label(other.span(), "not allowed here")
                .hint(
                    "a relationship's block may hold description, technology, tags, url and properties",
                ),
            ),
        }
    }
    dedup_tags(&mut a.tags);
    a
}

/// `None` for an empty or blank string: "" means "not given".
pub(crate) fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

/// Appends tags (`"a, b"` is two); repeats are dropped by `dedup_tags`.
pub(crate) fn push_tags(into: &mut Vec<String>, tags: &[Text]) {
    for t in tags {
        for part in t.value.split(',') {
            let part = part.trim();
            if !part.is_empty() {
                into.push(part.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    fn codes(src: &str) -> Vec<&'static str> {
        crate::compile_text("t.c4", src)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    const MODEL: &str = r#"model { s = system "S" { a = container "A" b = container "B" } }"#;

    fn deployment(rel: &str) -> String {
        format!(
            r#"{MODEL} deployment prod {{ n = node "N" {{ a = instance s.a b = instance s.b {rel} }} }}"#
        )
    }

    #[test]
    fn a_fourth_positional_string_is_e028_in_a_model_and_in_a_deployment() {
        let model = format!(r#"{MODEL} model {{ s.a -> s.b "x" "t" "tag" "extra" }}"#);
        assert_eq!(codes(&model), ["E028"]);
        assert_eq!(
            codes(&deployment(r#"a -> b "x" "t" "tag" "extra""#)),
            ["E028"]
        );
        assert!(codes(&deployment(r#"a -> b "x" "t" "tag""#)).is_empty());
    }

    #[test]
    fn url_and_properties_are_read_in_a_deployment_and_step_is_not() {
        let src =
            deployment(r#"a -> b "x" { url "https://x" properties { k "v" } tags "p, q, p" }"#);
        let c = crate::compile_text("t.c4", &src);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let m = &c.compiled[0].model;
        let rel = &m.deployments[0].relationships[0];
        assert_eq!(rel.url.as_deref(), Some("https://x"));
        assert_eq!(rel.properties.get("k").map(String::as_str), Some("v"));
        assert_eq!(rel.tags, ["p", "q"]);
        assert_eq!(codes(&deployment(r#"a -> b "x" { step 1 }"#)), ["E028"]);
    }

    #[test]
    fn carried_relationships_keep_url_and_properties() {
        let src = r#"model { s = system "S" { a = container "A" { -> b "x" { url "https://x" properties { k "v" } } } b = container "B" } }
               deployment prod { n = node "N" { instance s.a instance s.b } }"#;
        let c = crate::compile_text("t.c4", src);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let rel = &c.compiled[0].model.deployments[0].relationships[0];
        assert!(rel.from_model.is_some());
        assert_eq!(rel.url.as_deref(), Some("https://x"));
        assert_eq!(rel.properties.get("k").map(String::as_str), Some("v"));
        // And the JSON export lists them.
        let json: serde_json::Value = serde_json::from_str(&c.json()).unwrap();
        let exported = &json["workspaces"][0]["deployments"][0]["relationships"][0];
        assert_eq!(exported["url"], "https://x");
        assert_eq!(exported["properties"]["k"], "v");
    }
}
