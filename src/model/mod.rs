//! The resolved architecture model.
//!
//! In: built by [`resolve::resolve`] from a loaded workspace.
//! Out: a petgraph graph whose nodes are elements and whose edges are
//! relationships, a containment tree beside it (parents, children, groups),
//! the element kinds, the styles and the view definitions. Every item keeps
//! the span of the text that declared it. Node and edge indices follow source
//! order, so anything iterating them is deterministic.

pub mod cdn;
pub mod code;
pub mod contract;
pub mod deployment;
pub mod dynamic;
pub mod index;
pub mod kind;
pub mod limits;
pub mod mesh;
pub mod palette;
mod relationship;
pub mod resolve;
pub mod rules;
pub mod select;
pub mod style;
pub mod theme;

use std::collections::HashMap;

use indexmap::IndexMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::source::Span;
use crate::syntax::ast::{Arrow, Direction, ViewKind};
pub use crate::syntax::ast::{Boundaries, SubjectDraw};
pub use kind::{BaseKind, Shape};
pub use select::Selection;
pub use style::{Kind, Style, Styles};

pub type ElementId = NodeIndex<u32>;
pub type RelId = EdgeIndex<u32>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(pub u32);

/// Typed indexes into the model's vectors of declarations: an id says which
/// vector it indexes, so a mesh's index cannot be read as an environment's.
macro_rules! index_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn new(index: usize) -> $name {
                $name(index as u32)
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_ids! {
    /// A deployment environment: an index into [`Model::deployments`].
    EnvId;
    /// A service mesh: an index into [`Model::meshes`].
    MeshId;
    /// A content delivery network: an index into [`Model::cdns`].
    CdnId;
    /// A code block: an index into [`Model::code`].
    CodeId;
    /// A state machine: an index into [`Model::state_machines`].
    MachineId;
    /// A dynamic view's interactions: an index into [`Model::dynamics`].
    DynamicId;
}

/// A person, system, container or component (or a custom kind based on one).
#[derive(Debug, Clone)]
pub struct Element {
    /// The local identifier (`api`).
    pub id: String,
    /// The full dotted identifier (`shop.api`): the element's identity.
    pub path: String,
    /// The kind as written (`database`), resolved through `Model::kinds`.
    pub kind: String,
    pub base: BaseKind,
    pub name: String,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub url: Option<String>,
    pub external: bool,
    pub parent: Option<ElementId>,
    /// The innermost group the element was declared in.
    pub group: Option<GroupId>,
    pub children: Vec<ElementId>,
    /// The whole declaration.
    pub span: Span,
    /// The identifier (or the kind, for an element without one).
    pub id_span: Span,
    /// Declaration order among elements and groups, for output order.
    pub order: u32,
    /// `api "file"`: the OpenAPI contract, once read (see `contract`).
    pub contract: Option<contract::Contract>,
}

/// A visual group (`group "Title" { … }`).
#[derive(Debug, Clone)]
pub struct Group {
    pub title: String,
    /// The element whose block holds the group (`None`: the model's top level).
    pub element: Option<ElementId>,
    /// The enclosing group, if nested.
    pub parent: Option<GroupId>,
    pub span: Span,
    /// Declaration order among elements and groups, for output order.
    pub order: u32,
}

#[derive(Debug, Clone)]
pub struct Relationship {
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub url: Option<String>,
    /// `step N`: its place in a numbered sequence, shown before the label.
    pub step: Option<String>,
    pub span: Span,
}

/// A view as declared (or derived by default), before it is computed: the
/// fields every view has, and what it shows, by kind ([`ViewOf`]).
#[derive(Debug, Clone)]
pub struct ViewDef {
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    /// `direction …` as written; `None`: the flowchart writer chooses
    /// (`emit::mermaid::layout`).
    pub direction: Option<Direction>,
    pub span: Span,
    /// `true` when the key was derived (no explicit key was written).
    pub derived_key: bool,
    pub of: ViewOf,
}

/// The C4 views computed from selections: the four levels and custom views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaticKind {
    Landscape,
    Context,
    Container,
    Component,
    /// Chosen elements, with groups as frames and no C4 boundaries.
    Custom,
}

impl StaticKind {
    pub fn view_kind(self) -> ViewKind {
        match self {
            StaticKind::Landscape => ViewKind::Landscape,
            StaticKind::Context => ViewKind::Context,
            StaticKind::Container => ViewKind::Container,
            StaticKind::Component => ViewKind::Component,
            StaticKind::Custom => ViewKind::Custom,
        }
    }

    /// The static kind of a view kind (`None` for the others).
    pub fn of(kind: ViewKind) -> Option<StaticKind> {
        Some(match kind {
            ViewKind::Landscape => StaticKind::Landscape,
            ViewKind::Context => StaticKind::Context,
            ViewKind::Container => StaticKind::Container,
            ViewKind::Component => StaticKind::Component,
            ViewKind::Custom => StaticKind::Custom,
            _ => return None,
        })
    }
}

/// A static view's definition: its subject and selections.
#[derive(Debug, Clone)]
pub struct StaticDef {
    pub kind: StaticKind,
    pub subject: Option<ElementId>,
    pub include: Vec<Selection>,
    pub exclude: Vec<Selection>,
    /// `subject box|boundary|both` (component and container views).
    pub subject_draw: SubjectDraw,
    /// `boundaries subject|all` (component and container views).
    pub boundaries: Boundaries,
    /// `split frames`: drawn as an overview and one diagram per frame
    /// (where it was written).
    pub split: Option<Span>,
    /// `collapse …`: frames drawn as one box each.
    pub collapse: Collapse,
}

/// Which frames of a static view are drawn as one box each (`collapse`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Collapse {
    #[default]
    None,
    /// `collapse frames`: the frames `split frames` would draw apart.
    Frames(Span),
    /// `collapse NAME, …`: the named boundaries and groups.
    Named(Vec<FrameRef>, Span),
}

/// A frame named in `collapse`: an element drawn as a boundary, or the
/// groups of one title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameRef {
    Element(ElementId),
    Group(String),
}

/// What a view shows, by kind.
#[derive(Debug, Clone)]
pub enum ViewOf {
    Static(StaticDef),
    /// An environment, or with `of SYSTEM` the part of it that runs `system`.
    Deployment {
        env: EnvId,
        system: Option<ElementId>,
        /// `nodes box|frame [hosts]`.
        options: deployment::ViewOptions,
    },
    Mesh(MeshId),
    Cdn(CdnId),
    Code(CodeId),
    States(MachineId),
    /// A dynamic block, drawn in `form`.
    Dynamic {
        id: DynamicId,
        form: DynamicForm,
    },
}

/// How a dynamic view is drawn.
#[derive(Debug, Clone, Default)]
pub enum DynamicForm {
    /// A sequence diagram.
    #[default]
    Sequence,
    /// A flowchart of the elements its steps name, with numbered edges.
    Flowchart,
    /// A flowchart over a static view (`flowchart over "KEY"`): everything
    /// that view draws, the steps as numbered edges.
    Over(Box<OverDef>),
}

/// The static view a dynamic view is drawn over.
#[derive(Debug, Clone)]
pub struct OverDef {
    /// The static view's key.
    pub key: String,
    /// Its definition (a copy: the view is computed again with the steps).
    pub base: StaticDef,
}

impl ViewOf {
    pub fn kind(&self) -> ViewKind {
        match self {
            ViewOf::Static(s) => s.kind.view_kind(),
            ViewOf::Deployment { .. } => ViewKind::Deployment,
            ViewOf::Mesh(_) => ViewKind::Mesh,
            ViewOf::Cdn(_) => ViewKind::Cdn,
            ViewOf::Code(_) => ViewKind::Code,
            ViewOf::States(_) => ViewKind::States,
            ViewOf::Dynamic { .. } => ViewKind::Dynamic,
        }
    }
}

impl ViewDef {
    pub fn kind(&self) -> ViewKind {
        self.of.kind()
    }

    /// The element a view is about: a static view's subject, a deployment
    /// view's system.
    pub fn subject(&self) -> Option<ElementId> {
        match &self.of {
            ViewOf::Static(s) => s.subject,
            ViewOf::Deployment { system, .. } => *system,
            _ => None,
        }
    }
}

/// A reference written in the source (`shop.api`, `this`) and the element
/// it names. Its segments are the ancestors of `target`, innermost last:
/// the path is written without blanks, so each segment's span follows from
/// the lengths of the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub span: Span,
    pub target: ElementId,
}

/// The whole resolved model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub graph: DiGraph<Element, Relationship, u32>,
    pub groups: Vec<Group>,
    /// Top-level elements (people and systems) in source order.
    pub roots: Vec<ElementId>,
    pub kinds: IndexMap<String, Kind>,
    /// Tags declared in `specification` (name → description).
    pub declared_tags: IndexMap<String, Option<String>>,
    pub styles: Styles,
    pub views: Vec<ViewDef>,
    /// Deployment environments, in source order.
    pub deployments: Vec<deployment::Deployment>,
    /// Service meshes, in source order.
    pub meshes: Vec<mesh::Mesh>,
    /// Content delivery networks, in source order.
    pub cdns: Vec<cdn::Cdn>,
    /// Code-level (C4 level 4) blocks, in source order.
    pub code: Vec<code::Code>,
    /// State machines, in source order.
    pub state_machines: Vec<code::StateMachine>,
    /// Dynamic views' interactions, in source order.
    pub dynamics: Vec<dynamic::Dynamic>,
    /// Architecture rules, in source order.
    pub rules: Vec<rules::Rule>,
    /// Every reference to an element that resolved (relationship ends,
    /// `extend`, view subjects and selections, style targets, instances…),
    /// in the order resolved: what an editor's "find references" reads.
    pub refs: Vec<Reference>,
    pub(crate) by_path: HashMap<String, ElementId>,
    /// For each element, the relationships with exactly one end in its subtree.
    pub(crate) crossing_rels: Vec<Vec<RelId>>,
    /// Each element's parent and each relationship's ends, by index: what
    /// views walk for every relationship, kept apart from the large
    /// element and relationship records ([`index::compact`]).
    pub(crate) parents: Vec<Option<ElementId>>,
    pub(crate) rel_ends: Vec<(ElementId, ElementId)>,
    /// Each element tag → the elements with it, in index order.
    pub(crate) tagged: HashMap<String, Vec<ElementId>>,
    /// Every relationship tag.
    pub(crate) rel_tags: std::collections::HashSet<String>,
}

impl Model {
    pub fn element(&self, id: ElementId) -> &Element {
        &self.graph[id]
    }

    pub fn relationship(&self, id: RelId) -> &Relationship {
        &self.graph[id]
    }

    /// Source and target of a relationship.
    pub fn ends(&self, id: RelId) -> (ElementId, ElementId) {
        match self.rel_ends.get(id.index()) {
            Some(ends) => *ends,
            None => self
                .graph
                .edge_endpoints(id)
                .unwrap_or((NodeIndex::new(0), NodeIndex::new(0))),
        }
    }

    /// The element `id` is part of, if any.
    pub fn parent(&self, id: ElementId) -> Option<ElementId> {
        match self.parents.get(id.index()) {
            Some(p) => *p,
            None => self.graph[id].parent,
        }
    }

    pub fn elements(&self) -> impl Iterator<Item = ElementId> + '_ {
        self.graph.node_indices()
    }

    pub fn relationships(&self) -> impl Iterator<Item = RelId> + '_ {
        self.graph.edge_indices()
    }

    /// The technology an element of `kind` gets when it names none: the
    /// nearest one declared along the kind's `extends` chain.
    pub fn kind_technology(&self, kind: &str) -> Option<&str> {
        let mut cur = Some(kind);
        let mut steps = 0;
        while let Some(k) = cur {
            let spec = self.kinds.get(k)?;
            if let Some(t) = spec.technology.as_deref().filter(|t| !t.is_empty()) {
                return Some(t);
            }
            steps += 1;
            if steps > 64 {
                return None;
            }
            cur = spec.extends.as_deref();
        }
        None
    }

    pub fn find(&self, path: &str) -> Option<ElementId> {
        self.by_path.get(path).copied()
    }

    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0 as usize]
    }

    pub fn env(&self, id: EnvId) -> &deployment::Deployment {
        &self.deployments[id.index()]
    }

    pub fn mesh(&self, id: MeshId) -> &mesh::Mesh {
        &self.meshes[id.index()]
    }

    pub fn cdn(&self, id: CdnId) -> &cdn::Cdn {
        &self.cdns[id.index()]
    }

    pub fn code_block(&self, id: CodeId) -> &code::Code {
        &self.code[id.index()]
    }

    pub fn machine(&self, id: MachineId) -> &code::StateMachine {
        &self.state_machines[id.index()]
    }

    pub fn dynamic(&self, id: DynamicId) -> &dynamic::Dynamic {
        &self.dynamics[id.index()]
    }

    /// `true` when `a` is `b` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, a: ElementId, b: ElementId) -> bool {
        let mut cur = Some(b);
        while let Some(c) = cur {
            if c == a {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// The top-level ancestor (a person or system) of an element.
    pub fn top(&self, mut id: ElementId) -> ElementId {
        while let Some(p) = self.parent(id) {
            id = p;
        }
        id
    }

    /// The ancestor of `id` that is a direct child of `parent` (if `id` is inside it).
    pub fn child_towards(&self, parent: ElementId, id: ElementId) -> Option<ElementId> {
        let mut cur = id;
        loop {
            let p = self.parent(cur)?;
            if p == parent {
                return Some(cur);
            }
            cur = p;
        }
    }

    /// Relationships with one end in the subtree of `id` and the other outside it.
    pub fn crossing_relationships(&self, id: ElementId) -> &[RelId] {
        self.crossing_rels
            .get(id.index())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every tag used by an element or relationship, or declared.
    pub fn tag_in_use(&self, tag: &str) -> bool {
        self.declared_tags.contains_key(tag)
            || self.tagged.contains_key(tag)
            || self.rel_tags.contains(tag)
    }

    /// Whether element `e` has tag `tag` (`external` is not a tag here).
    pub fn has_tag(&self, e: ElementId, tag: &str) -> bool {
        self.tagged
            .get(tag)
            .is_some_and(|all| all.binary_search(&e).is_ok())
    }

    /// The elements with tag `tag`, in index order.
    pub fn tagged(&self, tag: &str) -> &[ElementId] {
        self.tagged.get(tag).map_or(&[], Vec::as_slice)
    }

    /// The display label of an element's type: `Container: Rust`, `Person`…
    pub fn type_label(&self, id: ElementId) -> String {
        let e = &self.graph[id];
        if e.base == BaseKind::Annotation {
            // An annotation is labelled by its kind: `[Phase]`, `[Metric]`.
            let mut k = e.kind.replace('_', " ");
            if let Some(f) = k.get(0..1) {
                let up = f.to_uppercase();
                k.replace_range(0..1, &up);
            }
            return k;
        }
        let base = e.base.label(e.external);
        match &e.technology {
            Some(t) if !t.is_empty() && e.base != BaseKind::Person => format!("{base}: {t}"),
            _ => base.to_string(),
        }
    }
}
