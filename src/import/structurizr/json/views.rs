//! The views and styles of a workspace JSON.
//!
//! In: the typed views (elements and relationships already keyed). Out:
//! the statements of the DSL's `views { }`: each view with its elements as
//! explicit `include`s, `exclude a -> b` for each relationship between two
//! of them that the view does not show (c4c's and Structurizr's implied
//! relationships included), dynamic views as ordered steps, styles as
//! rules; filtered and image views, themes, branding and terminology as
//! statements the translation reports.

use std::collections::{HashMap, HashSet};

use super::schema::{Configuration, Style, Text, View, Views};
use super::{Builder, Kind, text, word};
use crate::import::Code;
use crate::import::structurizr::tree::{Stmt, Word};

/// At most this many (element, relationship) pairs are looked at for the
/// relationships the views leave out, all views together.
const PAIR_BUDGET: usize = 4_000_000;

/// What a view's subject must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject {
    None,
    System,
    Container,
    SystemOrContainer,
}

impl Builder {
    /// The statements of `views { }`.
    pub(super) fn views(&mut self, v: &Views) -> Vec<Stmt> {
        let pairs = self.pairs();
        let mut budget = PAIR_BUDGET;
        let mut out = Vec::new();
        let statics = [
            ("systemLandscape", &v.system_landscape_views, Subject::None),
            ("systemContext", &v.system_context_views, Subject::System),
            ("container", &v.container_views, Subject::System),
            ("component", &v.component_views, Subject::Container),
            ("custom", &v.custom_views, Subject::None),
            ("deployment", &v.deployment_views, Subject::None),
        ];
        for (kw, list, subject) in statics {
            for view in list {
                let s = self.static_view(kw, view, subject, &pairs, &mut budget);
                out.push(s);
            }
        }
        for view in &v.dynamic_views {
            out.push(self.dynamic(view));
        }
        for view in &v.filtered_views {
            let tags: Vec<&str> = view.tags.iter().map(Text::as_str).collect();
            let words = vec![
                word("filtered"),
                text(view.base_view_key.as_str()),
                text(view.mode.as_str()),
                text(&tags.join(",")),
                text(view.key.as_str()),
                text(view.description.as_str()),
            ];
            out.push(self.stmt(view.line, words, None));
        }
        for view in &v.image_views {
            out.push(self.stmt(
                view.line,
                vec![word("image"), text(view.key.as_str())],
                None,
            ));
        }
        if budget == 0 {
            self.issue(
                Code::I002,
                v.line,
                "too many relationships in the views: some a view leaves out may be drawn".into(),
            );
        }
        out.extend(self.configuration(&v.configuration));
        out
    }

    /// A view's subject as a key (`#id`, which names nothing, when the id
    /// is no element of the kind the view needs); `*` when it has none.
    fn subject(&self, id: &Text, subject: Subject) -> String {
        if id.is_empty() {
            return "*".into();
        }
        match self.keys.get(id.as_str()) {
            Some(k)
                if matches!(
                    (subject, k.kind),
                    (Subject::System | Subject::SystemOrContainer, Kind::System)
                        | (
                            Subject::Container | Subject::SystemOrContainer,
                            Kind::Container
                        )
                ) =>
            {
                k.key.clone()
            }
            _ => format!("#{}", id.0),
        }
    }

    /// A landscape, context, container, component, custom or deployment view.
    fn static_view(
        &mut self,
        kw: &str,
        v: &View,
        subject: Subject,
        pairs: &Pairs,
        budget: &mut usize,
    ) -> Stmt {
        let mut words = vec![word(kw)];
        match kw {
            "systemContext" | "container" => {
                words.push(word(&self.subject(&v.software_system_id, Subject::System)))
            }
            "component" => words.push(word(&self.subject(&v.container_id, Subject::Container))),
            "deployment" => {
                words.push(word(&self.subject(&v.software_system_id, Subject::System)));
                words.push(text(v.environment.as_str()));
            }
            _ => {}
        }
        let _ = subject;
        words.push(text(v.key.as_str()));
        if kw == "custom" {
            words.push(text(v.title.as_str()));
        }
        words.push(text(v.description.as_str()));
        let deployed = kw == "deployment";
        let elements = self.view_elements(v, deployed);
        let mut body = Vec::new();
        if !elements.is_empty() {
            let mut include = vec![word("include")];
            include.extend(elements.iter().map(|e| word(e)));
            body.push(self.stmt(v.line, include, None));
        }
        let left_out = self.left_out(v, &elements, pairs, budget);
        if !left_out.is_empty() {
            let mut exclude = vec![word("exclude")];
            for (a, b) in left_out {
                exclude.extend([word(&a), word("->"), word(&b)]);
            }
            body.push(self.stmt(v.line, exclude, None));
        }
        body.extend(self.view_common(v, kw != "custom"));
        self.stmt(v.line, words, Some(body))
    }

    /// The keys of a view's elements; those that are no element (or not of
    /// the view's part of the model) reported and left out.
    fn view_elements(&mut self, v: &View, deployed: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for r in &v.elements {
            match self.keys.get(r.id.as_str()) {
                Some(k) if k.kind.deployed() == deployed => {
                    if seen.insert(k.key.clone()) {
                        out.push(k.key.clone());
                    }
                }
                Some(_) => self.issue(
                    Code::I002,
                    r.line,
                    format!(
                        "element {:?} cannot be shown in this view: left out",
                        r.id.0
                    ),
                ),
                None => self.issue(
                    Code::I003,
                    r.line,
                    format!(
                        "the view names element {:?}, which the workspace does not have",
                        r.id.0
                    ),
                ),
            }
        }
        out
    }

    /// `title`, `autoLayout` and (reported) animation statements of a view.
    fn view_common(&self, v: &View, titled: bool) -> Vec<Stmt> {
        let mut out = Vec::new();
        if titled && !v.title.is_empty() {
            out.push(self.stmt(v.line, vec![word("title"), text(v.title.as_str())], None));
        }
        if let Some(a) = &v.automatic_layout {
            let d = match a.rank_direction.as_str() {
                "BottomTop" => "bt",
                "LeftRight" => "lr",
                "RightLeft" => "rl",
                _ => "tb",
            };
            out.push(self.stmt(v.line, vec![word("autoLayout"), word(d)], None));
        }
        if !v.animations.is_empty() {
            let n = v.animations.len();
            out.push(self.stmt(
                v.line,
                vec![word("animation"), text(&format!("{n} steps"))],
                None,
            ));
        }
        out
    }

    /// Every relationship (declared, implied, replicated) as keys, by
    /// source; for the model's, also between their ancestors, as c4c
    /// implies them.
    fn pairs(&self) -> Pairs {
        let mut out: Pairs = HashMap::new();
        for rel in self.rels.values() {
            let (Some(s), Some(d)) = (self.keys.get(&rel.src), self.keys.get(&rel.dst)) else {
                continue;
            };
            if s.kind.deployed() || d.kind.deployed() {
                out.entry(s.key.clone()).or_default().insert(d.key.clone());
                continue;
            }
            for a in ancestors(&s.key) {
                for b in ancestors(&d.key) {
                    let nested = a.starts_with(&format!("{b}."))
                        || b.starts_with(&format!("{a}."))
                        || a == b;
                    if !nested {
                        out.entry(a.to_string()).or_default().insert(b.to_string());
                    }
                }
            }
        }
        out
    }

    /// The pairs of a view's elements with a relationship between them
    /// that the view does not list.
    fn left_out(
        &self,
        v: &View,
        elements: &[String],
        pairs: &Pairs,
        budget: &mut usize,
    ) -> Vec<(String, String)> {
        let shown: HashSet<(&str, &str)> = v
            .relationships
            .iter()
            .filter_map(|r| self.rels.get(r.id.as_str()))
            .filter_map(|r| {
                Some((
                    self.keys.get(&r.src)?.key.as_str(),
                    self.keys.get(&r.dst)?.key.as_str(),
                ))
            })
            .collect();
        let in_view: HashSet<&str> = elements.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for e in elements {
            for d in pairs.get(e).into_iter().flatten() {
                if *budget == 0 {
                    return out;
                }
                *budget -= 1;
                if in_view.contains(d.as_str()) && !shown.contains(&(e.as_str(), d.as_str())) {
                    out.push((e.clone(), d.clone()));
                }
            }
        }
        out.sort();
        out
    }

    /// `dynamic SCOPE "key" "description" { a -> b "what" "technology" … }`,
    /// the steps in their `order`.
    fn dynamic(&mut self, v: &View) -> Stmt {
        let words = vec![
            word("dynamic"),
            word(&self.subject(&v.element_id, Subject::SystemOrContainer)),
            text(v.key.as_str()),
            text(v.description.as_str()),
        ];
        let mut steps: Vec<(Vec<u64>, usize, Stmt)> = Vec::new();
        for (i, r) in v.relationships.iter().enumerate() {
            let Some(rel) = self.rels.get(r.id.as_str()).cloned() else {
                self.issue(
                    Code::I003,
                    r.line,
                    format!(
                        "the view names relationship {:?}, which the workspace does not have",
                        r.id.0
                    ),
                );
                continue;
            };
            let (src, dst) = if r.response {
                (&rel.dst, &rel.src)
            } else {
                (&rel.src, &rel.dst)
            };
            let label = if r.description.is_empty() {
                &rel.description
            } else {
                &r.description.0
            };
            let step: Vec<Word> = vec![
                word(&self.key_of(src)),
                word("->"),
                word(&self.key_of(dst)),
                text(label),
                text(&rel.technology),
            ];
            let order = r
                .order
                .as_str()
                .split('.')
                .map(|p| p.trim().parse::<u64>().unwrap_or(u64::MAX))
                .collect();
            steps.push((order, i, self.stmt(r.line, step, None)));
        }
        steps.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut body: Vec<Stmt> = steps.into_iter().map(|(_, _, s)| s).collect();
        body.extend(self.view_common(v, true));
        self.stmt(v.line, words, Some(body))
    }

    /// `styles { … }` and the configuration c4c has no equivalent for.
    fn configuration(&self, c: &Configuration) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut styles: Vec<Stmt> = Vec::new();
        for (kw, list) in [
            ("element", &c.styles.elements),
            ("relationship", &c.styles.relationships),
        ] {
            styles.extend(list.iter().map(|s| self.style(kw, s)));
        }
        if !styles.is_empty() {
            out.push(self.stmt(c.styles.line, vec![word("styles")], Some(styles)));
        }
        let mut themes: Vec<Word> = c
            .themes
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| text(t.as_str()))
            .collect();
        if !c.theme.is_empty() {
            themes.push(text(c.theme.as_str()));
        }
        if !themes.is_empty() {
            themes.insert(0, word("themes"));
            out.push(self.stmt(c.line, themes, None));
        }
        for (kw, map) in [("branding", &c.branding), ("terminology", &c.terminology)] {
            let set: Vec<Stmt> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "@line")
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    self.stmt(c.line, vec![word(k), text(&v)], None)
                })
                .collect();
            if !set.is_empty() {
                out.push(self.stmt(c.line, vec![word(kw)], Some(set)));
            }
        }
        out
    }

    /// `element|relationship "Tag" { property value … }`.
    fn style(&self, kw: &str, s: &Style) -> Stmt {
        let body = s
            .set()
            .into_iter()
            .map(|(k, v)| self.stmt(s.line, vec![word(k), text(v)], None))
            .collect();
        self.stmt(s.line, vec![word(kw), text(s.tag.as_str())], Some(body))
    }
}

/// Relationship ends by source key.
type Pairs = HashMap<String, HashSet<String>>;

/// A key and the keys of its ancestors (`a.b.c`, `a.b`, `a`).
fn ancestors(key: &str) -> Vec<&str> {
    let mut out = vec![key];
    let mut k = key;
    while let Some((a, _)) = k.rsplit_once('.') {
        out.push(a);
        k = a;
    }
    out
}
