//! Views and styles: landscape, context, container, component, custom,
//! deployment and dynamic views (keys, `include`/`exclude`, `autoLayout`,
//! titles, descriptions), and element/relationship styles by tag.
//!
//! In: the statements of a `views` block, after the model (identifiers
//! known). Out: lines of the output's `views { }` (with `defaults off`, so
//! the views are the workspace's own), its top-level `dynamic` blocks and
//! `styles { }`.

use std::collections::HashSet;

use super::model::{is_arrow, push_block};
use super::tree::{Stmt, Word};
use super::{Code, Scope, Tx, q, split_tags};

/// File names no view key may take (c4c's E042).
const RESERVED_KEYS: &[&str] = &[
    "index", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

impl Tx {
    /// The statements of a `views` block.
    pub(super) fn views_block(&mut self, stmts: &[Stmt]) {
        let mut out = std::mem::take(&mut self.views);
        let mut keys = HashSet::new();
        for s in stmts {
            match s.keyword().as_str() {
                "" => self.comment(s, &mut out),
                "systemlandscape" | "systemcontext" | "container" | "component" | "custom"
                | "deployment" | "dynamic" => {
                    if !self.defaults_off {
                        self.defaults_off = true;
                        out.insert(0, "defaults off".into());
                    }
                    self.view(s, &mut keys, &mut out);
                }
                "styles" => self.styles_block(s.block.as_deref().unwrap_or_default()),
                "!const" | "!constant" | "!var" => self.directive(s, &mut out),
                "filtered" | "image" | "theme" | "themes" | "branding" | "terminology"
                | "properties" | "!script" | "!plugin" | "configuration" => {
                    self.keep(Code::I001, s, "no c4c equivalent", &mut out);
                }
                _ => self.keep(Code::I004, s, "not a view c4c knows", &mut out),
            }
        }
        self.views = out;
    }

    /// One view.
    fn view(&mut self, s: &Stmt, keys: &mut HashSet<String>, out: &mut Vec<String>) {
        let kw = s.keyword();
        let args: Vec<String> = s.words[1..].iter().map(|w| self.text(w)).collect();
        let top = Scope::default();
        // (c4c head, subject words used, derived key)
        let (head, used, derived) = match kw.as_str() {
            "systemlandscape" => ("landscape".to_string(), 0, "landscape".to_string()),
            "custom" => ("custom".to_string(), 0, "custom".to_string()),
            "systemcontext" | "container" | "component" => {
                let Some(path) = args.first().and_then(|a| self.resolve(&top, a)) else {
                    return self.keep(Code::I003, s, "the view's subject is not an element", out);
                };
                let (k, suffix) = match kw.as_str() {
                    "systemcontext" => ("context", "context"),
                    "container" => ("container", "containers"),
                    _ => ("component", "components"),
                };
                let derived = format!("{}-{suffix}", path.replace('.', "-"));
                (format!("{k} {path}"), 1, derived)
            }
            "deployment" => {
                let scope_word = args.first().cloned().unwrap_or_default();
                let env_name = args.get(1).cloned().unwrap_or_default();
                let env = self.envs.get(&env_name).cloned().or_else(|| {
                    self.deployed
                        .get(&env_name)
                        .filter(|(_, p)| p.is_empty())
                        .map(|(e, _)| e.clone())
                });
                let Some(env) = env else {
                    return self.keep(Code::I003, s, "names no deployment environment", out);
                };
                let of = if scope_word == "*" {
                    String::new()
                } else {
                    match self.resolve(&top, &scope_word) {
                        Some(p) => format!(" of {p}"),
                        None => {
                            return self.keep(
                                Code::I003,
                                s,
                                "the view's subject is not an element",
                                out,
                            );
                        }
                    }
                };
                (
                    format!("deployment {env}{of}"),
                    2,
                    format!("{env}-deployment"),
                )
            }
            _ => return self.dynamic(s, keys, out),
        };
        let given = args.get(used).cloned().unwrap_or_default();
        let key = unique_key(keys, if given.is_empty() { &derived } else { &given });
        let mut body = Vec::new();
        let mut title = None;
        if kw == "custom" {
            title = args.get(1).cloned().filter(|t| !t.is_empty());
        }
        let desc_at = if kw == "custom" { 2 } else { used + 1 };
        if let Some(d) = args.get(desc_at).filter(|d| !d.is_empty()) {
            body.push(format!("description {}", q(d)));
        }
        self.view_body(s, &mut body, &mut title);
        if let Some(t) = title {
            body.insert(0, format!("title {}", q(&t)));
        }
        self.counts.views += 1;
        push_block(out, format!("{head} {}", q(&key)), body);
    }

    /// The statements of a static or deployment view.
    fn view_body(&mut self, s: &Stmt, body: &mut Vec<String>, title: &mut Option<String>) {
        let env = if s.keyword() == "deployment" {
            s.words.get(2).map(|w| self.text(w))
        } else {
            None
        };
        for b in s.block.as_deref().unwrap_or_default() {
            match b.keyword().as_str() {
                "" => self.comment(b, body),
                "include" | "exclude" => self.expressions(b, env.as_deref(), body),
                "autolayout" => {
                    let d = b
                        .words
                        .get(1)
                        .map_or("tb".to_string(), |w| w.text.to_ascii_lowercase());
                    let d = if matches!(d.as_str(), "tb" | "bt" | "lr" | "rl") {
                        d
                    } else {
                        "tb".into()
                    };
                    body.push(format!("direction {}", d.to_ascii_uppercase()));
                    if b.words.len() > 2 {
                        self.issue(
                            Code::I002,
                            b,
                            "autoLayout's rank and node separation: c4c leaves spacing to Mermaid"
                                .into(),
                        );
                    }
                }
                "title" => *title = b.words.get(1).map(|w| self.text(w)),
                "description" => {
                    let d = b.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                    body.push(format!("description {}", q(&d)));
                }
                _ => self.keep(Code::I001, b, "no c4c equivalent in a view", body),
            }
        }
    }

    /// `include`/`exclude` with each expression translated; what cannot be
    /// is reported and kept as a comment.
    fn expressions(&mut self, s: &Stmt, env: Option<&str>, body: &mut Vec<String>) {
        // A quoted expression (`"a -> b"`) is read as its words.
        let words: Vec<Word> = s.words[1..]
            .iter()
            .flat_map(|w| {
                let text = self.text(w);
                text.split_whitespace()
                    .map(|t| Word {
                        text: t.to_string(),
                        quoted: false,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut done = Vec::new();
        let mut failed = false;
        let mut i = 0;
        while i < words.len() {
            let w = self.text(&words[i]);
            let w = w.trim_end_matches(',');
            if words
                .get(i + 1)
                .is_some_and(|n| !n.quoted && is_arrow(&n.text))
                && i + 2 < words.len()
            {
                let b = self.text(&words[i + 2]);
                match (self.side(w, env), self.side(&b, env)) {
                    (Some(x), Some(y)) => done.push(format!("{x} -> {y}")),
                    _ => failed = true,
                }
                i += 3;
                continue;
            }
            match self.expression(w, env) {
                Some(e) => done.extend(e),
                None => failed = true,
            }
            i += 1;
        }
        if !done.is_empty() {
            body.push(format!("{} {}", s.keyword(), done.join(", ")));
        }
        if failed {
            self.keep(
                Code::I001,
                s,
                "an expression c4c cannot select (kept as a comment; the rest is translated)",
                body,
            );
        }
    }

    /// One side of `A -> B`.
    fn side(&self, w: &str, env: Option<&str>) -> Option<String> {
        if w == "*" {
            return Some("*".into());
        }
        self.element_ref(w, env)
    }

    /// An element (or, in a deployment view, an item of its environment).
    fn element_ref(&self, w: &str, env: Option<&str>) -> Option<String> {
        if let Some(env) = env {
            let env_id = self.envs.get(env).cloned().unwrap_or_default();
            if let Some((e, p)) = self.deployed.get(w)
                && *e == env_id
                && !p.is_empty()
            {
                return Some(p.clone());
            }
        }
        self.resolve(&Scope::default(), w)
    }

    /// One word of an `include`/`exclude`.
    fn expression(&self, w: &str, env: Option<&str>) -> Option<Vec<String>> {
        let lower = w.to_ascii_lowercase();
        if w == "*" {
            return Some(vec!["*".into()]);
        }
        if let Some(tags) = lower
            .strip_prefix("element.tag==")
            .map(|_| &w["element.tag==".len()..])
        {
            return Some(
                split_tags(tags)
                    .iter()
                    .map(|t| format!("tag {}", q(t)))
                    .collect(),
            );
        }
        if let Some(t) = lower.strip_prefix("element.type==") {
            let kind = match t {
                "person" => "person",
                "softwaresystem" => "system",
                "container" => "container",
                "component" => "component",
                _ => return None,
            };
            return Some(vec![format!("kind {kind}")]);
        }
        if let Some(p) = lower
            .strip_prefix("element.parent==")
            .map(|_| &w["element.parent==".len()..])
        {
            return self.element_ref(p, env).map(|p| vec![format!("{p}.*")]);
        }
        if lower == "relationship==*" || lower == "relationship.tag!=" {
            return Some(vec!["* -> *".into()]);
        }
        if let Some((a, b)) = w
            .strip_prefix("relationship==")
            .and_then(|r| r.split_once("->"))
        {
            return Some(vec![format!(
                "{} -> {}",
                self.side(a, env)?,
                self.side(b, env)?
            )]);
        }
        if let Some((src, dst)) = self.rels.get(w) {
            return Some(vec![format!("{src} -> {dst}")]);
        }
        if let Some(x) = w.strip_prefix("->").and_then(|r| r.strip_suffix("->")) {
            let ps = self.element_refs(x, env)?;
            return Some(
                ps.iter()
                    .flat_map(|p| [format!("* -> {p}"), format!("{p} -> *")])
                    .collect(),
            );
        }
        if let Some(x) = w.strip_prefix("->") {
            return Some(
                self.element_refs(x, env)?
                    .iter()
                    .map(|p| format!("* -> {p}"))
                    .collect(),
            );
        }
        if let Some(x) = w.strip_suffix("->") {
            return Some(
                self.element_refs(x, env)?
                    .iter()
                    .map(|p| format!("{p} -> *"))
                    .collect(),
            );
        }
        self.element_refs(w, env)
    }

    /// An element, or the elements of a group with an identifier.
    fn element_refs(&self, w: &str, env: Option<&str>) -> Option<Vec<String>> {
        if let Some(p) = self.element_ref(w, env) {
            return Some(vec![p]);
        }
        self.groups.get(w).filter(|m| !m.is_empty()).cloned()
    }

    /// `dynamic <*|scope> [key] [description] { steps }` → a top-level
    /// `dynamic NAME [of SCOPE] { … }` and its view.
    fn dynamic(&mut self, s: &Stmt, keys: &mut HashSet<String>, out: &mut Vec<String>) {
        let args: Vec<String> = s.words[1..].iter().map(|w| self.text(w)).collect();
        let scope_word = args.first().cloned().unwrap_or_else(|| "*".into());
        let of = if scope_word == "*" {
            String::new()
        } else {
            match self.resolve(&Scope::default(), &scope_word) {
                Some(p) => format!(" of {p}"),
                None => return self.keep(Code::I003, s, "the view's scope is not an element", out),
            }
        };
        let given = args.get(1).cloned().unwrap_or_default();
        let name = self.fresh(
            "@dynamic",
            &super::view_ident(if given.is_empty() { "flow" } else { &given }),
        );
        let key = if given.is_empty() {
            unique_key(keys, &format!("{name}-dynamic").replace('_', "-"))
        } else {
            unique_key(keys, &given)
        };
        let mut steps = Vec::new();
        let mut view = Vec::new();
        let mut title = None;
        if let Some(d) = args.get(2).filter(|d| !d.is_empty()) {
            view.push(format!("description {}", q(d)));
        }
        self.steps(
            s.block.as_deref().unwrap_or_default(),
            &mut steps,
            &mut view,
            &mut title,
        );
        if let Some(t) = title {
            view.insert(0, format!("title {}", q(&t)));
        }
        let mut dynamics = std::mem::take(&mut self.dynamics);
        dynamics.push(format!("dynamic {name}{of} {{"));
        dynamics.extend(steps);
        dynamics.push("}".into());
        dynamics.push(String::new());
        self.dynamics = dynamics;
        self.counts.views += 1;
        push_block(out, format!("dynamic {name} {}", q(&key)), view);
    }

    /// The steps of a dynamic view (`{ }` blocks → `parallel`).
    fn steps(
        &mut self,
        stmts: &[Stmt],
        steps: &mut Vec<String>,
        view: &mut Vec<String>,
        title: &mut Option<String>,
    ) {
        // Whether the last statement was a `{ }` block: consecutive blocks
        // are the parallel sequences of one step, so one c4c `parallel`.
        let mut after_block = false;
        for b in stmts {
            let kw = b.keyword();
            if b.words.is_empty() && b.comment.is_none() {
                let mut inner = Vec::new();
                self.steps(
                    b.block.as_deref().unwrap_or_default(),
                    &mut inner,
                    view,
                    title,
                );
                let sequence = inner
                    .iter()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .count();
                if sequence > 1 {
                    self.issue(
                        Code::I002,
                        b,
                        "a parallel sequence of several steps: in c4c each of its steps is a branch of the parallel group".into(),
                    );
                }
                if after_block {
                    steps.pop();
                } else {
                    steps.push("parallel {".into());
                }
                steps.extend(inner);
                steps.push("}".into());
                after_block = true;
                continue;
            }
            after_block = false;
            match kw.as_str() {
                "" => self.comment(b, steps),
                "autolayout" => {
                    let d = b
                        .words
                        .get(1)
                        .map_or("tb".to_string(), |w| w.text.to_ascii_lowercase());
                    if matches!(d.as_str(), "tb" | "bt" | "lr" | "rl") {
                        view.push(format!("direction {}", d.to_ascii_uppercase()));
                    }
                }
                "title" => *title = b.words.get(1).map(|w| self.text(w)),
                "description" => {
                    let d = b.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                    view.push(format!("description {}", q(&d)));
                }
                _ => self.step(b, steps),
            }
        }
    }

    /// `a -> b ["description"]`, or `relationshipId ["description"]`.
    fn step(&mut self, b: &Stmt, steps: &mut Vec<String>) {
        let w: Vec<String> = b.words.iter().map(|w| self.text(w)).collect();
        let top = Scope::default();
        let (ends, label) = if w.get(1).is_some_and(|a| is_arrow(a)) {
            let ends = self
                .resolve(&top, &w[0])
                .zip(w.get(2).and_then(|d| self.resolve(&top, d)));
            // The technology, which c4c's steps do not carry, joins the message.
            let label = match (w.get(3), w.get(4).filter(|t| !t.is_empty())) {
                (Some(l), Some(t)) => Some(format!("{l} [{t}]")),
                (l, _) => l.cloned(),
            };
            (ends, label)
        } else {
            (self.rels.get(&w[0]).cloned(), w.get(1).cloned())
        };
        let Some((src, dst)) = ends else {
            return self.keep(
                Code::I003,
                b,
                "a step names no element of the workspace",
                steps,
            );
        };
        let label = label
            .filter(|l| !l.is_empty())
            .map(|l| format!(" {}", q(&l)))
            .unwrap_or_default();
        steps.push(format!("{src} -> {dst}{label}"));
    }
}

/// A valid, unused view key made from `want`.
fn unique_key(keys: &mut HashSet<String>, want: &str) -> String {
    let mut k: String = want
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(90)
        .collect();
    while k.contains("..") {
        k = k.replace("..", ".");
    }
    if !k.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        k = format!("v{k}");
    }
    if RESERVED_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
        k.push_str("-view");
    }
    let base = k.clone();
    let mut n = 2;
    while !keys.insert(k.to_ascii_lowercase()) {
        k = format!("{base}-{n}");
        n += 1;
    }
    k
}
