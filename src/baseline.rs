//! Rule baselines (ArchUnit's "freeze"): the violations of `rules` a project
//! has accepted, so that a run fails only on new ones.
//!
//! In: the text of a baseline file — JSON, `{"version": 1, "violations":
//! [...]}`, one entry a line, each a rule as written and the elements it is
//! about — or the violations of a run. Out: a [`Baseline`] that knows where
//! each entry is written, or [`Malformed`] (where and why); the file text
//! for a set of violations (sorted, deduplicated, one entry a line, so a
//! change is a one-line diff); the diagnostics of a baseline: E083 (cannot
//! be read or used), E012 (its path leaves the root), W017 (an entry no
//! violation matches any more). [`locate`] finds the file inside the root,
//! the way imports are confined. The file is input from a pull request:
//! bounded ([`crate::load::MAX_FILE_SIZE`]), parsed in one pass, never
//! trusted for a path.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Subject, Violation};
use crate::load::confine::{self, Escape};
use crate::source::{FileId, Span};

/// The baseline read when none is named: in the root directory.
pub const DEFAULT_FILE: &str = "c4c-baseline.json";
/// The version of the file format this c4c writes and reads.
pub const VERSION: u32 = 1;

const SHAPE: &str = "a baseline is `{\"version\": 1, \"violations\": [{\"rule\": …, \"from\": …, \"to\": …} or {\"rule\": …, \"element\": …}, …]}`; rewrite it with `c4c check --update-baseline`";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    version: u32,
    violations: Vec<EntryRepr>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct EntryRepr {
    rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
}

impl EntryRepr {
    fn of(v: &Violation) -> EntryRepr {
        let (from, to, element) = match &v.subject {
            Subject::Relationship { from, to } => (Some(from.clone()), Some(to.clone()), None),
            Subject::Element(e) => (None, None, Some(e.clone())),
        };
        EntryRepr {
            rule: v.rule.clone(),
            from,
            to,
            element,
        }
    }

    fn violation(self) -> Result<Violation, &'static str> {
        let subject = match (self.from, self.to, self.element) {
            (Some(from), Some(to), None) => Subject::Relationship { from, to },
            (None, None, Some(e)) => Subject::Element(e),
            _ => return Err("an entry names either `from` and `to` (a relationship) or `element`"),
        };
        Ok(Violation {
            rule: self.rule,
            subject,
        })
    }
}

/// A baseline file, read.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Every entry and the bytes of the file it takes, in file order.
    entries: Vec<(Violation, Range<usize>)>,
    keys: HashSet<Violation>,
}

/// Why a baseline's text cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub at: Range<usize>,
    pub message: String,
}

impl Baseline {
    /// Reads a baseline's text.
    pub fn parse(text: &str) -> Result<Baseline, Malformed> {
        let file: FileRepr = serde_json::from_str(text).map_err(|e| Malformed {
            at: offset(text, e.line(), e.column()),
            // The position is the label's; the rest is serde's reason.
            message: without_position(&e.to_string()),
        })?;
        let spans = entry_spans(text);
        if file.version != VERSION {
            let at = text
                .find("\"version\"")
                .map_or(0..0, |i| i..i + "\"version\"".len());
            return Err(Malformed {
                at,
                message: format!(
                    "baseline version {} is not {VERSION}, the one this c4c reads",
                    file.version
                ),
            });
        }
        let mut entries = Vec::with_capacity(file.violations.len());
        for (i, entry) in file.violations.into_iter().enumerate() {
            let at = spans.get(i).cloned().unwrap_or(0..0);
            match entry.violation() {
                Ok(v) => entries.push((v, at)),
                Err(why) => {
                    return Err(Malformed {
                        at,
                        message: why.into(),
                    });
                }
            }
        }
        let keys = entries.iter().map(|(v, _)| v.clone()).collect();
        Ok(Baseline { entries, keys })
    }

    /// Whether it records `v`.
    pub fn contains(&self, v: &Violation) -> bool {
        self.keys.contains(v)
    }

    /// How many different violations it records.
    pub fn distinct(&self) -> usize {
        self.keys.len()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// W017 for each entry not in `seen` (the violations it held back), in
    /// file order; `file` is the baseline in the source map.
    pub fn stale(&self, seen: &[Violation], file: FileId) -> Vec<Diagnostic> {
        let seen: HashSet<&Violation> = seen.iter().collect();
        self.entries
            .iter()
            .filter(|(v, _)| !seen.contains(v))
            .map(|(v, at)| {
                let what = match &v.subject {
                    Subject::Relationship { from, to } => format!("`{from}` → `{to}`"),
                    Subject::Element(e) => format!("`{e}`"),
                };
                Diagnostic::new(
                    Code::W017,
                    format!("{what} no longer breaks `{}`", v.rule),
                )
                .label(Span::new(file, at.start, at.end), "this entry matches no violation")
                .hint("the violation was fixed (or the rule changed): delete this entry, or rewrite the baseline with `c4c check --update-baseline` (which also records every violation there is now)")
            })
            .collect()
    }
}

/// The text of a baseline recording `violations`: sorted, each once, one
/// entry a line.
pub fn render(violations: &[Violation]) -> String {
    let mut sorted: Vec<&Violation> = violations.iter().collect();
    sorted.sort();
    sorted.dedup();
    let lines: Vec<String> = sorted
        .iter()
        .map(|v| serde_json::to_string(&EntryRepr::of(v)).unwrap_or_default())
        .map(|line| format!("    {line}"))
        .collect();
    if lines.is_empty() {
        return format!("{{\n  \"version\": {VERSION},\n  \"violations\": []\n}}\n");
    }
    format!(
        "{{\n  \"version\": {VERSION},\n  \"violations\": [\n{}\n  ]\n}}\n",
        lines.join(",\n")
    )
}

/// E083 for a baseline whose text cannot be used (`file` holds the text).
pub fn malformed(file: FileId, m: &Malformed) -> Diagnostic {
    Diagnostic::new(
        Code::E083,
        format!("the rule baseline cannot be used: {}", m.message),
    )
    .label(Span::new(file, m.at.start, m.at.end), "here")
    .hint(SHAPE)
}

/// E083 for a baseline that cannot be read (`shown`: the path as given).
pub fn unreadable(shown: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E083,
        format!("cannot read the rule baseline `{shown}`: {why}"),
    )
    .hint("record one with `c4c check --update-baseline`, or name another with `--baseline FILE`")
}

/// serde_json's message without its " at line L column C".
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The byte offset of serde_json's 1-based line and column, as a range of
/// one character (empty at the end).
fn offset(text: &str, line: usize, column: usize) -> Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    at..end
}

/// Where each object two levels deep is written (the entries of
/// `violations`, in a text that parsed): one pass, strings skipped.
fn entry_spans(text: &str) -> Vec<Range<usize>> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start = 0;
    let mut spans = Vec::new();
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if depth == 2 && b == b'{' {
                    start = i;
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 2 && b == b'}' {
                    spans.push(start..i + 1);
                }
            }
            _ => {}
        }
    }
    spans
}

/// Where a baseline is, inside the root.
#[derive(Debug, Clone)]
pub struct Location {
    /// The real path of the file, if it is there.
    pub real: Option<PathBuf>,
    /// The real directory that holds (or would hold) it, if it is there.
    pub dir: Option<PathBuf>,
    /// Its file name.
    pub name: String,
}

/// Finds the baseline `path` (relative to the current directory) inside
/// `root` (`--root`, else the current directory): a path climbing out of the
/// root, an absolute path elsewhere or a symbolic link leading out is E012
/// (the link named, never followed), whether or not the file exists.
pub fn locate(path: &Path, root: Option<&Path>) -> Result<Location, Diagnostic> {
    let shown = path.to_string_lossy();
    let cannot = |why: String| unreadable(&shown, &why);
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| cannot(e.to_string()))?;
    let root = match root {
        Some(r) => std::fs::canonicalize(r).map_err(|e| cannot(e.to_string()))?,
        None => cwd.clone(),
    };
    let outside = |link: Option<&str>| {
        let why = link.map_or(String::new(), |l| {
            format!(" (the symbolic link `{l}` leads out)")
        });
        Diagnostic::new(
            Code::E012,
            format!(
                "the rule baseline `{shown}` is outside the root directory{why}"
            ),
        )
        .hint("keep the baseline inside the project (the current directory, or `--root DIR`); a baseline is read from the repository, like the models")
    };
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let Ok(rel) = full.strip_prefix(&root) else {
        return Err(outside(None));
    };
    let name = match rel.components().next_back() {
        Some(Component::Normal(n)) => n.to_string_lossy().into_owned(),
        _ => return Err(cannot("not a file".into())),
    };
    let parent = rel.parent().unwrap_or(Path::new(""));
    let escape = |e: Escape| match e {
        Escape::Climbs => Err(outside(None)),
        Escape::Link(l) => Err(outside(Some(&l))),
        Escape::Loop(_) => Err(cannot("symbolic links loop".into())),
        Escape::Missing(_) => Ok(None),
    };
    let dir = match confine::resolve(&root, &root, parent) {
        Ok(d) => Some(d),
        Err(e) => escape(e)?,
    };
    let real = match confine::resolve(&root, &root, rel) {
        Ok(r) => Some(r),
        Err(e) => escape(e)?,
    };
    Ok(Location { real, dir, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(rule: &str, element: &str) -> Violation {
        Violation {
            rule: rule.into(),
            subject: Subject::Element(element.into()),
        }
    }

    #[test]
    fn a_rendered_baseline_is_sorted_once_each_and_reads_back() {
        let r = Violation {
            rule: "deny a -> b".into(),
            subject: Subject::Relationship {
                from: "a.x".into(),
                to: "b \"quoted\"".into(),
            },
        };
        let all = [
            v("require url on *", "z"),
            r.clone(),
            v("require url on *", "a"),
            r,
        ];
        let text = render(&all);
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"violations\": [\n    {\"rule\":\"deny a -> b\",\"from\":\"a.x\",\"to\":\"b \\\"quoted\\\"\"},\n    {\"rule\":\"require url on *\",\"element\":\"a\"},\n    {\"rule\":\"require url on *\",\"element\":\"z\"}\n  ]\n}\n"
        );
        let b = Baseline::parse(&text).unwrap();
        assert_eq!(b.len(), 3);
        assert!(all.iter().all(|x| b.contains(x)));
        // Each entry's span is its line's object.
        let spans: Vec<&str> = b.entries.iter().map(|(_, at)| &text[at.clone()]).collect();
        assert!(spans[2].starts_with("{\"rule\":\"require url on *\",\"element\":\"z\""));
        assert_eq!(
            render(&[]),
            "{\n  \"version\": 1,\n  \"violations\": []\n}\n"
        );
        assert!(Baseline::parse(&render(&[])).unwrap().is_empty());
    }

    #[test]
    fn malformed_text_says_where() {
        let text = "{\n  \"version\": 1,\n  \"violations\": [x]\n}";
        let m = Baseline::parse(text).unwrap_err();
        assert_eq!(&text[m.at.clone()], "x");
        assert_eq!(m.message, "expected value");
        let m = Baseline::parse("{\"version\": 2, \"violations\": []}").unwrap_err();
        assert!(m.message.contains("version 2"), "{m:?}");
        let text = "{\"version\": 1, \"violations\": [{\"rule\": \"r\", \"from\": \"a\", \"element\": \"b\"}]}";
        let m = Baseline::parse(text).unwrap_err();
        assert_eq!(
            &text[m.at.clone()],
            "{\"rule\": \"r\", \"from\": \"a\", \"element\": \"b\"}"
        );
        // Multi-byte text before the error: the offset stays on a character.
        let m = Baseline::parse("{\"é\": é}").unwrap_err();
        assert!(m.at.end <= "{\"é\": é}".len());
    }
}
