//! The browsable site of a model: one HTML page listing every view, drawn
//! in the browser by the Mermaid bundled into c4c (no network), where
//! clicking an element lists the views that show it. `c4c build --format
//! html` writes it as static files; `c4c serve` serves it live.
//!
//! In: a [`Compilation`] (and, for `serve --git`, a diff against a
//! revision). Out: a [`State`] (everything the page shows, as data: views
//! with their Mermaid text and which box is which element, the elements
//! with the views that show them, the diagnostics, the diff) and the files
//! of the site ([`files`]). Model text reaches the page only as JSON data
//! that the page's script puts in as text (never as markup), and diagrams
//! go through Mermaid's strict security level.

mod assets;
mod page;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::emit::mermaid::flowchart::node_ids;
use crate::model::Model;
use crate::model::deployment::DeplKind;
use crate::pipeline::{Compilation, Compiled};
use crate::view::{Content, View};

pub use assets::{MERMAID_VERSION, mermaid_js, mermaid_js_gz};
pub use page::{APP_JS, STYLE_CSS, page, script_json};

/// At most this many diagnostics are listed in the page (the count says
/// how many there are).
pub const MAX_SHOWN_DIAGNOSTICS: usize = 200;

/// Everything the page shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct State {
    /// Bumped by `serve` at every rebuild (0 for a static site).
    pub version: u64,
    /// What the page is about (the model's folder or file).
    pub title: String,
    /// Served live (the page asks for updates).
    pub live: bool,
    /// The views are those of the last build without errors (the model
    /// has errors now).
    pub stale: bool,
    pub views: Vec<SiteView>,
    /// Every element by its identifier.
    pub elements: BTreeMap<String, SiteElement>,
    pub errors: usize,
    pub warnings: usize,
    /// The first [`MAX_SHOWN_DIAGNOSTICS`], rendered as c4c prints them.
    pub diagnostics: Vec<SiteDiagnostic>,
    /// `serve --git REV`: the pull-request comment's highlighted views.
    pub diff: Option<SiteDiff>,
}

/// One view of the page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub key: String,
    pub title: String,
    /// The view's keyword: `context`, `container`, `deployment`, …
    pub kind: &'static str,
    pub description: Option<String>,
    /// The Mermaid text (what `c4c build` writes).
    pub text: String,
    /// A part of a split view: its overview's key.
    pub part_of: Option<String>,
    /// Mermaid id of a box or frame → the element it draws.
    pub nodes: BTreeMap<String, String>,
}

/// An element, and the views that show it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteElement {
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    /// Keys of the views that draw it, in view order.
    pub views: Vec<String>,
}

/// A diagnostic as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteDiagnostic {
    /// `error` or `warning`.
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    /// `file:line:column` of its first primary span.
    pub location: Option<String>,
    /// The full report, as `c4c check` prints it (no colour).
    pub text: String,
}

/// The architecture diff against a revision.
#[derive(Debug, Clone, Serialize)]
pub struct SiteDiff {
    /// The revision compared with.
    pub against: String,
    /// The list of changes, as `c4c diff --format text` prints it.
    pub changes: String,
    /// The affected and added views, the change highlighted.
    pub views: Vec<DiffView>,
}

/// One highlighted view of the diff.
#[derive(Debug, Clone, Serialize)]
pub struct DiffView {
    pub key: String,
    pub text: String,
    /// Drawn as it is, without highlighting.
    pub plain: bool,
}

/// The page's state for a compilation. With errors, `last_views` (the
/// views of the last build without errors, if any) are shown, marked
/// stale.
pub fn state(c: &Compilation, title: &str, last_views: Option<&State>) -> State {
    let mut s = State {
        title: title.to_string(),
        errors: c.error_count(),
        warnings: c.warning_count(),
        ..State::default()
    };
    s.diagnostics = c
        .diagnostics
        .iter()
        .take(MAX_SHOWN_DIAGNOSTICS)
        .map(|d| SiteDiagnostic {
            severity: if d.is_error() { "error" } else { "warning" },
            code: d.code.as_str().to_string(),
            message: crate::terminal_text::message(&d.message).into_owned(),
            location: d.primary_span().map(|sp| {
                let (line, col) = c.sources.line_col(sp.file, sp.start);
                let name = crate::terminal_text::line(c.sources.name(sp.file)).into_owned();
                format!("{name}:{line}:{col}")
            }),
            text: d.render(&c.sources, false),
        })
        .collect();
    match last_views {
        Some(last) if s.errors > 0 => {
            s.views = last.views.clone();
            s.elements = last.elements.clone();
            s.stale = true;
        }
        _ => {
            for w in &c.compiled {
                add_root(w, &mut s);
            }
        }
    }
    s
}

/// The views and elements of one root model.
fn add_root(w: &Compiled, s: &mut State) {
    let m = &w.model;
    let renderer = crate::emit::mermaid::Renderer::new(m);
    let texts: BTreeMap<&str, &crate::Diagram> =
        w.diagrams.iter().map(|d| (d.key.as_str(), d)).collect();
    // Each deployment instance's path → its element's identifier.
    let instances: BTreeMap<&str, &str> = m
        .deployments
        .iter()
        .flat_map(|env| &env.items)
        .filter_map(|it| match it.kind {
            DeplKind::Instance(e) => Some((it.path.as_str(), m.element(e).path.as_str())),
            _ => None,
        })
        .collect();
    for e in m.elements() {
        let el = m.element(e);
        s.elements.entry(el.path.clone()).or_insert(SiteElement {
            name: el.name.clone(),
            kind: el.kind.clone(),
            description: el.description.clone(),
            technology: el.technology.clone(),
            tags: el.tags.clone(),
            views: Vec::new(),
        });
    }
    for v in &w.views {
        let Some(d) = texts.get(v.key.as_str()) else {
            continue;
        };
        let shown = shown_elements(m, v);
        for path in &shown {
            if let Some(el) = s.elements.get_mut(path)
                && el.views.last() != Some(&v.key)
            {
                el.views.push(v.key.clone());
            }
        }
        // Which box is which element (flowcharts only: Mermaid's C4 and
        // other diagram types are not clickable).
        let flowchart = d.text.lines().any(|l| l.starts_with("flowchart "));
        let nodes = renderer
            .flow_graph(v)
            .filter(|_| flowchart)
            .map(|g| {
                node_ids(&g)
                    .into_iter()
                    .filter_map(|(id, key)| Some((id, element_of(m, &instances, &key)?)))
                    .collect()
            })
            .unwrap_or_default();
        s.views.push(SiteView {
            key: v.key.clone(),
            title: d.title.clone(),
            kind: v.kind().keyword(),
            description: d.description.clone(),
            text: d.text.clone(),
            part_of: d.part_of.clone(),
            nodes,
        });
    }
}

/// The elements a view draws: its boxes and frames, and a deployment
/// view's instances and the elements beside it.
fn shown_elements(m: &Model, v: &View) -> Vec<String> {
    let mut ids: Vec<_> = v.nodes().iter().chain(v.boundaries()).copied().collect();
    if let Content::Deployment(dv) = &v.content
        && let Some(env) = m.deployments.get(dv.env.index())
    {
        ids.extend(&dv.elements);
        for (i, item) in env.items.iter().enumerate() {
            if let DeplKind::Instance(e) = item.kind
                && dv.shown.get(i).copied().unwrap_or(false)
            {
                ids.push(e);
            }
        }
    }
    let mut paths: Vec<String> = ids.into_iter().map(|e| m.element(e).path.clone()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The element a diagram key names: an element's identifier, or a
/// deployment instance's path (its element); `~N` (a second box of one
/// key) and `#part` (a part a generator adds) are left out.
fn element_of(m: &Model, instances: &BTreeMap<&str, &str>, key: &str) -> Option<String> {
    let key = crate::emit::mermaid::keys::base_path(key);
    if m.find(key).is_some() {
        return Some(key.to_string());
    }
    instances.get(key).map(|p| p.to_string())
}

/// The diff part of the state: the text report and the highlighted views.
pub fn diff(against: &str, old: &[Compiled], new: &[Compiled]) -> SiteDiff {
    let d = crate::diff::diff(old, new);
    SiteDiff {
        against: crate::terminal_text::line(against).into_owned(),
        changes: crate::diff::report::text(&d, false),
        views: crate::diff::report::drawn_views(&d, old, new)
            .into_iter()
            .map(|v| DiffView {
                key: v.key,
                text: v.text,
                plain: v.plain,
            })
            .collect(),
    }
}

/// The files of the static site: `index.html` (the state inside), its
/// script and style, and the bundled Mermaid.
pub fn files(state: &State) -> Vec<(String, Cow<'static, str>)> {
    vec![
        ("index.html".to_string(), Cow::Owned(page(state))),
        ("c4c-site.js".to_string(), Cow::Borrowed(APP_JS)),
        ("c4c-site.css".to_string(), Cow::Borrowed(STYLE_CSS)),
        ("mermaid.min.js".to_string(), Cow::Borrowed(mermaid_js())),
    ]
}
