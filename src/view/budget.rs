//! How large views may get, one by one and all of a model's together.
//!
//! In: per view, what computing it visited (its *work*: elements and
//! relationships looked at, counted as they are), its edges and the length of
//! its Mermaid text.
//! Out: the limits below and their errors — E056, a landscape, context,
//! container, component or custom view with more than [`MAX_EDGES`] edges;
//! E057, the views of one model together past their budget ([`Left::for_source`]):
//! work and Mermaid text each at most [`PER_BYTE`] times the size of the
//! model's source files, or [`FLOOR_WORK`] and [`FLOOR_TEXT`] if more.
//!
//! Both are checked while views are computed, not after: a view stops as soon
//! as it passes its edge limit or the work left, and once the model's budget
//! is spent no further view is computed. So no model, however connected (a
//! complete graph of systems puts every system and edge in every context
//! view: cubic in the number of systems), costs more than linear time, memory
//! and output in the size of its text.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::ViewDef;

/// Most edges one landscape, context, container, component or custom view
/// may have (the benchmark's model of 100,000 elements has a landscape of
/// 20,249; Mermaid draws 500 by default, W003).
pub const MAX_EDGES: usize = 50_000;
/// Work (each element or relationship a view looks at counts one) and
/// Mermaid text (bytes) all views of a model may take per byte of its source
/// files. The benchmark's model of 100,000 elements and its 12,001 default
/// views takes 0.5 and 4.6.
pub const PER_BYTE: usize = 16;
/// Work all views of a model may take, however small its source.
pub const FLOOR_WORK: u64 = 16_000_000;
/// Mermaid text all views of a model may have, however small its source.
pub const FLOOR_TEXT: usize = 8 << 20;

/// Why a view is not drawn (its content is left empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// More than [`MAX_EDGES`] edges (E056).
    Edges,
    /// The model's budget ran out at this view or before it (E057).
    Budget,
}

/// What ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    Work,
    Text,
}

/// What part of the model's budget is left.
#[derive(Debug, Clone, Copy)]
pub struct Left {
    pub work: u64,
    pub text: usize,
}

impl Left {
    /// The budget of a model whose source files (root and imports) are
    /// `bytes` long.
    pub fn for_source(bytes: usize) -> Left {
        let scaled = bytes.saturating_mul(PER_BYTE);
        Left {
            work: (scaled as u64).max(FLOOR_WORK),
            text: scaled.max(FLOOR_TEXT),
        }
    }

    /// Takes a view's cost; `Err` when it does not fit (the budget is spent).
    pub fn take(&mut self, work: u64, text: usize) -> Result<(), Spent> {
        let fits = if work > self.work {
            Err(Spent::Work)
        } else if text > self.text {
            Err(Spent::Text)
        } else {
            Ok(())
        };
        self.work = self.work.saturating_sub(work);
        self.text = self.text.saturating_sub(text);
        fits
    }
}

/// E056 for a view past [`MAX_EDGES`].
pub fn too_many_edges(def: &ViewDef) -> Diagnostic {
    Diagnostic::new(Code::E056, format!("view `{}` is too large", def.key))
        .label(def.span, format!("more than the {MAX_EDGES} edges a view may have"))
        .hint("split it: `include`/`exclude` fewer elements, or a container or component view of one system; a context view shows every system connected to its subject and every relationship between them")
}

/// E057 at the view where the model's budget (`budget`) ran out.
pub fn budget_spent(def: &ViewDef, spent: Spent, budget: Left) -> Diagnostic {
    let why = if spent == Spent::Text {
        format!(
            "with the views before it, more than {} bytes of Mermaid text",
            budget.text
        )
    } else {
        format!(
            "with the rules and views before it, more than {} steps to compute",
            budget.work
        )
    };
    Diagnostic::new(
        Code::E057,
        format!("the views of this model are too large together (at view `{}`)", def.key),
    )
    .label(def.span, why)
    .note(format!("all views of a model together may take {PER_BYTE} times the size of its source files (at least {FLOOR_WORK} steps and {} MiB of text)", FLOOR_TEXT >> 20))
    .hint("declare only the views you need in a `views` block (without one, every system gets a context and a container view, every container a component view), and narrow them with `include`/`exclude`")
}

/// E057 at the rule where the model's budget ran out.
pub fn rules_spent(span: crate::source::Span, budget: Left) -> Diagnostic {
    Diagnostic::new(Code::E057, "the rules of this model are too large to check")
        .label(
            span,
            format!(
                "with the rules before it, more than {} steps (each element or relationship a rule looks at is one, each violation {} plus the length of its message)",
                budget.work,
                crate::model::rules::VIOLATION_COST
            ),
        )
        .note(format!("rules and views together may take {PER_BYTE} times the size of the model's files (at least {FLOOR_WORK} steps)"))
        .hint("write fewer rules, or rules on narrower selections; fix the violations reported so far")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_with_the_source_above_its_floor() {
        let small = Left::for_source(10);
        assert_eq!((small.work, small.text), (FLOOR_WORK, FLOOR_TEXT));
        let big = Left::for_source(1 << 20);
        assert_eq!((big.work, big.text), (16 << 20, 16 << 20));
    }

    #[test]
    fn the_budget_is_spent_by_the_view_that_does_not_fit() {
        let mut left = Left { work: 10, text: 10 };
        assert_eq!(left.take(4, 10), Ok(()));
        assert_eq!(left.take(6, 0), Ok(()));
        assert_eq!(left.take(0, 1), Err(Spent::Text));
        assert_eq!(left.take(1, 1), Err(Spent::Work));
    }
}
