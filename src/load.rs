//! Loading: root files and everything they import.
//!
//! In: the root `.c4` file(s) given on the command line (or found in a
//! directory) and the root directory imports may not leave.
//! Out: [`Workspace`]s — one per root file — each holding its parsed files in
//! merge order (an import's content comes before the file that imports it),
//! plus every diagnostic about reading and importing (E002, E003, E010–E014,
//! W011, W012) and the syntax errors of each file. Stdlib files (`std/…`) are
//! embedded in the binary and get the pseudo-path `<std/…>` so diagnostics
//! can point into them. Nothing outside the root directory is read
//! ([`confine`]): not through `..`, not through a symbolic link, not by a
//! directory walk.

mod bodies;
mod cache;
pub mod confine;
mod display;
pub mod import;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Cause, Error, Reading};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, ast};

pub use cache::ParseCache;
pub use display::display_name;

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
pub fn read_input(path: &Path) -> Result<Vec<u8>, Cause> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(Cause::Io)?;
    if meta.is_dir() {
        return Err(Cause::IsDirectory);
    }
    if !meta.is_file() {
        return Err(Cause::NotRegularFile);
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(Cause::TooLarge(MAX_FILE_SIZE));
    }
    let file = std::fs::File::open(path).map_err(Cause::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Bounded even if the file grows while it is read.
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(Cause::Io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(Cause::TooLarge(MAX_FILE_SIZE));
    }
    Ok(bytes)
}

/// [`read_input`], as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, Cause> {
    String::from_utf8(read_input(path)?).map_err(|_| Cause::NotUtf8)
}

/// One root file and everything it imports, parsed.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: FileId,
    /// Parsed files in merge order: imports first, the root file last.
    /// Each tree is parsed once and shared, never copied: a file imported by
    /// several roots of a directory is one tree in each of their workspaces.
    pub files: Vec<(FileId, Arc<ast::File>)>,
    /// The directory imports and `api` contracts may not leave (canonical;
    /// `None` for a model given as text).
    pub root_dir: Option<PathBuf>,
}

/// Where import paths are checked against and resolved from.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Imports may not leave this directory. `None`: the directory of each root file.
    pub root_dir: Option<PathBuf>,
    /// Texts that replace what is on disk (an editor's unsaved files), by
    /// canonical path. Only consulted for a path that was found and
    /// confined like any other: a file outside the root is never read,
    /// whether or not it is in the overlay.
    pub overlay: HashMap<PathBuf, String>,
}

impl LoadOptions {
    /// Options with imports confined to `root_dir` (`None`: each root file's directory).
    pub fn rooted(root_dir: Option<PathBuf>) -> LoadOptions {
        LoadOptions {
            root_dir,
            overlay: HashMap::new(),
        }
    }
}

/// A path given on the command line, located.
enum Given {
    File(PathBuf),
    /// A directory (real path) and the root its walk may not leave.
    Dir {
        real: PathBuf,
        root: PathBuf,
    },
}

/// `wide` (`--root`) if it holds `dir`, else `dir` itself.
fn root_for(wide: Option<&Path>, dir: &Path) -> PathBuf {
    match wide {
        Some(r) if dir.starts_with(r) => r.to_path_buf(),
        _ => dir.to_path_buf(),
    }
}

/// The real path of a file named on the command line that c4c reads and may
/// rewrite (a Markdown file for `build --inject`), under the same rule as a
/// model: its directory is the user's choice, but if the file itself is a
/// symbolic link it must stay inside the root (`wide`, `--root`, if that
/// holds the directory, else the directory). `Err` names the path as given,
/// never the link's target.
pub fn confine_named_file(p: &Path, wide: Option<&Path>) -> Result<PathBuf, Error> {
    let cannot = |cause: Cause| Error::Read {
        what: Reading::Path,
        path: p.to_path_buf(),
        cause,
    };
    let Some(name) = p.file_name() else {
        return Err(cannot(Cause::NotAFile));
    };
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).map_err(|e| cannot(Cause::Io(e)))?;
    let wide = wide.and_then(|w| std::fs::canonicalize(w).ok());
    let root = root_for(wide.as_deref(), &parent);
    confine::resolve(&root, &parent, Path::new(name)).map_err(|why| match why {
        confine::Escape::Missing(e) => cannot(Cause::Os(e)),
        confine::Escape::Loop(_) => cannot(Cause::LinkLoop),
        confine::Escape::Climbs | confine::Escape::Link(_) => cannot(Cause::LinkLeavesRoot),
    })
}

/// The real location of a path given on the command line. Everything up to
/// its last component is the user's choice; the last component, if it is a
/// symbolic link, must stay inside the root (`wide` if that holds the path's
/// directory, else the directory): a link leaving it is a diagnostic pushed
/// to `diags` (`Ok(None)`), never followed.
fn locate(
    p: &Path,
    wide: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Given>, Error> {
    let cannot = |cause: Cause| Error::Read {
        what: Reading::Path,
        path: p.to_path_buf(),
        cause,
    };
    let real = match p.file_name() {
        Some(name) => {
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let parent = std::fs::canonicalize(parent).map_err(|e| cannot(Cause::Io(e)))?;
            let root = root_for(wide, &parent);
            match confine::resolve(&root, &parent, Path::new(name)) {
                Ok(real) => real,
                Err(confine::Escape::Missing(e)) => return Err(cannot(Cause::Os(e))),
                Err(why) => {
                    let s = confine::Skipped {
                        shown: p.to_path_buf(),
                        c4: true,
                        why,
                    };
                    diags.push(skipped_diagnostic(&s, &root));
                    return Ok(None);
                }
            }
        }
        // `.`, `..`, `/`: no link to judge.
        None => std::fs::canonicalize(p).map_err(|e| cannot(Cause::Io(e)))?,
    };
    let meta = std::fs::metadata(&real).map_err(|e| cannot(Cause::Io(e)))?;
    Ok(Some(if meta.is_dir() {
        Given::Dir {
            root: root_for(wide, &real),
            real,
        }
    } else {
        Given::File(real)
    }))
}

/// The diagnostic for an entry a walk did not follow: E012 for a `.c4` link
/// leading outside the root, W012 for any other such link, E003 for a `.c4`
/// link that loops or dangles. Names the link as given, never its target.
fn skipped_diagnostic(s: &confine::Skipped, root: &Path) -> Diagnostic {
    use confine::Escape;
    let shown = s.shown.to_string_lossy().replace('\\', "/");
    let widen = format!(
        "the root directory is {}; replace the link with the file itself, or pass `--root DIR` to widen the root",
        display_name(root)
    );
    match (&s.why, s.c4) {
        (Escape::Climbs | Escape::Link(_), true) => Diagnostic::new(
            Code::E012,
            format!("`{shown}` is a symbolic link leading outside the root directory"),
        )
        .note("it was not read")
        .hint(widen),
        (Escape::Climbs | Escape::Link(_), false) => Diagnostic::new(
            Code::W012,
            format!(
                "`{shown}` is a symbolic link leading outside the root directory; not followed"
            ),
        )
        .hint(widen),
        (Escape::Loop(_), false) => Diagnostic::new(
            Code::W012,
            format!("`{shown}` is a loop of symbolic links; not followed"),
        )
        .hint("remove the link"),
        (Escape::Loop(_), true) => Diagnostic::new(
            Code::E003,
            format!("cannot read `{shown}`: symbolic links loop"),
        )
        .hint("replace the link with the file itself"),
        (Escape::Missing(e), _) => Diagnostic::new(Code::E003, format!("cannot read `{shown}`: {e}"))
            .hint("the symbolic link points to nothing: remove it, or point it at a file inside the root directory"),
    }
}

/// Loads several roots. `paths` are files or directories; for a directory every
/// `.c4` file in it (recursively, sorted) that no other file of the set imports
/// is a root. Nothing outside the root directory is read: see [`confine`].
pub fn load_paths(
    paths: &[PathBuf],
    opts: &LoadOptions,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Workspace>, Error> {
    load_paths_in(paths, opts, sources, diags, true, None)
}

/// [`load_paths`], reusing the trees `cache` holds for files whose text has
/// not changed since the load that filled it, and refilling it with this
/// load's files. The result is the same as without it.
pub fn load_paths_cached(
    paths: &[PathBuf],
    opts: &LoadOptions,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    cache: &mut ParseCache,
) -> Result<Vec<Workspace>, Error> {
    load_paths_in(paths, opts, sources, diags, true, Some(cache))
}

/// [`load_paths`]; with `parallel`, the `model` bodies of all files parsed
/// on all cores after the walk, else each file parsed whole as it is read.
/// Either way the result is the same.
fn load_paths_in(
    paths: &[PathBuf],
    opts: &LoadOptions,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    parallel: bool,
    mut cache: Option<&mut ParseCache>,
) -> Result<Vec<Workspace>, Error> {
    let wide = match &opts.root_dir {
        Some(r) => Some(std::fs::canonicalize(r).map_err(|e| Error::Read {
            what: Reading::RootDirectory,
            path: r.clone(),
            cause: Cause::Io(e),
        })?),
        None => None,
    };
    // (real path of a root file, the real directory it was found in when a
    // directory was given, the path as given when the file was)
    let mut roots: Vec<Root<'_>> = Vec::new();
    let mut explicit = HashSet::new();
    let mut any_dir = false;
    for p in paths {
        match locate(p, wide.as_deref(), diags)? {
            None => {}
            Some(Given::File(real)) => {
                explicit.insert(real.clone());
                roots.push((real, None, Some(p)));
            }
            Some(Given::Dir { real, root }) => {
                any_dir = true;
                let walk = confine::walk(&root, &real, p).map_err(|e| Error::Read {
                    what: Reading::Directory,
                    path: p.clone(),
                    cause: Cause::Io(e),
                })?;
                diags.extend(walk.skipped.iter().map(|s| skipped_diagnostic(s, &root)));
                roots.extend(
                    walk.files
                        .into_iter()
                        .map(|f| (f, Some(real.clone()), None)),
                );
            }
        }
    }
    // Real paths: de-duplicate and order by them, so the output does not
    // depend on the order of the files on the command line or on disk.
    roots.sort_by(|a, b| a.0.cmp(&b.0));
    roots.dedup_by(|a, b| a.0 == b.0);

    let (known_files, known_diags) = (sources.len(), diags.len());
    let first = load_roots(
        &roots,
        wide.as_deref(),
        opts,
        (sources, diags),
        parallel,
        cache.as_deref_mut(),
    )?;
    let mut workspaces = match first {
        Some(ws) => ws,
        None => {
            // A file was another tool's only once its bodies were parsed: read
            // that way from the start, it would have had no imports. Load
            // again, each file parsed whole before its imports are followed.
            sources.truncate(known_files);
            diags.truncate(known_diags);
            load_roots(
                &roots,
                wide.as_deref(),
                opts,
                (sources, diags),
                false,
                cache,
            )?
            .unwrap_or_default()
        }
    };
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
    if any_dir {
        workspaces.retain(|w| {
            let path = sources.get(w.root).and_then(|f| f.path.clone());
            !imported.contains(&w.root) || path.is_some_and(|p| explicit.contains(&p))
        });
    }
    Ok(workspaces)
}

/// The root file's real path, the directory it was found in when a
/// directory was given, the path as given when the file was.
type Root<'p> = (PathBuf, Option<PathBuf>, Option<&'p Path>);

/// Loads each root and its imports. With `parallel`, each file's outline is
/// parsed as it is read and the `model` bodies of all files after the walk,
/// on all cores ([`bodies`]); `Ok(None)` if that gave another result than
/// the sequential load would (see [`bodies::finish`]), which the caller
/// then runs instead. With a `cache`, files it holds unchanged are not
/// parsed again, and it is refilled when the load succeeds.
fn load_roots(
    roots: &[Root<'_>],
    wide: Option<&Path>,
    opts: &LoadOptions,
    (sources, diags): (&mut SourceMap, &mut Vec<Diagnostic>),
    parallel: bool,
    cache: Option<&mut ParseCache>,
) -> Result<Option<Vec<Workspace>>, Error> {
    let caching = cache.is_some();
    let mut loader = Loader {
        sources,
        diags,
        loaded: HashMap::new(),
        overlay: &opts.overlay,
        deferred: parallel.then(Vec::new),
        cache: cache.as_deref(),
        fresh: caching.then(HashMap::new),
    };
    let mut workspaces = Vec::new();
    for (root, found_in, given) in roots {
        // Imports may not leave: --root, else the directory given on the
        // command line, else the root file's own directory.
        let root_dir = match wide.or(found_in.as_deref()) {
            Some(d) => d.to_path_buf(),
            None => root
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("/")),
        };
        let shown = match given {
            Some(p) => p.display().to_string(),
            None => display_name(root),
        };
        match loader.load_root(root, &root_dir) {
            Ok(ws) => workspaces.push(ws),
            // A file found in a directory that cannot be read (a FIFO, say) is
            // reported with the others; the rest of the directory still builds.
            Err(cause) if found_in.is_some() => {
                loader.diags.push(
                    Diagnostic::new(Code::E003, format!("cannot read {shown}: {cause}"))
                        .hint("remove it from the directory, or make it a readable .c4 file"),
                );
            }
            Err(cause) => return Err(Error::Root { shown, cause }),
        }
    }
    let deferred = loader.deferred.take().unwrap_or_default();
    if !bodies::finish(&mut loader, deferred, &mut workspaces) {
        return Ok(None);
    }
    let (loaded, fresh) = (loader.loaded, loader.fresh.unwrap_or_default());
    if let Some(cache) = cache {
        cache.refill(&loaded, fresh, sources);
    }
    Ok(Some(workspaces))
}

/// Loads one workspace from in-memory text (tests, fuzzing, embedders).
/// Only stdlib imports can be resolved.
pub fn load_text(
    name: &str,
    text: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Workspace {
    let no_overlay = HashMap::new();
    let mut loader = Loader {
        sources,
        diags,
        loaded: HashMap::new(),
        overlay: &no_overlay,
        deferred: None,
        cache: None,
        fresh: None,
    };
    let id = loader.sources.add(name, None, text.to_string());
    let (file, syntax) = syntax::parse(id, text);
    loader.diags.extend(syntax);
    let file = Arc::new(file);
    let mut files = Vec::new();
    let mut stack = vec![id];
    loader.imports(&file, id, None, &mut stack, &mut files);
    files.push((id, file));
    Workspace {
        root: id,
        files,
        root_dir: None,
    }
}

/// Every `.c4` file under `paths` (files as given, directories walked in name
/// order, skipping hidden directories, `node_modules` and `target`), as real
/// paths. A `.c4` symbolic link leading outside the directory given (or the
/// file's own directory) is an error naming it; it is never read.
pub fn c4_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let mut diags = Vec::new();
        match locate(p, None, &mut diags)? {
            Some(Given::File(real)) => out.push(real),
            Some(Given::Dir { real, root }) => {
                let walk = confine::walk(&root, &real, p).map_err(|e| Error::Read {
                    what: Reading::Path,
                    path: p.clone(),
                    cause: Cause::Io(e),
                })?;
                if let Some(s) = walk.skipped.iter().find(|s| s.c4) {
                    diags.push(skipped_diagnostic(s, &root));
                }
                out.extend(walk.files);
            }
            None => {}
        }
        if let Some(d) = diags.into_iter().next() {
            return Err(Error::Refused {
                code: d.code,
                message: d.message,
            });
        }
    }
    Ok(out)
}

struct Loader<'a> {
    sources: &'a mut SourceMap,
    diags: &'a mut Vec<Diagnostic>,
    /// canonical path (or `<std/…>`) → parsed file (shared with the
    /// workspaces that hold it: never copied)
    loaded: HashMap<String, (FileId, Arc<ast::File>)>,
    /// Unsaved texts by canonical path ([`LoadOptions::overlay`]).
    overlay: &'a HashMap<PathBuf, String>,
    /// `Some`: files read from disk are parsed up to their `model` bodies
    /// only, and listed here for [`bodies::finish`].
    deferred: Option<Vec<bodies::Deferred>>,
    /// The files an earlier load parsed, to reuse ([`ParseCache`]).
    cache: Option<&'a ParseCache>,
    /// `Some` when there is a cache to refill: the syntax diagnostics of
    /// each file this load parsed, by its key in `loaded`.
    fresh: Option<HashMap<String, Vec<Diagnostic>>>,
}

impl Loader<'_> {
    /// `path`: the real path of the root file; `root_dir`: canonical.
    /// `Err`: why the root file cannot be read.
    fn load_root(&mut self, path: &Path, root_dir: &Path) -> Result<Workspace, Cause> {
        let id = self.read(path)?;
        let mut files = Vec::new();
        let mut stack = vec![id];
        let file = self
            .loaded
            .get(&path.to_string_lossy().to_string())
            .map(|(_, f)| Arc::clone(f))
            .unwrap_or_default();
        self.imports(&file, id, Some(root_dir), &mut stack, &mut files);
        files.push((id, file));
        Ok(Workspace {
            root: id,
            files,
            root_dir: Some(root_dir.to_path_buf()),
        })
    }

    /// Reads and parses a file from disk once. `Err`: why it cannot be read
    /// (for a root, an error; for an import, a diagnostic at the import).
    fn read(&mut self, canon: &Path) -> Result<FileId, Cause> {
        let key = canon.to_string_lossy().to_string();
        if let Some((id, _)) = self.loaded.get(&key) {
            return Ok(*id);
        }
        // An open editor's text stands for the file; the path itself was
        // found and confined like any other before it got here.
        let bytes = match self.overlay.get(canon) {
            Some(text) if text.len() as u64 > MAX_FILE_SIZE => {
                return Err(Cause::TooLarge(MAX_FILE_SIZE));
            }
            Some(text) => text.clone().into_bytes(),
            None => read_input(canon).map_err(|e| match e {
                Cause::IsDirectory => Cause::DirectoryNotModel,
                e => e,
            })?,
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
                Diagnostic::new(Code::E002, format!("invalid UTF-8 at byte offset {at}"))
                    .label(Span::new(id, at, at + 1), "not UTF-8")
                    .hint("save the file as UTF-8"),
            );
            Arc::default()
        } else {
            // Parsed where the source map holds it (the text is not copied).
            let text = self.sources.get(id).map_or("", |f| f.text.as_str());
            let cached = self.cache.and_then(|c| c.get(&key, id, text));
            match (cached, self.deferred.as_mut()) {
                (Some((file, syntax)), _) => {
                    self.diags.extend_from_slice(syntax);
                    Arc::clone(file)
                }
                (None, Some(deferred)) => {
                    let outline = syntax::parse::outline(id, text);
                    if outline.has_bodies() {
                        let file = Arc::new(outline.file.clone());
                        deferred.push(bodies::Deferred::new(id, &key, outline, self.diags.len()));
                        file
                    } else {
                        let (file, syntax) = syntax::parse::assemble(id, text, outline, Vec::new());
                        self.parsed(&key, syntax);
                        Arc::new(file)
                    }
                }
                (None, None) => {
                    let (file, syntax) = syntax::parse(id, text);
                    self.parsed(&key, syntax);
                    Arc::new(file)
                }
            }
        };
        self.loaded.insert(key, (id, file));
        Ok(id)
    }

    fn load_std(&mut self, module: &str) -> Option<FileId> {
        let key = format!("<std/{module}.c4>");
        if let Some((id, _)) = self.loaded.get(&key) {
            return Some(*id);
        }
        let (_, text) = STDLIB.iter().find(|(m, _)| *m == module)?;
        let id = self.sources.add(key.clone(), None, text.to_string());
        let file = match self.cache.and_then(|c| c.get(&key, id, text)) {
            Some((file, syntax)) => {
                self.diags.extend_from_slice(syntax);
                Arc::clone(file)
            }
            None => {
                let (file, syntax) = syntax::parse(id, text);
                self.parsed(&key, syntax);
                Arc::new(file)
            }
        };
        self.loaded.insert(key, (id, file));
        Some(id)
    }

    /// A file's syntax diagnostics from a parse: reported, and kept for the
    /// cache when there is one.
    fn parsed(&mut self, key: &str, syntax: Vec<Diagnostic>) {
        if let Some(fresh) = &mut self.fresh {
            fresh.insert(key.to_string(), syntax.clone());
        }
        self.diags.extend(syntax);
    }

    /// Loads the imports of `file` (depth first), appending them to `out` in
    /// merge order. `stack` is the chain of files being imported, for cycles.
    /// A workspace holds at most [`MAX_FILES`] files: those merged (`out`)
    /// and those being imported (`stack`, the root among them).
    fn imports(
        &mut self,
        file: &ast::File,
        from: FileId,
        root_dir: Option<&Path>,
        stack: &mut Vec<FileId>,
        out: &mut Vec<(FileId, Arc<ast::File>)>,
    ) {
        for item in &file.items {
            let ast::TopItem::Import(target) = item else {
                continue;
            };
            if stack.len() >= MAX_IMPORT_DEPTH {
                self.diags.push(
                    Diagnostic::new(
                        Code::E014,
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
            let base_dir = self
                .sources
                .get(from)
                .and_then(|f| f.path.as_ref())
                .and_then(|p| p.parent().map(Path::to_path_buf));
            let found = match import::find(target, base_dir.as_deref(), root_dir, self.diags) {
                Ok(t) => t,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            let key = found.key();
            let known = self.loaded.get(&key).map(|(id, _)| *id);
            let in_workspace =
                known.is_some_and(|id| stack.contains(&id) || out.iter().any(|(f, _)| *f == id));
            if !in_workspace && out.len() + stack.len() >= MAX_FILES {
                self.diags.push(
                    Diagnostic::new(Code::E014, format!("more than {MAX_FILES} files in one workspace"))
                        .label(target.span, "file limit reached here")
                        .hint("one workspace (a root file and its imports) may load at most this many files; split the model into several root files"),
                );
                return;
            }
            let id = match (known, &found) {
                (Some(id), _) => id,
                (None, import::Target::Std(m)) => match self.load_std(m) {
                    Some(id) => id,
                    None => continue,
                },
                (None, import::Target::Disk(real)) => match self.read(real) {
                    Ok(id) => id,
                    Err(cause) => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E003,
                                format!("cannot read `{}`", display_name(real)),
                            )
                            .label(target.span, cause.to_string())
                            .hint("check that the file exists and is readable"),
                        );
                        continue;
                    }
                },
            };
            if let Some(pos) = stack.iter().position(|f| *f == id) {
                let chain: Vec<String> = stack[pos..]
                    .iter()
                    .chain(std::iter::once(&id))
                    .map(|f| self.sources.name(*f).to_string())
                    .collect();
                self.diags.push(
                    Diagnostic::new(Code::E011, "import cycle")
                        .label(target.span, "this import closes the cycle")
                        .note(format!("cycle: {}", chain.join(" → ")))
                        .hint("move what both files need into a third file that both import"),
                );
                continue;
            }
            if out.iter().any(|(f, _)| *f == id) {
                continue; // already merged (imported twice): fine
            }
            let Some(child) = self.loaded.get(&key).map(|(_, f)| Arc::clone(f)) else {
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
