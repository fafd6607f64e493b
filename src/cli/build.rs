//! `c4c build`: write one `.mmd` per view and `index.md`, or the JSON export.

use std::borrow::Cow;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_MODEL_ERRORS, EXIT_OK, EXIT_USAGE, InputArgs};

#[derive(Args, Debug)]
pub struct BuildCommand {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// `mermaid`: DIR/<view-key>.mmd and DIR/index.md; `json`: the resolved model
    /// (to stdout, or DIR/model.json with -o)
    #[arg(long, value_enum, default_value_t = BuildFormat::Mermaid)]
    pub format: BuildFormat,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
    /// Mermaid dialect of the static views: `flowchart` (default) or `c4`
    /// (Mermaid's C4Context/C4Container/C4Component/C4Dynamic/C4Deployment)
    #[arg(long, value_enum, default_value_t = Dialect::Flowchart)]
    pub dialect: Dialect,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Flowchart,
    C4,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildFormat {
    Mermaid,
    Json,
}

/// Where diagrams go when `-o` is not given.
pub const DEFAULT_OUT: &str = "diagrams";

impl BuildCommand {
    pub fn run(self) -> u8 {
        let c = match self.input.load() {
            Ok(c) => c,
            Err(code) => return code,
        };
        if self.input.report(&c) {
            eprintln!("c4c: nothing written");
            return EXIT_MODEL_ERRORS;
        }
        // Diagrams in Mermaid's C4 dialect, when asked for (the others keep theirs).
        let c4: Vec<crate::Diagram> = match self.dialect {
            Dialect::Flowchart => Vec::new(),
            Dialect::C4 => {
                c.compiled
                    .iter()
                    .flat_map(|w| {
                        w.model.views.iter().zip(&w.views).zip(&w.diagrams).map(
                            |((def, view), d)| crate::Diagram {
                                text: crate::emit::mermaid::c4dialect::render(&w.model, def, view)
                                    .unwrap_or_else(|| d.text.clone()),
                                ..d.clone()
                            },
                        )
                    })
                    .collect()
            }
        };
        let files: Vec<(String, Cow<'_, str>)> = match self.format {
            BuildFormat::Json => {
                let text = crate::emit::json::export(&c.sources, &c.compiled);
                match &self.out {
                    None => {
                        print!("{text}");
                        return EXIT_OK;
                    }
                    Some(_) => vec![("model.json".to_string(), Cow::Owned(text))],
                }
            }
            BuildFormat::Mermaid => {
                let diagrams: Vec<&crate::Diagram> = match self.dialect {
                    Dialect::Flowchart => c.diagrams().collect(),
                    Dialect::C4 => c4.iter().collect(),
                };
                let mut files: Vec<(String, Cow<'_, str>)> = diagrams
                    .iter()
                    .map(|d| (format!("{}.mmd", d.key), Cow::Borrowed(d.text.as_str())))
                    .collect();
                files.push((
                    "index.md".to_string(),
                    Cow::Owned(crate::emit::markdown::index(&diagrams)),
                ));
                files
            }
        };
        let dir = self
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
        if let Err(e) = crate::output::write_all(&dir, &files) {
            eprintln!("c4c: {e}");
            return EXIT_USAGE;
        }
        if !self.quiet {
            eprintln!("c4c: wrote {} files to {}", files.len(), dir.display());
        }
        EXIT_OK
    }
}
