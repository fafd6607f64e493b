//! Views: a view definition + the model → what one diagram shows.
//!
//! In: a [`ViewDef`] (its common fields and, by kind, what it shows) and the
//! [`Model`]. Out: a [`View`]: the same common fields and, by kind, the
//! computed content ([`Content`]) — what is drawn, not how it is written:
//! - static C4 views (landscape, context, container, component, custom):
//!   elements, boundaries, groups and lifted edges ([`c4`], [`lift`]);
//! - deployment views: the items and edges of an environment ([`deployment`]);
//! - mesh views: pods, control plane, ingress and their edges ([`mesh`]);
//! - CDN views: users, POPs, the origin and notes, with edges ([`cdn`]);
//! - code, state machine and dynamic views: drawn straight from their
//!   declaration (the content names it);
//! - a dynamic view drawn over a static view: that view's content, and the
//!   steps as numbered edges ([`flow`]).
//!
//! Every kind is computed by [`compute`]; [`budget`] bounds the work.

pub mod budget;
pub mod c4;
pub mod cdn;
pub mod deployment;
pub mod flow;
pub mod fold;
pub mod lift;
pub mod mesh;
pub mod split;

use crate::model::{
    CodeId, DynamicForm, DynamicId, ElementId, GroupId, MachineId, Model, ViewDef, ViewOf,
};
use crate::source::Span;
use crate::syntax::ast::{Direction, ViewKind};

pub use c4::{Item, StaticView};
pub use lift::Edge;

/// One computed diagram: the fields every view has, and its content by kind.
#[derive(Debug, Clone)]
pub struct View {
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    /// As the definition says; `None`: the flowchart writer chooses.
    pub direction: Option<Direction>,
    /// The view's declaration (or what it was derived from).
    pub span: Span,
    /// Set when the view is too large to draw (E056, E057): its content is empty.
    pub overflow: Option<budget::Overflow>,
    pub content: Content,
    /// Set on the diagrams of a view drawn apart (`split frames`): which
    /// view, and which part of it, this one is.
    pub part: Option<split::Part>,
}

/// What a view shows, by kind.
#[derive(Debug, Clone)]
pub enum Content {
    Static(StaticView),
    Deployment(deployment::DeploymentView),
    Mesh(mesh::MeshView),
    Cdn(cdn::CdnView),
    /// A class diagram of a code block.
    Code(CodeId),
    /// A state diagram of a state machine.
    States(MachineId),
    /// A sequence diagram of a dynamic block, or a numbered flowchart.
    Dynamic {
        id: DynamicId,
        as_flowchart: bool,
    },
    /// A dynamic view drawn over a static view (`flowchart over "KEY"`).
    Flow(Box<flow::FlowView>),
}

impl View {
    pub fn kind(&self) -> ViewKind {
        match &self.content {
            Content::Static(s) => s.kind.view_kind(),
            Content::Deployment(_) => ViewKind::Deployment,
            Content::Mesh(_) => ViewKind::Mesh,
            Content::Cdn(_) => ViewKind::Cdn,
            Content::Code(_) => ViewKind::Code,
            Content::States(_) => ViewKind::States,
            Content::Dynamic { .. } | Content::Flow(_) => ViewKind::Dynamic,
        }
    }

    /// A static view's subject, a deployment view's system.
    pub fn subject(&self) -> Option<ElementId> {
        match &self.content {
            Content::Static(s) => s.subject,
            Content::Deployment(d) => d.system,
            _ => None,
        }
    }

    /// The content of a static C4 view (of a flow: the static view it is
    /// drawn over, without the steps).
    pub fn as_static(&self) -> Option<&StaticView> {
        match &self.content {
            Content::Static(s) => Some(s),
            Content::Flow(f) => Some(&f.base),
            _ => None,
        }
    }

    /// How many edges it draws (a static view's or a flow's; none for
    /// other kinds).
    /// Every edge the view draws (a deployment, mesh or CDN view's too).
    pub fn edge_count(&self) -> usize {
        let own = match &self.content {
            Content::Flow(f) => f.steps.len(),
            Content::Deployment(d) => d.edges.len(),
            Content::Mesh(m) => m.edges.len(),
            Content::Cdn(c) => c.edges.len(),
            _ => 0,
        };
        self.edges().len() + own
    }

    /// Whether it is the one diagram of its view definition, or its
    /// overview (not a part of a split view).
    pub fn is_primary(&self) -> bool {
        self.part.as_ref().is_none_or(|p| p.frame.is_none())
    }

    /// Elements drawn as boxes (a static view's; none for other kinds).
    pub fn nodes(&self) -> &[ElementId] {
        self.as_static().map_or(&[], |s| &s.nodes)
    }

    /// Elements drawn as boundaries (a static view's; none for other kinds).
    pub fn boundaries(&self) -> &[ElementId] {
        self.as_static().map_or(&[], |s| &s.boundaries)
    }

    /// Groups drawn (a static view's; none for other kinds).
    pub fn groups(&self) -> &[GroupId] {
        self.as_static().map_or(&[], |s| &s.groups)
    }

    /// Edges between drawn elements (a static view's; none for other kinds).
    pub fn edges(&self) -> &[Edge] {
        self.as_static().map_or(&[], |s| &s.edges)
    }
}

/// Computes every view of a model (a split view as its overview and parts).
pub fn compute_all(model: &Model) -> Vec<View> {
    let mut scratch = Scratch::new(model);
    let taken = model.views.iter().map(|d| d.key.clone()).collect();
    model
        .views
        .iter()
        .flat_map(|v| split::expand(model, v, compute(model, v, &mut scratch), &taken))
        .collect()
}

/// Per-model marks reused across views, so membership tests are O(1) and no
/// view pays for the size of the whole model.
pub struct Scratch {
    generation: u32,
    drawn: Vec<u32>,
    boundary: Vec<u32>,
    rels: Vec<u32>,
    /// Elements and relationships the last view looked at ([`budget`]).
    pub work: u64,
    /// The work a view may take: past it, the view stops (left empty).
    pub cap: u64,
}

impl Scratch {
    pub fn new(model: &Model) -> Scratch {
        Scratch {
            generation: 0,
            drawn: vec![0; model.graph.node_count()],
            boundary: vec![0; model.graph.node_count()],
            rels: vec![0; model.graph.edge_count()],
            work: 0,
            cap: u64::MAX,
        }
    }

    /// Counts `n` steps of work; `false` once the view is past its cap.
    fn charge(&mut self, n: usize) -> bool {
        self.work = self.work.saturating_add(n as u64);
        self.work <= self.cap
    }

    fn next(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.drawn.iter_mut().for_each(|m| *m = 0);
            self.boundary.iter_mut().for_each(|m| *m = 0);
            self.rels.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        self.generation
    }
}

/// Computes one view, of any kind, with reusable scratch space; what it
/// looked at is left in `scratch.work`. A static view's work is proportional
/// to what it shows (and the relationships touching it), not to the model's
/// size; a deployment or mesh view's to its environment or mesh.
pub fn compute(model: &Model, def: &ViewDef, scratch: &mut Scratch) -> View {
    scratch.work = 0;
    let content = match &def.of {
        ViewOf::Static(s) => match c4::compute(model, s, scratch) {
            Ok(v) => Content::Static(v),
            Err(overflow) => return empty(def, Some(overflow)),
        },
        ViewOf::Deployment {
            env,
            system,
            options,
        } => {
            let d = model.env(*env);
            // Each selection looks at every item and relationship once.
            let passes = 1 + options.include.len() + options.exclude.len();
            scratch.work += ((d.items.len() + d.relationships.len()) * passes) as u64;
            Content::Deployment(deployment::compute(model, *env, *system, options))
        }
        ViewOf::Mesh(m) => {
            let v = mesh::compute(model, *m);
            scratch.work += (v.pods.len() + v.calls.len() + v.entries.len()) as u64;
            Content::Mesh(v)
        }
        ViewOf::Cdn(c) => Content::Cdn(cdn::compute(model, *c)),
        ViewOf::Dynamic {
            id,
            form: DynamicForm::Over(over),
        } => match flow::compute(model, *id, model.dynamic(*id), over, scratch) {
            Ok(f) => Content::Flow(Box::new(f)),
            Err(overflow) => return empty(def, Some(overflow)),
        },
        other => nothing_drawn(other),
    };
    with_content(def, None, content)
}

/// A view with nothing drawn: for a view too large to draw (`overflow`), or
/// one the model's budget left no room for.
pub fn empty(def: &ViewDef, overflow: Option<budget::Overflow>) -> View {
    with_content(def, overflow, nothing_drawn(&def.of))
}

/// The content of a view of this kind with nothing computed (code, state
/// machine and dynamic views have nothing to compute).
fn nothing_drawn(of: &ViewOf) -> Content {
    match of {
        ViewOf::Static(s) => Content::Static(StaticView::empty(s.kind, s.subject)),
        ViewOf::Deployment { env, system, .. } => {
            Content::Deployment(deployment::DeploymentView::empty(*env, *system))
        }
        ViewOf::Mesh(m) => Content::Mesh(mesh::MeshView::empty(*m)),
        ViewOf::Cdn(c) => Content::Cdn(cdn::CdnView::empty(*c)),
        ViewOf::Code(c) => Content::Code(*c),
        ViewOf::States(m) => Content::States(*m),
        ViewOf::Dynamic {
            id,
            form: DynamicForm::Over(over),
        } => Content::Flow(Box::new(flow::FlowView::empty(*id, over))),
        ViewOf::Dynamic { id, form } => Content::Dynamic {
            id: *id,
            as_flowchart: matches!(form, DynamicForm::Flowchart),
        },
    }
}

/// The one place a [`View`] is built: the definition's common fields and
/// the content.
fn with_content(def: &ViewDef, overflow: Option<budget::Overflow>, content: Content) -> View {
    View {
        key: def.key.clone(),
        title: def.title.clone(),
        description: def.description.clone(),
        direction: def.direction,
        span: def.span,
        overflow,
        content,
        part: None,
    }
}

/// Whether an element is a person (drawn with the person shape by default).
pub fn is_person(model: &Model, e: ElementId) -> bool {
    model.element(e).base == crate::model::BaseKind::Person
}

/// The label of a box, before it is written: a name (drawn bold) and
/// detail lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    pub details: Vec<String>,
}

#[cfg(test)]
mod fold_tests;
#[cfg(test)]
mod tests;
