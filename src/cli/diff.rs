//! `c4c diff`: what changed in the architecture between two models.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::term::{err, errln, out};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::render_all;
use crate::diff::git::export;
use crate::error::{Error, Usage};

/// The end of `c4c diff --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c diff old.c4 new.c4                       two models (files or directories)
  c4c diff --git main                          main's model against the work tree
  c4c diff --git main..feature architecture    two revisions, the models in architecture/
  c4c diff --git origin/main --format markdown > comment.md   a pull-request comment
  c4c diff --git HEAD --exit-code              exit 1 when the architecture changed

Exit codes:
  0  compared (changes or not, unless --exit-code)
  1  changes found, with --exit-code
  2  usage or I/O error, or errors in either model";

#[derive(Args, Debug)]
pub struct DiffCommand {
    /// `OLD NEW` (files or directories); with `--git`, the paths to compare (default `.`)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare the model at a git revision with the working tree (`REV`), or two
    /// revisions (`A..B`); old files are read from git's objects, nothing is checked out
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Output format of the report
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Markdown only: keep the report under this many bytes (GitHub's comment
    /// limit is 65,536 characters); views that do not fit are named, not drawn. 0: no limit
    #[arg(long, value_name = "BYTES", default_value_t = 60_000)]
    pub comment_limit: usize,
    /// Exit 1 when there are changes (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
    /// Colour in text output
    #[arg(long, value_enum, default_value_t = super::Color::Auto)]
    pub color: super::Color,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// Every change, one a line, for a terminal
    Text,
    /// The changes and affected views as data (schema in docs/ci.md)
    Json,
    /// A pull-request comment: a summary, the changes and each affected view drawn highlighted
    Markdown,
}

impl DiffCommand {
    /// Names files read from git as `REV:path` instead of their temporary copies.
    fn show_revisions(
        &self,
        text: &str,
        old_dir: &tempfile::TempDir,
        new_dir: &tempfile::TempDir,
    ) -> String {
        let Some(spec) = &self.git else {
            return text.to_string();
        };
        let (old_rev, new_rev) = match spec.split_once("..") {
            Some((a, b)) => (a, Some(b)),
            None => (spec.as_str(), None),
        };
        let mut out = text.to_string();
        let mut sides = vec![(old_dir, old_rev)];
        if let Some(b) = new_rev {
            sides.push((new_dir, b));
        }
        for (dir, rev) in sides {
            let mut forms = vec![dir.path().to_path_buf()];
            if let Ok(canon) = std::fs::canonicalize(dir.path()) {
                forms.push(canon);
            }
            for form in forms {
                out = out.replace(&format!("{}/", form.display()), &format!("{rev}:"));
            }
        }
        out
    }

    pub fn run(self) -> u8 {
        let dirs = (tempfile::tempdir(), tempfile::tempdir());
        let (Ok(old_dir), Ok(new_dir)) = dirs else {
            return super::fail(&Error::TempDir);
        };
        let sides: Result<(Vec<PathBuf>, Vec<PathBuf>), Error> = match &self.git {
            Some(spec) => {
                let paths = if self.paths.is_empty() {
                    vec![PathBuf::from(".")]
                } else {
                    self.paths.clone()
                };
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                match spec.split_once("..") {
                    Some((a, b)) => export(&cwd, a, &paths, old_dir.path())
                        .and_then(|o| Ok((o, export(&cwd, b, &paths, new_dir.path())?))),
                    None => export(&cwd, spec, &paths, old_dir.path()).map(|o| (o, paths.clone())),
                }
            }
            None if self.paths.len() == 2 => {
                Ok((vec![self.paths[0].clone()], vec![self.paths[1].clone()]))
            }
            None => Err(Usage::DiffPaths.into()),
        };
        let (old_paths, new_paths) = match sides {
            Ok(s) => s,
            Err(e) => return super::fail(&e),
        };
        let opts = crate::LoadOptions::default();
        let mut compiled = Vec::new();
        // One side after the other (each uses every core for its files and
        // views): only the old side's result is held while the new one
        // compiles, which keeps a large diff's memory near one compile's.
        let build = |paths: &[PathBuf]| {
            if paths.is_empty() {
                Ok(crate::compile_text("(none)", ""))
            } else {
                // Whether a view's drawing changed is told by fingerprints:
                // the texts of both sides are never all held at once.
                crate::pipeline::compile_with(
                    paths,
                    &opts,
                    crate::pipeline::Draw::fingerprint(),
                    None,
                )
            }
        };
        for (side, paths) in [("old", &old_paths), ("new", &new_paths)] {
            match build(paths) {
                Ok(c) if c.error_count() == 0 => compiled.push(c),
                Ok(c) => {
                    errln!("c4c: the {side} model has errors:");
                    let text = render_all(&c.diagnostics, &c.sources, false);
                    err!("{}", self.show_revisions(&text, &old_dir, &new_dir));
                    return EXIT_USAGE;
                }
                Err(e) => {
                    let text = self.show_revisions(&e.to_string(), &old_dir, &new_dir);
                    // The revision is the user's text, put in by `show_revisions`.
                    errln!("c4c: {side}: {}", crate::terminal_text::line(&text));
                    return super::exit_code(&e);
                }
            }
        }
        let (old, new) = (&compiled[0], &compiled[1]);
        let d = crate::diff::diff(&old.compiled, &new.compiled);
        let color = self.color.stdout();
        let text = match self.format {
            DiffFormat::Text => crate::diff::report::text(&d, color),
            DiffFormat::Json => crate::diff::report::json(&d),
            DiffFormat::Markdown => crate::diff::report::markdown(
                &d,
                &old.compiled,
                &new.compiled,
                (self.comment_limit > 0).then_some(self.comment_limit),
            ),
        };
        out!("{text}");
        let changed = !d.is_empty();
        drop(d);
        super::release(compiled);
        if self.exit_code && changed {
            EXIT_MODEL_ERRORS
        } else {
            EXIT_OK
        }
    }
}
