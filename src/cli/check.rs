//! `c4c check`: report every problem, write nothing (but the rule baseline,
//! with `--update-baseline`).

use clap::{Args, ValueEnum};

use super::baseline::BaselineArgs;
use super::term::{errln, outln};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, InputArgs};

/// The end of `c4c check --help`.
pub const AFTER_HELP: &str = concat!(
    "Examples:
  c4c check                              every model under .
  c4c check architecture --deny warnings in CI: warnings fail too
  c4c check --format json > problems.json

",
    super::model_exit_codes!()
);

#[derive(Args, Debug)]
pub struct CheckCommand {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Record every rule violation there is now in the baseline (the
    /// `--baseline` file, or c4c-baseline.json), then check against it
    #[arg(long)]
    pub update_baseline: bool,
    /// Output format of the diagnostics
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Each problem with its code, file:line:column, the text underlined and a hint (stderr)
    Text,
    /// {"errors", "warnings", "diagnostics": [...]} on stdout, for tools (docs/json.md)
    Json,
}

impl CheckCommand {
    pub fn run(self) -> u8 {
        if self.update_baseline
            && let Err(code) = self.baseline.update(&self.input)
        {
            return code;
        }
        let (c, used) = match self
            .baseline
            .load(&self.input, crate::pipeline::Draw::size())
        {
            Ok(c) => c,
            Err(code) => return code,
        };
        let failed = match self.format {
            CheckFormat::Text => {
                let failed = self.input.report(&c);
                if c.diagnostics.is_empty() {
                    let views: usize = c.compiled.iter().map(|w| w.views.len()).sum();
                    let elements: usize =
                        c.compiled.iter().map(|w| w.model.graph.node_count()).sum();
                    errln!(
                        "c4c: ok — {} in {}, {}",
                        plural_s(elements, "element"),
                        plural_s(c.compiled.len(), "model"),
                        plural_s(views, "view")
                    );
                }
                if let Some(used) = &used {
                    errln!("{}", used.summary());
                }
                failed
            }
            CheckFormat::Json => {
                let json: Vec<_> = c
                    .diagnostics
                    .iter()
                    .map(|d| d.to_json(&c.sources))
                    .collect();
                let mut out = serde_json::json!({
                    "errors": c.error_count(),
                    "warnings": c.warning_count(),
                    "diagnostics": json,
                });
                if let Some(used) = &used {
                    out["baseline"] = used.json();
                }
                let json = serde_json::to_string_pretty(&out).unwrap_or_default();
                outln!("{}", crate::terminal_text::json(json));
                c.error_count() > 0 || (self.input.deny.is_some() && c.warning_count() > 0)
            }
        };
        super::release(c);
        if failed { EXIT_MODEL_ERRORS } else { EXIT_OK }
    }
}

fn plural_s(n: usize, w: &str) -> String {
    super::plural(n, w)
}
