//! Pipeline benchmark on generated models (run with `cargo bench --bench pipeline`).
//!
//! Generates a model of N systems × containers × components with about three
//! relationships per element, then times each phase — parse, resolve, view
//! computation, Mermaid emission — over a few runs and prints the median.
//! `C4C_BENCH_SIZES=1000,10000` picks the sizes (elements, approximately);
//! `C4C_BENCH_WRITE=DIR` also writes each generated model to DIR/model-N.c4
//! (for end-to-end timing of the CLI with peak memory, see docs/performance.md).

use std::time::{Duration, Instant};

/// The allocator the `c4c` binary uses (src/main.rs), so the phases here
/// are what the CLI spends.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deterministic model of about `n` elements (people, systems, containers, components).
fn generate(n: usize) -> String {
    // Shape: systems of 10 containers of 9 components (100 elements per system).
    let systems = (n / 100).max(1);
    let mut s = String::with_capacity(n * 200);
    s.push_str("import \"std/theme/accessible\"\n\nmodel {\n");
    let people = (systems / 10).max(1);
    for p in 0..people {
        s.push_str(&format!(
            "  user{p} = person \"User {p}\" \"A user of the platform\"\n"
        ));
    }
    let mut rng: u64 = 0x2545F4914F6CDD1D;
    let mut next = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let mut rels = String::new();
    for sy in 0..systems {
        s.push_str(&format!(
            "  sys{sy} = system \"System {sy}\" \"Does business capability {sy}\" {{\n"
        ));
        for c in 0..10 {
            let kind = if c == 9 { "database" } else { "container" };
            s.push_str(&format!(
                "    c{c} = {kind} \"Container {sy}.{c}\" \"Part of system {sy}\" \"Rust\" {{\n"
            ));
            for k in 0..9 {
                s.push_str(&format!("      k{k} = component \"Component {sy}.{c}.{k}\" \"Handles a thing\" \"Rust module\"\n"));
                // ~3 relationships per element: two inside the container, one to another container.
                let a = next(9);
                if a != k {
                    s.push_str(&format!("      k{k} -> k{a} \"Calls\"\n"));
                }
                let b = next(9);
                if b != k && b != a {
                    s.push_str(&format!("      k{k} ~> k{b} \"Notifies\"\n"));
                }
                let oc = next(10);
                if oc != c {
                    let osys = if next(4) == 0 { next(systems) } else { sy };
                    rels.push_str(&format!(
                        "  sys{sy}.c{c}.k{k} -> sys{osys}.c{oc}.k{} \"Reads from\" \"gRPC\"\n",
                        next(9)
                    ));
                }
            }
            s.push_str("    }\n");
        }
        s.push_str("  }\n");
        rels.push_str(&format!(
            "  user{} -> sys{sy}.c0 \"Uses\" \"HTTPS\"\n",
            sy % people
        ));
    }
    s.push_str(&rels);
    s.push_str("}\n");
    s
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

fn main() {
    let sizes: Vec<usize> = std::env::var("C4C_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let write_dir = std::env::var_os("C4C_BENCH_WRITE").map(std::path::PathBuf::from);
    println!(
        "| elements | relationships | views | input | parse | resolve | views | emit | total |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let text = generate(n);
        if let Some(dir) = &write_dir {
            std::fs::create_dir_all(dir).expect("create bench dir");
            std::fs::write(dir.join(format!("model-{n}.c4")), &text).expect("write model");
        }
        let runs = if n >= 100_000 { 3 } else { 7 };
        let (mut tp, mut tr, mut tv, mut te, mut tt) = (vec![], vec![], vec![], vec![], vec![]);
        let mut counts = (0, 0, 0);
        for _ in 0..runs {
            let t0 = Instant::now();
            let mut sources = c4c::source::SourceMap::new();
            let mut diags = Vec::new();
            let ws = c4c::load::load_text("bench.c4", &text, &mut sources, &mut diags);
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
            text.len() as f64 / 1e6,
            ms(median(tp)),
            ms(median(tr)),
            ms(median(tv)),
            ms(median(te)),
            ms(median(tt))
        );
    }
}
