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
pub mod error;
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

use crate::diagnostic::Code;
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
pub fn compile(paths: &[PathBuf], opts: &LoadOptions) -> Result<Compilation, error::Error> {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let workspaces = load::load_paths(paths, opts, &mut sources, &mut diags)?;
    if workspaces.is_empty() && diags.is_empty() {
        return Err(error::Error::NoModels(paths.to_vec()));
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

/// Renders one computed view (empty when it is too large to draw).
fn render(
    model: &model::Model,
    renderer: &emit::mermaid::c4::Renderer,
    def: &model::ViewDef,
    v: &view::View,
) -> String {
    use emit::mermaid::{cdn, deployment, flowchart::render_graph, mesh};
    use syntax::ast::ViewKind;
    match (&v.deployment, &v.mesh, def.kind) {
        _ if v.overflow.is_some() => String::new(),
        (Some(dv), _, _) => render_graph(&deployment::graph(model, def, dv)),
        // Too large to draw: E055 (in `finish`), no text.
        (_, Some(mv), _) if mv.edge_count(model) > view::deployment::MAX_EDGES => String::new(),
        (_, Some(mv), _) => render_graph(&mesh::graph(model, def, mv)),
        (_, _, ViewKind::Code) => def
            .deployment
            .and_then(|i| model.code.get(i))
            .map(|c| emit::mermaid::class::render(model, def, c))
            .unwrap_or_default(),
        (_, _, ViewKind::States) => def
            .deployment
            .and_then(|i| model.state_machines.get(i))
            .map(|m| emit::mermaid::state::render(def, m))
            .unwrap_or_default(),
        (_, _, ViewKind::Dynamic) => def
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
        (_, _, ViewKind::Cdn) => def
            .deployment
            .and_then(|i| cdn::graph(model, def, i))
            .map(|g| render_graph(&g))
            .unwrap_or_default(),
        _ => renderer.render(v),
    }
}

/// What computing a view looked at, for the views the C4 algorithm does not
/// compute (a deployment view looks at its environment).
fn other_work(model: &model::Model, v: &view::View) -> u64 {
    let env = |i: usize| {
        model
            .deployments
            .get(i)
            .map_or(0, |d| d.items.len() + d.relationships.len())
    };
    let n = v.deployment.as_ref().map_or(0, |dv| env(dv.env))
        + v.mesh
            .as_ref()
            .map_or(0, |mv| mv.pods.len() + mv.calls.len() + mv.entries.len());
    n as u64
}

/// Computes and renders every view, on all cores, within the model's budget
/// ([`view::budget`]). The result is in view order whatever the number of
/// threads; with the budget spent, the index of the view where it ran out —
/// that view and the ones after it are left empty.
fn views_and_diagrams(
    model: &model::Model,
    budget: view::budget::Left,
) -> (
    Vec<view::View>,
    Vec<Diagram>,
    Option<(usize, view::budget::Spent)>,
) {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    let renderer = emit::mermaid::c4::Renderer::new(model);
    // What the views finished so far took, in whatever order they finished:
    // once it is past the budget, so is the sum of the views in order up to
    // the last one started, and no further view need be computed.
    let (work_done, text_done) = (AtomicU64::new(0), AtomicUsize::new(0));
    let computed = parallel::map_prefix(
        &model.views,
        8,
        || view::Scratch::new(model),
        |scratch, def| {
            // Capped at the whole budget, not at what is left: the cap then
            // cuts a view short only when it alone is too much, whatever the
            // order the threads took the views in.
            scratch.cap = budget.work;
            let v = view::compute_with(model, def, scratch);
            let work = scratch.work + other_work(model, &v);
            let text = render(model, &renderer, def, &v);
            (v, text, work)
        },
        |(_, text, work)| {
            let w = work_done.fetch_add(*work, Ordering::SeqCst) + work;
            let t = text_done.fetch_add(text.len(), Ordering::SeqCst) + text.len();
            w > budget.work || t > budget.text
        },
    );
    // Where the budget ran out, in view order.
    let mut left = budget;
    let spent = computed
        .iter()
        .enumerate()
        .find_map(|(i, (_, text, work))| left.take(*work, text.len()).err().map(|s| (i, s)));
    let keep = spent.map_or(computed.len(), |(i, _)| i);
    let mut views = Vec::with_capacity(model.views.len());
    let mut diagrams = Vec::with_capacity(model.views.len());
    for (v, text, _) in computed.into_iter().take(keep) {
        diagrams.push(diagram(&v, text));
        views.push(v);
    }
    // From the view where the budget ran out on: not drawn.
    for def in &model.views[views.len()..] {
        let v = view::empty(def, Some(view::budget::Overflow::Budget));
        diagrams.push(diagram(&v, String::new()));
        views.push(v);
    }
    (views, diagrams, spent)
}

fn diagram(v: &view::View, text: String) -> Diagram {
    Diagram {
        key: v.key.clone(),
        title: v.title.clone(),
        description: v.description.clone(),
        text,
    }
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
/// (such a view is not drawn in full); E056 for each other view past
/// [`view::budget::MAX_EDGES`]; E057 where the model's budget ran out.
fn view_size_errors(
    model: &model::Model,
    views: &[view::View],
    budget: view::budget::Left,
    spent: Option<(usize, view::budget::Spent)>,
    diags: &mut Vec<Diagnostic>,
) {
    use view::budget::{self, Overflow};
    for (def, v) in model.views.iter().zip(views) {
        if v.overflow == Some(Overflow::Edges) {
            diags.push(budget::too_many_edges(def));
        }
    }
    if let Some((i, what)) = spent
        && let Some(def) = model.views.get(i)
    {
        diags.push(budget::budget_spent(def, what, budget));
    }
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
                Diagnostic::new(
                    Code::E055,
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
                Diagnostic::new(Code::E055, format!("mesh view `{}` is too large", def.key))
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
        let bytes = ws
            .files
            .iter()
            .filter_map(|(f, _)| sources.get(*f))
            .map(|f| f.text.len())
            .sum();
        let budget = view::budget::Left::for_source(bytes);
        drop(ws); // the syntax trees are no longer needed: free them before the views

        // The rules first, then the views, from one budget.
        let mut work = budget.work;
        let rules_spent = model::rules::check(&model, &model.rules, &mut work, &mut ws_diags);
        let (views, diagrams, spent) = match rules_spent {
            Some(i) => {
                let span = model.rules[i].span();
                ws_diags.push(view::budget::rules_spent(span, budget));
                views_and_diagrams(&model, view::budget::Left { work: 0, text: 0 })
            }
            None => views_and_diagrams(&model, view::budget::Left { work, ..budget }),
        };
        let spent = spent.filter(|_| rules_spent.is_none());
        view_size_errors(&model, &views, budget, spent, &mut ws_diags);
        let has_errors = ws_diags.iter().any(|d| d.is_error());
        if !has_errors {
            let sizes: Vec<usize> = diagrams.iter().map(|d| d.text.len()).collect();
            validate::check(&model, &views, &sizes, &mut ws_diags);
        }
        for def in &model.views {
            if let Some(prev) = keys.get(&def.key) {
                ws_diags.push(
                    Diagnostic::new(
                        Code::E040,
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
