//! Loading: root files and everything they import.
//!
//! In: the root `.c4` file(s) given on the command line (or found in a
//! directory) and the root directory imports may not leave.
//! Out: [`Workspace`]s — one per root file — each holding its parsed files in
//! merge order (an import's content comes before the file that imports it),
//! plus every diagnostic about reading and importing (E002, E003, E010–E014)
//! and the syntax errors of each file. Stdlib files (`std/…`) are embedded in
//! the binary and get the pseudo-path `<std/…>` so diagnostics can point into them.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, ast};

/// The embedded standard library: (module path without `.c4`, source).
pub const STDLIB: &[(&str, &str)] = &[
    ("kinds", include_str!("../stdlib/kinds.c4")),
    (
        "kinds/annotation",
        include_str!("../stdlib/kinds/annotation.c4"),
    ),
    (
        "theme/accessible",
        include_str!("../stdlib/theme/accessible.c4"),
    ),
];

/// The kinds the stdlib declares (for hints when a model forgot the import).
pub fn stdlib_kinds() -> Vec<&'static str> {
    STDLIB
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|l| l.trim().strip_prefix("kind "))
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

/// Most files one workspace may load (imports included), E014.
pub const MAX_FILES: usize = 1000;
/// Longest chain of imports (a imports b imports c …), E014.
pub const MAX_IMPORT_DEPTH: usize = 100;
/// Largest source file accepted, in bytes.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Reads a whole input file — a model, a contract, a Markdown file to inject
/// into, a diagram to compare — refusing what is not a regular file (a FIFO
/// would block the read forever, a device such as `/dev/zero` never end) and
/// files over [`MAX_FILE_SIZE`]. `Err` is the reason, for a message.
pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let too_big = || format!("larger than the {} MiB limit", MAX_FILE_SIZE >> 20);
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Bounded even if the file grows while it is read.
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big());
    }
    Ok(bytes)
}

/// One root file and everything it imports, parsed.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: FileId,
    /// Parsed files in merge order: imports first, the root file last.
    pub files: Vec<(FileId, ast::File)>,
}

/// Where import paths are checked against and resolved from.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Imports may not leave this directory. `None`: the directory of each root file.
    pub root_dir: Option<PathBuf>,
}

/// Loads several roots. `paths` are files or directories; for a directory every
/// `.c4` file in it (recursively, sorted) that no other file of the set imports
/// is a root.
pub fn load_paths(
    paths: &[PathBuf],
    opts: &LoadOptions,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Workspace>, String> {
    // (root file, the directory it was found in when a directory was given)
    let mut roots: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut seen_dirs = HashSet::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            collect_c4_files(p, &mut found, &mut seen_dirs, 0)
                .map_err(|e| format!("cannot read directory {}: {e}", p.display()))?;
            found.sort();
            roots.extend(found.into_iter().map(|f| (f, Some(p.clone()))));
        } else {
            roots.push((p.clone(), None));
        }
    }
    // De-duplicate by canonical path, keeping the first spelling, and order by
    // canonical path: the output must not depend on the order of the files on
    // the command line or on disk.
    let mut canon_seen = HashSet::new();
    let mut roots: Vec<(PathBuf, (PathBuf, Option<PathBuf>))> = roots
        .into_iter()
        .map(|(p, found_in)| {
            (
                std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone()),
                (p, found_in),
            )
        })
        .filter(|(canon, _)| canon_seen.insert(canon.clone()))
        .collect();
    roots.sort_by(|a, b| a.0.cmp(&b.0));
    let roots: Vec<(PathBuf, Option<PathBuf>)> = roots.into_iter().map(|(_, r)| r).collect();

    let mut loader = Loader {
        sources,
        diags,
        loaded: HashMap::new(),
    };
    let mut workspaces = Vec::new();
    for (root, found_in) in &roots {
        // Imports may not leave: --root, else the directory given on the
        // command line, else the root file's own directory.
        let root_dir = match opts.root_dir.as_ref().or(found_in.as_ref()) {
            Some(d) => d.clone(),
            None => root
                .parent()
                .map(|p| {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    }
                })
                .unwrap_or_else(|| PathBuf::from(".")),
        };
        let root_dir = std::fs::canonicalize(&root_dir)
            .map_err(|e| format!("cannot read root directory {}: {e}", root_dir.display()))?;
        match loader.load_root(root, &root_dir) {
            Ok(ws) => workspaces.push(ws),
            // A file found in a directory that cannot be read (a FIFO, say) is
            // reported with the others; the rest of the directory still builds.
            Err(msg) if found_in.is_some() => {
                let msg = msg
                    .strip_prefix("error[E003]: ")
                    .unwrap_or(&msg)
                    .to_string();
                loader.diags.push(
                    Diagnostic::error("E003", msg)
                        .hint("remove it from the directory, or make it a readable .c4 file"),
                );
            }
            Err(msg) => return Err(msg),
        }
    }
    // A file imported by another root of the set is not a root itself.
    let imported: HashSet<FileId> = workspaces
        .iter()
        .flat_map(|w| {
            w.files
                .iter()
                .map(|(f, _)| *f)
                .filter(move |f| *f != w.root)
        })
        .collect();
    if paths.iter().any(|p| p.is_dir()) {
        let explicit: HashSet<PathBuf> = paths
            .iter()
            .filter(|p| !p.is_dir())
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        workspaces.retain(|w| {
            let path = loader.sources.get(w.root).and_then(|f| f.path.clone());
            !imported.contains(&w.root) || path.is_some_and(|p| explicit.contains(&p))
        });
    }
    Ok(workspaces)
}

/// Loads one workspace from in-memory text (tests, fuzzing, embedders).
/// Only stdlib imports can be resolved.
pub fn load_text(
    name: &str,
    text: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Workspace {
    let mut loader = Loader {
        sources,
        diags,
        loaded: HashMap::new(),
    };
    let id = loader.sources.add(name, None, text.to_string());
    let (file, syntax) = syntax::parse(id, text);
    loader.diags.extend(syntax);
    let mut files = Vec::new();
    let mut stack = vec![id];
    loader.imports(&file, id, None, &mut stack, &mut files);
    files.push((id, file));
    Workspace { root: id, files }
}

/// Every `.c4` file under `paths` (files as given, directories walked in name
/// order, skipping hidden directories, `node_modules` and `target`).
pub fn c4_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        if p.is_dir() {
            collect_c4_files(p, &mut out, &mut seen, 0)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

fn collect_c4_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
    depth: usize,
) -> std::io::Result<()> {
    // Symlink loops: each real directory is visited once.
    let canon = std::fs::canonicalize(dir)?;
    if !seen.insert(canon) || depth > 64 {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect_c4_files(&path, out, seen, depth + 1)?;
        } else if path.extension().is_some_and(|x| x == "c4") {
            out.push(path);
        }
    }
    Ok(())
}

struct Loader<'a> {
    sources: &'a mut SourceMap,
    diags: &'a mut Vec<Diagnostic>,
    /// canonical path (or `<std/…>`) → parsed file
    loaded: HashMap<String, (FileId, ast::File)>,
}

/// A display name for a path: relative to the working directory when inside
/// it, with `.` and `..` folded, `/` as separator.
pub fn display_name(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| {
        let joined = match &cwd {
            Some(c) if path.is_relative() => c.join(path),
            _ => path.to_path_buf(),
        };
        normalize(&joined)
    });
    let shown = match &cwd {
        Some(cwd) => abs.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(abs),
        None => abs,
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// Folds `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Loader<'_> {
    fn load_root(&mut self, path: &Path, root_dir: &Path) -> Result<Workspace, String> {
        let canon = std::fs::canonicalize(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let id = match self.read(&canon, None, path)? {
            Some(id) => id,
            None => return Err(format!("cannot read {}", path.display())),
        };
        let mut files = Vec::new();
        let mut stack = vec![id];
        let file = self
            .loaded
            .get(&canon.to_string_lossy().to_string())
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        self.imports(&file, id, Some(root_dir), &mut stack, &mut files);
        files.push((id, file));
        Ok(Workspace { root: id, files })
    }

    /// Reads and parses a file from disk once. `Err` only for a root that cannot
    /// be read; an unreadable import is a diagnostic at `import_span`.
    /// `shown`: the path as the user wrote it, for a root's error message.
    fn read(
        &mut self,
        canon: &Path,
        import_span: Option<Span>,
        shown: &Path,
    ) -> Result<Option<FileId>, String> {
        let key = canon.to_string_lossy().to_string();
        if let Some((id, _)) = self.loaded.get(&key) {
            return Ok(Some(*id));
        }
        let fail = |this: &mut Self, msg: String| -> Result<Option<FileId>, String> {
            match import_span {
                Some(span) => {
                    this.diags.push(
                        Diagnostic::error("E003", format!("cannot read `{}`", display_name(canon)))
                            .label(span, msg)
                            .hint("check that the file exists and is readable"),
                    );
                    Ok(None)
                }
                None => Err(format!(
                    "error[E003]: cannot read {}: {msg}",
                    shown.display()
                )),
            }
        };
        let bytes = match read_input(canon) {
            Ok(b) => b,
            Err(e) if e == "is a directory" => {
                return fail(self, "is a directory, not a .c4 file".into());
            }
            Err(e) => return fail(self, e),
        };
        let name = display_name(canon);
        let (text, bad_at) = match String::from_utf8(bytes) {
            Ok(t) => (t, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
            }
        };
        let id = self.sources.add(name, Some(canon.to_path_buf()), text);
        let file = if let Some(at) = bad_at {
            self.diags.push(
                Diagnostic::error("E002", format!("invalid UTF-8 at byte offset {at}"))
                    .label(Span::new(id, at, at + 1), "not UTF-8")
                    .hint("save the file as UTF-8"),
            );
            ast::File::default()
        } else {
            let text = self
                .sources
                .get(id)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            let (file, syntax) = syntax::parse(id, &text);
            self.diags.extend(syntax);
            file
        };
        self.loaded.insert(key, (id, file));
        Ok(Some(id))
    }

    fn load_std(&mut self, module: &str) -> Option<FileId> {
        let module = module.strip_suffix(".c4").unwrap_or(module);
        let key = format!("<std/{module}.c4>");
        if let Some((id, _)) = self.loaded.get(&key) {
            return Some(*id);
        }
        let (_, text) = STDLIB.iter().find(|(m, _)| *m == module)?;
        let id = self.sources.add(key.clone(), None, text.to_string());
        let (file, syntax) = syntax::parse(id, text);
        self.diags.extend(syntax);
        self.loaded.insert(key, (id, file));
        Some(id)
    }

    /// Loads the imports of `file` (depth first), appending them to `out` in
    /// merge order. `stack` is the chain of files being imported, for cycles.
    fn imports(
        &mut self,
        file: &ast::File,
        from: FileId,
        root_dir: Option<&Path>,
        stack: &mut Vec<FileId>,
        out: &mut Vec<(FileId, ast::File)>,
    ) {
        for item in &file.items {
            let ast::TopItem::Import(target) = item else {
                continue;
            };
            if out.len() >= MAX_FILES {
                self.diags.push(
                    Diagnostic::error("E014", format!("more than {MAX_FILES} imported files"))
                        .label(target.span, "import limit reached here")
                        .hint("one workspace may load at most this many files; split the model into several root files"),
                );
                return;
            }
            if stack.len() >= MAX_IMPORT_DEPTH {
                self.diags.push(
                    Diagnostic::error(
                        "E014",
                        format!("import chain longer than {MAX_IMPORT_DEPTH} files"),
                    )
                    .label(target.span, "this import is too deep")
                    .note(format!(
                        "the chain starts at {}",
                        stack
                            .first()
                            .map(|f| self.sources.name(*f).to_string())
                            .unwrap_or_default()
                    ))
                    .hint(
                        "import the files from one common file instead of each from the one before",
                    ),
                );
                return;
            }
            let spec = target.value.as_str();
            let (id, key) = if let Some(module) = spec.strip_prefix("std/") {
                match self.load_std(module) {
                    Some(id) => (
                        id,
                        format!("<std/{}.c4>", module.strip_suffix(".c4").unwrap_or(module)),
                    ),
                    None => {
                        let names: Vec<String> =
                            STDLIB.iter().map(|(m, _)| format!("std/{m}")).collect();
                        let mut d =
                            Diagnostic::error("E013", format!("unknown stdlib module `{spec}`"))
                                .label(target.span, "not in the stdlib");
                        d = match crate::diagnostic::did_you_mean(
                            module,
                            STDLIB.iter().map(|(m, _)| *m),
                        ) {
                            Some(s) => d.hint(format!("did you mean `std/{s}`?")),
                            None => d.hint(format!("the stdlib has: {}", names.join(", "))),
                        };
                        self.diags.push(d);
                        continue;
                    }
                }
            } else {
                let Some(base_dir) = self
                    .sources
                    .get(from)
                    .and_then(|f| f.path.as_ref())
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                else {
                    self.diags.push(
                        Diagnostic::error("E010", format!("cannot import `{spec}` here"))
                            .label(target.span, "only `std/…` imports work in this file")
                            .hint("files given as text (not read from disk) can import only the stdlib"),
                    );
                    continue;
                };
                let mut rel = PathBuf::from(spec);
                if rel.extension().is_none() {
                    rel.set_extension("c4");
                }
                if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::Prefix(_)))
                {
                    self.diags.push(
                        Diagnostic::error("E012", format!("absolute import `{spec}`"))
                            .label(target.span, "imports are relative to the importing file")
                            .hint("write the path relative to this file, e.g. `./other.c4`"),
                    );
                    continue;
                }
                let joined = base_dir.join(&rel);
                let canon = match std::fs::canonicalize(&joined) {
                    Ok(c) => c,
                    Err(_) => {
                        let mut d =
                            Diagnostic::error("E010", format!("import not found: `{spec}`"))
                                .label(target.span, format!("no file {}", display_name(&joined)));
                        d = match similar_file(&joined) {
                            Some(s) => d.hint(format!("did you mean `{s}`?")),
                            None => d.hint("paths are relative to the importing file"),
                        };
                        self.diags.push(d);
                        continue;
                    }
                };
                if let Some(root) = root_dir
                    && !canon.starts_with(root)
                {
                    self.diags.push(
                        Diagnostic::error(
                            "E012",
                            format!("import `{spec}` leaves the root directory"),
                        )
                        .label(target.span, format!("resolves to {}", display_name(&canon)))
                        .hint(format!(
                            "imports must stay inside {}; pass `--root DIR` to widen it",
                            display_name(root)
                        )),
                    );
                    continue;
                }
                match self.read(&canon, Some(target.span), &canon) {
                    Ok(Some(id)) => (id, canon.to_string_lossy().to_string()),
                    _ => continue,
                }
            };
            if let Some(pos) = stack.iter().position(|f| *f == id) {
                let chain: Vec<String> = stack[pos..]
                    .iter()
                    .chain(std::iter::once(&id))
                    .map(|f| self.sources.name(*f).to_string())
                    .collect();
                self.diags.push(
                    Diagnostic::error("E011", "import cycle")
                        .label(target.span, "this import closes the cycle")
                        .note(format!("cycle: {}", chain.join(" → ")))
                        .hint("move what both files need into a third file that both import"),
                );
                continue;
            }
            if out.iter().any(|(f, _)| *f == id) {
                continue; // already merged (imported twice): fine
            }
            let Some((_, child)) = self.loaded.get(&key).cloned() else {
                continue;
            };
            stack.push(id);
            self.imports(&child, id, root_dir, stack, out);
            stack.pop();
            if !out.iter().any(|(f, _)| *f == id) {
                out.push((id, child));
            }
        }
    }
}

/// A sibling file whose name is close to the missing one, for "did you mean".
fn similar_file(missing: &Path) -> Option<String> {
    let dir = missing.parent()?;
    let want = missing.file_stem()?.to_string_lossy().to_string();
    let stems: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_suffix(".c4").map(str::to_string))
        .collect();
    // Compare names without the common `.c4`, and only suggest close ones.
    let best = stems
        .iter()
        .map(|s| (strsim::jaro_winkler(&want, s), s))
        .filter(|(score, _)| *score > 0.88)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))?;
    Some(format!("./{}.c4", best.1))
}
