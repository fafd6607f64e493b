//! The `model` bodies of every file a load read, parsed on all cores.
//!
//! In: the files the loader read from disk as outlines
//! ([`syntax::parse::outline`]: imports and every other top-level item, an
//! empty placeholder for each `model { … }` body), each with the place in
//! the loader's diagnostics its own belong at; the workspaces holding them.
//! Out: every file parsed whole (exactly as [`syntax::parse`] would) and put
//! in place of its outline in the workspaces and the loader's cache, its
//! syntax diagnostics where a sequential load would have put them; or
//! `false` when a file turned out to be written in another tool's language
//! only once its bodies were parsed and so loses imports the walk followed.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use super::{Loader, Workspace};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, ast, parse::Outline, parse::Parsed};

/// Most threads the bodies are parsed on (as for a single large body).
const MAX_THREADS: usize = 8;

/// A file read as an outline, its bodies left to parse.
#[derive(Debug)]
pub(super) struct Deferred {
    id: FileId,
    /// Its key in [`Loader::loaded`].
    key: String,
    outline: Outline,
    /// How many of the loader's diagnostics came before this file's own.
    at: usize,
}

impl Deferred {
    pub(super) fn new(id: FileId, key: &str, outline: Outline, at: usize) -> Deferred {
        Deferred {
            id,
            key: key.to_string(),
            outline,
            at,
        }
    }
}

fn has_imports(file: &ast::File) -> bool {
    file.items
        .iter()
        .any(|i| matches!(i, ast::TopItem::Import(_)))
}

/// Parses the bodies of `deferred` (the files in the order they were read)
/// on all cores, largest first; assembles each file, replaces its outline in
/// `workspaces` and in the loader's cache, and puts its diagnostics where
/// the sequential load would have. `false`: a file whose outline imports
/// other files is another tool's once whole (the sequential load would not
/// have followed those imports); nothing is replaced then.
pub(super) fn finish(
    loader: &mut Loader<'_>,
    deferred: Vec<Deferred>,
    workspaces: &mut [Workspace],
) -> bool {
    if deferred.is_empty() {
        return true;
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(MAX_THREADS);
    let sources = &*loader.sources;
    let text_of = |id: FileId| sources.get(id).map_or("", |f| f.text.as_str());
    // (file, body, start, end)
    let jobs: Vec<(usize, usize, usize, usize)> = deferred
        .iter()
        .enumerate()
        .flat_map(|(f, d)| {
            d.outline
                .pieces(text_of(d.id), threads > 1)
                .into_iter()
                .map(move |(b, start, end)| (f, b, start, end))
        })
        .collect();
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&j| Reverse(jobs[j].3 - jobs[j].2));
    let results = crate::parallel::map_each(&order, MAX_THREADS, |&j| {
        let (f, _, start, end) = jobs[j];
        let id = deferred[f].id;
        syntax::parse::body(id, text_of(id), start, end)
    });
    let mut slots: Vec<Option<Parsed>> = jobs.iter().map(|_| None).collect();
    for (j, r) in order.into_iter().zip(results) {
        slots[j] = Some(r);
    }
    let mut per_file: Vec<Vec<(usize, Parsed)>> = deferred.iter().map(|_| Vec::new()).collect();
    for ((f, b, _, _), r) in jobs.into_iter().zip(slots) {
        if let Some(r) = r {
            per_file[f].push((b, r));
        }
    }
    let mut parsed = Vec::with_capacity(deferred.len());
    for (d, pieces) in deferred.into_iter().zip(per_file) {
        let imports = !d.outline.decided() && has_imports(&d.outline.file);
        let (file, diags) = syntax::parse::assemble(d.id, text_of(d.id), d.outline, pieces);
        if imports && !has_imports(&file) {
            return false;
        }
        if let Some(fresh) = &mut loader.fresh {
            fresh.insert(d.key.clone(), diags.clone());
        }
        parsed.push((d.id, d.key, Arc::new(file), diags, d.at));
    }
    // Each file's diagnostics where its parse put them in the sequential load.
    let before = std::mem::take(loader.diags);
    let mut rest = before.into_iter();
    let mut taken = 0;
    let mut merged: Vec<Diagnostic> = Vec::new();
    let mut files = HashMap::new();
    for (id, key, file, diags, at) in parsed {
        merged.extend(rest.by_ref().take(at - taken));
        taken = at;
        merged.extend(diags);
        if let Some(entry) = loader.loaded.get_mut(&key) {
            entry.1 = Arc::clone(&file);
        }
        files.insert(id, file);
    }
    merged.extend(rest);
    *loader.diags = merged;
    for (id, file) in workspaces.iter_mut().flat_map(|w| w.files.iter_mut()) {
        if let Some(whole) = files.get(id) {
            *file = Arc::clone(whole);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::load::{LoadOptions, Workspace, load_paths_in, load_roots};
    use crate::source::SourceMap;

    /// Everything a load gives, as text: the files in id order, the
    /// diagnostics in order, the workspaces with their trees.
    fn load(paths: &[PathBuf], parallel: bool) -> String {
        let mut sources = SourceMap::new();
        let mut diags = Vec::new();
        let ws: Vec<Workspace> = load_paths_in(
            paths,
            &LoadOptions::default(),
            &mut sources,
            &mut diags,
            parallel,
            None,
        )
        .unwrap_or_default();
        let names: Vec<&str> = sources.files().map(|(_, f)| f.name.as_str()).collect();
        format!("{names:?}\n{diags:#?}\n{ws:#?}")
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    #[test]
    fn a_workspace_of_many_files_loads_the_same_in_parallel_and_in_sequence() {
        let t = tempfile::tempdir().unwrap();
        let mut files = vec![
            (
                "root.c4",
                String::from(
                    "import \"std/kinds\"\nimport \"a.c4\"\nimport \"b.c4\"\nmodel {\n  r = system \"R\"\n  r -> a1\n}\nviews { landscape }\n",
                ),
            ),
            (
                "a.c4",
                String::from(
                    "import \"c.c4\"\nmodel {\n  a1 = system \"A\" {\n    oops oops oops\n  }\n}\nmodel { a2 = system \"A2\" }\n",
                ),
            ),
            (
                "b.c4",
                String::from(
                    "import \"c.c4\"\nimport \"missing.c4\"\nmodel {\n  b1 = system \"B\"\n  -> \n}\n",
                ),
            ),
            (
                "c.c4",
                String::from("model {\n  c1 = system \"C\"\n}\nbroken top level\n"),
            ),
            (
                "other.c4",
                String::from("import \"b.c4\"\nmodel { o = system \"O\" }\n"),
            ),
        ];
        let mut big = String::from("model {\n");
        for i in 0..4000 {
            big.push_str(&format!(
                "  p{i} = system \"P{i}\" {{ description \"part {i}\" }}\n"
            ));
        }
        big.push_str("}\n");
        files.push(("big.c4", big));
        files[0].1.insert_str(0, "import \"big.c4\"\n");
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        write(t.path(), &files);
        let dir = vec![t.path().to_path_buf()];
        assert_eq!(load(&dir, true), load(&dir, false));
        let roots = vec![t.path().join("root.c4"), t.path().join("other.c4")];
        assert_eq!(load(&roots, true), load(&roots, false));
    }

    /// `a.c4` imports `b.c4` and parses up to its body, which is LikeC4: read
    /// whole it is an empty file with one E006 and no imports, so `b.c4` is
    /// never read. The parallel load finds out only after the walk, and
    /// loads again in sequence.
    #[test]
    fn a_file_foreign_only_in_its_body_is_loaded_again_in_sequence() {
        let t = tempfile::tempdir().unwrap();
        write(
            t.path(),
            &[
                (
                    "root.c4",
                    "import \"a.c4\"\nimport \"c.c4\"\nmodel { r = system \"R\" }\n",
                ),
                (
                    "a.c4",
                    "import \"b.c4\"\nmodel {\n  x = system \"X\"\n  x -[uses]-> y\n}\n",
                ),
                ("b.c4", "model { b = system \"B\" }\n"),
                ("c.c4", "model { c = system \"C\" }\n"),
            ],
        );
        let roots = vec![t.path().join("root.c4")];
        let real = std::fs::canonicalize(&roots[0]).unwrap();
        let dir = real.parent().map(Path::to_path_buf);
        let (mut sources, mut diags) = (SourceMap::new(), Vec::new());
        let opts = LoadOptions::default();
        let first = load_roots(
            &[(real, None, None)],
            dir.as_deref(),
            &opts,
            (&mut sources, &mut diags),
            true,
            None,
        );
        assert!(matches!(first, Ok(None)), "the parallel load gives up");
        let parallel = load(&roots, true);
        assert_eq!(parallel, load(&roots, false));
        assert!(parallel.contains("E006"), "{parallel}");
        assert!(!parallel.contains("b.c4\""), "b.c4 is not read: {parallel}");
    }
}
