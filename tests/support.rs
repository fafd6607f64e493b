//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root (tests run there, but be explicit).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles a case and renders what a user would see: diagnostics, then every view.
pub fn case_output(path: &Path) -> String {
    let opts = c4c::LoadOptions::default();
    let rel = path.strip_prefix(root()).unwrap_or(path).to_path_buf();
    let c = match c4c::compile(&[rel], &opts) {
        Ok(c) => c,
        Err(e) => return format!("usage error: {e}\n"),
    };
    let mut out = String::new();
    if !c.diagnostics.is_empty() {
        out.push_str("--- diagnostics ---\n");
        out.push_str(&c4c::diagnostic::render_all(
            &c.diagnostics,
            &c.sources,
            false,
        ));
    }
    if c.error_count() == 0 {
        for d in c.diagrams() {
            out.push_str(&format!("--- {}.mmd ---\n", d.key));
            out.push_str(&d.text);
        }
    }
    out
}

/// Runs the c4c binary.
pub fn c4c(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_c4c"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the c4c binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs git in `dir` with a fixed identity and no signing; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=c4c tests",
            "-c",
            "user.email=tests@c4c.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
}

/// The line of a diagram that names its type (`flowchart TB`, `C4Context`):
/// the first that is no `%%` comment or directive.
pub fn diagram_type(text: &str) -> &str {
    text.lines().find(|l| !l.starts_with("%%")).unwrap_or("")
}

/// `count` copies of `original`, each with one to three pieces of `junk`
/// inserted at places drawn from `seed` (a xorshift, so the same every run).
pub fn mutations(original: &str, junk: &[&str], seed: u64, count: usize) -> Vec<String> {
    let mut seed = seed;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).unwrap()
    };
    (0..count)
        .map(|_| {
            let mut text = original.to_string();
            for _ in 0..=next(3) {
                let mut at = next(text.len().max(1));
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, junk[next(junk.len())]);
            }
            text
        })
        .collect()
}
