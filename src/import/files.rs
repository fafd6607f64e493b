//! Included files, read from the input's folder only.
//!
//! In: the input's folder and a path inside it (normalised by the importer:
//! relative, no `..` leading out). Out: the file's text (UTF-8, at most
//! 16 MiB), or for a folder one `!include` line per `.dsl` file in it, in
//! name order (at most 1,000), so that its files are read in turn by the
//! same rules; or why not. A path whose real location (symbolic links
//! followed) is outside the folder is refused. This is the reader the CLI
//! gives [`super::structurizr::import`].

use std::path::Path;

/// At most this many bytes per file.
const MAX_FILE: u64 = 16 * 1024 * 1024;
/// At most this many files per included folder.
const MAX_ENTRIES: usize = 1000;

/// The text of `rel` inside `dir`, or why it cannot be read.
pub fn read_inside(dir: &Path, rel: &str) -> Result<String, String> {
    let root = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    let real = std::fs::canonicalize(dir.join(rel)).map_err(|e| e.to_string())?;
    if !real.starts_with(&root) {
        return Err("a symbolic link leading out of the input's folder".into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return folder(&real, rel);
    }
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE {
        return Err("larger than 16 MiB".into());
    }
    let bytes = std::fs::read(&real).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".into())
}

/// `!include "rel/NAME.dsl"` for each `.dsl` file of the folder.
fn folder(real: &Path, rel: &str) -> Result<String, String> {
    let mut names: Vec<String> = std::fs::read_dir(real)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dsl") && !n.starts_with('.') && !n.contains(['"', '\\']))
        .take(MAX_ENTRIES + 1)
        .collect();
    if names.len() > MAX_ENTRIES {
        return Err(format!("a folder of more than {MAX_ENTRIES} files"));
    }
    names.sort();
    let rel = rel.trim_end_matches('/');
    Ok(names
        .iter()
        .map(|n| format!("!include \"{rel}/{n}\"\n"))
        .collect())
}

/// Every file of `dir` (its subfolders too, hidden ones and `node_modules`
/// left out, symbolic links to folders not followed) whose extension is one
/// of `extensions`, as (path relative to `dir`, text), in path order; each
/// read by [`read_inside`], so none outside `dir` is read. At most
/// [`MAX_ENTRIES`] files.
pub fn files_inside(dir: &Path, extensions: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut rels = Vec::new();
    walk(dir, Path::new(""), extensions, 0, &mut rels)?;
    rels.sort();
    rels.into_iter()
        .map(|rel| {
            let text = read_inside(dir, &rel).map_err(|why| format!("{rel}: {why}"))?;
            Ok((rel, text))
        })
        .collect()
}

fn walk(
    dir: &Path,
    rel: &Path,
    extensions: &[&str],
    depth: usize,
    out: &mut Vec<String>,
) -> Result<(), String> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir.join(rel)).map_err(|e| e.to_string())?;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        let Ok(kind) = e.file_type() else { continue };
        let path = rel.join(&name);
        if kind.is_dir() {
            walk(dir, &path, extensions, depth + 1, out)?;
        } else if Path::new(&name)
            .extension()
            .is_some_and(|x| extensions.iter().any(|e| x == *e))
        {
            if out.len() >= MAX_ENTRIES {
                return Err(format!("more than {MAX_ENTRIES} files"));
            }
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
