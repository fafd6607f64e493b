//! JSON export of the resolved model (`c4c build --format json`).
//!
//! In: compiled workspaces. Out: a serde-serialisable [`Export`] — elements,
//! relationships, groups and computed views, each with its source location.
//! The shape is documented in `docs/json.md` and versioned by `version`.

use indexmap::IndexMap;
use serde::Serialize;

use crate::Compiled;
use crate::model::{BaseKind, Model};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Arrow, ViewKind};

pub const VERSION: u32 = 1;

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
    pub views: Vec<ViewExport>,
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

fn workspace(sources: &SourceMap, c: &Compiled) -> WorkspaceExport {
    let m: &Model = &c.model;
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
        views: c
            .views
            .iter()
            .map(|v| ViewExport {
                key: v.key.clone(),
                kind: v.kind,
                title: v.title.clone(),
                description: v.description.clone(),
                subject: v.subject.map(path),
                direction: v.direction.as_str(),
                elements: v.nodes.iter().map(|e| path(*e)).collect(),
                boundaries: v.boundaries.iter().map(|e| path(*e)).collect(),
                groups: v.groups.iter().map(|g| g.0 as usize).collect(),
                edges: v
                    .edges
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
            })
            .collect(),
    }
}

/// The whole export as pretty JSON text (ends with a newline).
pub fn export(sources: &SourceMap, compiled: &[Compiled]) -> String {
    let e = Export {
        version: VERSION,
        workspaces: compiled.iter().map(|c| workspace(sources, c)).collect(),
    };
    let mut s = serde_json::to_string_pretty(&e).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
