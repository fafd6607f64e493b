//! LikeC4's views written as c4c: element views as landscape, container,
//! component or custom views with their predicates, dynamic views as
//! `dynamic` blocks, deployment views as `deployment` views.

use std::fmt::Write as _;

use super::super::lex::Kind;
use super::super::parse::{Predicate, View, ViewKind};
use super::{Base, Writer, ident, quote};
use crate::import::likec4::RawNote as Note;

/// A view key c4c accepts: letters, digits, `-`, `_`, `.`; not a reserved
/// file name.
fn key(name: &str) -> String {
    let mut k: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    k = k.trim_matches('.').replace("..", ".");
    if k.is_empty() || !k.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        k.insert(0, 'v');
    }
    if ["index", "con", "nul", "prn", "aux"].contains(&k.to_ascii_lowercase().as_str()) {
        k.push_str("-view");
    }
    k
}

impl Writer<'_> {
    pub(super) fn views_out(&mut self, out: &mut String) {
        let views = self.ast.views.clone();
        let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut body = String::new();
        for v in &views {
            let mut k = key(&v.name);
            let mut n = 2;
            while used.contains(&k) {
                k = format!("{}-{n}", key(&v.name));
                n += 1;
            }
            used.insert(k.clone());
            match v.kind {
                ViewKind::Dynamic => self.dynamic(v, &k, out),
                ViewKind::Deployment => self.deployment_view(v, &k, &mut body),
                ViewKind::Element => self.element_view(v, &k, &mut body),
            }
        }
        if !views.is_empty() {
            let _ = writeln!(out, "\nviews {{\n  defaults off\n{body}}}");
        }
    }

    fn head(v: &View, k: &str) -> String {
        let title = v
            .title
            .as_ref()
            .map_or(String::new(), |t| format!(" {}", quote(t)));
        format!("{} {title}", quote(k)).trim_end().to_string()
    }

    fn element_view(&mut self, v: &View, k: &str, body: &mut String) {
        let subject =
            v.of.as_ref()
                .and_then(|of| self.resolve(of, None).map(|(_, p)| p))
                .filter(|p| !p.group);
        if let (Some(of), None) = (&v.of, &subject)
            && self.resolve(of, None).is_none()
        {
            self.notes.push(Note {
                line: v.line,
                what: format!("view `{}`: `of {of}` names no element", v.name),
                code: crate::import::Code::I006,
            });
        }
        let (head, star) = match &subject {
            Some(p) if p.base == Base::System => {
                (format!("container {} {}", p.path, Self::head(v, k)), None)
            }
            Some(p) if p.base == Base::Container => {
                (format!("component {} {}", p.path, Self::head(v, k)), None)
            }
            // c4c's custom view has no default: `*` is the subject and what
            // touches it.
            Some(p) => (format!("custom {}", Self::head(v, k)), Some(p.path.clone())),
            None => (format!("landscape {}", Self::head(v, k)), None),
        };
        let mut lines = Vec::new();
        if let Some(d) = &v.description {
            lines.push(format!("description {}", quote(d)));
        }
        if let Some(d) = v.direction {
            lines.push(format!("direction {d}"));
        }
        for p in &v.predicates {
            for expr in self.predicate(p, star.as_deref(), &v.name) {
                lines.push(format!(
                    "{} {expr}",
                    if p.include { "include" } else { "exclude" }
                ));
            }
        }
        write_view(body, &head, &lines);
    }

    fn deployment_view(&mut self, v: &View, k: &str, body: &mut String) {
        // The environment its predicates start with, else the first one.
        let env = v
            .predicates
            .iter()
            .find_map(|p| match p.parts.first() {
                Some(Kind::Word(w)) => self
                    .ast
                    .environments
                    .iter()
                    .find(|e| &e.name == w)
                    .map(|e| e.name.clone()),
                _ => None,
            })
            .or_else(|| self.ast.environments.first().map(|e| e.name.clone()));
        let Some(env) = env else {
            self.notes.push(Note {
                line: v.line,
                what: format!(
                    "deployment view `{}`: no deployment environment (left out)",
                    v.name
                ),
                code: crate::import::Code::I005,
            });
            return;
        };
        if v.predicates.len() > 1 {
            self.notes.push(Note { line: v.line, what: format!("deployment view `{}`: its predicates are not translated (the whole environment is shown)", v.name), code: crate::import::Code::I007 });
        }
        let mut lines = Vec::new();
        if let Some(d) = v.direction {
            lines.push(format!("direction {d}"));
        }
        write_view(
            body,
            &format!("deployment {} {}", ident(&env), Self::head(v, k)),
            &lines,
        );
    }

    fn dynamic(&mut self, v: &View, k: &str, out: &mut String) {
        let id = ident(k);
        let title = v
            .title
            .as_ref()
            .map_or(String::new(), |t| format!(" {}", quote(t)));
        let _ = writeln!(out, "\ndynamic {id}{title} {{");
        for (from, to, msg, back) in &v.steps {
            let (Some(a), Some(b)) = (
                self.path_of(from, None, v.line),
                self.path_of(to, None, v.line),
            ) else {
                continue;
            };
            let msg = msg
                .as_ref()
                .map_or(String::new(), |m| format!(" {}", quote(m)));
            let _ = writeln!(out, "  {a} {} {b}{msg}", if *back { "<-" } else { "->" });
        }
        let _ = writeln!(out, "}}");
        if !v.predicates.is_empty() {
            self.notes.push(Note {
                line: v.line,
                what: format!(
                    "dynamic view `{}`: `include`/`exclude` are not translated",
                    v.name
                ),
                code: crate::import::Code::I005,
            });
        }
    }

    /// One predicate as c4c view expressions (none: noted).
    fn predicate(&mut self, p: &Predicate, star: Option<&str>, view: &str) -> Vec<String> {
        let mut parts = p.parts.clone();
        if let Some(at) = parts.iter().position(|k| *k == Kind::Word("where".into())) {
            self.notes.push(Note {
                line: p.line,
                what: format!("view `{view}`: a `where` filter (the predicate is kept without it)"),
                code: crate::import::Code::I007,
            });
            parts.truncate(at);
        }
        let text = |k: &Kind| match k {
            Kind::Word(w) => w.clone(),
            Kind::Punct(c) => c.to_string(),
            Kind::Tag(t) => format!("#{t}"),
            _ => String::new(),
        };
        let arrows: Vec<usize> = parts
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, Kind::Arrow | Kind::BothArrow))
            .map(|(i, _)| i)
            .collect();
        // Each side: the selectors it stands for (a group: its elements).
        let side = |w: &mut Self, range: &[Kind]| -> Vec<String> {
            let s: String = range.iter().map(text).collect();
            w.selector(&s, star, p.line)
        };
        let pairs = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter()
                .flat_map(|x| b.iter().map(move |y| format!("{x} -> {y}")))
                .collect()
        };
        let any = vec!["*".to_string()];
        let out = match arrows.as_slice() {
            [] => {
                let s: String = parts.iter().map(text).collect();
                if let Some(kind) = s
                    .strip_prefix("element.kind=")
                    .or_else(|| s.strip_prefix("element.kind=="))
                {
                    self.kind_selector(kind)
                } else if let Some(tag) = s
                    .strip_prefix("element.tag=#")
                    .or_else(|| s.strip_prefix("element.tag==#"))
                {
                    vec![format!("tag:{}", ident(tag))]
                } else {
                    side(self, &parts)
                }
            }
            [0] => pairs(&any, &side(self, &parts[1..])),
            [a] if *a == parts.len() - 1 => pairs(&side(self, &parts[..*a]), &any),
            [a] => {
                let (l, r) = (side(self, &parts[..*a]), side(self, &parts[*a + 1..]));
                let mut out = pairs(&l, &r);
                if parts[*a] == Kind::BothArrow {
                    out.extend(pairs(&r, &l));
                }
                out
            }
            [0, b] if *b == parts.len() - 1 => {
                let t = side(self, &parts[1..*b]);
                let mut out = pairs(&any, &t);
                out.extend(pairs(&t, &any));
                out
            }
            _ => Vec::new(),
        };
        if out.is_empty() {
            let s: String = parts.iter().map(text).collect::<Vec<_>>().join(" ");
            self.notes.push(Note {
                line: p.line,
                what: format!("view `{view}`: predicate `{s}` not translated"),
                code: crate::import::Code::I005,
            });
        }
        out
    }

    /// `*`, a path, `path.*`, `path.**` or `path._` as a c4c selector.
    fn selector(&mut self, s: &str, star: Option<&str>, line: usize) -> Vec<String> {
        if s == "*" {
            return vec![star.map_or("*".to_string(), str::to_string)];
        }
        if let Some(b) = s.strip_suffix("._") {
            // LikeC4's expanded element: it and those of its children that
            // touch the view; c4c shows it and all its children.
            self.notes.push(Note {
                line,
                what: format!("`{s}` (the element and its children that touch the view) is shown as `{b}` and all its children"),
                code: crate::import::Code::I007,
            });
            let mut out = self.selector(b, star, line);
            out.extend(self.selector(&format!("{b}.*"), star, line));
            return out;
        }
        let (base, suffix) = if let Some(b) = s.strip_suffix(".**") {
            (b, ".**")
        } else if let Some(b) = s.strip_suffix(".*") {
            (b, ".*")
        } else {
            (s, "")
        };
        if base.is_empty()
            || !base
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Vec::new();
        }
        // A group stands for its elements.
        if let Some((_, p)) = self.resolve(base, None).filter(|(_, p)| p.group) {
            return p
                .members
                .iter()
                .flat_map(|m| {
                    if suffix == ".**" {
                        vec![m.clone(), format!("{m}.**")]
                    } else {
                        vec![m.clone()]
                    }
                })
                .collect();
        }
        self.path_of(base, None, line)
            .map(|p| vec![format!("{p}{suffix}")])
            .unwrap_or_default()
    }

    fn kind_selector(&self, kind: &str) -> Vec<String> {
        self.kinds
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|(_, name)| format!("kind:{name}"))
            .collect()
    }
}

fn write_view(body: &mut String, head: &str, lines: &[String]) {
    if lines.is_empty() {
        let _ = writeln!(body, "  {head}");
    } else {
        let _ = writeln!(body, "  {head} {{");
        for l in lines {
            let _ = writeln!(body, "    {l}");
        }
        let _ = writeln!(body, "  }}");
    }
}
