//! c4c — the C4 architecture compiler.
//!
//! The pipeline:
//! ```text
//! .c4 text ──syntax::parse──▶ AST ──load (imports)──▶ Workspace
//!          ──model::resolve──▶ Model (petgraph + containment tree, spans kept)
//!          ──view::compute──▶ View (nodes, boundaries, groups, lifted edges)
//!          ──emit::mermaid / emit::json──▶ text      validate ──▶ warnings
//! ```
//! [`compile`] and [`compile_text`] run it all and return a [`Compilation`]:
//! the sources, every diagnostic, and per root file the model, its views and
//! their Mermaid text. The library never prints and never exits; the CLI
//! (`cli`) does the terminal and file I/O.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod format;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod source;
pub mod syntax;
pub mod terminal_text;
pub mod validate;
pub mod view;

use std::collections::HashSet;
use std::path::PathBuf;

use diagnostic::{Diagnostic, Severity};
use source::{FileId, SourceMap};

pub use load::LoadOptions;

/// One rendered diagram.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    pub text: String,
}

/// One root file, compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub root: FileId,
    pub model: model::Model,
    pub views: Vec<view::View>,
    pub diagrams: Vec<Diagram>,
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct Compilation {
    pub sources: SourceMap,
    /// Every problem found, ordered by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Root files that got as far as a model (those with syntax or import errors do not).
    pub compiled: Vec<Compiled>,
}

impl Compilation {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Every diagram of every root, in order.
    pub fn diagrams(&self) -> impl Iterator<Item = &Diagram> {
        self.compiled.iter().flat_map(|c| c.diagrams.iter())
    }
}

/// Compiles `.c4` files or directories. `Err` is a usage or I/O problem with
/// the paths themselves (nothing could be read); problems inside files are
/// diagnostics.
pub fn compile(paths: &[PathBuf], opts: &LoadOptions) -> Result<Compilation, String> {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let workspaces = load::load_paths(paths, opts, &mut sources, &mut diags)?;
    if workspaces.is_empty() && diags.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!("no .c4 files found in {}", shown.join(", ")));
    }
    Ok(finish(workspaces, sources, diags))
}

/// Compiles one model given as text (only `std/…` imports resolve).
pub fn compile_text(name: &str, text: &str) -> Compilation {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let ws = load::load_text(name, text, &mut sources, &mut diags);
    finish(vec![ws], sources, diags)
}

/// Computes and renders every view, on all cores (the result is in view order,
/// whatever the number of threads).
fn views_and_diagrams(model: &model::Model) -> (Vec<view::View>, Vec<Diagram>) {
    let defs = &model.views;
    let renderer = emit::mermaid::c4::Renderer::new(model);
    let renderer = &renderer;
    let work = |defs: &[model::ViewDef]| -> Vec<(view::View, Diagram)> {
        let mut scratch = view::Scratch::new(model);
        defs.iter()
            .map(|def| {
                let v = view::compute_with(model, def, &mut scratch);
                use emit::mermaid::{cdn, deployment, flowchart::render_graph, mesh};
                let text = match (&v.deployment, &v.mesh, def.kind) {
                    (Some(dv), _, _) => render_graph(&deployment::graph(model, def, dv)),
                    // Too large to draw: E055 (in `finish`), no text.
                    (_, Some(mv), _) if mv.edge_count(model) > view::deployment::MAX_EDGES => {
                        String::new()
                    }
                    (_, Some(mv), _) => render_graph(&mesh::graph(model, def, mv)),
                    (_, _, syntax::ast::ViewKind::Code) => def
                        .deployment
                        .and_then(|i| model.code.get(i))
                        .map(|c| emit::mermaid::class::render(model, def, c))
                        .unwrap_or_default(),
                    (_, _, syntax::ast::ViewKind::States) => def
                        .deployment
                        .and_then(|i| model.state_machines.get(i))
                        .map(|m| emit::mermaid::state::render(def, m))
                        .unwrap_or_default(),
                    (_, _, syntax::ast::ViewKind::Dynamic) => def
                        .deployment
                        .and_then(|i| model.dynamics.get(i))
                        .map(|d| {
                            if def.as_flowchart {
                                emit::mermaid::sequence::flowchart(model, def, d)
                            } else {
                                emit::mermaid::sequence::render(model, def, d)
                            }
                        })
                        .unwrap_or_default(),
                    (_, _, syntax::ast::ViewKind::Cdn) => def
                        .deployment
                        .and_then(|i| cdn::graph(model, def, i))
                        .map(|g| render_graph(&g))
                        .unwrap_or_default(),
                    _ => renderer.render(&v),
                };
                let d = Diagram {
                    key: v.key.clone(),
                    title: v.title.clone(),
                    description: v.description.clone(),
                    text,
                };
                (v, d)
            })
            .collect()
    };
    parallel::map_chunks(defs, 8, 16, work)
        .into_iter()
        .flatten()
        .unzip()
}

/// A file name made fit for a view key: letters, digits, `-` and `_`.
fn key_part(stem: &str) -> String {
    let s: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    let s = s.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if s.is_empty() {
        "model".into()
    } else {
        s.to_string()
    }
}

/// E055 for each deployment or mesh view past [`view::deployment::MAX_EDGES`]
/// (such a view is not drawn in full).
fn view_size_errors(model: &model::Model, views: &[view::View], diags: &mut Vec<Diagnostic>) {
    const COPIES: &str = "relationships between expanded items of different sizes connect \
        every copy to every copy: expand fewer items, or show one system with \
        `deployment ENV of SYSTEM`";
    const PROXIES: &str = "every proxy gets an edge to every control-plane part: cover one \
        node with `mesh NAME in ENV.NODE`, or name fewer control parts";
    let max = view::deployment::MAX_EDGES;
    for (def, v) in model.views.iter().zip(views) {
        if let Some(dv) = v.deployment.as_ref().filter(|dv| dv.dropped_edges > 0) {
            let why = format!(
                "{} more edges than the {max} one view may have",
                dv.dropped_edges
            );
            diags.push(
                Diagnostic::error(
                    "E055",
                    format!("deployment view `{}` is too large", def.key),
                )
                .label(def.span, why)
                .hint(COPIES),
            );
        }
        let mesh_edges = v.mesh.as_ref().map_or(0, |mv| mv.edge_count(model));
        if mesh_edges > max {
            let why = format!("{mesh_edges} edges, more than the {max} one view may have");
            diags.push(
                Diagnostic::error("E055", format!("mesh view `{}` is too large", def.key))
                    .label(def.span, why)
                    .hint(PROXIES),
            );
        }
    }
}

fn finish(
    workspaces: Vec<load::Workspace>,
    sources: SourceMap,
    mut diags: Vec<Diagnostic>,
) -> Compilation {
    let broken: HashSet<FileId> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.primary_span().map(|s| s.file))
        .collect();
    let mut compiled = Vec::new();
    let mut keys: std::collections::HashMap<String, source::Span> =
        std::collections::HashMap::new();
    let several = workspaces.len() > 1;
    for ws in workspaces {
        // Syntax and import errors first: resolving a half-read model only adds noise.
        if ws.files.iter().any(|(f, _)| broken.contains(f)) {
            continue;
        }
        let mut ws_diags = Vec::new();
        let mut model = model::resolve::resolve(&ws, &mut ws_diags);
        model::contract::read_all(&mut model, &sources, ws.root_dir.as_deref(), &mut ws_diags);
        if several {
            // Several root files build into one directory: derived keys get the
            // file's name in front, so two models' `landscape` do not collide.
            let stem = sources
                .get(ws.root)
                .and_then(|f| f.path.as_ref())
                .and_then(|p| p.file_stem())
                .map(|s| key_part(&s.to_string_lossy()))
                .unwrap_or_else(|| "model".into());
            for def in model.views.iter_mut().filter(|d| d.derived_key) {
                def.key = format!("{stem}-{}", def.key);
            }
        }
        let root = ws.root;
        drop(ws); // the syntax trees are no longer needed: free them before the views

        let (views, diagrams) = views_and_diagrams(&model);
        view_size_errors(&model, &views, &mut ws_diags);
        let has_errors = ws_diags.iter().any(|d| d.is_error());
        if !has_errors {
            let sizes: Vec<usize> = diagrams.iter().map(|d| d.text.len()).collect();
            validate::check(&model, &views, &sizes, &mut ws_diags);
        }
        for def in &model.views {
            if let Some(prev) = keys.get(&def.key) {
                ws_diags.push(
                    Diagnostic::error(
                        "E040",
                        format!("duplicate view key `{}` across models", def.key),
                    )
                    .label(def.span, "this view has the same key")
                    .secondary(*prev, "as this view of another root file")
                    .hint("both would be written to the same file; give one an explicit key"),
                );
            } else {
                keys.insert(def.key.clone(), def.span);
            }
        }
        diags.extend(ws_diags);
        compiled.push(Compiled {
            root,
            model,
            views,
            diagrams,
        });
    }
    // Stable order: by file, then position; findings without a span last.
    diags.sort_by_key(|d| {
        d.primary_span()
            .map(|s| (s.file, s.start))
            .unwrap_or((FileId(u32::MAX), 0))
    });
    Compilation {
        sources,
        diagnostics: diags,
        compiled,
    }
}
