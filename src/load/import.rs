//! Where one `import "…"` points.
//!
//! In: the import as written, the directory of the importing file and the
//! root directory. Out: a [`Target`] — a stdlib module or a real path inside
//! the root — or the diagnostic saying why not (E010 not found, E012
//! absolute or leaving the root, E013 unknown stdlib module, E003 links that
//! loop), plus W011 when the path looks like a stdlib import but is not one
//! (or a local `std` folder sits next to a real one). Nothing outside the
//! root is looked at: the answer for an outside path is the same whether it
//! exists or not, and "did you mean" lists only a directory inside the root.

use std::path::{Path, PathBuf};

use super::STDLIB;
use super::confine::{self, Escape};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast;

/// What an import names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A stdlib module, without `std/` and `.c4`.
    Std(String),
    /// A real path inside the root.
    Disk(PathBuf),
}

impl Target {
    /// The key files are cached under: the real path, or `<std/…>`.
    pub fn key(&self) -> String {
        match self {
            Target::Std(m) => format!("<std/{m}.c4>"),
            Target::Disk(p) => p.to_string_lossy().into_owned(),
        }
    }
}

/// Resolves `target`, imported from a file in `base_dir` (`None`: a model
/// given as text). Warnings are pushed to `diags`; `Err` is the error.
pub fn find(
    target: &ast::Text,
    base_dir: Option<&Path>,
    root_dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Target, Diagnostic> {
    let spec = target.value.as_str();
    if let Some(module) = spec.strip_prefix("std/") {
        let module = module.strip_suffix(".c4").unwrap_or(module);
        if !STDLIB.iter().any(|(m, _)| *m == module) {
            return Err(unknown_std(target, module));
        }
        if let Some(dir) = base_dir
            && std::fs::symlink_metadata(dir.join("std")).is_ok()
        {
            diags.push(
                Diagnostic::new(
                    Code::W011,
                    format!("`{spec}` is the stdlib, not the local folder `std`"),
                )
                .label(target.span, "reads the stdlib built into c4c")
                .hint("rename the local `std` folder, so that the two cannot be confused"),
            );
        }
        return Ok(Target::Std(module.to_string()));
    }
    if looks_like_std(spec) {
        let why = if spec.is_ascii() {
            "a file on disk, not the stdlib"
        } else {
            "not ASCII: a file on disk, not the stdlib"
        };
        diags.push(
            Diagnostic::new(Code::W011, format!("`{spec}` looks like a stdlib import"))
                .label(target.span, why)
                .hint("stdlib modules are imported as `std/NAME`, in plain ASCII; rename the file or folder this reads"),
        );
    }
    let Some(base_dir) = base_dir else {
        return Err(
            Diagnostic::new(Code::E010, format!("cannot import `{spec}` here"))
                .label(target.span, "only `std/…` imports work in this file")
                .hint("files given as text (not read from disk) can import only the stdlib"),
        );
    };
    let mut rel = PathBuf::from(spec);
    if rel.extension().is_none() {
        rel.set_extension("c4");
    }
    if rel.has_root() || rel.is_absolute() {
        return Err(
            Diagnostic::new(Code::E012, format!("absolute import `{spec}`"))
                .label(target.span, "imports are relative to the importing file")
                .hint("write the path relative to this file, e.g. `./other.c4`"),
        );
    }
    let root = root_dir.unwrap_or(base_dir);
    let leaves = |label: String| {
        Diagnostic::new(
            Code::E012,
            format!("import `{spec}` leaves the root directory"),
        )
        .label(target.span, label)
        .hint(format!(
            "imports must stay inside {}; pass `--root DIR` to widen it",
            super::display_name(root)
        ))
    };
    // `import "x"`: `x.c4`, or `x.c4c` when only that exists.
    if Path::new(spec).extension().is_none() {
        let other = rel.with_extension("c4c");
        if confine::resolve(root, base_dir, &rel).is_err()
            && confine::resolve(root, base_dir, &other).is_ok()
        {
            rel = other;
        }
    }
    match confine::resolve(root, base_dir, &rel) {
        Ok(real) => Ok(Target::Disk(real)),
        Err(Escape::Climbs) => Err(leaves("outside the root directory".into())),
        Err(Escape::Link(link)) => Err(leaves(format!(
            "`{link}` is a symbolic link leading outside the root directory"
        ))),
        Err(Escape::Loop(link)) => {
            Err(Diagnostic::new(Code::E003, format!("cannot read `{spec}`"))
                .label(target.span, format!("symbolic links loop at `{link}`"))
                .hint("replace the link with the file itself"))
        }
        Err(Escape::Missing(_)) => {
            let shown = super::display_name(&base_dir.join(&rel));
            let d = Diagnostic::new(Code::E010, format!("import not found: `{spec}`"))
                .label(target.span, format!("no file {shown}"));
            // Suggest only from the real directory, inside the root.
            let dir = rel
                .parent()
                .and_then(|p| confine::resolve(root, base_dir, p).ok());
            let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
            Err(
                match dir.zip(stem).and_then(|(d, s)| similar_file(&d, &s)) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("paths are relative to the importing file"),
                },
            )
        }
    }
}

fn unknown_std(target: &ast::Text, module: &str) -> Diagnostic {
    let spec = &target.value;
    let d = Diagnostic::new(Code::E013, format!("unknown stdlib module `{spec}`"))
        .label(target.span, "not in the stdlib");
    match crate::diagnostic::did_you_mean(module, STDLIB.iter().map(|(m, _)| *m)) {
        Some(s) => d.hint(format!("did you mean `std/{s}`?")),
        None => {
            let names: Vec<String> = STDLIB.iter().map(|(m, _)| format!("std/{m}")).collect();
            d.hint(format!("the stdlib has: {}", names.join(", ")))
        }
    }
}

/// A character as it may look: fullwidth forms as ASCII, slash look-alikes
/// as `/`, ASCII lower-cased; `None` for invisible ones (zero-width, soft
/// hyphen, combining marks).
fn fold(c: char) -> Option<char> {
    match c {
        '\u{ff01}'..='\u{ff5e}' => {
            char::from_u32(c as u32 - 0xfee0).map(|a| a.to_ascii_lowercase())
        }
        '\\' | '\u{2215}' | '\u{2044}' | '\u{29f8}' | '\u{2571}' => Some('/'),
        '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => None,
        '\u{0300}'..='\u{036f}' => None,
        c => Some(c.to_ascii_lowercase()),
    }
}

/// The path reads as `std/…` (a local `./std/…` folder, other case, or
/// non-ASCII characters standing where `s`, `t`, `d` or `/` would be) but is
/// not a stdlib import.
pub fn looks_like_std(spec: &str) -> bool {
    let folded: String = spec.chars().filter_map(fold).collect();
    let mut rest = folded.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    let mut chars = rest.chars();
    ['s', 't', 'd', '/']
        .iter()
        .all(|want| chars.next().is_some_and(|c| c == *want || !c.is_ascii()))
}

/// A file in `dir` whose name is close to `want` (a stem), for "did you mean".
fn similar_file(dir: &Path, want: &str) -> Option<String> {
    let stems: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_suffix(".c4").map(str::to_string))
        .collect();
    // Compare names without the common `.c4`, and only suggest close ones.
    let best = stems
        .iter()
        .map(|s| (strsim::jaro_winkler(want, s), s))
        .filter(|(score, _)| *score > 0.88)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))?;
    Some(format!("./{}.c4", best.1))
}

#[cfg(test)]
mod tests {
    use super::looks_like_std;

    #[test]
    fn std_look_alikes() {
        for s in [
            "./std/kinds",
            "STD/kinds",
            "ｓｔｄ/kinds",
            "\u{0455}td/kinds",
            "std\u{2215}kinds",
            "s\u{200b}td/kinds",
            "std\\kinds",
        ] {
            assert!(looks_like_std(s), "{s}");
        }
        for s in [
            "./café.c4",
            "./lib/std.c4",
            "stdlib/x",
            "./studio/x",
            "std.c4",
        ] {
            assert!(!looks_like_std(s), "{s}");
        }
    }
}
