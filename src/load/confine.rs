//! Confinement: nothing outside the root directory is ever read.
//!
//! In: the root directory (canonical), a directory inside it to start from
//! and a relative path — an import, an `api` contract, an entry found while
//! walking a directory. Out: the real path inside the root, or why there is
//! none ([`Escape`]): the path climbs out with `..`, a symbolic link on the
//! way leads out (the link is named, never followed), links loop, or the file
//! is missing.
//!
//! The path is resolved one component at a time, following symbolic links by
//! reading them, so the only things ever looked at are entries inside the
//! root: whether an outside target exists never changes the answer.
//! [`walk`] lists the `.c4` files of a directory the same way.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Most symbolic links followed while resolving one path (as Linux's `ELOOP`).
pub const MAX_LINKS: usize = 40;
/// Deepest directory a walk descends into.
pub const MAX_WALK_DEPTH: usize = 64;

/// Why a path has no real location inside the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// The path itself leaves the root (`..` past it, or absolute).
    Climbs,
    /// This symbolic link (relative to the root, `/`-separated) leads outside.
    Link(String),
    /// Symbolic links loop (or are nested too deep); the last one followed.
    Loop(String),
    /// Inside the root, but not there (the reason, from the OS).
    Missing(String),
}

/// One step still to resolve, and the link it came from (an index into the
/// links followed), if any.
enum Part {
    Up(Option<usize>),
    Name(OsString),
}

/// `path` relative to `root`, `/`-separated, for messages.
pub fn shown(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
}

/// Pushes the components of `rel` (to be resolved from the current
/// directory) onto `todo`, last first. `Err` for an absolute path.
fn push_parts(todo: &mut Vec<Part>, rel: &Path, from: Option<usize>) -> Result<(), ()> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => parts.push(Part::Up(from)),
            Component::Normal(n) => parts.push(Part::Name(n.to_os_string())),
            Component::RootDir | Component::Prefix(_) => return Err(()),
        }
    }
    todo.extend(parts.into_iter().rev());
    Ok(())
}

/// The real path of `rel`, read from `start` (a canonical directory inside
/// the canonical `root`), if it stays inside `root`. Symbolic links inside
/// the root are followed while they stay inside it.
pub fn resolve(root: &Path, start: &Path, rel: &Path) -> Result<PathBuf, Escape> {
    let Ok(inside) = start.strip_prefix(root) else {
        return Err(Escape::Climbs);
    };
    // As written, without looking at the disk: `a/../../x` climbs even if `a`
    // is a link that would bring it back.
    let mut depth = inside.components().count();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => return Err(Escape::Climbs),
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::RootDir | Component::Prefix(_) => return Err(Escape::Climbs),
        }
    }
    let mut todo = Vec::new();
    push_parts(&mut todo, rel, None).map_err(|()| Escape::Climbs)?;
    let mut links: Vec<String> = Vec::new();
    let mut cur = start.to_path_buf();
    let mut cur_is_dir = true;
    while let Some(part) = todo.pop() {
        if !cur_is_dir {
            return Err(Escape::Missing("not a directory".into()));
        }
        match part {
            Part::Up(from) => {
                if cur == root {
                    return Err(match from {
                        Some(i) => Escape::Link(links[i].clone()),
                        None => Escape::Climbs,
                    });
                }
                cur.pop();
            }
            Part::Name(name) => {
                let next = cur.join(&name);
                let meta =
                    std::fs::symlink_metadata(&next).map_err(|e| Escape::Missing(e.to_string()))?;
                if !meta.file_type().is_symlink() {
                    cur_is_dir = meta.is_dir();
                    cur = next;
                    continue;
                }
                let link = shown(root, &next);
                if links.len() >= MAX_LINKS {
                    return Err(Escape::Loop(link));
                }
                let target =
                    std::fs::read_link(&next).map_err(|e| Escape::Missing(e.to_string()))?;
                links.push(link.clone());
                let from = Some(links.len() - 1);
                if target.has_root() {
                    // Absolute: fine only if it names a place inside the root.
                    let Ok(rest) = target.strip_prefix(root) else {
                        return Err(Escape::Link(link));
                    };
                    cur = root.to_path_buf();
                    push_parts(&mut todo, rest, from).map_err(|()| Escape::Link(link))?;
                } else {
                    push_parts(&mut todo, &target, from).map_err(|()| Escape::Link(link))?;
                }
            }
        }
    }
    Ok(cur)
}

/// Something a [`walk`] did not list, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The entry as the user would write it: the directory as given, joined
    /// with the path inside it.
    pub shown: PathBuf,
    /// Its name ends in `.c4`: it would have been compiled.
    pub c4: bool,
    pub why: Escape,
}

/// The `.c4` files of a directory walk, as real paths inside the root.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    /// Symbolic links not followed, and unreadable links named `.c4`.
    pub skipped: Vec<Skipped>,
}

/// Every `.c4` file under `dir` (a directory inside `root`, shown to the
/// user as `given`), in name order, skipping hidden directories,
/// `node_modules` and `target`. Symbolic links are followed only while they
/// stay inside `root`; each real directory is visited once (no loops).
pub fn walk(root: &Path, dir: &Path, given: &Path) -> std::io::Result<Walk> {
    let mut out = Walk::default();
    let mut seen = HashSet::new();
    walk_dir(root, dir, given, 0, &mut seen, &mut out)?;
    Ok(out)
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    given: &Path,
    depth: usize,
    seen: &mut HashSet<PathBuf>,
    out: &mut Walk,
) -> std::io::Result<()> {
    if depth > MAX_WALK_DEPTH || !seen.insert(dir.to_path_buf()) {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') || text == "node_modules" || text == "target" {
            continue;
        }
        let c4 = crate::source::is_model_file(Path::new(&name));
        let shown = given.join(&name);
        let Ok(kind) = e.file_type() else { continue };
        let (real, is_dir) = if kind.is_symlink() {
            match resolve(root, dir, Path::new(&name)) {
                Ok(real) => {
                    let is_dir = std::fs::metadata(&real).is_ok_and(|m| m.is_dir());
                    (real, is_dir)
                }
                // A dangling link that is not a model is nobody's business.
                Err(Escape::Missing(_)) if !c4 => continue,
                Err(why) => {
                    out.skipped.push(Skipped { shown, c4, why });
                    continue;
                }
            }
        } else {
            (dir.join(&name), kind.is_dir())
        };
        if is_dir {
            walk_dir(root, &real, &shown, depth + 1, seen, out)?;
        } else if c4 {
            out.files.push(real);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_is_refused_without_looking() {
        let t = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(t.path()).unwrap();
        assert_eq!(
            resolve(&root, &root, Path::new("../x")),
            Err(Escape::Climbs)
        );
        assert_eq!(
            resolve(&root, &root, Path::new("a/../../x")),
            Err(Escape::Climbs)
        );
        assert_eq!(
            resolve(&root, &root, Path::new("/etc")),
            Err(Escape::Climbs)
        );
        assert!(matches!(
            resolve(&root, &root, Path::new("nope.c4")),
            Err(Escape::Missing(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_and_links_outside_named() {
        let t = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(t.path()).unwrap();
        let root = base.join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/m.c4"), "").unwrap();
        std::os::unix::fs::symlink("a/b", root.join("ab")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("abs")).unwrap();
        std::os::unix::fs::symlink("..", root.join("up")).unwrap();
        std::os::unix::fs::symlink("/", root.join("slash")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        let real = root.join("a/b/m.c4");
        assert_eq!(
            resolve(&root, &root, Path::new("ab/m.c4")),
            Ok(real.clone())
        );
        assert_eq!(resolve(&root, &root, Path::new("abs/b/m.c4")), Ok(real));
        // `ab/..` is `a` physically.
        assert_eq!(
            resolve(&root, &root, Path::new("ab/..")),
            Ok(root.join("a"))
        );
        assert_eq!(
            resolve(&root, &root, Path::new("up/x")),
            Err(Escape::Link("up".into()))
        );
        assert_eq!(
            resolve(&root, &root, Path::new("slash/etc/passwd")),
            Err(Escape::Link("slash".into()))
        );
        assert_eq!(
            resolve(&root, &root, Path::new("loop")),
            Err(Escape::Loop("loop".into()))
        );
    }
}
