//! `c4c build`: write one `.mmd` per view and `index.md`, or the JSON export.

use std::borrow::Cow;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::term::{errln, out, outln};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, InputArgs};
use crate::error::{Error, Reading};
use crate::terminal_text::line;

/// The end of `c4c build --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c build                                  every model under . -> diagrams/
  c4c build architecture -o docs/diagrams    the models in architecture/ -> docs/diagrams/
  c4c build --check                          in CI: exit 1 when diagrams/ is out of date
  c4c build --inject docs/architecture.md    refresh the diagrams between the file's markers
  c4c build --dialect c4 -o diagrams-c4      Mermaid's C4Context/C4Container syntax
  c4c build --format json > model.json       the resolved model as JSON
  c4c build --format plantuml -o puml        one C4-PlantUML .puml per view
  c4c build --format structurizr -o dsl      a Structurizr DSL workspace.dsl
  c4c build --format d2 -o d2                one D2 .d2 per view

Exit codes:
  0  success (warnings allowed, unless --deny warnings); with --check: everything up to date
  1  the model has errors (or warnings, with --deny warnings); with --check: a file is
     stale, missing or extra (each is listed)
  2  usage or I/O error (bad arguments, unreadable path, cannot write output)";

#[derive(Args, Debug)]
pub struct BuildCommand {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub baseline: super::baseline::BaselineArgs,
    /// Output directory (created if missing) [default: diagrams; with --inject
    /// and no -o, no directory is written]
    #[arg(short, long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub out: Option<PathBuf>,
    /// What to write
    #[arg(long, value_enum, default_value_t = BuildFormat::Mermaid)]
    pub format: BuildFormat,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
    /// Mermaid dialect of the static views
    #[arg(long, value_enum, default_value_t = Dialect::Flowchart)]
    pub dialect: Dialect,
    /// Write nothing: exit 1 and list every stale, missing or extra file
    /// (and every out-of-date `--inject` file)
    #[arg(long)]
    pub check: bool,
    /// Markdown file whose `<!-- c4c:view KEY -->` … `<!-- /c4c:view -->` markers
    /// get the view's current diagram (repeatable); without `-o`, only these
    /// files are written
    #[arg(long, value_name = "FILE.md")]
    pub inject: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Mermaid flowcharts, laid out and styled by c4c
    Flowchart,
    /// Mermaid's own C4 diagrams (C4Context, C4Container, C4Component, C4Dynamic, C4Deployment)
    C4,
}

impl From<Dialect> for crate::Dialect {
    fn from(d: Dialect) -> crate::Dialect {
        match d {
            Dialect::Flowchart => crate::Dialect::Flowchart,
            Dialect::C4 => crate::Dialect::C4,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildFormat {
    /// DIR/<view-key>.mmd per view and DIR/index.md with all of them
    Mermaid,
    /// The resolved model as JSON (docs/json.md): to stdout, or DIR/model.json with -o
    Json,
    /// A static site: DIR/index.html listing every view, drawn offline by the
    /// bundled Mermaid (with its script, style and mermaid.min.js)
    Html,
    /// DIR/<view-key>.puml per view: C4-PlantUML (docs/interop.md)
    Plantuml,
    /// DIR/workspace.dsl: the model and every view as a Structurizr DSL
    /// workspace (docs/interop.md)
    Structurizr,
    /// DIR/<view-key>.d2 per view: D2 (docs/interop.md)
    D2,
}

/// Where diagrams go when `-o` is not given.
pub const DEFAULT_OUT: &str = "diagrams";

/// A Markdown file given with `--inject`: (as given, real path, old text, new text).
type Injected = (PathBuf, PathBuf, String, String);

impl BuildCommand {
    pub fn run(self) -> u8 {
        let (c, used) = match self.baseline.load(
            &self.input,
            crate::pipeline::Draw::text(self.dialect.into()),
        ) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let failed = self.input.report(&c);
        if let Some(used) = used.filter(|u| !self.quiet || u.stale > 0 || failed) {
            errln!("{}", used.summary());
        }
        if failed {
            errln!("c4c: nothing written");
            return EXIT_MODEL_ERRORS;
        }
        let json;
        let files: Vec<(String, Cow<'_, str>)> = match self.format {
            BuildFormat::Json => {
                json = c.json();
                if self.out.is_none() {
                    out!("{json}");
                    return EXIT_OK;
                }
                vec![("model.json".to_string(), Cow::Borrowed(json.as_str()))]
            }
            BuildFormat::Mermaid => mermaid_files(&c),
            BuildFormat::Structurizr => structurizr_files(&c, &site_title(&self.input.paths)),
            BuildFormat::D2 => export_files(&c, "d2", crate::emit::d2::render),
            BuildFormat::Plantuml => export_files(&c, "puml", crate::emit::plantuml::render),
            BuildFormat::Html => crate::site::files(&crate::site::state(
                &c,
                &site_title(&self.input.paths),
                None,
            )),
        };
        let all: Vec<&crate::Diagram> = c.diagrams().collect();
        let injected = match self.inject_all(&all) {
            Ok(injected) => injected,
            Err(code) => return code,
        };
        let write_dir = self.out.is_some() || self.inject.is_empty();
        let dir = self
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
        let code = if self.check {
            self.check_only(write_dir.then_some(&dir), &files, &injected)
        } else {
            self.write(write_dir.then_some(&dir), &files, &injected)
        };
        drop((files, all));
        super::release(c);
        code
    }

    /// The new text of every `--inject` file; `Err` with the exit code when
    /// one cannot be read or has bad markers (all are reported first).
    fn inject_all(&self, all: &[&crate::Diagram]) -> Result<Vec<Injected>, u8> {
        let mut injected: Vec<Injected> = Vec::new();
        let mut inject_failed = false;
        for path in &self.inject {
            // A Markdown file of the pull request is confined like a model: a
            // link leading out of the root is neither read nor rewritten.
            let read = crate::load::confine_named_file(path, self.input.root.as_deref()).and_then(
                |real| match crate::load::read_text(&real) {
                    Ok(text) => Ok((real, text)),
                    Err(cause) => Err(Error::Read {
                        what: Reading::Path,
                        path: path.clone(),
                        cause,
                    }),
                },
            );
            let (real, text) = match read {
                Ok(r) => r,
                Err(e) => return Err(super::fail(&e)),
            };
            match crate::emit::markdown::inject(&text, all) {
                Ok(new) => injected.push((path.clone(), real, text, new)),
                Err(errors) => {
                    for (line, msg) in errors {
                        let msg = crate::terminal_text::message(&msg);
                        errln!("c4c: {}:{line}: {msg}", shown(path));
                    }
                    inject_failed = true;
                }
            }
        }
        if inject_failed {
            errln!("c4c: nothing written");
            return Err(EXIT_MODEL_ERRORS);
        }
        Ok(injected)
    }

    /// `--check`: lists every stale, missing or extra file (in `dir`, when
    /// the directory is written) and every out-of-date injected file.
    fn check_only(
        &self,
        dir: Option<&PathBuf>,
        files: &[(String, Cow<'_, str>)],
        injected: &[Injected],
    ) -> u8 {
        let mut clean = true;
        if let Some(dir) = dir {
            let s = crate::output::compare(dir, files);
            for (what, list) in [
                ("stale", &s.stale),
                ("missing", &s.missing),
                ("extra", &s.extra),
            ] {
                for f in list {
                    outln!("{what}: {}", shown(&dir.join(f)));
                }
            }
            clean &= s.is_clean();
        }
        for (path, _, old, new) in injected {
            if old != new {
                outln!("stale: {}", shown(path));
                clean = false;
            }
        }
        if clean {
            if !self.quiet {
                errln!("c4c: diagrams are up to date");
            }
            return EXIT_OK;
        }
        errln!("c4c: diagrams are out of date; run the same command without --check");
        EXIT_MODEL_ERRORS
    }

    /// Writes the files into `dir` (when given) and the injected files that changed.
    fn write(
        &self,
        dir: Option<&PathBuf>,
        files: &[(String, Cow<'_, str>)],
        injected: &[Injected],
    ) -> u8 {
        if let Some(dir) = dir {
            if let Err(e) = crate::output::write_all(dir, files) {
                return super::fail(&e.into());
            }
            if !self.quiet {
                errln!("c4c: wrote {} files to {}", files.len(), shown(dir));
            }
        }
        for (path, real, old, new) in injected {
            if old == new {
                continue;
            }
            if let Err(e) = crate::output::replace_file(real, new.as_bytes()) {
                return super::fail(&e.into());
            }
            if !self.quiet {
                errln!("c4c: updated {}", shown(path));
            }
        }
        EXIT_OK
    }
}

/// One `.mmd` per view and `index.md`.
fn mermaid_files(c: &crate::Compilation) -> Vec<(String, Cow<'_, str>)> {
    let diagrams: Vec<&crate::Diagram> = c.diagrams().collect();
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

/// One file per view a per-view exporter has a form for (`KEY.EXT`).
fn export_files(
    c: &crate::Compilation,
    ext: &str,
    render: fn(&crate::model::Model, &crate::view::View) -> Option<String>,
) -> Vec<(String, Cow<'static, str>)> {
    c.compiled
        .iter()
        .flat_map(|r| r.views.iter().map(move |v| (r, v)))
        .filter_map(|(r, v)| {
            render(&r.model, v).map(|t| (format!("{}.{ext}", v.key), Cow::Owned(t)))
        })
        .collect()
}

/// `workspace.dsl`, or with several root files one `STEM.dsl` per root.
fn structurizr_files(c: &crate::Compilation, title: &str) -> Vec<(String, Cow<'static, str>)> {
    let one = c.compiled.len() == 1;
    let mut taken = std::collections::HashSet::new();
    c.compiled
        .iter()
        .map(|r| {
            let stem = std::path::Path::new(c.sources.name(r.root))
                .file_stem()
                .map_or_else(
                    || "workspace".to_string(),
                    |s| s.to_string_lossy().into_owned(),
                );
            let mut name = if one {
                "workspace".to_string()
            } else {
                crate::model::resolve::slug(&stem)
            };
            let base = name.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            let text = crate::emit::structurizr::workspace(
                &r.model,
                &r.views,
                if one { title } else { &stem },
            );
            (format!("{name}.dsl"), Cow::Owned(text))
        })
        .collect()
}

/// What a site is about: the folder or file given (the current folder's
/// name for `.`), or `architecture` for several.
pub(crate) fn site_title(paths: &[PathBuf]) -> String {
    let named = |p: &PathBuf| {
        let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "architecture".into())
    };
    match paths {
        [one] => named(one),
        _ => "architecture".into(),
    }
}

/// A path as one visible line (a file name from the pull request may hold
/// a line break or an escape sequence).
fn shown(path: &std::path::Path) -> String {
    line(&path.display().to_string()).into_owned()
}
