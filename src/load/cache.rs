//! Parsed files kept from one load to the next in the same process.
//!
//! In: what a load parsed — each file's id, text, syntax tree and syntax
//! diagnostics. Out: for the next load, the tree and diagnostics of a file
//! read again with the same id and exactly the same text, so that only the
//! files an edit touched are parsed again (the language server and `serve`
//! keep one [`ParseCache`] for their whole run). A tree's spans name its
//! file's id, so a file that got another id (an import added before it) is
//! parsed again; nothing is ever reused on a hash alone.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast;

/// The files of the last load, by canonical path (or `<std/…>`).
#[derive(Debug, Default)]
pub struct ParseCache {
    files: HashMap<String, Entry>,
}

#[derive(Debug)]
struct Entry {
    id: FileId,
    /// The text the tree was parsed from, compared in full on reuse.
    text: String,
    file: Arc<ast::File>,
    diags: Vec<Diagnostic>,
}

impl ParseCache {
    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The tree and syntax diagnostics of `key` if it was parsed with this
    /// id from this very text.
    pub(super) fn get(
        &self,
        key: &str,
        id: FileId,
        text: &str,
    ) -> Option<(&Arc<ast::File>, &[Diagnostic])> {
        self.files
            .get(key)
            .filter(|e| e.id == id && e.text == text)
            .map(|e| (&e.file, e.diags.as_slice()))
    }

    /// Replaces the contents with the files of a load that finished:
    /// `loaded` is every file it holds, `fresh` the syntax diagnostics of
    /// those it parsed (the others came from this cache). A file that was
    /// neither (one that is not UTF-8) is left out.
    pub(super) fn refill(
        &mut self,
        loaded: &HashMap<String, (FileId, Arc<ast::File>)>,
        mut fresh: HashMap<String, Vec<Diagnostic>>,
        sources: &SourceMap,
    ) {
        let mut old = std::mem::take(&mut self.files);
        for (key, (id, file)) in loaded {
            let entry = match fresh.remove(key) {
                Some(diags) => sources.get(*id).map(|s| Entry {
                    id: *id,
                    text: s.text.clone(),
                    file: Arc::clone(file),
                    diags,
                }),
                None => old
                    .remove(key)
                    .filter(|e| e.id == *id && Arc::ptr_eq(&e.file, file)),
            };
            if let Some(entry) = entry {
                self.files.insert(key.clone(), entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::ParseCache;
    use crate::load::{LoadOptions, Workspace, load_paths_in};
    use crate::source::SourceMap;
    use crate::syntax::ast;

    /// A load as text (files, diagnostics, workspaces), and each file's tree by name.
    fn load(
        paths: &[PathBuf],
        cache: Option<&mut ParseCache>,
    ) -> (String, HashMap<String, Arc<ast::File>>) {
        let (mut sources, mut diags) = (SourceMap::new(), Vec::new());
        let opts = LoadOptions::default();
        let ws: Vec<Workspace> =
            load_paths_in(paths, &opts, &mut sources, &mut diags, true, cache).unwrap_or_default();
        let names: Vec<&str> = sources.files().map(|(_, f)| f.name.as_str()).collect();
        let trees = ws
            .iter()
            .flat_map(|w| w.files.iter())
            .map(|(id, f)| (sources.name(*id).to_string(), Arc::clone(f)))
            .collect();
        (format!("{names:?}\n{diags:#?}\n{ws:#?}"), trees)
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn same_tree(
        a: &HashMap<String, Arc<ast::File>>,
        b: &HashMap<String, Arc<ast::File>>,
        name: &str,
    ) -> bool {
        let find = |m: &HashMap<String, Arc<ast::File>>| {
            m.iter()
                .find(|(k, _)| k.ends_with(name))
                .map(|(_, f)| Arc::clone(f))
        };
        matches!((find(a), find(b)), (Some(x), Some(y)) if Arc::ptr_eq(&x, &y))
    }

    #[test]
    fn a_cached_load_is_the_same_as_a_fresh_one_and_parses_only_what_changed() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        write(
            dir,
            "root.c4",
            "import \"std/kinds\"\nimport \"a.c4\"\nimport \"b.c4\"\nmodel {\n  r = system \"R\"\n  r -> a1\n}\nviews { landscape }\n",
        );
        write(
            dir,
            "a.c4",
            "model {\n  a1 = system \"A\" {\n    oops oops\n  }\n}\n",
        );
        write(dir, "b.c4", "model {\n  b1 = system \"B\"\n  -> \n}\n");
        let roots = vec![dir.join("root.c4")];
        let mut cache = ParseCache::default();

        let (first, t1) = load(&roots, Some(&mut cache));
        assert_eq!(first, load(&roots, None).0);
        assert_eq!(cache.len(), 4, "root, a, b and std/kinds");
        let (again, t2) = load(&roots, Some(&mut cache));
        assert_eq!(again, first);
        for name in ["root.c4", "a.c4", "b.c4", "kinds.c4>"] {
            assert!(same_tree(&t1, &t2, name), "{name} was parsed again");
        }

        // One line of one file edited: only that file is parsed again.
        write(
            dir,
            "a.c4",
            "model {\n  a1 = system \"A\" {\n    description \"fixed\"\n  }\n}\n",
        );
        let (edited, t3) = load(&roots, Some(&mut cache));
        assert_eq!(edited, load(&roots, None).0);
        assert!(!same_tree(&t2, &t3, "a.c4"));
        assert!(same_tree(&t2, &t3, "b.c4") && same_tree(&t2, &t3, "root.c4"));

        // A new import moves every later file to another id: parsed again,
        // with the spans of their new ids.
        write(dir, "c.c4", "model { c1 = system \"C\" }\n");
        write(
            dir,
            "root.c4",
            "import \"c.c4\"\nimport \"std/kinds\"\nimport \"a.c4\"\nimport \"b.c4\"\nmodel {\n  r = system \"R\"\n  r -> a1\n}\nviews { landscape }\n",
        );
        let (moved, t4) = load(&roots, Some(&mut cache));
        assert_eq!(moved, load(&roots, None).0);
        assert!(!same_tree(&t3, &t4, "b.c4"));
        assert_eq!(cache.len(), 5);

        // A file no longer imported leaves the cache.
        write(dir, "root.c4", "model { r = system \"R\" }\n");
        let (fewer, _) = load(&roots, Some(&mut cache));
        assert_eq!(fewer, load(&roots, None).0);
        assert_eq!(cache.len(), 1);
    }
}
