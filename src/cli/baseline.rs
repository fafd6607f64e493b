//! `--baseline FILE` and `--update-baseline` of `check` and `build`.
//!
//! In: the input options and the baseline's path (default
//! [`crate::baseline::DEFAULT_FILE`], read when it is there). Out: the
//! compilation with the rule violations the baseline records suppressed,
//! its problems (E012, E083) and stale entries (W017) among the
//! diagnostics, and what it did ([`Used`]) for the summary; or, for
//! `--update-baseline`, the file written from the run's violations.

use std::path::PathBuf;

use clap::Args;

use super::term::errln;
use super::{EXIT_MODEL_ERRORS, InputArgs, fail, plural};
use crate::Compilation;
use crate::baseline::{self, Baseline, DEFAULT_FILE};
use crate::diagnostic::Violation;
use crate::error::Error;
use crate::terminal_text::line;

#[derive(Args, Debug, Clone)]
pub struct BaselineArgs {
    /// Rule baseline: the violations of `rules` it records do not fail the
    /// run [default: c4c-baseline.json in the root directory (--root, else
    /// the current directory), when there]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

/// What a baseline did in a run.
#[derive(Debug, Clone)]
pub struct Used {
    /// The file, as given.
    pub file: String,
    pub suppressed: usize,
    pub stale: usize,
}

impl Used {
    /// The summary line (terminal-safe).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "c4c: {}: {} suppressed",
            line(&self.file),
            plural(self.suppressed, "known rule violation")
        );
        if self.stale > 0 {
            let entries = if self.stale == 1 { "entry" } else { "entries" };
            s.push_str(&format!(
                ", {} {entries} no longer matched (W017)",
                self.stale
            ));
        }
        s
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "suppressed": self.suppressed,
            "stale": self.stale,
        })
    }
}

impl BaselineArgs {
    /// The file: `--baseline FILE`, else c4c-baseline.json in the root
    /// directory (`--root`, else the current directory).
    fn path(&self, input: &InputArgs) -> PathBuf {
        match (&self.baseline, &input.root) {
            (Some(p), _) => p.clone(),
            (None, Some(root)) => root.join(DEFAULT_FILE),
            (None, None) => PathBuf::from(DEFAULT_FILE),
        }
    }

    /// Compiles with the baseline held back; `Err` is the exit code of a
    /// usage or I/O error (already printed). A baseline that cannot be
    /// used is a diagnostic, and every violation then counts.
    pub fn load(
        &self,
        input: &InputArgs,
        draw: crate::pipeline::Draw,
    ) -> Result<(Compilation, Option<Used>), u8> {
        let compile = |b: Option<&Baseline>| input.compile(draw, b).map_err(|e| fail(&e));
        let path = self.path(input);
        let shown = path.to_string_lossy().into_owned();
        let read = baseline::locate(&path, input.root.as_deref()).and_then(|at| match at.real {
            Some(real) => crate::load::read_text(&real)
                .map(Some)
                .map_err(|cause| baseline::unreadable(&shown, &cause.to_string())),
            None if self.baseline.is_some() => Err(baseline::unreadable(&shown, "no such file")),
            None => Ok(None),
        });
        let text = match read {
            Ok(Some(text)) => text,
            Ok(None) => return Ok((compile(None)?, None)),
            Err(d) => {
                let mut c = compile(None)?;
                c.diagnostics.push(d);
                return Ok((c, None));
            }
        };
        match Baseline::parse(&text) {
            Ok(b) => {
                let mut c = compile(Some(&b))?;
                let file = c.sources.add(shown.clone(), Some(path.clone()), text);
                let stale = b.stale(&c.suppressed, file);
                let used = Used {
                    file: shown,
                    suppressed: c.suppressed.len(),
                    stale: stale.len(),
                };
                c.diagnostics.extend(stale);
                Ok((c, Some(used)))
            }
            Err(m) => {
                let mut c = compile(None)?;
                let file = c.sources.add(shown, Some(path), text);
                c.diagnostics.push(baseline::malformed(file, &m));
                Ok((c, None))
            }
        }
    }

    /// `--update-baseline`: records every rule violation there is now. The
    /// file is not written when the models have other errors (their rules
    /// may not all have been checked); `Err` is the exit code then.
    pub fn update(&self, input: &InputArgs) -> Result<(), u8> {
        let c = input
            .compile(crate::pipeline::Draw::size(), None)
            .map_err(|e| fail(&e))?;
        let others = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.violation.is_none())
            .count();
        let path = self.path(input);
        let shown = path.to_string_lossy().into_owned();
        let at = baseline::locate(&path, input.root.as_deref());
        if others > 0 || at.is_err() {
            let mut c = c;
            let why = match at {
                Err(d) => {
                    c.diagnostics.push(d);
                    "its path cannot be used"
                }
                Ok(_) => "the models have errors other than rule violations",
            };
            input.report(&c);
            errln!("c4c: baseline not written: {why}");
            return Err(EXIT_MODEL_ERRORS);
        }
        let mut violations: Vec<Violation> = c
            .diagnostics
            .iter()
            .filter_map(|d| d.violation.as_deref().cloned())
            .collect();
        violations.sort();
        violations.dedup();
        let text = baseline::render(&violations);
        // What changed, against the file there now (if it reads).
        let before = match &at {
            Ok(baseline::Location {
                real: Some(real), ..
            }) => crate::load::read_text(real)
                .ok()
                .and_then(|t| Baseline::parse(&t).ok()),
            _ => None,
        };
        let written = match at {
            Ok(baseline::Location {
                real: Some(real), ..
            }) => crate::output::replace_file(&real, text.as_bytes()),
            Ok(baseline::Location {
                dir: Some(dir),
                name,
                ..
            }) => crate::output::write_atomic(&dir, &name, text.as_bytes()),
            _ => {
                errln!(
                    "c4c: cannot write {}: its directory does not exist",
                    line(&shown)
                );
                return Err(super::EXIT_USAGE);
            }
        };
        written.map_err(|e| fail(&Error::Output(e)))?;
        let change = before.map_or(String::new(), |b| {
            let added = violations.iter().filter(|v| !b.contains(v)).count();
            let kept = violations.len() - added;
            format!(" ({added} new, {} gone)", b.distinct() - kept)
        });
        errln!(
            "c4c: wrote {}: {} recorded{change}",
            line(&shown),
            plural(violations.len(), "rule violation")
        );
        Ok(())
    }
}
