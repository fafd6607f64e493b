//! `c4c lsp` latency on a generated 1,000-element workspace (run with
//! `cargo bench --bench lsp`; see docs/performance.md).
//!
//! In: a workspace written to a temporary folder (10 systems of 10
//! containers of 9 components, ~2 relationships per element, a container
//! view per system). Out: medians printed as a Markdown table:
//! - the re-check itself, in process: compile with the edited text as an
//!   overlay and convert every diagnostic (what the server does per edit);
//! - end to end through the real binary: a `didChange` sent until its
//!   `publishDiagnostics` arrives, which includes the debounce
//!   ([`QUIET_MS`] of quiet before a check) — the check is what it adds.
//!
//! `C4C_BENCH_RUNS=N` sets the number of edits (default 20).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The server's debounce (`cli::lsp::QUIET`).
const QUIET_MS: f64 = 100.0;

/// A model of 10 systems × 10 containers × 9 components (1,010 elements with
/// the people) and a container view per system.
fn generate() -> String {
    let mut s = String::from("model {\n  user = person \"User\"\n");
    for sy in 0..10 {
        s.push_str(&format!("  sys{sy} = system \"System {sy}\" {{\n"));
        for c in 0..10 {
            s.push_str(&format!(
                "    c{c} = container \"C {sy}.{c}\" \"Part\" \"Rust\" {{\n"
            ));
            for k in 0..9 {
                s.push_str(&format!("      k{k} = component \"K {sy}.{c}.{k}\"\n"));
                s.push_str(&format!("      k{k} -> k{} \"Calls\"\n", (k + 1) % 9));
            }
            s.push_str("    }\n");
            s.push_str(&format!("    c{c} -> c{} \"Reads\"\n", (c + 3) % 10));
        }
        s.push_str("  }\n");
        s.push_str(&format!("  user -> sys{sy} \"Uses\"\n"));
    }
    s.push_str("}\nviews {\n");
    for sy in 0..10 {
        s.push_str(&format!("  container sys{sy}\n"));
    }
    s.push_str("}\n");
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn frames(out: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line.trim_end().is_empty() {
                    break;
                }
                if let Some(v) = line.trim_end().strip_prefix("Content-Length: ") {
                    len = v.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(v) = serde_json::from_slice::<Value>(&body)
                && tx.send(v).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn send(w: &mut impl Write, msg: &Value) {
    let body = msg.to_string();
    let _ = write!(w, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = w.flush();
}

/// Waits for the diagnostics of `uri` (skipping everything else).
fn published(rx: &Receiver<Value>, uri: &str) -> Value {
    loop {
        let Ok(m) = rx.recv_timeout(Duration::from_secs(300)) else {
            panic!("no diagnostics from the server");
        };
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
            return m;
        }
    }
}

fn main() {
    let runs: usize = std::env::var("C4C_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = std::fs::canonicalize(dir.path()).expect("real path");
    let file = root.join("model.c4");
    let text = generate();
    std::fs::write(&file, &text).expect("write the model");
    // Two texts an editor alternates between: one with an error, one without.
    let broken = text.replace("user -> sys0 ", "user -> sys0x ");

    // In process: what the server does per edit.
    let mut check = Vec::new();
    let mut elements = 0;
    for i in 0..runs {
        let mut open = HashMap::new();
        open.insert(
            file.clone(),
            if i % 2 == 0 {
                broken.clone()
            } else {
                text.clone()
            },
        );
        let opts = c4c::LoadOptions {
            root_dir: Some(root.clone()),
            overlay: open,
        };
        let t = Instant::now();
        let comp = c4c::compile(std::slice::from_ref(&root), &opts).expect("compiles");
        let a = c4c::ide::Analysis::new(comp);
        let diags = c4c::ide::diagnostics::all(&a);
        check.push(ms(t.elapsed()));
        std::hint::black_box(diags);
        elements = a.models().map(|c| c.model.graph.node_count()).sum();
    }

    // End to end through the binary.
    let mut child = Command::new(env!("CARGO_BIN_EXE_c4c"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("c4c lsp starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let rx = frames(child.stdout.take().expect("stdout"));
    let uri = format!("file://{}", file.display());
    let root_uri = format!("file://{}", root.display());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}),
    );
    let _ = rx.recv_timeout(Duration::from_secs(300));
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "c4", "version": 1, "text": text}}}),
    );
    published(&rx, &uri);
    let mut round = Vec::new();
    for i in 0..runs {
        let body = if i % 2 == 0 { &broken } else { &text };
        let t = Instant::now();
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": body}]}}),
        );
        published(&rx, &uri);
        round.push(ms(t.elapsed()));
    }
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    );
    let _ = child.wait();

    let round = median(round);
    println!(
        "| elements | re-check (in process) | edit → diagnostics (binary) | of which debounce | added by the server |"
    );
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {elements} | {:.1} ms | {round:.1} ms | {QUIET_MS:.0} ms | {:.1} ms |",
        median(check),
        round - QUIET_MS
    );
}
