//! JSON export of the resolved model (`c4c build --format json`).
//!
//! In: per root file, its model and computed views ([`Root`]). Out: a serde-serialisable [`Export`] — elements,
//! relationships, groups and computed views, each with its source location.
//! The shape is documented in `docs/json.md` and versioned by `version`.

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::deployment::{DeplEnd, DeplKind, Deployment};
use crate::model::{BaseKind, Model};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Arrow, ViewKind};
use crate::view::View;

pub const VERSION: u32 = 1;
// Version 1 gained `deployments` (added field, still version 1: fields are only added).

#[derive(Serialize)]
pub struct Export {
    pub version: u32,
    pub workspaces: Vec<WorkspaceExport>,
}

#[derive(Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
pub struct WorkspaceExport {
    pub root: String,
    pub elements: Vec<ElementExport>,
    pub relationships: Vec<RelationshipExport>,
    pub groups: Vec<GroupExport>,
    pub deployments: Vec<DeploymentExport>,
    pub views: Vec<ViewExport>,
}

#[derive(Serialize)]
pub struct DeploymentExport {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub items: Vec<DeplItemExport>,
    pub relationships: Vec<DeplRelExport>,
}

#[derive(Serialize)]
pub struct DeplItemExport {
    /// `env.node.item`
    pub id: String,
    /// `node`, `infra` or `instance`
    pub kind: &'static str,
    pub name: String,
    /// For an instance: the `id` of the element it deploys.
    pub element: Option<String>,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub replicas: u32,
    pub expanded: bool,
    pub parent: Option<String>,
    pub location: Location,
}

#[derive(Serialize)]
pub struct DeplRelExport {
    /// An item `id` (with `[n]` for one copy of an expanded item) or an element `id`.
    pub source: String,
    pub target: String,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub url: Option<String>,
    /// The index of the model relationship it carries (null: written in the deployment).
    pub carries: Option<usize>,
}

#[derive(Serialize)]
pub struct ElementExport {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub base: BaseKind,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub url: Option<String>,
    pub external: bool,
    pub parent: Option<String>,
    pub group: Option<usize>,
    /// The OpenAPI contract (`api "file"`), with its operations.
    pub contract: Option<crate::model::contract::Contract>,
    pub location: Location,
}

#[derive(Serialize)]
pub struct RelationshipExport {
    pub index: usize,
    pub source: String,
    pub target: String,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub properties: IndexMap<String, String>,
    pub url: Option<String>,
    pub location: Location,
}

#[derive(Serialize)]
pub struct GroupExport {
    pub index: usize,
    pub title: String,
    pub element: Option<String>,
    pub parent: Option<usize>,
    pub location: Location,
}

#[derive(Serialize)]
pub struct ViewExport {
    pub key: String,
    pub kind: ViewKind,
    pub title: String,
    pub description: Option<String>,
    pub subject: Option<String>,
    pub direction: &'static str,
    pub elements: Vec<String>,
    pub boundaries: Vec<String>,
    pub groups: Vec<usize>,
    pub edges: Vec<EdgeExport>,
    /// A flow over a static view: its steps, numbered edges after `edges`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepExport>,
    /// A diagram of a view drawn apart (`split frames`): which view, which part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<PartExport>,
    /// Frames drawn as one box (`collapse`, a split view's overview).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folds: Vec<FoldExport>,
    /// Edges with an end on a folded frame.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folded_edges: Vec<FoldEdgeExport>,
}

/// Which view a diagram of a split view belongs to.
#[derive(Serialize)]
pub struct PartExport {
    /// The key of the view (its overview's key).
    pub of: String,
    /// The title of the frame it shows; null for the overview.
    pub frame: Option<String>,
    /// 1-based among the parts; 0 for the overview.
    pub index: usize,
    pub count: usize,
}

/// A frame drawn as one box.
#[derive(Serialize)]
pub struct FoldExport {
    pub title: String,
    /// The element of a boundary folded.
    pub element: Option<String>,
    /// The index of a group folded.
    pub group: Option<usize>,
    /// How many elements it holds.
    pub count: usize,
}

/// One end of a folded edge: an element `id`, or `{"fold": N}`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum EndExport {
    Element(String),
    Fold { fold: usize },
}

#[derive(Serialize)]
pub struct FoldEdgeExport {
    pub source: EndExport,
    pub target: EndExport,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub relationships: Vec<usize>,
}

/// One step of a flow drawn over a static view, between drawn elements.
#[derive(Serialize)]
pub struct StepExport {
    pub number: String,
    pub source: String,
    pub target: String,
    pub text: Option<String>,
    /// The control-flow sections it is in (`alt: in stock`).
    pub within: Vec<String>,
    /// A reply or an asynchronous step.
    pub dashed: bool,
    /// The relationships it follows (their plain edges are not drawn).
    pub relationships: Vec<usize>,
}

#[derive(Serialize)]
pub struct EdgeExport {
    pub source: String,
    pub target: String,
    pub arrow: Arrow,
    pub label: Option<String>,
    pub technology: Option<String>,
    pub implied: bool,
    pub relationships: Vec<usize>,
}

fn location(sources: &SourceMap, span: Span) -> Location {
    let (line, column) = sources.line_col(span.file, span.start);
    Location {
        file: sources.name(span.file).to_string(),
        line,
        column,
    }
}

/// One root file's model and its computed views: what the export is made of.
#[derive(Debug, Clone, Copy)]
pub struct Root<'a> {
    pub root: FileId,
    pub model: &'a Model,
    pub views: &'a [View],
}

fn workspace(sources: &SourceMap, c: &Root) -> WorkspaceExport {
    let m: &Model = c.model;
    let path = |e| m.element(e).path.clone();
    WorkspaceExport {
        root: sources.name(c.root).to_string(),
        elements: m
            .elements()
            .map(|id| {
                let e = m.element(id);
                ElementExport {
                    id: e.path.clone(),
                    name: e.name.clone(),
                    kind: e.kind.clone(),
                    base: e.base,
                    description: e.description.clone(),
                    technology: e.technology.clone(),
                    tags: e.tags.clone(),
                    properties: e.properties.clone(),
                    url: e.url.clone(),
                    external: e.external,
                    parent: e.parent.map(path),
                    group: e.group.map(|g| g.0 as usize),
                    contract: e.contract.clone(),
                    location: location(sources, e.span),
                }
            })
            .collect(),
        relationships: m
            .relationships()
            .map(|r| {
                let rel = m.relationship(r);
                let (s, t) = m.ends(r);
                RelationshipExport {
                    index: r.index(),
                    source: path(s),
                    target: path(t),
                    arrow: rel.arrow,
                    label: rel.label.clone(),
                    technology: rel.technology.clone(),
                    tags: rel.tags.clone(),
                    properties: rel.properties.clone(),
                    url: rel.url.clone(),
                    location: location(sources, rel.span),
                }
            })
            .collect(),
        groups: m
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupExport {
                index: i,
                title: g.title.clone(),
                element: g.element.map(path),
                parent: g.parent.map(|p| p.0 as usize),
                location: location(sources, g.span),
            })
            .collect(),
        deployments: m
            .deployments
            .iter()
            .map(|d| deployment(sources, m, d))
            .collect(),
        views: c
            .views
            .iter()
            .map(|v| ViewExport {
                key: v.key.clone(),
                kind: v.kind(),
                title: v.title.clone(),
                description: v.description.clone(),
                subject: v.subject().map(path),
                direction: v
                    .direction
                    .map_or("auto", crate::syntax::ast::Direction::as_str),
                elements: v.nodes().iter().map(|e| path(*e)).collect(),
                boundaries: v.boundaries().iter().map(|e| path(*e)).collect(),
                groups: v.groups().iter().map(|g| g.0 as usize).collect(),
                edges: v
                    .edges()
                    .iter()
                    .map(|e| EdgeExport {
                        source: path(e.source),
                        target: path(e.target),
                        arrow: e.arrow,
                        label: e.label.clone(),
                        technology: e.technology.clone(),
                        implied: e.implied,
                        relationships: e.relationships.iter().map(|r| r.index()).collect(),
                    })
                    .collect(),
                steps: match &v.content {
                    crate::view::Content::Flow(f) => f
                        .steps
                        .iter()
                        .map(|s| StepExport {
                            number: s.number.clone(),
                            source: path(s.source),
                            target: path(s.target),
                            text: s.text.clone(),
                            within: s.within.clone(),
                            dashed: s.dashed,
                            relationships: s.follows.iter().map(|r| r.index()).collect(),
                        })
                        .collect(),
                    _ => Vec::new(),
                },
                part: v.part.as_ref().map(|p| PartExport {
                    of: p.of.clone(),
                    frame: p.frame.clone(),
                    index: p.index,
                    count: p.count,
                }),
                folds: folds(m, v),
                folded_edges: folded_edges(m, v),
            })
            .collect(),
    }
}

/// A static view's folded frames.
fn folds(m: &Model, v: &View) -> Vec<FoldExport> {
    use crate::view::fold::FrameId;
    v.as_static().map_or_else(Vec::new, |s| {
        s.folds
            .iter()
            .map(|f| FoldExport {
                title: f.title.clone(),
                element: match f.frame {
                    FrameId::Element(e) => Some(m.element(e).path.clone()),
                    FrameId::Group(_) => None,
                },
                group: match f.frame {
                    FrameId::Group(g) => Some(g.0 as usize),
                    FrameId::Element(_) => None,
                },
                count: f.count,
            })
            .collect()
    })
}

/// A static view's edges to and from folded frames.
fn folded_edges(m: &Model, v: &View) -> Vec<FoldEdgeExport> {
    use crate::view::fold::End;
    let end = |e: End| match e {
        End::Element(x) => EndExport::Element(m.element(x).path.clone()),
        End::Fold(i) => EndExport::Fold { fold: i },
    };
    v.as_static().map_or_else(Vec::new, |s| {
        s.fold_edges
            .iter()
            .map(|e| FoldEdgeExport {
                source: end(e.source),
                target: end(e.target),
                arrow: e.arrow,
                label: e.label.clone(),
                technology: e.technology.clone(),
                relationships: e.relationships.iter().map(|r| r.index()).collect(),
            })
            .collect()
    })
}

/// One deployment environment: its items and relationships.
fn deployment(sources: &SourceMap, m: &Model, d: &Deployment) -> DeploymentExport {
    let end = |e: DeplEnd| match e {
        DeplEnd::Item { item, copy: None } => d.items[item].path.clone(),
        DeplEnd::Item {
            item,
            copy: Some(n),
        } => format!("{}[{n}]", d.items[item].path),
        DeplEnd::Element(x) => m.element(x).path.clone(),
    };
    DeploymentExport {
        name: d.name.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        items: d
            .items
            .iter()
            .map(|it| DeplItemExport {
                id: it.path.clone(),
                kind: match it.kind {
                    DeplKind::Node => "node",
                    DeplKind::Infra => "infra",
                    DeplKind::Instance(_) => "instance",
                },
                name: it.name.clone(),
                element: match it.kind {
                    DeplKind::Instance(e) => Some(m.element(e).path.clone()),
                    _ => None,
                },
                description: it.description.clone(),
                technology: it.technology.clone(),
                tags: it.tags.clone(),
                properties: it.properties.clone(),
                replicas: it.replicas,
                expanded: it.expand.is_some(),
                parent: it.parent.map(|p| d.items[p].path.clone()),
                location: location(sources, it.span),
            })
            .collect(),
        relationships: d
            .relationships
            .iter()
            .map(|r| DeplRelExport {
                source: end(r.source),
                target: end(r.target),
                arrow: r.arrow,
                label: r.label.clone(),
                technology: r.technology.clone(),
                tags: r.tags.clone(),
                properties: r.properties.clone(),
                url: r.url.clone(),
                carries: r.from_model.map(|x| x.index()),
            })
            .collect(),
    }
}

/// The whole export as pretty JSON text (ends with a newline; hidden
/// characters in values are `\uXXXX` escapes, see
/// [`crate::terminal_text::json`]).
pub fn export(sources: &SourceMap, compiled: &[Root]) -> String {
    let e = Export {
        version: VERSION,
        workspaces: compiled.iter().map(|c| workspace(sources, c)).collect(),
    };
    let mut s = serde_json::to_string_pretty(&e).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    crate::terminal_text::json(s)
}
