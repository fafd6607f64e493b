//! The VS Code extension's TextMate grammar
//! (`editors/vscode/syntaxes/c4c.tmLanguage.json`) run by the real TextMate
//! engine (`tools/grammar-check`: vscode-textmate + vscode-oniguruma, pinned)
//! over every `.c4`/`.c4c` file of `examples/`, `tests/cases/` and `stdlib/`.
//!
//! In: the grammar and the files. Out: (a) one snapshot per file, each line
//! as its tokens with their most specific scope (`text‹scope›`, `.c4c`
//! dropped; a string or comment shows its string/comment scope, escapes
//! apart); (b) a check against c4c's own lexer (`c4c::syntax::lexer`): every
//! string and comment it sees is a `string.*`/`comment.*`, every arrow a
//! `keyword.operator.*`, every number a `constant.numeric.*`, every keyword
//! of `grammar.pest` starting a statement a keyword-like scope, and no
//! non-blank text is left with only the root scope (or `meta.*`); (c) every
//! keyword of `grammar.pest` appears in the TextMate grammar.
//!
//! The check needs Node.js >= 20 with npm and the pinned packages
//! (`tools/grammar-check/install.sh`, run here when needed). When they are
//! missing the tests FAIL with an install hint, unless `C4C_SKIP_GRAMMAR=1`
//! (or `C4C_SKIP_MERMAID=1`: both checks need Node) is set: then a
//! `SKIPPED: …` line goes to stderr, past the test harness's capture.
//! `.ci/run` unsets both.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use c4c::syntax::lexer::{TokenKind, tokens};

use crate::support::{root, text};

/// The variable that skips the grammar check when Node cannot run it.
pub const SKIP_VAR: &str = "C4C_SKIP_GRAMMAR";
const GRAMMAR: &str = "editors/vscode/syntaxes/c4c.tmLanguage.json";

/// One TextMate token: UTF-8 byte span and scopes, root first.
#[derive(Debug)]
struct Tm {
    start: usize,
    end: usize,
    scopes: Vec<String>,
}

/// A file, its text and its TextMate tokens.
#[derive(Debug)]
struct Tokenized {
    rel: String,
    text: String,
    tms: Vec<Tm>,
}

/// Every `.c4`/`.c4c` file under `dir` (relative to the root), sorted.
fn model_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let rel = p.strip_prefix(root()).unwrap_or(&p).to_path_buf();
        if p.is_dir() {
            model_files(&rel, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("c4" | "c4c")) {
            out.push(rel);
        }
    }
}

/// Node runs and the pinned packages are installed, or why not.
fn prepare() -> Result<(), String> {
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return Err(
            "Node.js is not installed (`node` does not run): the TextMate grammar \
                    check cannot run.\nInstall Node.js >= 20 with npm (Debian: `apt-get install \
                    -y nodejs npm`), then run `cargo test` again."
                .into(),
        );
    }
    let out = Command::new("bash")
        .arg(root().join("tools/grammar-check/install.sh"))
        .output();
    match out {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "installing the pinned grammar checker failed (offline, or the npm registry \
             unreachable?):\n{}{}\nRun `bash tools/grammar-check/install.sh` once while online, \
             then `cargo test` again.",
            text(&o.stdout),
            text(&o.stderr)
        )),
        Err(e) => Err(format!("cannot run bash: {e}")),
    }
}

/// Runs the tokenizer over every file (one Node process).
fn tokenize_all() -> Result<Vec<Tokenized>, String> {
    let mut files = Vec::new();
    for dir in ["examples", "tests/cases", "stdlib"] {
        model_files(Path::new(dir), &mut files);
    }
    // Only UTF-8 files (one error case is deliberately not).
    let files: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| Some((f.clone(), std::fs::read_to_string(root().join(&f)).ok()?)))
        .collect();
    assert!(files.len() > 100, "only {} model files found", files.len());
    let out = Command::new("node")
        .current_dir(root())
        .arg("tools/grammar-check/tokenize.mjs")
        .arg(GRAMMAR)
        .args(files.iter().map(|(f, _)| f))
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("tokenize.mjs failed:\n{}", text(&out.stderr)));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("tokenize.mjs output: {e}"))?;
    let docs = json.as_array().ok_or("tokenize.mjs: not an array")?;
    assert_eq!(docs.len(), files.len());
    let mut all = Vec::new();
    for ((rel, source), doc) in files.into_iter().zip(docs) {
        let tms = doc["tokens"]
            .as_array()
            .ok_or("tokenize.mjs: no tokens")?
            .iter()
            .map(|t| Tm {
                start: t[0].as_u64().unwrap_or(0) as usize,
                end: t[1].as_u64().unwrap_or(0) as usize,
                scopes: t[2]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        all.push(Tokenized {
            rel: rel.to_string_lossy().replace('\\', "/"),
            text: source,
            tms,
        });
    }
    Ok(all)
}

/// The tokenized files for this run (computed once), or `None` when the
/// check is skipped on purpose; panics with the install hint otherwise.
fn tokenized() -> Option<&'static [Tokenized]> {
    static READY: OnceLock<Result<Option<Vec<Tokenized>>, String>> = OnceLock::new();
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty() && v != "0");
    let skip = set(SKIP_VAR) || set(crate::mermaid::SKIP_VAR);
    let ready = READY.get_or_init(|| match prepare() {
        Ok(()) => tokenize_all().map(Some),
        Err(why) if skip => {
            // Straight to the process's stderr, past the test harness's capture.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\nSKIPPED: the TextMate grammar check did not run ({SKIP_VAR} or \
                 {} is set): {why}\n",
                crate::mermaid::SKIP_VAR
            );
            Ok(None)
        }
        Err(why) => Err(format!(
            "{why}\nTo skip this check deliberately, set {SKIP_VAR}=1."
        )),
    });
    match ready {
        Ok(t) => t.as_deref(),
        Err(msg) => panic!("\n{msg}\n"),
    }
}

/// The scope a reader cares about: the most specific one, except that a
/// string or comment shows as such (its escapes apart); `ROOT` when only the
/// root and `meta.*` scopes cover it.
fn shown(scopes: &[String]) -> String {
    let real: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "source.c4c" && !s.starts_with("meta."))
        .collect();
    let Some(last) = real.last() else {
        return "ROOT".into();
    };
    let outer = real
        .iter()
        .find(|s| s.starts_with("string.") || s.starts_with("comment."));
    let pick = match outer {
        Some(o) if !(last.starts_with("constant.character") || last.starts_with("invalid.")) => o,
        _ => last,
    };
    pick.strip_suffix(".c4c").unwrap_or(pick).to_string()
}

/// A run of tokens on a line: its text, shown scope and end offset.
type Run = (String, String, usize);

/// The snapshot of one file: per line, `text‹scope›` for each run of tokens
/// with the same shown scope.
fn classification(f: &Tokenized) -> String {
    let mut lines: Vec<(usize, Vec<Run>)> = Vec::new();
    for t in &f.tms {
        let piece = &f.text[t.start..t.end];
        if piece.trim().is_empty() {
            continue;
        }
        let line = f.text[..t.start].matches('\n').count() + 1;
        let scope = shown(&t.scopes);
        if lines.last().is_none_or(|(l, _)| *l != line) {
            lines.push((line, Vec::new()));
        }
        let runs = &mut lines.last_mut().expect("pushed above").1;
        match runs.last_mut() {
            Some((txt, s, end)) if *s == scope && *end == t.start => {
                txt.push_str(piece);
                *end = t.end;
            }
            _ => runs.push((piece.to_string(), scope, t.end)),
        }
    }
    let mut out = String::new();
    for (line, runs) in lines {
        let cells: Vec<String> = runs
            .iter()
            .map(|(t, s, _)| format!("{}‹{s}›", t.trim()))
            .collect();
        out.push_str(&format!("{line:4} {}\n", cells.join("  ")));
    }
    out
}

#[test]
fn every_token_of_every_example_is_classified() {
    let Some(files) = tokenized() else { return };
    let mut failed = Vec::new();
    for f in files {
        let name = format!("grammar_{}", f.rel.replace('/', "__"));
        let out = classification(f);
        let r = std::panic::catch_unwind(|| insta::assert_snapshot!(name, out));
        if r.is_err() {
            failed.push(f.rel.clone());
        }
    }
    assert!(failed.is_empty(), "snapshots differ: {failed:?}");
}

/// The keywords of `grammar.pest`: every lowercase-led literal outside comments.
fn pest_keywords() -> BTreeSet<String> {
    let pest = std::fs::read_to_string(root().join("src/syntax/grammar.pest")).unwrap();
    let mut words = BTreeSet::new();
    for line in pest.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (i, lit) in code.split('"').enumerate() {
            let word = lit.split(' ').next().unwrap_or("");
            if i % 2 == 1
                && word.starts_with(|c: char| c.is_ascii_lowercase())
                && word.chars().all(|c| c.is_ascii_alphabetic())
            {
                words.insert(word.to_string());
            }
        }
    }
    words
}

#[test]
fn every_pest_keyword_is_in_the_textmate_grammar() {
    let json = std::fs::read_to_string(root().join(GRAMMAR)).unwrap();
    let words: BTreeSet<&str> = json
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .collect();
    let kws = pest_keywords();
    assert!(
        kws.contains("model") && kws.contains("autonumber"),
        "{kws:?}"
    );
    let missing: Vec<&String> = kws.iter().filter(|k| !words.contains(k.as_str())).collect();
    assert!(
        missing.is_empty(),
        "keywords of grammar.pest missing from {GRAMMAR}: {missing:?}"
    );
}

/// The scopes covering byte `i`, if a TextMate token does.
fn scopes_at(tms: &[Tm], i: usize) -> Option<&[String]> {
    let k = tms.partition_point(|t| t.end <= i);
    tms.get(k).filter(|t| t.start <= i).map(|t| &t.scopes[..])
}

/// Whether some scope at byte `i` starts with one of `prefixes`.
fn has(tms: &[Tm], i: usize, prefixes: &[&str]) -> bool {
    scopes_at(tms, i).is_some_and(|s| s.iter().any(|x| prefixes.iter().any(|p| x.starts_with(p))))
}

/// What c4c's lexer sees in `f` that the grammar classifies wrongly.
fn disagreements(f: &Tokenized, keywords: &BTreeSet<String>) -> Vec<String> {
    let text = &f.text;
    let toks: Vec<_> = tokens(text).collect();
    let mut bad = Vec::new();
    let mut say = |at: usize, what: &str| {
        let line = text[..at].matches('\n').count() + 1;
        let scopes = scopes_at(&f.tms, at)
            .map(|s| s.join(" "))
            .unwrap_or_default();
        bad.push(format!("{}:{line}: {what} has scopes [{scopes}]", f.rel));
    };
    // Free text (a label after `:` in code and state diagrams) is a string.
    let label = ["string.unquoted."];
    for (k, t) in toks.iter().enumerate() {
        let s = t.text(text);
        let chars = || s.char_indices().map(|(i, _)| t.start + i);
        let blank = |i: usize| text[i..].starts_with(char::is_whitespace);
        let prev = toks[..k].iter().rev().find(|p| p.kind != TokenKind::Blank);
        let next = toks[k + 1..].iter().find(|p| p.kind != TokenKind::Blank);
        match t.kind {
            TokenKind::Str { .. } => {
                if let Some(i) = chars().find(|&i| !blank(i) && !has(&f.tms, i, &["string."])) {
                    say(i, &format!("string {s:?}"));
                }
            }
            TokenKind::LineComment | TokenKind::BlockComment { .. } => {
                if let Some(i) = chars().find(|&i| !blank(i) && !has(&f.tms, i, &["comment."])) {
                    say(i, &format!("comment {s:?}"));
                }
            }
            TokenKind::Word if s.starts_with(|c: char| c.is_ascii_digit()) => {
                let colour = prev.is_some_and(|p| p.end == t.start && p.text(text) == "#");
                if !colour && !has(&f.tms, t.start, &["constant.numeric.", label[0]]) {
                    say(t.start, &format!("number {s:?}"));
                }
            }
            TokenKind::Word if keywords.contains(s) => {
                // A keyword starts a statement: first on its line (after `}`),
                // not followed by `=`, `.`, an arrow, `:` or `[`.
                let first = toks[..k]
                    .iter()
                    .rev()
                    .take_while(|p| p.kind != TokenKind::Newline)
                    .all(|p| matches!(p.kind, TokenKind::Blank | TokenKind::Close));
                let operand = next.is_some_and(|n| {
                    n.kind == TokenKind::Punct && "=.-~<:[".contains(n.text(text))
                });
                let like = [
                    "keyword.",
                    "storage.type.",
                    "support.type.property-name.",
                    "entity.name.type.kind.",
                ];
                if first && !operand && !has(&f.tms, t.start, &like) {
                    say(t.start, &format!("keyword {s:?}"));
                }
            }
            TokenKind::Punct if matches!(s, "-" | "~") => {
                let after = toks.get(k + 1).map(|n| n.text(text));
                let before = k.checked_sub(1).map(|p| toks[p].text(text));
                // `->`, `~>` (and `<->`), or dynamic views' `<-`, `<~`.
                let span = if after == Some(">") {
                    Some((t.start, t.end + 1))
                } else if before == Some("<") {
                    Some((t.start - 1, t.end))
                } else {
                    None
                };
                let ops = ["keyword.operator.", label[0]];
                if let Some((a, b)) = span
                    && let Some(i) = (a..b).find(|&i| !has(&f.tms, i, &ops))
                {
                    say(i, "arrow");
                }
            }
            _ => {}
        }
        if !t.kind.is_trivia() {
            for i in chars().filter(|&i| !blank(i)) {
                let real = scopes_at(&f.tms, i).is_some_and(|s| {
                    s.iter()
                        .any(|x| x != "source.c4c" && !x.starts_with("meta."))
                });
                if !real {
                    say(i, &format!("{s:?} (only the root scope)"));
                    break;
                }
            }
        }
    }
    bad
}

#[test]
fn the_grammar_agrees_with_the_lexer() {
    let Some(files) = tokenized() else { return };
    let keywords = pest_keywords();
    let bad: Vec<String> = files
        .iter()
        .flat_map(|f| disagreements(f, &keywords))
        .collect();
    assert!(
        bad.is_empty(),
        "{} disagreements, first ones:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
