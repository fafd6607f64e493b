//! Mermaid output.
//!
//! In: the model and a computed view, and the [`Dialect`]. Out: Mermaid
//! text, by the view's kind ([`render`]). `escape` is the one module that
//! escapes labels and mangles ids; `flowchart` writes any
//! [`flowchart::FlowGraph`] (with `stack`, which stacks its unlinked sibling
//! frames); `c4`, `deployment`, `mesh` and `cdn` turn their
//! computed views into that graph; `class`, `state` and `sequence` write
//! code, state machine and dynamic views; `c4dialect` writes Mermaid's own
//! C4 diagrams.

pub mod c4;
pub mod c4dialect;
mod c4layout;
pub mod cdn;
pub mod class;
pub mod deployment;
pub mod escape;
pub mod flowchart;
pub mod keys;
pub mod layout;
pub mod mesh;
pub mod sequence;
mod stack;
pub mod state;
pub mod wrap;

use crate::model::Model;
use crate::view::{Content, View};
use flowchart::render_graph;

/// The Mermaid dialect of the static, deployment and dynamic views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Flowcharts (and sequence diagrams for dynamic views).
    #[default]
    Flowchart,
    /// Mermaid's `C4Context`/`C4Container`/`C4Component`/`C4Dynamic`/
    /// `C4Deployment`; the kinds it has no form for keep their diagrams.
    C4,
}

/// Renders the views of one model, caching per-element work across views.
/// Shareable between threads.
pub struct Renderer<'m> {
    model: &'m Model,
    c4: c4::Renderer<'m>,
}

impl<'m> Renderer<'m> {
    pub fn new(model: &'m Model) -> Renderer<'m> {
        Renderer {
            model,
            c4: c4::Renderer::new(model),
        }
    }

    /// The Mermaid text of one view (empty when it is too large to draw).
    pub fn render(&self, view: &View, dialect: Dialect) -> String {
        match self.drawing(view, dialect) {
            Drawing::Text(text) => text,
            Drawing::Graph(g) => render_graph(&g),
        }
    }

    /// One view as [`Renderer::render`] draws it: its text, or the
    /// flowchart graph whose [`render_graph`] is its text (so a caller
    /// holding that graph's text from an earlier run need not write it again).
    pub fn drawing(&self, view: &View, dialect: Dialect) -> Drawing {
        let model = self.model;
        if view.overflow.is_some() {
            return Drawing::Text(String::new());
        }
        if dialect == Dialect::C4
            && let Some(text) = c4dialect::render(model, view)
        {
            return Drawing::Text(text);
        }
        if let Some(g) = self.flow_graph(view) {
            return Drawing::Graph(Box::new(g));
        }
        Drawing::Text(match &view.content {
            Content::Static(_)
            | Content::Flow(_)
            | Content::Deployment(_)
            | Content::Mesh(_)
            | Content::Cdn(_) => String::new(),
            Content::Code(id) => class::render(model, view, model.code_block(*id)),
            Content::States(id) => state::render(view, model.machine(*id)),
            Content::Dynamic { id, as_flowchart } => {
                let d = model.dynamic(*id);
                if *as_flowchart {
                    sequence::flowchart(model, view, d)
                } else {
                    sequence::render(model, view, d)
                }
            }
        })
    }
}

/// A view drawn: the text, or a flowchart graph still to be written.
#[derive(Debug)]
pub enum Drawing {
    Text(String),
    Graph(Box<flowchart::FlowGraph>),
}

impl Renderer<'_> {
    /// The length of a view's Mermaid text in `dialect`, or an upper bound
    /// of it ([`flowchart::text_bound`]) when that is at most `enough`: a
    /// view drawn as a flowchart is then measured without being written.
    pub fn measure(&self, view: &View, dialect: Dialect, enough: usize) -> usize {
        if view.overflow.is_some() || dialect == Dialect::C4 {
            return self.render(view, dialect).len();
        }
        match self.flow_graph(view) {
            Some(g) => {
                let bound = flowchart::text_bound(&g);
                if bound <= enough {
                    bound
                } else {
                    render_graph(&g).len()
                }
            }
            None => self.render(view, dialect).len(),
        }
    }

    /// The flowchart graph of a view drawn as one (static, flow,
    /// deployment, mesh and CDN views; `None` for the others, and for a
    /// mesh too large to draw, E055).
    pub fn flow_graph(&self, view: &View) -> Option<flowchart::FlowGraph> {
        let model = self.model;
        match &view.content {
            Content::Static(_) | Content::Flow(_) => Some(self.c4.graph(view)),
            Content::Deployment(dv) => Some(deployment::graph(model, view, dv)),
            Content::Mesh(mv) if mv.too_large(model) => None,
            Content::Mesh(mv) => Some(mesh::graph(model, view, mv)),
            Content::Cdn(cv) => cdn::graph(model, view, cv),
            _ => None,
        }
    }
}

/// Renders one view as Mermaid text in `dialect`.
pub fn render(model: &Model, view: &View, dialect: Dialect) -> String {
    Renderer::new(model).render(view, dialect)
}
