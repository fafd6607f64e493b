//! `c4c views`: list view keys and titles.

use clap::{Args, ValueEnum};

use super::term::outln;
use super::{EXIT_MODEL_ERRORS, EXIT_OK, InputArgs};

/// The end of `c4c views --help`.
pub const AFTER_HELP: &str = concat!(
    "Examples:
  c4c views                          key, kind and title of every view under .
  c4c views architecture --format json

",
    super::model_exit_codes!()
);

#[derive(Args, Debug)]
pub struct ViewsCommand {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format of the list
    #[arg(long, value_enum, default_value_t = ViewsFormat::Text)]
    pub format: ViewsFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewsFormat {
    /// One view a line: key, kind, title
    Text,
    /// An array of {"key", "kind", "title"} ("part_of" for the parts of a split view)
    Json,
}

impl ViewsCommand {
    pub fn run(self) -> u8 {
        let c = match self.input.load() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let failed = self.input.report(&c);
        if c.error_count() > 0 {
            return EXIT_MODEL_ERRORS;
        }
        // The parts of a split view (`split frames`) name the view they belong to.
        let rows: Vec<(&str, &str, &str, Option<&str>)> = c
            .compiled
            .iter()
            .flat_map(|w| {
                w.views.iter().map(|v| {
                    let part_of = v.part.as_ref().filter(|p| p.frame.is_some());
                    (
                        v.key.as_str(),
                        v.kind().keyword(),
                        v.title.as_str(),
                        part_of.map(|p| p.of.as_str()),
                    )
                })
            })
            .collect();
        match self.format {
            ViewsFormat::Text => {
                let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
                let kw = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
                for (key, kind, title, _) in &rows {
                    outln!(
                        "{key:width$}  {kind:kw$}  {}",
                        crate::terminal_text::line(title)
                    );
                }
            }
            ViewsFormat::Json => {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(k, kind, t, part_of)| match part_of {
                        Some(of) => {
                            serde_json::json!({"key": k, "kind": kind, "title": t, "part_of": of})
                        }
                        None => serde_json::json!({"key": k, "kind": kind, "title": t}),
                    })
                    .collect();
                let json = serde_json::to_string_pretty(&list).unwrap_or_default();
                outln!("{}", crate::terminal_text::json(json));
            }
        }
        if failed { EXIT_MODEL_ERRORS } else { EXIT_OK }
    }
}
