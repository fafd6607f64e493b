//! Structural checks of the source tree: file sizes, module cycles, and a
//! library that never prints or exits.
//!
//! In: the `.rs` files under `src/`, read as text. Out: a failure that names
//! each file over the limit, each cycle between modules (as a path, with the
//! line behind each step, and every edge of the module graph), each print or
//! exit outside the CLI. The graph's nodes are the top-level modules (`src/X`
//! and the crate root, `lib.rs`) and, inside `model`, `view`, `emit` and
//! `syntax`, their direct children; its edges come from `crate::…`,
//! `super::…` and child-module paths. A child module using its own parent
//! is not an edge.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;

use crate::support::root;

/// Longest source file, in lines.
const MAX_FILE_LINES: usize = 800;
/// Modules whose direct children are nodes of their own.
const GRAINED: &[&str] = &["model", "view", "emit", "syntax"];

/// Every `.rs` file under `src/`: (path relative to `src/`, `/`-separated; text).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy();
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((rel.replace('\\', "/"), text));
            }
        }
    }
    let mut out = Vec::new();
    let src = root().join("src");
    walk(&src, &src, &mut out);
    out
}

// ---------------------------------------------------------------- sizes

/// Files over [`MAX_FILE_LINES`]: "path: N lines".
fn long_files(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, text)| text.lines().count() > MAX_FILE_LINES)
        .map(|(path, text)| format!("src/{path}: {} lines", text.lines().count()))
        .collect()
}

#[test]
fn no_source_file_is_over_800_lines() {
    let long = long_files(&sources());
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

// ---------------------------------------------------------------- printing

/// Prints and exits outside the CLI, and prints anywhere that bypass
/// `cli::term` (which never panics: a `print!` would bring back exit 101 on
/// a closed pipe): "path:line: text".
fn prints_and_exits(files: &[(String, String)]) -> Vec<String> {
    // Anywhere, the CLI included: its writes go through `cli::term`.
    const PRINTS: &[&str] = &["print!(", "println!(", "eprint!(", "eprintln!(", "dbg!("];
    // Outside `src/cli/` and `src/main.rs`: the library neither writes to
    // the terminal nor ends the process.
    const EXITS: &[&str] = &[
        "process::exit(",
        "process::abort(",
        "io::stdout(",
        "io::stderr(",
        "Stdio::inherit(",
    ];
    let mut found = Vec::new();
    for (path, text) in files {
        let cli = path.starts_with("cli/") || path == "main.rs";
        let code = code_only(text);
        for (i, (l, code)) in text.lines().zip(code.lines()).enumerate() {
            let banned = PRINTS.iter().chain(if cli { &[][..] } else { EXITS });
            for m in banned {
                let hit = code.match_indices(m).any(|(at, _)| {
                    !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if hit {
                    found.push(format!("src/{path}:{}: {}", i + 1, l.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_library_never_prints_or_exits() {
    let found = prints_and_exits(&sources());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

// ---------------------------------------------------------------- module graph

/// `text` with comments and the insides of string and character literals
/// blanked (same length, line breaks kept), so that what is left is code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| {
        if c == '\n' {
            out.push('\n');
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                blank(&mut out, chars[i]);
                i += 1;
            }
            let end = (i + 2).min(chars.len());
            chars[i..end].iter().for_each(|c| blank(&mut out, *c));
            i = end;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i].last().is_some_and(|p| is_ident(*p))
        {
            // A raw string: r"…", r#"…"#.
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let body = i + 2 + hashes;
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[body..].iter().collect();
            let len = rest.find(&close).map_or(rest.chars().count(), |at| {
                rest[..at].chars().count() + close.len()
            });
            out.extend(&chars[i..body]);
            chars[body..body + len]
                .iter()
                .for_each(|c| blank(&mut out, *c));
            i = body + len;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if let Some(c) = chars.get(i) {
                    blank(&mut out, *c);
                }
                i += 1;
            }
            if i < chars.len() {
                out.push('"');
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{…}'), or a lifetime.
            let len = if next == Some('\\') {
                chars[i + 1..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|p| p + 2)
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(3)
            };
            match len {
                Some(len) => {
                    chars[i..i + len].iter().for_each(|c| blank(&mut out, *c));
                    i += len;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The module path of a file (`model/resolve/mod.rs` → `[model, resolve]`;
/// `lib.rs` → `[]`); `None` for `main.rs`, the binary.
fn module_of(path: &str) -> Option<Vec<String>> {
    if path == "main.rs" {
        return None;
    }
    let stem = path.strip_suffix(".rs")?;
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    Some(parts)
}

/// The graph: its modules (the module paths of every file) and the edges
/// found, each with the first `file:line` behind it.
struct Graph {
    edges: BTreeMap<(String, String), String>,
}

/// The node a module path belongs to.
fn node_of(path: &[String], modules: &BTreeSet<Vec<String>>) -> String {
    let Some(top) = path.first() else {
        return "crate".into();
    };
    if !modules.contains(&vec![top.clone()]) {
        // An item of lib.rs (`crate::Compiled`).
        return "crate".into();
    }
    if GRAINED.contains(&top.as_str())
        && let Some(child) = path.get(1)
        && modules.contains(&vec![top.clone(), child.clone()])
    {
        return format!("{top}::{child}");
    }
    top.clone()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads a path at `at` (`a::b::{c, d::e}`): every full path it names, and
/// where it ends.
fn read_paths(text: &str, mut at: usize) -> (Vec<Vec<String>>, usize) {
    let skip_ws = |at: &mut usize| {
        while text[*at..].starts_with(char::is_whitespace) {
            *at += text[*at..].chars().next().map_or(1, char::len_utf8);
        }
    };
    let mut prefix = Vec::new();
    loop {
        skip_ws(&mut at);
        if text[at..].starts_with('{') {
            at += 1;
            let mut out = Vec::new();
            loop {
                skip_ws(&mut at);
                if text[at..].starts_with('}') || at >= text.len() {
                    at = (at + 1).min(text.len());
                    break;
                }
                if text[at..].starts_with(',') {
                    at += 1;
                    continue;
                }
                let (inner, end) = read_paths(text, at);
                if end == at {
                    // Something a use tree does not hold: give up on it.
                    break;
                }
                at = end;
                out.extend(inner.into_iter().map(|p| {
                    let mut full = prefix.clone();
                    full.extend(p);
                    full
                }));
            }
            return (out, at);
        }
        let len = text[at..]
            .find(|c: char| !is_ident(c))
            .unwrap_or(text.len() - at);
        if len == 0 {
            if text[at..].starts_with('*') {
                at += 1;
            }
            return (vec![prefix], at);
        }
        prefix.push(text[at..at + len].to_string());
        at += len;
        let mut look = at;
        skip_ws(&mut look);
        if !text[look..].starts_with("::") {
            return (vec![prefix], at);
        }
        at = look + 2;
    }
}

/// Inline modules (`mod tests { … }`): their byte ranges, and whether
/// they are test code (`#[cfg(test)]`).
fn inline_modules(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("mod ") {
        if at > 0 && text[..at].ends_with(is_ident) {
            continue;
        }
        let rest = &text[at + 4..];
        let name_len = rest.find(|c: char| !is_ident(c)).unwrap_or(0);
        let after = rest[name_len..].trim_start();
        if name_len == 0 || !after.starts_with('{') {
            continue;
        }
        let open = at + 4 + name_len + (rest.len() - name_len - after.len());
        let mut depth = 0usize;
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let test = text[..at].trim_end().ends_with("#[cfg(test)]");
                        out.push((open, open + i, test));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The child modules a file declares (`mod x;`).
fn declared_children(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter_map(|l| {
            let l = l
                .strip_prefix("pub(crate) ")
                .or(l.strip_prefix("pub "))
                .unwrap_or(l);
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect()
}

/// The modules declared as test code in their own file (`#[cfg(test)]`
/// right above `mod x;`): test code may use anything, as inline `mod tests`.
fn test_modules(files: &[(String, String)]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] == "#[cfg(test)]"
                && let Some(name) = pair[1]
                    .strip_prefix("mod ")
                    .and_then(|l| l.strip_suffix(';'))
            {
                let mut child = module.clone();
                child.push(name.to_string());
                out.insert(child);
            }
        }
    }
    out
}

/// Builds the module graph of `files` (paths relative to `src/`).
fn module_graph(files: &[(String, String)]) -> Graph {
    let modules: BTreeSet<Vec<String>> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let tests = test_modules(files);
    let mut edges = BTreeMap::new();
    for (path, text) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        if tests.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        let from = node_of(&module, &modules);
        let code = code_only(text);
        let inline = inline_modules(&code);
        let children = declared_children(&code);
        let mut add = |target: Vec<String>, at: usize| {
            let to = node_of(&target, &modules);
            // A child using its own parent (or itself) is no edge.
            if to == from || from.starts_with(&format!("{to}::")) {
                return;
            }
            let line = code[..at].matches('\n').count() + 1;
            edges
                .entry((from.clone(), to))
                .or_insert_with(|| format!("src/{path}:{line}"));
        };
        let mut covered = 0;
        for (at, _) in code.match_indices("::") {
            // The root of the path ending at this `::`.
            let start = code[..at].trim_end_matches(is_ident).len();
            if start < covered || start == at {
                continue;
            }
            let before = &code[..start];
            if before.ends_with("::") || before.ends_with('$') && &code[start..at] != "crate" {
                continue;
            }
            let first = &code[start..at];
            let around = || inline.iter().filter(|(a, b, _)| *a < start && start < *b);
            // Test code may use anything (the pipeline, say): not an edge.
            if around().any(|(_, _, test)| *test) {
                continue;
            }
            let depth = around().count();
            let base: Vec<String> = match first {
                "crate" => Vec::new(),
                "super" | "self" => module.clone(),
                name if children.contains(name) && depth == 0 => module.clone(),
                _ => continue,
            };
            let (paths, end) = read_paths(&code, start);
            covered = end;
            for p in paths {
                let mut abs = base.clone();
                let mut rest = p.as_slice();
                if first == "crate" || first == "self" {
                    rest = &rest[1..];
                } else if first == "super" {
                    let supers = rest.iter().take_while(|s| *s == "super").count();
                    rest = &rest[supers..];
                    // Inside `mod tests { … }`, `super` is the file's module.
                    for _ in 0..supers.saturating_sub(depth) {
                        abs.pop();
                    }
                    if supers <= depth {
                        continue;
                    }
                }
                abs.extend(rest.iter().cloned());
                add(abs, start);
            }
        }
    }
    Graph { edges }
}

/// The shortest way from `start` back to itself inside `members` (a
/// strongly connected component): `[start, …, start]`.
fn shortest_cycle<'a>(
    next: &BTreeMap<&'a str, Vec<&'a str>>,
    members: &BTreeSet<&'a str>,
    start: &'a str,
) -> Vec<&'a str> {
    let mut came: HashMap<&str, &str> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut back = None;
    'search: while let Some(n) = queue.pop_front() {
        for m in &next[n] {
            if *m == start {
                back = Some(n);
                break 'search;
            }
            if members.contains(m) && !came.contains_key(m) {
                came.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    // start → … → back, then back → start.
    let mut chain = Vec::new();
    let mut cur = back.unwrap_or(start);
    while cur != start {
        chain.push(cur);
        cur = came[cur];
    }
    chain.reverse();
    std::iter::once(start)
        .chain(chain)
        .chain(std::iter::once(start))
        .collect()
}

impl Graph {
    /// Each cycle, as `a → b → a`, with the line behind each step.
    fn cycles(&self) -> Vec<String> {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in self.edges.keys() {
            next.entry(a).or_default().push(b);
            next.entry(b).or_default();
        }
        let mut graph = petgraph::graph::DiGraph::<&str, ()>::new();
        let ix: HashMap<&str, _> = next.keys().map(|n| (*n, graph.add_node(*n))).collect();
        for (a, b) in self.edges.keys() {
            graph.add_edge(ix[a.as_str()], ix[b.as_str()], ());
        }
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&graph) {
            if scc.len() < 2 {
                continue;
            }
            let members: BTreeSet<&str> = scc.iter().map(|i| graph[*i]).collect();
            let mut seen = BTreeSet::new();
            for start in &members {
                let path = shortest_cycle(&next, &members, start);
                // The same cycle from another of its modules: once.
                let mut key = path[1..].to_vec();
                key.sort_unstable();
                if !seen.insert(key) {
                    continue;
                }
                let steps: Vec<String> = path
                    .windows(2)
                    .map(|w| {
                        let at = &self.edges[&(w[0].to_string(), w[1].to_string())];
                        format!("  {} → {}  ({at})", w[0], w[1])
                    })
                    .collect();
                out.push(format!("{}\n{}", path.join(" → "), steps.join("\n")));
            }
        }
        out
    }

    fn describe(&self) -> String {
        self.edges
            .iter()
            .map(|((a, b), at)| format!("  {a} → {b}  ({at})"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[test]
fn there_are_no_module_cycles() {
    let graph = module_graph(&sources());
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "module cycles:\n{}\n\nthe module graph:\n{}",
        cycles.join("\n"),
        graph.describe()
    );
}

/// The top-level modules in the order the README's architecture map lists
/// them (`src/cli/`, `src/pipeline.rs`, … one or more per line).
fn readme_layers() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let map = readme
        .split("## Architecture")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .unwrap_or_default();
    map.lines()
        .map(|line| {
            line.split_whitespace()
                .take_while(|w| w.starts_with("src/") || w.ends_with(".rs") || w.ends_with('/'))
                .filter_map(|w| {
                    let w = w.trim_start_matches("src/");
                    let name = w.trim_end_matches('/').trim_end_matches(".rs");
                    (w.ends_with(".rs") || w.ends_with('/')).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Edges between top-level modules that go up the README's list.
fn upward_edges(graph: &Graph, layers: &[Vec<String>]) -> Vec<String> {
    let rank: HashMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let top = |n: &str| n.split("::").next().unwrap_or(n).to_string();
    let mut out = Vec::new();
    for ((a, b), at) in &graph.edges {
        let (a, b) = (top(a), top(b));
        // The crate root only re-exports; it is nobody's layer.
        if a == b || a == "crate" || b == "crate" || a == "main" {
            continue;
        }
        match (rank.get(a.as_str()), rank.get(b.as_str())) {
            (Some(x), Some(y)) if x > y => out.push(format!("{a} → {b} goes up ({at})")),
            (Some(_), Some(_)) => {}
            _ => out.push(format!("{a} → {b}: not in the README's map ({at})")),
        }
    }
    out
}

#[test]
fn the_readme_architecture_map_is_the_real_layering() {
    let layers = readme_layers();
    assert!(
        layers.len() >= 10,
        "no architecture map in README.md: {layers:?}"
    );
    let graph = module_graph(&sources());
    let wrong = upward_edges(&graph, &layers);
    assert!(
        wrong.is_empty(),
        "the README's architecture map says dependencies point down its list, but:\n{}",
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------- the checks can fail

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn a_cycle_is_found_through_crate_super_and_child_paths() {
    let src = files(&[
        ("lib.rs", "pub mod a;\npub mod model;\npub mod view;\n"),
        ("a.rs", "use crate::{b::X, model::{kind::Kind}};\n"),
        ("b.rs", "fn f() -> crate::a::Y { todo!() }\n"),
        (
            "model/mod.rs",
            "pub mod kind;\npub mod style;\nuse style::S;\n",
        ),
        ("model/kind.rs", "use super::super::view::V;\n"),
        (
            "model/style.rs",
            "use super::Model; // crate::b::Z in a comment\n",
        ),
        (
            "view/mod.rs",
            "#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        ),
    ]);
    let g = module_graph(&src);
    let edges: Vec<String> = g.edges.keys().map(|(a, b)| format!("{a}>{b}")).collect();
    assert_eq!(
        edges,
        [
            "a>b",
            "a>model::kind",
            "b>a",
            "model>model::style",
            "model::kind>view"
        ]
    );
    let cycles = g.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].starts_with("a → b → a"), "{}", cycles[0]);
    assert!(cycles[0].contains("(src/a.rs:1)"), "{}", cycles[0]);
}

#[test]
fn a_child_using_its_parent_is_not_a_cycle_but_siblings_are() {
    let src = files(&[
        ("lib.rs", "pub mod model;\n"),
        (
            "model/mod.rs",
            "pub mod kind;\npub mod style;\nuse kind::K;\n",
        ),
        ("model/kind.rs", "use super::{Model, style::S};\n"),
        ("model/style.rs", "use crate::model::kind::K;\n"),
    ]);
    let cycles = module_graph(&src).cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(
        cycles[0].starts_with("model::kind → model::style → model::kind"),
        "{}",
        cycles[0]
    );
}

#[test]
fn long_files_and_prints_are_found() {
    let long = "x\n".repeat(MAX_FILE_LINES + 1);
    let src = files(&[
        ("long.rs", &long),
        (
            "cli/mod.rs",
            "fn f() { std::process::exit(2); eprintln!(\"x\"); }\n",
        ),
        (
            "load.rs",
            "// println!(\"in a comment\")\nfn f() { std::process::exit(2) }\n",
        ),
    ]);
    assert_eq!(long_files(&src), ["src/long.rs: 801 lines"]);
    let found = prints_and_exits(&src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("src/cli/mod.rs:1:"), "{found:?}");
    assert!(found[1].starts_with("src/load.rs:2:"), "{found:?}");
}

#[test]
fn test_code_in_its_own_file_is_no_edge_but_the_same_use_elsewhere_is() {
    let with = |attr: &str| {
        files(&[
            ("lib.rs", "pub mod a;\npub mod b;\n"),
            ("a/mod.rs", &format!("{attr}mod tests;\n")),
            ("a/tests.rs", "use crate::b::B;\n"),
            ("b.rs", "use crate::a::A;\n"),
        ])
    };
    assert!(module_graph(&with("#[cfg(test)]\n")).cycles().is_empty());
    assert_eq!(module_graph(&with("")).cycles().len(), 1);
}
