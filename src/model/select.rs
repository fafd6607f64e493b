//! Selections: what `include`/`exclude` expressions and rule selectors name,
//! and whether an element falls under one.
//!
//! In: a [`Selection`] (resolved from a view or rule expression) and the model.
//! Out: whether an element, a deployment item or end, or a relationship's
//! arrow matches it. Used by the rules (`model::rules`) and by view
//! computation (`view`), so neither reaches into the other.

use super::deployment::{DeplEnd, DeplKind, Deployment};
use super::{ElementId, Model};
use crate::syntax::ast::Arrow;

/// What a view shows beyond its default (`include`/`exclude` expressions).
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// `*`: the view kind's default content.
    Default,
    Element(ElementId),
    Children(ElementId),
    Descendants(ElementId),
    Tag(String),
    Kind(String),
    /// Relationships from one selection to another (`->` matches every
    /// arrow, `~>` only asynchronous, `<->` only two-way relationships).
    Relationships(Box<Selection>, Arrow, Box<Selection>),
    /// `*` used as one end of a relationship selector: any element.
    Any,
    /// In a deployment view: an item of its environment (a node with
    /// everything it holds).
    Item(usize),
    /// In a deployment view, `node.*` / `node.**`: everything a node holds.
    Inside(usize),
}

impl Selection {
    /// An element selected by a path with `star` after it (`a`, `a.*`, `a.**`).
    pub(crate) fn of_element(id: ElementId, star: crate::syntax::ast::Star) -> Self {
        use crate::syntax::ast::Star;
        match star {
            Star::None => Selection::Element(id),
            Star::Children => Selection::Children(id),
            Star::Descendants => Selection::Descendants(id),
        }
    }
}

/// Whether `kind` is `want` or extends it.
pub(crate) fn kind_is(model: &Model, kind: &str, want: &str) -> bool {
    let mut cur = Some(kind);
    let mut steps = 0;
    while let Some(k) = cur {
        if k == want {
            return true;
        }
        steps += 1;
        if steps > 64 {
            return false;
        }
        cur = model.kinds.get(k).and_then(|k| k.extends.as_deref());
        if cur.is_none() {
            // built-in base kind at the end of the chain
            return model
                .kinds
                .get(kind)
                .is_some_and(|k| k.base.keyword() == want);
        }
    }
    false
}

/// Whether a relationship selector's arrow accepts a relationship's arrow.
pub(crate) fn arrow_matches(selector: Arrow, rel: Arrow) -> bool {
    selector == Arrow::Sync || selector == rel
}

/// Whether element `e` falls under a selection used as a relationship end.
pub(crate) fn matches(model: &Model, sel: &Selection, e: ElementId) -> bool {
    match sel {
        Selection::Any => true,
        Selection::Element(x) | Selection::Descendants(x) => model.is_ancestor_or_self(*x, e),
        Selection::Children(x) => model.is_ancestor_or_self(*x, e) && *x != e,
        Selection::Tag(t) => model.has_tag(e, t),
        Selection::Kind(k) => kind_is(model, &model.element(e).kind, k),
        // `*` at a relationship end is `Any`; the others cannot occur there
        // (items are not elements).
        Selection::Default
        | Selection::Relationships(..)
        | Selection::Item(_)
        | Selection::Inside(_) => false,
    }
}

/// Whether item `i` of deployment `d` falls under a selection: an item
/// selection covers the item and everything inside it; an element, tag or
/// kind selection the instances of the elements it selects — and, for a tag,
/// the items tagged so in the deployment.
pub(crate) fn item_matches(model: &Model, d: &Deployment, sel: &Selection, i: usize) -> bool {
    let it = &d.items[i];
    match sel {
        Selection::Item(x) => *x == i || d.ancestors(i).any(|a| a == *x),
        Selection::Inside(x) => d.ancestors(i).any(|a| a == *x),
        Selection::Tag(t) if it.tags.contains(t) => true,
        _ => match it.kind {
            DeplKind::Instance(e) => element_matches(model, sel, e),
            DeplKind::Node | DeplKind::Infra => false,
        },
    }
}

/// Whether a deployment relationship's end falls under a selection.
pub(crate) fn end_matches(model: &Model, d: &Deployment, sel: &Selection, end: DeplEnd) -> bool {
    match end {
        DeplEnd::Item { item, .. } => item_matches(model, d, sel, item),
        DeplEnd::Element(e) => element_matches(model, sel, e),
    }
}

/// [`matches`], with `tag:external` also matching external elements (as a
/// view's `tag:external` does).
fn element_matches(model: &Model, sel: &Selection, e: ElementId) -> bool {
    match sel {
        Selection::Tag(t) if t == "external" => model.element(e).external || model.has_tag(e, t),
        _ => matches(model, sel, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> Model {
        let c = crate::compile_text("t.c4", src);
        c.compiled.into_iter().next().expect("a model").model
    }

    #[test]
    fn a_kind_matches_itself_what_it_extends_and_its_base() {
        let m = model(
            "specification {\n  kind store extends container\n  kind db extends store\n}\n\
             model {\n  s = system {\n    d = db\n  }\n}\n",
        );
        let d = m.find("s.d").unwrap();
        let kind = &m.element(d).kind;
        assert!(kind_is(&m, kind, "db"));
        assert!(kind_is(&m, kind, "container"));
        assert!(!kind_is(&m, kind, "system"));
    }

    #[test]
    fn a_plain_arrow_selects_every_arrow_and_the_others_only_their_own() {
        assert!(arrow_matches(Arrow::Sync, Arrow::Async));
        assert!(arrow_matches(Arrow::Async, Arrow::Async));
        assert!(!arrow_matches(Arrow::Async, Arrow::Sync));
        assert!(!arrow_matches(Arrow::Both, Arrow::Sync));
    }

    #[test]
    fn children_match_below_the_element_not_the_element_itself() {
        let m = model("model {\n  s = system {\n    a = container\n  }\n  t = system\n}\n");
        let (s, a, t) = (
            m.find("s").unwrap(),
            m.find("s.a").unwrap(),
            m.find("t").unwrap(),
        );
        assert!(matches(&m, &Selection::Children(s), a));
        assert!(!matches(&m, &Selection::Children(s), s));
        assert!(matches(&m, &Selection::Element(s), a));
        assert!(!matches(&m, &Selection::Element(s), t));
        assert!(matches(&m, &Selection::Any, t));
        assert!(!matches(&m, &Selection::Default, t));
    }
}
