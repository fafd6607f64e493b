//! The model's elements, relationships and `extend` blocks, and the
//! deployment environments, written as c4c.

use std::fmt::Write as _;

use super::super::parse::{Element, Environment, Item, Props, Rel};
use super::{Writer, block_lines, ident, quote};
use crate::import::likec4::RawNote as Note;

/// Positional strings: what is given, empty ones only before a later one.
fn positional(parts: &[Option<&String>]) -> String {
    let last = parts.iter().rposition(Option::is_some);
    let mut out = String::new();
    for p in parts.iter().take(last.map_or(0, |l| l + 1)) {
        out.push(' ');
        out.push_str(&quote(p.map_or("", String::as_str)));
    }
    out
}

impl Writer<'_> {
    /// `items` of the LikeC4 element `scope` (`None`: the model), at
    /// `depth` levels of indentation.
    pub(super) fn items(
        &mut self,
        items: &[Item],
        scope: Option<&str>,
        depth: usize,
        out: &mut String,
    ) {
        let pad = "  ".repeat(depth);
        let here = scope
            .and_then(|s| self.placed.get(s))
            .map(|p| p.path.clone());
        for item in items {
            match item {
                Item::Comment(c) => {
                    for l in c.lines() {
                        let _ = writeln!(out, "{pad}// {}", super::comment_text(l));
                    }
                }
                Item::Element(e) => {
                    let lk = scope.map_or(e.name.clone(), |s| format!("{s}.{}", e.name));
                    if self.placed.get(&lk).is_some_and(|p| p.group) {
                        let title = e.props.title.clone().unwrap_or_else(|| e.name.clone());
                        let _ = writeln!(out, "{pad}group {} {{", quote(&title));
                        self.items(&e.items, Some(&lk), depth + 1, out);
                        let _ = writeln!(out, "{pad}}}");
                        continue;
                    }
                    let mut hoisted = String::new();
                    self.element(e, &lk, depth, out, &mut hoisted);
                    out.push_str(&hoisted);
                }
                Item::Rel(r) => self.relationship(r, scope, &pad, out),
                Item::Extend { path, items, line } => match self.resolve(path, scope) {
                    Some((lk, placed)) => {
                        let _ = writeln!(out, "{pad}extend {} {{", placed.path);
                        self.items(items, Some(&lk), depth + 1, out);
                        let _ = writeln!(out, "{pad}}}");
                    }
                    None => self.notes.push(Note {
                        line: *line,
                        what: format!("`extend {path}` names no element (left out)"),
                        code: crate::import::Code::I006,
                    }),
                },
                Item::Instance { line, .. } => {
                    self.notes.push(Note {
                        line: *line,
                        what: "`instanceOf` outside a deployment (left out)".into(),
                        code: crate::import::Code::I005,
                    });
                }
            }
        }
        let _ = here;
    }

    /// One element; children that c4c cannot nest here go to `hoisted`
    /// (written after it, at its level).
    fn element(
        &mut self,
        e: &Element,
        lk: &str,
        depth: usize,
        out: &mut String,
        hoisted: &mut String,
    ) {
        let Some(placed) = self.placed.get(lk).cloned() else {
            return;
        };
        let pad = "  ".repeat(depth);
        let id = placed
            .path
            .rsplit('.')
            .next()
            .unwrap_or(&placed.path)
            .to_string();
        let kind = self.kind_of(e, placed.base);
        let title = e.props.title.clone().unwrap_or_else(|| e.name.clone());
        let strings = positional(&[
            Some(&title),
            e.props.description.as_ref(),
            e.props.technology.as_ref(),
        ]);
        let mut body = String::new();
        for l in block_lines(&e.props, &"  ".repeat(depth + 1)) {
            let _ = writeln!(body, "{l}");
        }
        let mut mine = String::new();
        for item in &e.items {
            if let Item::Element(child) = item {
                let child_lk = format!("{lk}.{}", child.name);
                let parent_ok = self.placed.get(&child_lk).is_some_and(|c| {
                    c.group || c.path.rsplit_once('.').map(|(a, _)| a) == Some(placed.path.as_str())
                });
                if !parent_ok {
                    let mut deeper = String::new();
                    self.element(child, &child_lk, depth, hoisted, &mut deeper);
                    hoisted.push_str(&deeper);
                    continue;
                }
            }
            self.items(std::slice::from_ref(item), Some(lk), depth + 1, &mut mine);
        }
        body.push_str(&mine);
        if body.is_empty() {
            let _ = writeln!(out, "{pad}{id} = {kind}{strings}");
        } else {
            let _ = writeln!(out, "{pad}{id} = {kind}{strings} {{\n{body}{pad}}}");
        }
    }

    /// A relationship with both ends written as full c4c paths.
    fn relationship(&mut self, r: &Rel, scope: Option<&str>, pad: &str, out: &mut String) {
        let source = match &r.source {
            Some(s) => match self.path_of(s, scope, r.line) {
                Some(p) => p,
                None => return,
            },
            None => match scope.and_then(|s| self.placed.get(s)) {
                Some(p) => p.path.clone(),
                None => {
                    self.notes.push(Note {
                        line: r.line,
                        what: "a relationship without a source outside an element (left out)"
                            .into(),
                        code: crate::import::Code::I005,
                    });
                    return;
                }
            },
        };
        let Some(target) = self.path_of(&r.target, scope, r.line) else {
            return;
        };
        let arrow = if r.both {
            "<->"
        } else if r
            .kind
            .as_deref()
            .is_some_and(|k| k.to_ascii_lowercase().contains("async"))
        {
            "~>"
        } else {
            "->"
        };
        let mut props: Props = r.props.clone();
        if let Some(k) = &r.kind {
            props.tags.push(k.clone());
        }
        // c4c's label is LikeC4's title (its description when it has none).
        let label = props.title.clone().or_else(|| props.description.take());
        if props.title.is_some()
            && let Some(d) = props.description.take()
        {
            props.metadata.push(("description".into(), d));
        }
        let strings = positional(&[label.as_ref(), props.technology.as_ref()]);
        let lines = block_lines(&props, &format!("{pad}  "));
        self.relationships += 1;
        if lines.is_empty() {
            let _ = writeln!(out, "{pad}{source} {arrow} {target}{strings}");
        } else {
            let _ = writeln!(
                out,
                "{pad}{source} {arrow} {target}{strings} {{\n{}\n{pad}}}",
                lines.join("\n")
            );
        }
    }

    /// Every deployment environment.
    pub(super) fn deployments(&mut self, out: &mut String) {
        let envs = self.ast.environments.clone();
        for env in &envs {
            let title = env
                .props
                .title
                .as_ref()
                .map_or(String::new(), |t| format!(" {}", quote(t)));
            let _ = writeln!(out, "\ndeployment {}{title} {{", ident(&env.name));
            let mut placed = Placed::default();
            self.nodes(env, &env.items, 1, "", &mut placed, out);
            self.deployment_rels(&placed, out);
            let _ = writeln!(out, "}}");
        }
    }

    /// The relationships of an environment, after its items: each end
    /// resolved as LikeC4 reads it (a path from the environment, or a
    /// unique name and then children or descendants: `eu.rds` for
    /// `eu.zone1.amazon.rds`).
    fn deployment_rels(&mut self, placed: &Placed, out: &mut String) {
        for (source, target, label, line) in &placed.rels {
            let ends = [source, target].map(|r| {
                let (first, rest) = r
                    .split_once('.')
                    .map_or((r.as_str(), None), |(a, b)| (a, Some(b)));
                let start = if placed.paths.contains(first) {
                    Some(first.to_string())
                } else {
                    match placed.by_name.get(first).map(Vec::as_slice) {
                        Some([only]) => Some(only.clone()),
                        _ => None,
                    }
                };
                rest.into_iter()
                    .flat_map(|r| r.split('.'))
                    .try_fold(start?, |cur, name| {
                        super::descend(&placed.by_name, &cur, name, |p| placed.paths.contains(p))
                    })
            });
            match ends {
                [Some(a), Some(b)] => {
                    let _ = writeln!(out, "  {a} -> {b}{label}");
                }
                _ => self.notes.push(Note {
                    line: *line,
                    what: format!("deployment relationship `{source} -> {target}`: an end names no item of the environment (left out)"),
                    code: crate::import::Code::I006,
                }),
            }
        }
    }

    fn nodes(
        &mut self,
        env: &Environment,
        items: &[Item],
        depth: usize,
        prefix: &str,
        placed: &mut Placed,
        out: &mut String,
    ) {
        let pad = "  ".repeat(depth);
        let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut fresh = |name: String| {
            let mut id = name.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{name}_{n}");
                n += 1;
            }
            used.insert(id.clone());
            id
        };
        for item in items {
            match item {
                Item::Comment(c) => {
                    for l in c.lines() {
                        let _ = writeln!(out, "{pad}// {}", super::comment_text(l));
                    }
                }
                Item::Element(n) => {
                    let id = fresh(ident(&n.name));
                    let path = placed.add(prefix, &id);
                    let title = n.props.title.clone().unwrap_or_else(|| n.name.clone());
                    let strings = positional(&[
                        Some(&title),
                        n.props.description.as_ref(),
                        n.props.technology.as_ref(),
                    ]);
                    let mut inner = String::new();
                    for l in block_lines(&n.props, &"  ".repeat(depth + 1)) {
                        let _ = writeln!(inner, "{l}");
                    }
                    self.nodes(env, &n.items, depth + 1, &path, placed, &mut inner);
                    if inner.is_empty() {
                        let _ = writeln!(out, "{pad}{id} = node{strings}");
                    } else {
                        let _ = writeln!(out, "{pad}{id} = node{strings} {{\n{inner}{pad}}}");
                    }
                }
                Item::Instance {
                    name,
                    of,
                    props,
                    line,
                } => {
                    if self
                        .resolve(of, None)
                        .is_some_and(|(_, p)| p.base == super::Base::Person)
                    {
                        self.notes.push(Note {
                            line: *line,
                            what: format!(
                                "`instanceOf {of}`: a person, which c4c does not deploy (left out)"
                            ),
                            code: crate::import::Code::I005,
                        });
                        continue;
                    }
                    let Some(target) = self.path_of(of, None, *line) else {
                        continue;
                    };
                    let id = fresh(name.as_deref().map_or_else(
                        || target.rsplit('.').next().unwrap_or("instance").to_string(),
                        ident,
                    ));
                    let title = props
                        .title
                        .as_ref()
                        .map_or(String::new(), |t| format!(" {}", quote(t)));
                    placed.add(prefix, &id);
                    let _ = writeln!(out, "{pad}{id} = instance {target}{title}");
                }
                Item::Rel(r) => {
                    let Some(source) = r.source.clone() else {
                        self.notes.push(Note {
                            line: r.line,
                            what: "a deployment relationship without a source (left out)".into(),
                            code: crate::import::Code::I005,
                        });
                        continue;
                    };
                    let label = r
                        .props
                        .title
                        .as_ref()
                        .map_or(String::new(), |t| format!(" {}", quote(t)));
                    // Relative to the environment: its name may lead.
                    let strip = |p: &str| {
                        let p = p.strip_prefix(&format!("{}.", env.name)).unwrap_or(p);
                        p.split('.').map(ident).collect::<Vec<_>>().join(".")
                    };
                    placed
                        .rels
                        .push((strip(&source), strip(&r.target), label, r.line));
                }
                Item::Extend { line, .. } => {
                    self.notes.push(Note {
                        line: *line,
                        what: "`extend` in a deployment (left out)".into(),
                        code: crate::import::Code::I005,
                    });
                }
            }
        }
    }
}

/// What an environment's items are called in c4c (paths from the
/// environment, with each LikeC4 name's paths), and its relationships
/// (written after the items, once every end can be resolved).
#[derive(Default)]
struct Placed {
    paths: std::collections::HashSet<String>,
    by_name: std::collections::HashMap<String, Vec<String>>,
    rels: Vec<(String, String, String, usize)>,
}

impl Placed {
    /// Records item `id` under `prefix`; gives its path.
    fn add(&mut self, prefix: &str, id: &str) -> String {
        let path = if prefix.is_empty() {
            id.to_string()
        } else {
            format!("{prefix}.{id}")
        };
        self.paths.insert(path.clone());
        self.by_name
            .entry(id.to_string())
            .or_default()
            .push(path.clone());
        path
    }
}
