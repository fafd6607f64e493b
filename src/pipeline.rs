//! The pipeline: loaded workspaces → models, views, diagrams and diagnostics.
//!
//! In: the workspaces [`crate::load`] read (with their sources and the
//! diagnostics found so far) and the Mermaid [`Dialect`]. Out: a
//! [`Compilation`]: per root file that got as far as a model, the model, its
//! computed views and their Mermaid text; every diagnostic, sorted. Views are
//! computed and rendered on all cores within the model's budget
//! ([`view::budget`]); E055–E057 name the views too large to draw, and E040
//! two roots' views of one key.

mod reuse;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::baseline::Baseline;
use crate::diagnostic::{Code, Diagnostic, Severity, Violation};
use crate::emit::Diagram;
use crate::emit::mermaid::flowchart::render_graph;
use crate::emit::mermaid::{Dialect, Drawing, Renderer};
use crate::load::{self, LoadOptions};
use crate::source::{FileId, SourceMap, Span};
use crate::view::{self, Content, View, budget};
use crate::{model, parallel, validate};

pub use reuse::Reuse;

/// What a run keeps of each diagram it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The Mermaid text (`build`, `serve`, `diff`).
    #[default]
    Text,
    /// Only its size (`check`, the language server): each text is dropped
    /// as soon as it is measured, so the diagrams of a large model are never
    /// all held at once.
    Size,
    /// Its size and a fingerprint (`diff`: whether a view's drawing
    /// changed), the text dropped as with `Size`.
    Fingerprint,
}

/// The fingerprint of a diagram's text: a hash keyed with a secret drawn
/// once per process (SipHash with random keys), so the two sides of a diff
/// compare in one process and a crafted model cannot make two different
/// drawings look alike (2^-64 per compared view).
pub fn fingerprint(text: &str) -> u64 {
    use std::hash::BuildHasher;
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    KEY.get_or_init(Default::default).hash_one(text)
}

/// How a run draws its views: the Mermaid dialect, and what it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Draw {
    pub dialect: Dialect,
    pub keep: Keep,
}

impl Draw {
    /// Every diagram's text kept, in `dialect`.
    pub fn text(dialect: Dialect) -> Draw {
        Draw {
            dialect,
            keep: Keep::Text,
        }
    }

    /// Only the sizes kept (flowchart dialect).
    pub fn size() -> Draw {
        Draw {
            dialect: Dialect::Flowchart,
            keep: Keep::Size,
        }
    }

    /// Sizes and fingerprints kept (flowchart dialect).
    pub fn fingerprint() -> Draw {
        Draw {
            dialect: Dialect::Flowchart,
            keep: Keep::Fingerprint,
        }
    }
}

/// One root file, compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub root: FileId,
    pub model: model::Model,
    pub views: Vec<View>,
    /// One per view, in the same order: `diagrams[i]` draws `views[i]`.
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
    /// The rule violations a baseline held back (not in `diagnostics`).
    pub suppressed: Vec<Violation>,
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

    /// The JSON export of every root's model and views.
    pub fn json(&self) -> String {
        let roots: Vec<crate::emit::json::Root> = self
            .compiled
            .iter()
            .map(|c| crate::emit::json::Root {
                root: c.root,
                model: &c.model,
                views: &c.views,
            })
            .collect();
        crate::emit::json::export(&self.sources, &roots)
    }

    /// Every diagram of every root, in order.
    pub fn diagrams(&self) -> impl Iterator<Item = &Diagram> {
        self.compiled.iter().flat_map(|c| c.diagrams.iter())
    }
}

/// Compiles `.c4` files or directories, drawing in `dialect`. `Err` is a
/// usage or I/O problem with the paths themselves (nothing could be read);
/// problems inside files are diagnostics.
pub fn compile(
    paths: &[PathBuf],
    opts: &LoadOptions,
    dialect: Dialect,
) -> Result<Compilation, crate::error::Error> {
    compile_with(paths, opts, Draw::text(dialect), None)
}

/// [`compile`], holding back the rule violations `baseline` records: they
/// are left out of the diagnostics and listed in
/// [`Compilation::suppressed`].
pub fn compile_with(
    paths: &[PathBuf],
    opts: &LoadOptions,
    draw: Draw,
    baseline: Option<&Baseline>,
) -> Result<Compilation, crate::error::Error> {
    compile_paths(paths, opts, (draw, baseline), None)
}

/// [`compile_with`], reusing what earlier runs left in `reuse` (the trees
/// of files whose text is unchanged, the text of each flowchart whose graph
/// is unchanged) and leaving this run's there for the next. The result is
/// the same as [`compile_with`]'s; only the work differs.
pub fn compile_reusing(
    paths: &[PathBuf],
    opts: &LoadOptions,
    run: (Draw, Option<&Baseline>),
    reuse: &mut Reuse,
) -> Result<Compilation, crate::error::Error> {
    compile_paths(paths, opts, run, Some(reuse))
}

fn compile_paths(
    paths: &[PathBuf],
    opts: &LoadOptions,
    run: (Draw, Option<&Baseline>),
    mut reuse: Option<&mut Reuse>,
) -> Result<Compilation, crate::error::Error> {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let workspaces = match reuse.as_deref_mut() {
        Some(r) => load::load_paths_cached(paths, opts, &mut sources, &mut diags, &mut r.parse)?,
        None => load::load_paths(paths, opts, &mut sources, &mut diags)?,
    };
    if workspaces.is_empty() && diags.is_empty() {
        return Err(crate::error::Error::NoModels(paths.to_vec()));
    }
    let known = reuse.as_deref().map(|r| &r.drawn);
    let c = finish(workspaces, sources, diags, run, known);
    if let Some(r) = reuse {
        r.drawn.finish_run();
    }
    Ok(c)
}

/// Compiles one model given as text (only `std/…` imports resolve).
pub fn compile_text(name: &str, text: &str) -> Compilation {
    compile_text_in(name, text, Dialect::default())
}

/// [`compile_text`], drawing in `dialect`.
pub fn compile_text_in(name: &str, text: &str, dialect: Dialect) -> Compilation {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let ws = load::load_text(name, text, &mut sources, &mut diags);
    finish(vec![ws], sources, diags, (Draw::text(dialect), None), None)
}

/// The views of one model, its diagrams, and where its budget ran out.
type Drawn = (Vec<View>, Vec<Diagram>, Option<(usize, budget::Spent)>);

/// Computes and renders every view, on all cores, within the model's budget
/// ([`view::budget`]). The result is in view order whatever the number of
/// threads; with the budget spent, the index of the view where it ran out —
/// that view and the ones after it are left empty.
///
/// With [`Keep::Size`], a view whose text is surely below W003's size is
/// measured by an upper bound and not written; the budget then counts the
/// bound. With `known`, flowcharts drawn by an earlier run are not written again.
fn views_and_diagrams(
    model: &model::Model,
    budget: budget::Left,
    draw: Draw,
    known: Option<&reuse::Drawn>,
) -> Drawn {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    let renderer = Renderer::new(model);
    // What the views finished so far took, in whatever order they finished:
    // once it is past the budget, so is the sum of the views in order up to
    // the last one started, and no further view need be computed.
    let (work_done, text_done) = (AtomicU64::new(0), AtomicUsize::new(0));
    let taken: HashSet<String> = model.views.iter().map(|d| d.key.clone()).collect();
    let computed = parallel::map_prefix(
        &model.views,
        8,
        || view::Scratch::new(model),
        |scratch, def| {
            // Capped at the whole budget, not at what is left: the cap then
            // cuts a view short only when it alone is too much, whatever the
            // order the threads took the views in.
            scratch.cap = budget.work;
            let v = view::compute(model, def, scratch);
            // `split frames`: an overview and its parts, each its own diagram.
            let drawn: Vec<(View, Diagram)> = view::split::expand(model, def, v, &taken)
                .into_iter()
                .map(|v| {
                    let d = if draw.keep == Keep::Size {
                        let most = validate::MERMAID_MAX_TEXT;
                        let size = renderer.measure(&v, draw.dialect, most);
                        diagram(&v, String::new(), size, Keep::Size)
                    } else {
                        let text = match (known, renderer.drawing(&v, draw.dialect)) {
                            (_, Drawing::Text(text)) => text,
                            (Some(known), Drawing::Graph(g)) => known.text(&g),
                            (None, Drawing::Graph(g)) => render_graph(&g),
                        };
                        let size = text.len();
                        diagram(&v, text, size, draw.keep)
                    };
                    (v, d)
                })
                .collect();
            let len = drawn.iter().map(|(_, d)| d.size).sum::<usize>();
            (drawn, len, scratch.work)
        },
        |(_, len, work)| {
            let w = work_done.fetch_add(*work, Ordering::SeqCst) + work;
            let t = text_done.fetch_add(*len, Ordering::SeqCst) + len;
            w > budget.work || t > budget.text
        },
    );
    // Where the budget ran out, in view order.
    let mut left = budget;
    let spent = computed
        .iter()
        .enumerate()
        .find_map(|(i, (_, len, work))| left.take(*work, *len).err().map(|s| (i, s)));
    let keep = spent.map_or(computed.len(), |(i, _)| i);
    let mut views = Vec::with_capacity(model.views.len());
    let mut diagrams = Vec::with_capacity(model.views.len());
    for (drawn, _, _) in computed.into_iter().take(keep) {
        for (v, d) in drawn {
            diagrams.push(d);
            views.push(v);
        }
    }
    // From the view where the budget ran out on: not drawn.
    for def in &model.views[keep.min(model.views.len())..] {
        let v = view::empty(def, Some(budget::Overflow::Budget));
        diagrams.push(diagram(&v, String::new(), 0, Keep::Text));
        views.push(v);
    }
    (views, diagrams, spent)
}

/// A view's diagram: its text (`size` bytes long, or at most that when the
/// text was not written), kept as `keep` says.
fn diagram(v: &View, text: String, size: usize, keep: Keep) -> Diagram {
    let (text, fingerprint) = match keep {
        Keep::Text => (text, None),
        Keep::Size => (String::new(), None),
        Keep::Fingerprint => (String::new(), Some(fingerprint(&text))),
    };
    Diagram {
        part_of: v
            .part
            .as_ref()
            .filter(|p| p.frame.is_some())
            .map(|p| p.of.clone()),
        key: v.key.clone(),
        title: v.title.clone(),
        description: v.description.clone(),
        text,
        size,
        fingerprint,
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

const COPIES: &str = "relationships between expanded items of different sizes connect \
    every copy to every copy: expand fewer items, or show one system with \
    `deployment ENV of SYSTEM`";
const PROXIES: &str = "every proxy gets an edge to every control-plane part: cover one \
    node with `mesh NAME in ENV.NODE`, or name fewer control parts";

/// E055 for each deployment or mesh view past [`view::deployment::MAX_EDGES`]
/// (such a view is not drawn in full); E056 for each other view past
/// [`budget::MAX_EDGES`]; E057 where the model's budget ran out.
fn view_size_errors(
    model: &model::Model,
    views: &[View],
    left: budget::Left,
    spent: Option<(usize, budget::Spent)>,
    diags: &mut Vec<Diagnostic>,
) {
    // The parts of a split view follow its overview: one primary view per definition.
    let primary = || views.iter().filter(|v| v.is_primary());
    for (def, v) in model.views.iter().zip(primary()) {
        if v.overflow == Some(budget::Overflow::Edges) {
            diags.push(budget::too_many_edges(def));
        }
    }
    if let Some((i, what)) = spent
        && let Some(def) = model.views.get(i)
    {
        diags.push(budget::budget_spent(def, what, left));
    }
    let max = view::deployment::MAX_EDGES;
    for (def, v) in model.views.iter().zip(primary()) {
        match &v.content {
            Content::Deployment(dv) if dv.dropped_edges > 0 => {
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
            Content::Mesh(mv) if mv.too_large(model) => {
                let edges = mv.edge_count(model);
                let why = format!("{edges} edges, more than the {max} one view may have");
                diags.push(
                    Diagnostic::new(Code::E055, format!("mesh view `{}` is too large", def.key))
                        .label(def.span, why)
                        .hint(PROXIES),
                );
            }
            _ => {}
        }
    }
}

/// With several root files building into one directory, derived keys get
/// the file's name in front, so two models' `landscape` do not collide.
fn prefix_derived_keys(model: &mut model::Model, sources: &SourceMap, root: FileId) {
    let stem = sources
        .get(root)
        .and_then(|f| f.path.as_ref())
        .and_then(|p| p.file_stem())
        .map(|s| key_part(&s.to_string_lossy()))
        .unwrap_or_else(|| "model".into());
    let derived: std::collections::HashSet<String> = model
        .views
        .iter()
        .filter(|d| d.derived_key)
        .map(|d| d.key.clone())
        .collect();
    for def in &mut model.views {
        if def.derived_key {
            def.key = format!("{stem}-{}", def.key);
        }
        // A flow names the view it is drawn over by the key it had.
        if let model::ViewOf::Dynamic {
            form: model::DynamicForm::Over(over),
            ..
        } = &mut def.of
            && derived.contains(&over.key)
        {
            over.key = format!("{stem}-{}", over.key);
        }
    }
}

/// Resolves one workspace and computes, renders and checks its views.
fn compile_root(
    ws: load::Workspace,
    sources: &SourceMap,
    several: bool,
    (draw, baseline, known): (Draw, Option<&Baseline>, Option<&reuse::Drawn>),
    diags: &mut Vec<Diagnostic>,
    suppressed: &mut Vec<Violation>,
) -> Compiled {
    let mut model = model::resolve::resolve(&ws, diags);
    model::contract::read_all(&mut model, sources, ws.root_dir.as_deref(), diags);
    if several {
        prefix_derived_keys(&mut model, sources, ws.root);
    }
    let root = ws.root;
    let bytes = ws
        .files
        .iter()
        .filter_map(|(f, _)| sources.get(*f))
        .map(|f| f.text.len())
        .sum();
    let left = budget::Left::for_source(bytes);
    drop(ws); // the syntax trees are no longer needed: free them before the views

    // The rules first, then the views, from one budget.
    let mut work = left.work;
    let mut found = Vec::new();
    let rules_spent = model::rules::check(&model, &model.rules, &mut work, &mut found);
    // Before the warnings below, which are checked only on a model with no errors.
    for d in found {
        match (&d.violation, baseline) {
            (Some(v), Some(b)) if b.contains(v) => suppressed.push((**v).clone()),
            _ => diags.push(d),
        }
    }
    let (views, diagrams, spent) = match rules_spent {
        Some(i) => {
            let span = model.rules[i].span();
            diags.push(budget::rules_spent(span, left));
            views_and_diagrams(&model, budget::Left { work: 0, text: 0 }, draw, known)
        }
        None => {
            let left = budget::Left { work, ..left };
            match views_and_diagrams(&model, left, draw, known) {
                // Bounds overstate: the text budget is spent only by the
                // real sizes, as `build` measures them (a model past its
                // budget is an error: its texts may as well be kept).
                (_, _, Some((_, budget::Spent::Text))) if draw.keep == Keep::Size => {
                    let exact = Draw {
                        keep: Keep::Text,
                        ..draw
                    };
                    views_and_diagrams(&model, left, exact, known)
                }
                drawn => drawn,
            }
        }
    };
    let spent = spent.filter(|_| rules_spent.is_none());
    view_size_errors(&model, &views, left, spent, diags);
    if !diags.iter().any(|d| d.is_error()) {
        let sizes: Vec<usize> = diagrams.iter().map(|d| d.size).collect();
        validate::check(&model, &views, &sizes, diags);
        if draw.dialect == Dialect::C4 {
            validate::c4_dialect(&model, &views, diags);
        }
    }
    Compiled {
        root,
        model,
        views,
        diagrams,
    }
}

/// E040 for a view (or a part of a split view) whose key a view of another
/// root file has.
fn cross_root_keys(views: &[View], keys: &mut HashMap<String, Span>, diags: &mut Vec<Diagnostic>) {
    for v in views {
        if let Some(prev) = keys.get(&v.key) {
            diags.push(
                Diagnostic::new(
                    Code::E040,
                    format!("duplicate view key `{}` across models", v.key),
                )
                .label(v.span, "this view has the same key")
                .secondary(*prev, "as this view of another root file")
                .hint("both would be written to the same file; give one an explicit key"),
            );
        } else {
            keys.insert(v.key.clone(), v.span);
        }
    }
}

fn finish(
    workspaces: Vec<load::Workspace>,
    sources: SourceMap,
    mut diags: Vec<Diagnostic>,
    (draw, baseline): (Draw, Option<&Baseline>),
    known: Option<&reuse::Drawn>,
) -> Compilation {
    let broken: HashSet<FileId> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.primary_span().map(|s| s.file))
        .collect();
    let mut compiled = Vec::new();
    let mut suppressed = Vec::new();
    let mut keys: HashMap<String, Span> = HashMap::new();
    let several = workspaces.len() > 1;
    for ws in workspaces {
        // Syntax and import errors first: resolving a half-read model only adds noise.
        if ws.files.iter().any(|(f, _)| broken.contains(f)) {
            continue;
        }
        let mut ws_diags = Vec::new();
        let c = compile_root(
            ws,
            &sources,
            several,
            (draw, baseline, known),
            &mut ws_diags,
            &mut suppressed,
        );
        cross_root_keys(&c.views, &mut keys, &mut ws_diags);
        diags.extend(ws_diags);
        compiled.push(c);
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
        suppressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "model {\n  u = person \"User\"\n  s = system \"S\" {\n    a = container \"A\"\n  }\n  u -> s.a \"Uses\"\n}\nmesh m in prod {\n}\ndeployment prod {\n  n = node \"N\" {\n    a = instance s.a\n  }\n}\n";

    fn texts(dialect: Dialect) -> Vec<(String, String)> {
        let c = compile_text_in("t.c4", MODEL, dialect);
        assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
        c.diagrams()
            .map(|d| (d.key.clone(), d.text.clone()))
            .collect()
    }

    fn compiled_with(draw: Draw) -> Compilation {
        let mut sources = SourceMap::new();
        let mut diags = Vec::new();
        let ws = load::load_text("t.c4", MODEL, &mut sources, &mut diags);
        finish(vec![ws], sources, diags, (draw, None), None)
    }

    #[test]
    fn a_run_that_keeps_sizes_or_fingerprints_measures_the_same_diagrams_or_bounds_them() {
        let text = compiled_with(Draw::text(Dialect::Flowchart));
        let size = compiled_with(Draw::size());
        let print = compiled_with(Draw::fingerprint());
        let all = |c: &Compilation| c.diagrams().cloned().collect::<Vec<_>>();
        let (text, size, print) = (all(&text), all(&size), all(&print));
        assert!(text.len() >= 3);
        for ((t, s), p) in text.iter().zip(&size).zip(&print) {
            // Sizes only: the real size, or a bound of it below W003's.
            assert_eq!(t.key, s.key);
            assert!(s.size >= t.size && (s.size == t.size || s.size <= 50_000));
            assert_eq!((t.size, p.size), (t.text.len(), t.text.len()));
            assert!(!t.text.is_empty() && s.text.is_empty() && p.text.is_empty());
            assert_eq!((t.fingerprint, s.fingerprint), (None, None));
            assert_eq!(p.fingerprint, Some(fingerprint(&t.text)));
        }
        // Different drawings, different fingerprints.
        let prints: HashSet<Option<u64>> = print.iter().map(|d| d.fingerprint).collect();
        assert_eq!(prints.len(), print.len());
    }

    #[test]
    fn the_dialect_chosen_once_draws_every_view_that_has_a_c4_form() {
        let flow = texts(Dialect::Flowchart);
        let c4 = texts(Dialect::C4);
        let first_line = |all: &[(String, String)], key: &str| {
            let (_, text) = all.iter().find(|(k, _)| k == key).expect(key);
            // The diagram's type: the first line that is no comment or directive.
            let mut lines = text.lines().filter(|l| !l.starts_with("%%"));
            lines.next().unwrap_or_default().to_string()
        };
        assert!(first_line(&flow, "landscape").starts_with("flowchart"));
        assert_eq!(first_line(&c4, "landscape"), "C4Context");
        assert_eq!(first_line(&c4, "s-containers"), "C4Container");
        assert_eq!(first_line(&c4, "prod-deployment"), "C4Deployment");
        // A mesh view has no C4 form: the same flowchart in both dialects.
        assert_eq!(first_line(&c4, "m-mesh"), first_line(&flow, "m-mesh"));
        assert!(first_line(&c4, "m-mesh").starts_with("flowchart"));
    }

    #[test]
    fn an_edge_to_a_node_frame_is_reported_in_the_c4_dialect_only() {
        let text = "model {\n  s = system \"S\" { a = container \"A\" }\n}\n\
            deployment prod {\n  lb = infra \"LB\"\n  n = node \"N\" { a = instance s.a }\n  \
            m = node \"M\" { shape box  b = instance s.a }\n  lb -> n \"Forwards to\"\n  \
            lb -> m \"Forwards to\"\n}\n";
        let w014 = |dialect| {
            let c = compile_text_in("t.c4", text, dialect);
            c.diagnostics
                .iter()
                .filter(|d| d.code == Code::W014)
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            w014(Dialect::C4),
            ["view `prod-deployment`: the C4 dialect cannot draw this edge to `prod.n`"]
        );
        assert!(w014(Dialect::Flowchart).is_empty());
    }
}
