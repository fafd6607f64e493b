//! Pipeline benchmark on generated models (run with `cargo bench --bench pipeline`).
//!
//! Generates a model of N systems × containers × components with about three
//! relationships per element (300,000 at 100,000 elements), then times each phase — parse, resolve, view
//! computation, Mermaid emission — over a few runs and prints the median.
//! `C4C_BENCH_SIZES=1000,10000` picks the sizes (elements, approximately);
//! Each model is written to DIR/model-N/ (DIR: `C4C_BENCH_WRITE`, else
//! target/bench), its root file model.c4, and loaded from there
//! (for end-to-end timing of the CLI with peak memory, see docs/performance.md).

use std::time::{Duration, Instant};

/// The allocator the `c4c` binary uses (src/main.rs), so the phases here
/// are what the CLI spends.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Systems per part file: 1,000 elements, about 190 KB.
const SYSTEMS_PER_PART: usize = 10;

/// A deterministic model of about `n` elements (people, systems, containers,
/// components) as files: `model.c4`, the root, imports the accessible theme
/// and `parts/pK.c4`, each declaring [`SYSTEMS_PER_PART`] systems and their
/// relationships (one namespace: a part's relationships reach into others).
fn generate(n: usize) -> Vec<(String, String)> {
    // Shape: systems of 10 containers of 9 components (100 elements per system).
    let systems = (n / 100).max(1);
    let people = (systems / 10).max(1);
    let mut rng: u64 = 0x2545F4914F6CDD1D;
    let mut next = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let mut root = String::from("import \"std/theme/accessible\"\n");
    let mut files = Vec::new();
    for first in (0..systems).step_by(SYSTEMS_PER_PART) {
        let part = first / SYSTEMS_PER_PART;
        root.push_str(&format!("import \"parts/p{part}\"\n"));
        let mut s = String::with_capacity(SYSTEMS_PER_PART * 20_000);
        let mut rels = String::new();
        s.push_str("model {\n");
        for sy in first..(first + SYSTEMS_PER_PART).min(systems) {
            system(sy, systems, &mut next, &mut s, &mut rels);
            rels.push_str(&format!(
                "  user{} -> sys{sy}.c0 \"Uses\" \"HTTPS\"\n",
                sy % people
            ));
        }
        s.push_str(&rels);
        s.push_str("}\n");
        files.push((format!("parts/p{part}.c4"), s));
    }
    root.push_str("\nmodel {\n");
    for p in 0..people {
        root.push_str(&format!(
            "  user{p} = person \"User {p}\" \"A user of the platform\"\n"
        ));
    }
    root.push_str("}\n");
    files.insert(0, ("model.c4".to_string(), root));
    files
}

/// System `sy` into `s`, its relationships to other containers into `rels`:
/// 3 relationships per component — two inside its container, one to another
/// container (a quarter of those in one of the next 8 systems) — and every third
/// component one more, to another container of its system: about three per
/// element.
fn system(
    sy: usize,
    systems: usize,
    next: &mut impl FnMut(usize) -> usize,
    s: &mut String,
    rels: &mut String,
) {
    s.push_str(&format!(
        "  sys{sy} = system \"System {sy}\" \"Does business capability {sy}\" {{\n"
    ));
    for c in 0..10 {
        let kind = if c == 9 { "database" } else { "container" };
        s.push_str(&format!(
            "    c{c} = {kind} \"Container {sy}.{c}\" \"Part of system {sy}\" \"Rust\" {{\n"
        ));
        for k in 0..9 {
            s.push_str(&format!(
                "      k{k} = component \"Component {sy}.{c}.{k}\" \"Handles a thing\" \"Rust module\"\n"
            ));
            let a = (k + 1 + next(8)) % 9;
            s.push_str(&format!("      k{k} -> k{a} \"Calls\"\n"));
            let b = loop {
                let b = (k + 1 + next(8)) % 9;
                if b != a {
                    break b;
                }
            };
            s.push_str(&format!("      k{k} ~> k{b} \"Notifies\"\n"));
            let oc = (c + 1 + next(9)) % 10;
            // A system talks to a handful of others (its next 8), so a
            // landscape grows with the model, not with its square.
            let osys = if next(4) == 0 {
                (sy + 1 + next(8)) % systems
            } else {
                sy
            };
            rels.push_str(&format!(
                "  sys{sy}.c{c}.k{k} -> sys{osys}.c{oc}.k{} \"Reads from\" \"gRPC\"\n",
                next(9)
            ));
            if k % 3 == 0 {
                rels.push_str(&format!(
                    "  sys{sy}.c{c}.k{k} -> sys{sy}.c{}.k{} \"Publishes to\" \"Kafka\"\n",
                    (c + 1 + next(9)) % 10,
                    next(9)
                ));
            }
        }
        s.push_str("    }\n");
    }
    s.push_str("  }\n");
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One line of `parts/p0.c4` edited (a description), or edited back.
fn edit_one_line(dir: &std::path::Path, round: usize) {
    let part = dir.join("parts/p0.c4");
    let text = std::fs::read_to_string(&part).expect("read part");
    let (from, to) = if round.is_multiple_of(2) {
        ("Handles a thing", "Handles one thing")
    } else {
        ("Handles one thing", "Handles a thing")
    };
    std::fs::write(&part, text.replacen(from, to, 1)).expect("write part");
}

/// Whole compilations of the model at `dir` (every view drawn), fresh and
/// after a one-line edit with what the run before left (as `serve` and the
/// language server compile): a table row.
fn edits(dir: &std::path::Path, n: usize) -> String {
    let root = [dir.join("model.c4")];
    let opts = c4c::LoadOptions::default();
    let runs = if n >= 100_000 { 3 } else { 7 };
    let mut row = format!("| {n} |");
    for draw in [c4c::Draw::text(c4c::Dialect::Flowchart), c4c::Draw::size()] {
        let (mut full, mut edited) = (vec![], vec![]);
        let mut reuse = c4c::Reuse::default();
        c4c::compile_reusing(&root, &opts, (draw, None), &mut reuse).expect("compile");
        for round in 0..runs {
            let t0 = Instant::now();
            let c = c4c::compile_with(&root, &opts, draw, None).expect("compile");
            full.push(t0.elapsed());
            drop(c);
            edit_one_line(dir, round);
            let t0 = Instant::now();
            let c = c4c::compile_reusing(&root, &opts, (draw, None), &mut reuse).expect("compile");
            edited.push(t0.elapsed());
            assert_eq!(c.error_count(), 0);
        }
        if !runs.is_multiple_of(2) {
            edit_one_line(dir, 1);
        }
        row.push_str(&format!(" {} | {} |", ms(median(full)), ms(median(edited))));
    }
    row
}

fn main() {
    let sizes: Vec<usize> = std::env::var("C4C_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let write_dir = std::env::var_os("C4C_BENCH_WRITE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("target/bench"));
    println!(
        "| elements | relationships | views | input | parse | resolve | views | emit | total |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut edit_rows = Vec::new();
    for n in sizes {
        let files = generate(n);
        let dir = write_dir.join(format!("model-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("parts")).expect("create bench dir");
        for (name, text) in &files {
            std::fs::write(dir.join(name), text).expect("write model");
        }
        let input: usize = files.iter().map(|(_, t)| t.len()).sum();
        let root = [dir.join("model.c4")];
        let runs = if n >= 100_000 { 3 } else { 7 };
        let (mut tp, mut tr, mut tv, mut te, mut tt) = (vec![], vec![], vec![], vec![], vec![]);
        let mut counts = (0, 0, 0);
        for _ in 0..runs {
            let t0 = Instant::now();
            let mut sources = c4c::source::SourceMap::new();
            let mut diags = Vec::new();
            let opts = c4c::load::LoadOptions::default();
            let mut ws = c4c::load::load_paths(&root, &opts, &mut sources, &mut diags)
                .expect("load the generated model");
            let ws = ws.remove(0);
            let t1 = Instant::now();
            if std::env::var_os("C4C_BENCH_MEM").is_some() {
                eprintln!("n={n} after parse: peak {:.0} MB", peak_mb());
            }
            let model = c4c::model::resolve::resolve(&ws, &mut diags);
            let t2 = Instant::now();
            if std::env::var_os("C4C_BENCH_MEM").is_some() {
                eprintln!("n={n} after resolve: peak {:.0} MB", peak_mb());
            }
            let views = c4c::view::compute_all(&model);
            let t3 = Instant::now();
            let renderer = c4c::emit::mermaid::Renderer::new(&model);
            let mut bytes = 0;
            for v in &views {
                bytes += renderer.render(v, c4c::Dialect::Flowchart).len();
            }
            let t4 = Instant::now();
            if std::env::var_os("C4C_BENCH_MEM").is_some() {
                eprintln!("n={n} after views+emit: peak {:.0} MB", peak_mb());
            }
            assert!(
                diags.iter().all(|d| !d.is_error()),
                "generated model has errors"
            );
            assert!(bytes > 0);
            counts = (
                model.graph.node_count(),
                model.graph.edge_count(),
                views.len(),
            );
            tp.push(t1 - t0);
            tr.push(t2 - t1);
            tv.push(t3 - t2);
            te.push(t4 - t3);
            tt.push(t4 - t0);
        }
        println!(
            "| {} | {} | {} | {:.1} MB | {} | {} | {} | {} | {} |",
            counts.0,
            counts.1,
            counts.2,
            input as f64 / 1e6,
            ms(median(tp)),
            ms(median(tr)),
            ms(median(tv)),
            ms(median(te)),
            ms(median(tt))
        );
        edit_rows.push(edits(&dir, n));
    }
    println!();
    println!(
        "## Rebuilds in process (all cores; median): fresh, and after a one-line edit reusing the run before"
    );
    println!();
    println!(
        "| elements | build, fresh | build, one line edited | check, fresh | check, one line edited |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for row in edit_rows {
        println!("{row}");
    }
}
