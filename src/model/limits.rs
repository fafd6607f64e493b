//! Size limits of the containment tree, checked as each element or deployment
//! item is declared.
//!
//! In: the parent an item would go under and its identifier.
//! Out: nothing when it fits; else the diagnostic — E058 nested more than
//! [`MAX_DEPTH`] deep, E059 a full identifier longer than [`MAX_PATH_LEN`] —
//! and the item (with everything inside it) is not kept. Every element keeps
//! its full identifier and walks up the tree in many places: these limits
//! keep both bounded, so memory and time grow linearly with the input
//! whatever its shape.

use std::collections::HashSet;

use super::{ElementId, Model};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{PathRef, Stmt};

/// Longest explicit element identifier accepted (E032).
pub const MAX_ID_LEN: usize = 128;
/// Deepest element nesting: a top-level element is at depth 1.
pub const MAX_DEPTH: usize = 32;
/// Longest full identifier (`shop.api.orders`, `prod.eu.web`).
pub const MAX_PATH_LEN: usize = 512;
/// Characters compared to suggest names for unknown references and tags
/// (E021's and W005's "did you mean"), in total: each suggestion compares the
/// name with every identifier (or tag), so many unknown names in a large
/// model would otherwise be quadratic.
pub const SUGGEST_BUDGET: usize = 20_000_000;

/// An identifier derived from a display name: `"Order API"` → `order_api`.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "element".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// The identifier of an element or deployment item declared without one: its
/// name's [`slug`], cut to [`MAX_ID_LEN`] characters.
pub fn derived_id(name: &str) -> String {
    let mut s = slug(name);
    if s.len() > MAX_ID_LEN {
        // A slug is ASCII: any byte is a character boundary.
        s.truncate(MAX_ID_LEN);
        s.truncate(s.trim_end_matches('_').len());
    }
    s
}

/// Whether an element called `id` may be kept under `parent`; `false` when
/// it is left out. Pushes E032 for an explicit identifier longer than
/// [`MAX_ID_LEN`] (kept if its full identifier fits), E058 when it would be
/// nested more than [`MAX_DEPTH`] deep, E059 when its full identifier would
/// be longer than [`MAX_PATH_LEN`] (not after E032: one error for one
/// identifier).
pub fn check_element(
    model: &Model,
    parent: Option<ElementId>,
    id: &str,
    id_span: Span,
    explicit: bool,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let too_long = explicit && id.len() > MAX_ID_LEN;
    if too_long {
        diags.push(
            Diagnostic::new(
                Code::E032,
                format!("identifier longer than {MAX_ID_LEN} characters"),
            )
            .label(id_span, format!("{} characters", id.chars().count()))
            .hint("use a short identifier; the name can be as long as it needs to be"),
        );
    }
    let mut depth = 1;
    let mut cur = parent;
    while let Some(p) = cur {
        depth += 1;
        cur = model.element(p).parent;
    }
    if depth > MAX_DEPTH {
        diags.push(
            Diagnostic::new(Code::E058, format!("elements nested more than {MAX_DEPTH} deep"))
                .label(id_span, format!("this element would be at depth {depth}"))
                .note("`extend x { … }` counts: what it declares is one level below `x`")
                .hint("declare it higher up: a system, its containers and their components need three levels"),
        );
        return false;
    }
    let len = parent.map_or(0, |p| model.element(p).path.len() + 1) + id.len();
    if len <= MAX_PATH_LEN {
        return true;
    }
    if !too_long {
        let hint = if explicit {
            "use shorter identifiers: an element's full identifier joins its parents' and its own with `.`"
        } else {
            "give it a short identifier (`x = kind \"…\"`): without one, it is derived from the name"
        };
        diags.push(
            Diagnostic::new(
                Code::E059,
                format!("full identifier longer than {MAX_PATH_LEN} characters"),
            )
            .label(
                id_span,
                format!("with its parents' identifiers, {len} characters"),
            )
            .hint(hint),
        );
    }
    false
}

/// E059 for a deployment item whose full identifier `path` is too long.
pub fn check_item_path(path: &str, id_span: Span) -> Result<(), Diagnostic> {
    if path.len() <= MAX_PATH_LEN {
        return Ok(());
    }
    Err(
        Diagnostic::new(Code::E059, format!("full identifier longer than {MAX_PATH_LEN} characters"))
            .label(
                id_span,
                format!("with the environment's and nodes' identifiers, {} characters", path.len()),
            )
            .hint("use shorter identifiers: a deployment item's full identifier joins the environment's, its nodes' and its own with `.`"),
    )
}

/// Elements left out (E058, E059) and everything declared inside them: a
/// reference to one of them is not reported again (E021), so one element too
/// deep is one error, not one per `extend` below it.
#[derive(Default)]
pub struct Dropped(HashSet<String>);

impl Dropped {
    /// Records an element left out, with what its block (`body`) declares.
    pub fn add(&mut self, id: String, body: &[Stmt]) {
        self.0.insert(id);
        self.add_body(body);
    }

    /// Records what a block declares (the block of an `extend` of an element
    /// left out). Blocks nest at most 64 deep (E005): the recursion is short.
    pub fn add_body(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Element(e) => {
                    let name = e.strings.first().map(|s| s.value.as_str());
                    if let Some(id) =
                        e.id.as_ref()
                            .map(|t| t.value.clone())
                            .or(name.map(derived_id))
                    {
                        self.0.insert(id);
                    }
                    self.add_body(e.body.as_deref().unwrap_or_default());
                }
                Stmt::Group { body, .. } | Stmt::Extend { body, .. } => self.add_body(body),
                _ => {}
            }
        }
    }

    /// Whether a reference may name an element left out.
    pub fn covers(&self, path: &PathRef) -> bool {
        !self.0.is_empty() && path.segments.iter().any(|s| self.0.contains(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_cut_to_the_identifier_limit() {
        assert_eq!(derived_id("Order API"), "order_api");
        let long = "word ".repeat(100);
        let id = derived_id(&long);
        assert!(id.len() <= MAX_ID_LEN && !id.ends_with('_'), "{id}");
        assert!(id.starts_with("word_word"));
    }
}
