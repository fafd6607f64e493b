//! `c4c fmt`: rewrites `.c4` files in canonical layout (atomically), or with
//! `--check` prints a unified diff of what would change and exits 1.

use std::path::PathBuf;

use clap::Args;

use super::term::{err, errln, out};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::render_all;
use crate::error::Cause;
use crate::terminal_text::{line, lines};

/// The end of `c4c fmt --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c fmt                    every .c4 file under .
  c4c fmt architecture       the files in architecture/
  c4c fmt --check            in CI: print what is not formatted, exit 1

Exit codes:
  0  every file is formatted (or was rewritten)
  1  with --check: a file is not formatted (its diff is printed); or a file has syntax errors
  2  usage or I/O error";

#[derive(Args, Debug)]
pub struct FmtCommand {
    /// .c4 files or directories (every .c4 file inside)
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: print a unified diff of every file that is not formatted and exit 1
    #[arg(long)]
    pub check: bool,
    /// Colour in diagnostics
    #[arg(long, value_enum, default_value_t = super::Color::Auto)]
    pub color: super::Color,
}

impl FmtCommand {
    pub fn run(self) -> u8 {
        let files = match crate::load::c4_files(&self.paths) {
            Ok(f) => f,
            Err(e) => return super::fail(&e),
        };
        let color = self.color.stderr();
        let mut sources = crate::source::SourceMap::new();
        let mut diags = Vec::new();
        let (mut unformatted, mut rewritten, mut io_error) = (0usize, 0usize, false);
        let mut bad_input = false;
        for path in &files {
            let name = crate::load::display_name(path);
            // A file in a hostile repository may be called anything.
            let shown = line(&name).into_owned();
            let text = match crate::load::read_text(path) {
                Ok(t) => t,
                Err(Cause::NotUtf8) => {
                    errln!("c4c: {shown}: not valid UTF-8, not formatted");
                    bad_input = true;
                    continue;
                }
                Err(e) => {
                    let e = line(&e.to_string()).into_owned();
                    errln!("c4c: cannot read {shown}: {e}, not formatted");
                    io_error = true;
                    continue;
                }
            };
            let id = sources.add(name.clone(), Some(path.clone()), text.clone());
            let (_, file_diags) = crate::syntax::parse::parse(id, &text);
            if file_diags.iter().any(|d| d.is_error()) {
                // Formatting a file that does not parse could only guess.
                diags.extend(file_diags);
                continue;
            }
            let formatted = crate::format::format_source(&text);
            if formatted == text {
                continue;
            }
            unformatted += 1;
            if self.check {
                // The file's lines as the terminal shows them: hidden
                // characters escaped, so a bare CR neither ends a line of
                // the diff nor starts one a CI runner reads.
                let (old_shown, new_shown) = (lines(&text), lines(&formatted));
                let diff = similar::TextDiff::from_lines(old_shown.as_ref(), new_shown.as_ref());
                out!(
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&shown, &format!("{shown} (formatted)"))
                );
                continue;
            }
            match crate::output::replace_file(path, formatted.as_bytes()) {
                Ok(()) => rewritten += 1,
                Err(e) => {
                    errln!("c4c: {e}");
                    io_error = true;
                }
            }
        }
        if !diags.is_empty() {
            err!("{}", render_all(&diags, &sources, color));
            errln!("c4c: files with syntax errors were not formatted");
        }
        if self.check && unformatted > 0 {
            errln!(
                "c4c: {unformatted} of {} file(s) not formatted (run `c4c fmt` to fix)",
                files.len()
            );
        } else if !self.check && rewritten > 0 {
            errln!("c4c: formatted {rewritten} of {} file(s)", files.len());
        }
        if io_error {
            EXIT_USAGE
        } else if bad_input || !diags.is_empty() || (self.check && unformatted > 0) {
            EXIT_MODEL_ERRORS
        } else {
            EXIT_OK
        }
    }
}
