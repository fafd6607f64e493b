//! The model: people, software systems, containers, components, custom
//! elements, groups, relationships, `!element` (→ `extend`) and archetypes
//! (→ kinds).
//!
//! In: the statements of a `model` block (or an element's block). Out:
//! `.c4` lines appended to the caller's buffer; identifiers registered in
//! [`Tx`] for later references.

use super::tree::Stmt;
use super::{Archetype, Code, Scope, Tx, q, split_tags};

/// The Structurizr element keywords and their c4c kinds.
fn builtin(kw: &str) -> Option<&'static str> {
    Some(match kw {
        "person" => "person",
        "softwaresystem" => "system",
        "container" => "container",
        "component" => "component",
        "element" => "system",
        _ => return None,
    })
}

/// Names a kind cannot take: the built-in kinds and the statement keywords.
const KIND_RESERVED: &[&str] = &[
    "person",
    "system",
    "container",
    "component",
    "softwaresystem",
    "software_system",
    "node",
    "infra",
    "instance",
    "group",
    "kind",
    "tag",
    "this",
    "extend",
    "external",
    "tags",
    "url",
    "properties",
    "description",
    "technology",
    "api",
    "step",
    "replicas",
    "instances",
    "expand",
    "role",
    "version",
    "model",
    "views",
    "styles",
    "specification",
    "deployment",
    "dynamic",
];

/// Whether a word is a relationship arrow (`->`, `-/>`, `--tag->`).
pub(super) fn is_arrow(w: &str) -> bool {
    w == "->" || w == "-/>" || (w.starts_with("--") && w.ends_with("->") && w.len() > 4)
}

impl Tx {
    /// The statements of a model (or element, or group) block.
    pub(super) fn model_block(&mut self, stmts: &[Stmt], scope: &Scope, out: &mut Vec<String>) {
        for s in stmts {
            self.model_stmt(s, scope, out);
        }
    }

    /// One statement of a model (or element, or group) block.
    pub(super) fn model_stmt(&mut self, s: &Stmt, scope: &Scope, out: &mut Vec<String>) {
        let kw = s.keyword();
        if s.comment.is_some() || s.words.is_empty() {
            return self.comment(s, out);
        }
        if s.words.iter().any(|w| !w.quoted && is_arrow(&w.text)) {
            return self.relationship(s, scope, out);
        }
        let typ = if s.words.get(1).is_some_and(|w| w.text == "=") {
            s.words.get(2).map(|w| w.text.clone()).unwrap_or_default()
        } else {
            s.words[0].text.clone()
        };
        let lower = typ.to_ascii_lowercase();
        if lower == "group" && s.words.get(1).is_some_and(|w| w.text == "=")
            || self.group_archetypes.contains(&typ)
        {
            return self.group(s, scope, out);
        }
        if builtin(&lower).is_some() || self.archetypes.contains_key(&typ) {
            return self.element(s, scope, &typ, out);
        }
        if lower == "deploymentenvironment" {
            return self.environment(s, scope);
        }
        match kw.as_str() {
            "group" => self.group(s, scope, out),
            "!element" | "!ref" => self.extend(s, scope, out),
            "archetypes" => self.archetypes(s.block.as_deref().unwrap_or_default(), out),
            "!identifiers" | "!impliedrelationships" | "!const" | "!constant" | "!var" => {
                self.directive(s, out);
            }
            "description" | "technology" | "url" if !scope.path.is_empty() => {
                let v = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                out.push(format!("{kw} {}", q(&v)));
            }
            "tags" | "tag" if !scope.path.is_empty() => {
                let tags: Vec<String> = s.words[1..]
                    .iter()
                    .flat_map(|w| split_tags(&self.text(w)))
                    .collect();
                self.element_tags.extend(tags.iter().cloned());
                self.tags_of
                    .entry(scope.path.clone())
                    .or_default()
                    .extend(tags.iter().cloned());
                out.extend(tag_lines(&tags));
            }
            "properties" if !scope.path.is_empty() => self.properties(s, out),
            // The DSL's older `location External|Internal`.
            "location" if !scope.path.is_empty() => {
                let v = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                if v.eq_ignore_ascii_case("external") {
                    out.push("external".into());
                } else if !v.eq_ignore_ascii_case("internal")
                    && !v.eq_ignore_ascii_case("unspecified")
                {
                    self.keep(Code::I004, s, "a location c4c does not know", out);
                }
            }
            "enterprise" => {
                self.keep(
                    Code::I002,
                    &header_only(s),
                    "an enterprise boundary: its contents are translated without it",
                    out,
                );
                self.model_block(s.block.as_deref().unwrap_or_default(), scope, out);
            }
            "!elements" => self.extend_all(s, scope, out),
            "!docs" | "!adrs" | "perspectives" | "!script" | "!plugin" | "!relationships"
            | "!relationship" | "healthcheck" | "instances" => {
                self.keep(Code::I001, s, "no c4c equivalent", out);
            }
            _ => self.keep(Code::I004, s, "not a model statement c4c knows", out),
        }
    }

    /// `properties { name value … }`.
    pub(super) fn properties(&mut self, s: &Stmt, out: &mut Vec<String>) {
        out.push("properties {".into());
        for p in s.block.as_deref().unwrap_or_default() {
            if p.comment.is_some() {
                self.comment(p, out);
            } else if p.words.len() >= 2 {
                let (k, v) = (self.text(&p.words[0]), self.text(&p.words[1]));
                out.push(format!("{} {}", q(&k), q(&v)));
            } else {
                self.keep(Code::I004, p, "a property needs a name and a value", out);
            }
        }
        out.push("}".into());
    }

    /// `[id =] KIND "name" …  [{ … }]`.
    fn element(&mut self, s: &Stmt, scope: &Scope, typ: &str, out: &mut Vec<String>) {
        let (sid, rest) = if s.words.get(1).is_some_and(|w| w.text == "=") {
            (Some(self.text(&s.words[0])), &s.words[3..])
        } else {
            (None, &s.words[1..])
        };
        let args: Vec<String> = rest.iter().map(|w| self.text(w)).collect();
        let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
        let lower = typ.to_ascii_lowercase();
        let arche = self.archetypes.get(typ).cloned();
        let base = builtin(&lower)
            .or(arche.as_ref().map(|a| a.base))
            .unwrap_or("system");
        let kind = arche.as_ref().map_or(base.to_string(), |a| a.kind.clone());
        let (name, desc, tech, tags) = match (lower.as_str(), base) {
            ("element", _) => (arg(0), arg(2), arg(1), arg(3)),
            (_, "person" | "system") => (arg(0), arg(1), String::new(), arg(2)),
            _ => (arg(0), arg(1), arg(2), arg(3)),
        };
        if lower == "element" {
            self.issue(
                Code::I002,
                s,
                format!(
                    "custom element {}: translated as a system (tag \"Element\")",
                    q(&name)
                ),
            );
        }
        let id = self.fresh(&scope.path, sid.as_deref().unwrap_or(&name));
        let path = if scope.path.is_empty() {
            id.clone()
        } else {
            format!("{}.{id}", scope.path)
        };
        let key = match (&sid, self.hierarchical && !scope.sid.is_empty()) {
            (Some(s), true) => format!("{}.{s}", scope.sid),
            (Some(s), false) => s.clone(),
            (None, _) => String::new(),
        };
        if !key.is_empty() {
            self.ids.insert(&key, path.clone());
        }
        self.kinds.insert(path.clone(), base);
        self.counts.elements += 1;
        for (g, at) in &self.group_stack {
            if *at == scope.path {
                self.groups.entry(g.clone()).or_default().push(path.clone());
            }
        }
        let mut all_tags = arche.map(|a| a.tags).unwrap_or_default();
        all_tags.extend(split_tags(&tags));
        if lower == "element" {
            all_tags.push("Element".into());
        }
        self.element_tags.extend(all_tags.iter().cloned());
        self.tags_of.insert(path.clone(), all_tags.clone());
        self.order.push(path.clone());
        let mut head = format!("{id} = {kind}");
        let strings = trim_empty(vec![name, desc, tech]);
        for st in &strings {
            head.push(' ');
            head.push_str(&q(st));
        }
        let mut body = tag_lines(&all_tags);
        let inner = Scope {
            path,
            // An element without an identifier resolves names from its parent.
            sid: match (self.hierarchical, key.is_empty()) {
                (false, _) => String::new(),
                (true, true) => scope.sid.clone(),
                (true, false) => key,
            },
            kind: base,
        };
        self.model_block(s.block.as_deref().unwrap_or_default(), &inner, &mut body);
        push_block(out, head, body);
    }

    /// `group "name" { … }`: the same in c4c (groups are no scope).
    /// With an identifier (`g = group "Name"`, or a group archetype), the
    /// group's elements stand for it in views.
    fn group(&mut self, s: &Stmt, scope: &Scope, out: &mut Vec<String>) {
        let named = s.words.get(1).is_some_and(|w| w.text == "=");
        let at = if named { 3 } else { 1 };
        let name = s.words.get(at).map(|w| self.text(w)).unwrap_or_default();
        let key = named.then(|| {
            let gid = self.text(&s.words[0]);
            if self.hierarchical && !scope.sid.is_empty() {
                format!("{}.{gid}", scope.sid)
            } else {
                gid
            }
        });
        if let Some(k) = &key {
            self.groups.entry(k.clone()).or_default();
            self.group_stack.push((k.clone(), scope.path.clone()));
        }
        let mut body = Vec::new();
        self.model_block(s.block.as_deref().unwrap_or_default(), scope, &mut body);
        if key.is_some() {
            self.group_stack.pop();
        }
        out.push(format!("group {} {{", q(&name)));
        out.extend(body);
        out.push("}".into());
    }

    /// `!elements EXPR { … }` → one `extend` per element the expression
    /// selects (`*`, `x.*`, `x.**`, `element.tag==T`, `element.type==T`, or
    /// an identifier).
    fn extend_all(&mut self, s: &Stmt, scope: &Scope, out: &mut Vec<String>) {
        let expr = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
        let Some(paths) = self.select(scope, &expr) else {
            return self.keep(Code::I001, s, "an expression c4c cannot select", out);
        };
        for path in paths {
            let kind = self.kinds.get(&path).copied().unwrap_or("system");
            let inner = Scope {
                path: path.clone(),
                sid: String::new(),
                kind,
            };
            let mut body = Vec::new();
            self.model_block(s.block.as_deref().unwrap_or_default(), &inner, &mut body);
            out.push(format!("extend {path} {{"));
            out.extend(body);
            out.push("}".into());
        }
    }

    /// The elements (declared so far, in order) an `!elements` expression selects.
    fn select(&self, scope: &Scope, expr: &str) -> Option<Vec<String>> {
        let lower = expr.to_ascii_lowercase();
        let all = self.order.iter();
        if expr == "*" {
            return Some(all.cloned().collect());
        }
        if lower.starts_with("element.tag==") {
            let want = split_tags(&expr["element.tag==".len()..]);
            let has = |p: &String| {
                self.tags_of
                    .get(p)
                    .is_some_and(|t| want.iter().any(|w| t.contains(w)))
            };
            return Some(all.filter(|p| has(p)).cloned().collect());
        }
        if let Some(t) = lower.strip_prefix("element.type==") {
            let kind = builtin(t)?;
            return Some(
                all.filter(|p| self.kinds.get(*p) == Some(&kind))
                    .cloned()
                    .collect(),
            );
        }
        if let Some(x) = expr.strip_suffix(".**") {
            let base = format!("{}.", self.resolve(scope, x)?);
            return Some(all.filter(|p| p.starts_with(&base)).cloned().collect());
        }
        if let Some(x) = expr.strip_suffix(".*") {
            let base = format!("{}.", self.resolve(scope, x)?);
            let child = |p: &String| p.strip_prefix(&base).is_some_and(|r| !r.contains('.'));
            return Some(all.filter(|p| child(p)).cloned().collect());
        }
        self.resolve(scope, expr).map(|p| vec![p])
    }

    /// `!element ref { … }` → `extend path { … }`.
    fn extend(&mut self, s: &Stmt, scope: &Scope, out: &mut Vec<String>) {
        let r = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
        let Some(path) = self.resolve(scope, &r) else {
            return self.keep(Code::I003, s, "names no element of the workspace", out);
        };
        let kind = self.kinds.get(&path).copied().unwrap_or("system");
        let sid = if self.hierarchical { r } else { String::new() };
        let inner = Scope {
            path: path.clone(),
            sid,
            kind,
        };
        let mut body = Vec::new();
        self.model_block(s.block.as_deref().unwrap_or_default(), &inner, &mut body);
        out.push(format!("extend {path} {{"));
        out.extend(body);
        out.push("}".into());
    }

    /// `[id =] [src] -> dst ["description" ["technology" ["tags"]]] [{ … }]`.
    pub(super) fn relationship(&mut self, s: &Stmt, scope: &Scope, out: &mut Vec<String>) {
        let words = &s.words;
        let (rid, start) = if words.get(1).is_some_and(|w| w.text == "=") {
            (Some(self.text(&words[0])), 2)
        } else {
            (None, 0)
        };
        let Some(arrow) = words.iter().position(|w| !w.quoted && is_arrow(&w.text)) else {
            return self.keep(Code::I004, s, "not a relationship", out);
        };
        let src_word = if arrow > start {
            Some(self.text(&words[start]))
        } else {
            None
        };
        let src = match &src_word {
            Some(w) => self.resolve(scope, w),
            None => (!scope.path.is_empty()).then(|| scope.path.clone()),
        };
        let dst = words
            .get(arrow + 1)
            .and_then(|w| self.resolve(scope, &self.text(w)));
        let (Some(src), Some(dst)) = (src, dst) else {
            return self.keep(Code::I003, s, "an end is no element of the workspace", out);
        };
        if arrow > start + 1 {
            return self.keep(Code::I004, s, "not a relationship", out);
        }
        let arrow_word = words[arrow].text.clone();
        let mut args: Vec<String> = words[arrow + 2..].iter().map(|w| self.text(w)).collect();
        let arche = arrow_word
            .strip_prefix("--")
            .and_then(|a| a.strip_suffix("->"))
            .and_then(|a| self.rel_archetypes.get(a).cloned());
        match arche {
            Some(a) => apply_rel_archetype(&mut args, &a),
            None if arrow_word != "->" => {
                self.issue(Code::I002, s, format!("`{arrow_word}` translated as `->`"));
            }
            None => {}
        }
        let deployed = scope.kind == super::DEPLOY;
        let positional = args.get(2).map(|t| split_tags(t)).unwrap_or_default();
        self.note_rel_tags(positional, deployed);
        if let Some(r) = rid {
            self.rels.insert(&r, (src.clone(), dst.clone()));
        }
        if scope.kind == super::DEPLOY {
            self.counts.deployment += 1;
        } else {
            self.counts.relationships += 1;
        }
        let mut head = format!("{src} -> {dst}");
        for st in trim_empty(args.into_iter().take(3).collect()) {
            head.push(' ');
            head.push_str(&q(&st));
        }
        let mut body = Vec::new();
        for b in s.block.as_deref().unwrap_or_default() {
            match b.keyword().as_str() {
                "" => self.comment(b, &mut body),
                "description" | "technology" | "url" => {
                    let v = b.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                    body.push(format!("{} {}", b.keyword(), q(&v)));
                }
                "tags" => {
                    let tags: Vec<String> = b.words[1..]
                        .iter()
                        .flat_map(|w| split_tags(&self.text(w)))
                        .collect();
                    self.note_rel_tags(tags.clone(), deployed);
                    if !tags.is_empty() {
                        body.push(format!(
                            "tags {}",
                            tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
                        ));
                    }
                }
                "properties" => self.properties(b, &mut body),
                _ => self.keep(
                    Code::I001,
                    b,
                    "no c4c equivalent for a relationship",
                    &mut body,
                ),
            }
        }
        push_block(out, head, body);
    }

    /// Records relationship tags: deployment relationships' apart, as c4c
    /// styles only the tags of model relationships without a declaration.
    fn note_rel_tags(&mut self, tags: Vec<String>, deployed: bool) {
        if deployed {
            self.deploy_rel_tags.extend(tags);
        } else {
            self.rel_tags.extend(tags);
        }
    }

    /// `archetypes { name = base { … } }` → `kind name extends base { … }`.
    fn archetypes(&mut self, stmts: &[Stmt], out: &mut Vec<String>) {
        for a in stmts {
            if a.comment.is_some() || a.words.is_empty() {
                let mut spec = std::mem::take(&mut self.spec);
                self.comment(a, &mut spec);
                self.spec = spec;
                continue;
            }
            let name = a.words.first().map(|w| self.text(w)).unwrap_or_default();
            let base_word = a.words.get(2).map(|w| w.text.clone()).unwrap_or_default();
            let parent = self.archetypes.get(&base_word).cloned();
            if a.words.get(1).is_some_and(|w| w.text == "=") && is_arrow(&base_word) {
                self.rel_archetype(a, &name, &base_word);
                continue;
            }
            if base_word.eq_ignore_ascii_case("group") || self.group_archetypes.contains(&base_word)
            {
                self.group_archetypes.insert(name);
                continue;
            }
            let base = builtin(&base_word.to_ascii_lowercase()).or(parent.as_ref().map(|p| p.base));
            let (Some(base), true) = (base, a.words.get(1).is_some_and(|w| w.text == "=")) else {
                self.keep(Code::I001, a, "only element archetypes become kinds", out);
                continue;
            };
            let extends = parent.as_ref().map_or(base.to_string(), |p| p.kind.clone());
            let mut kind = super::ident(&name);
            while KIND_RESERVED.contains(&kind.to_ascii_lowercase().as_str())
                || self.archetype_kinds.contains(&kind)
            {
                kind.push_str("_kind");
            }
            let mut tags = parent.map(|p| p.tags).unwrap_or_default();
            let mut body = Vec::new();
            for b in a.block.as_deref().unwrap_or_default() {
                match b.keyword().as_str() {
                    "" => self.comment(b, &mut body),
                    "description" | "technology" => {
                        let v = b.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                        body.push(format!("{} {}", b.keyword(), q(&v)));
                    }
                    "tags" | "tag" => {
                        tags.extend(b.words[1..].iter().flat_map(|w| split_tags(&self.text(w))))
                    }
                    _ => self.keep(Code::I001, b, "no c4c equivalent in a kind", &mut body),
                }
            }
            push_block(
                &mut self.spec,
                format!("kind {kind} extends {extends}"),
                body,
            );
            self.archetype_kinds.insert(kind.clone());
            self.archetypes.insert(name, Archetype { base, kind, tags });
        }
    }
}

impl Tx {
    /// `name = -> { technology … tags … description … }` (or `= --other->`):
    /// defaults for the relationships written `a --name-> b`.
    fn rel_archetype(&mut self, a: &Stmt, name: &str, base: &str) {
        let mut rel = base
            .strip_prefix("--")
            .and_then(|b| b.strip_suffix("->"))
            .and_then(|b| self.rel_archetypes.get(b).cloned())
            .unwrap_or_default();
        for b in a.block.as_deref().unwrap_or_default() {
            let v = || b.words.get(1).map(|w| self.text(w)).unwrap_or_default();
            match b.keyword().as_str() {
                "" => {}
                "technology" => rel.technology = v(),
                "description" => rel.description = v(),
                "tags" | "tag" => rel
                    .tags
                    .extend(b.words[1..].iter().flat_map(|w| split_tags(&self.text(w)))),
                _ => {
                    let mut lost = Vec::new();
                    self.keep(
                        Code::I001,
                        b,
                        "no c4c equivalent in a relationship archetype",
                        &mut lost,
                    );
                }
            }
        }
        self.rel_archetypes.insert(name.to_string(), rel);
    }
}

/// A relationship archetype's defaults under the positional strings
/// (description, technology, tags) written with the relationship.
fn apply_rel_archetype(args: &mut Vec<String>, a: &super::RelArchetype) {
    args.resize(args.len().max(3), String::new());
    if args[0].is_empty() {
        args[0].clone_from(&a.description);
    }
    if args[1].is_empty() {
        args[1].clone_from(&a.technology);
    }
    if !a.tags.is_empty() {
        let mut tags = a.tags.clone();
        tags.extend(split_tags(&args[2]));
        args[2] = tags.join(", ");
    }
}

/// `head` alone, or `head {` body `}`.
pub(super) fn push_block(out: &mut Vec<String>, head: String, body: Vec<String>) {
    if body.is_empty() {
        out.push(head);
    } else {
        out.push(format!("{head} {{"));
        out.extend(body);
        out.push("}".into());
    }
}

/// Positional strings without the empty ones at the end.
pub(super) fn trim_empty(mut v: Vec<String>) -> Vec<String> {
    while v.last().is_some_and(String::is_empty) {
        v.pop();
    }
    v
}

/// A statement without its block (for a message about the header only).
fn header_only(s: &Stmt) -> Stmt {
    Stmt {
        block: None,
        ..s.clone()
    }
}

/// An element's tags as c4c statements: with the `External` tag (the DSL's
/// convention for an element outside the enterprise, any case) it is also
/// c4c's `external`; the tags all stay (styles may name them).
fn tag_lines(tags: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if tags.iter().any(|t| t.eq_ignore_ascii_case("external")) {
        out.push("external".to_string());
    }
    if !tags.is_empty() {
        let all: Vec<String> = tags.iter().map(|t| q(t)).collect();
        out.push(format!("tags {}", all.join(", ")));
    }
    out
}
