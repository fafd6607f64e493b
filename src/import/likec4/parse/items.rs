//! The model's and the deployment's statements: elements (`name = kind …`
//! or `kind name …`), their properties, relationships (`a -> b`, sourceless
//! `-> b`, `a -[kind]-> b`, `a .kind b`), `extend`, `instanceOf`.

use super::super::lex::Kind;
use super::{Element, Environment, Item, MAX_DEPTH, Parser, Props, Rel};

/// Statements of an element's block that are properties, not children.
const PROPS: &[&str] = &[
    "title",
    "description",
    "summary",
    "technology",
    "link",
    "metadata",
    "style",
    "icon",
    "notation",
    "navigateTo",
];

impl Parser<'_> {
    /// Statements up to the closing `}` (consumed). `deployment`: element
    /// statements are nodes, `instanceOf` allowed.
    pub(super) fn items(&mut self, deployment: bool) -> Vec<Item> {
        let mut out = Vec::new();
        if !self.enter() {
            return out;
        }
        loop {
            if self.peek(0).is_none() || self.eat_punct('}') {
                break;
            }
            let before = self.i;
            out.extend(self.one_item(deployment));
            if self.i == before {
                self.i += 1;
            }
        }
        self.depth -= 1;
        out
    }

    /// One more level of blocks; past [`MAX_DEPTH`] the block is skipped.
    pub(super) fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.too_deep();
            self.i -= 1;
            self.skip_block();
            self.depth -= 1;
            return false;
        }
        true
    }

    fn instance(&mut self, name: Option<String>, line: usize) -> Option<Item> {
        let Some(of) = self.path() else {
            self.skip("`instanceOf` without an element");
            self.skip_statement();
            return None;
        };
        let mut props = Props::default();
        let s = self.strings();
        props.title = s.first().cloned();
        if self.eat_punct('{') {
            // Only properties in an instance's block.
            let _ = self.props_and_items(&mut props, true);
        }
        Some(Item::Instance {
            name,
            of,
            props,
            line,
        })
    }

    /// A statement that starts with a word: an element, a relationship from
    /// a path, or (where none fits) something skipped.
    fn word_statement(&mut self, deployment: bool, line: usize) -> Option<Item> {
        let start = self.i;
        // `name = kind …` / `name = instanceOf path`
        if self.is_punct(1, '=') {
            let name = self.word(0)?.to_string();
            self.i += 2;
            if self.word(0) == Some("instanceOf") {
                self.i += 1;
                return self.instance(Some(name), line);
            }
            let kind = self.word(0).map(str::to_string);
            let Some(kind) = kind else {
                self.skip("an element without a kind");
                self.skip_statement();
                return None;
            };
            self.i += 1;
            return Some(Item::Element(self.element(name, kind, line, deployment)));
        }
        // A relationship from a path: `a.b -> c`, `a .uses b`.
        if let Some(source) = self.path() {
            match self.peek(0) {
                Some(Kind::Arrow | Kind::BothArrow | Kind::Kinded(_)) => {
                    return self.relationship(Some(source), line).map(Item::Rel);
                }
                Some(Kind::Punct('.'))
                    if self.word(1).is_some()
                        && self.toks.get(self.i + 1).is_some_and(|t| t.line == line) =>
                {
                    let kind = self.word(1).map(str::to_string);
                    self.i += 2;
                    let target = self.path()?;
                    return Some(Item::Rel(self.rel_rest(
                        Some(source),
                        target,
                        false,
                        kind,
                        line,
                    )));
                }
                _ => {}
            }
        }
        self.i = start;
        // `kind name …`
        if let (Some(kind), Some(name)) = (
            self.word(0).map(str::to_string),
            self.word(1).map(str::to_string),
        ) && !PROPS.contains(&kind.as_str())
        {
            self.i += 2;
            return Some(Item::Element(self.element(name, kind, line, deployment)));
        }
        let what = self.word(0).unwrap_or("?").to_string();
        self.skip(format!("`{what}` here"));
        self.skip_statement();
        if self.i == start {
            self.i += 1;
        }
        None
    }

    /// An element after its name and kind: strings, tags, block.
    fn element(&mut self, name: String, kind: String, line: usize, deployment: bool) -> Element {
        let mut props = Props::default();
        let s = self.strings();
        let mut s = s.into_iter();
        props.title = s.next();
        props.description = s.next();
        props.technology = s.next();
        while let Some(Kind::Tag(t)) = self.peek(0) {
            props.tags.push(t.clone());
            self.i += 1;
            self.eat_punct(',');
        }
        let items = if self.eat_punct('{') {
            self.props_and_items(&mut props, deployment)
        } else {
            Vec::new()
        };
        Element {
            name,
            kind,
            props,
            items,
            line,
        }
    }

    /// A block's properties into `props` (at any place in it), its other
    /// statements returned; up to the closing `}` (consumed).
    fn props_and_items(&mut self, props: &mut Props, deployment: bool) -> Vec<Item> {
        let mut out = Vec::new();
        if !self.enter() {
            return out;
        }
        loop {
            match self.peek(0).cloned() {
                None => break,
                Some(Kind::Punct('}')) => {
                    self.i += 1;
                    break;
                }
                Some(Kind::Tag(t)) => {
                    props.tags.push(t);
                    self.i += 1;
                    self.eat_punct(',');
                }
                Some(Kind::Word(w)) if PROPS.contains(&w.as_str()) && !self.is_punct(1, '=') => {
                    self.i += 1;
                    self.eat_punct(':');
                    self.property(&w, props);
                }
                _ => {
                    let before = self.i;
                    out.extend(self.one_item(deployment));
                    if self.i == before {
                        self.i += 1;
                    }
                }
            }
        }
        self.depth -= 1;
        out
    }

    /// One statement (not a closing brace): an element, a relationship,
    /// `extend`, `instanceOf` or a comment; what it does not read is skipped.
    fn one_item(&mut self, deployment: bool) -> Vec<Item> {
        let line = self.line();
        match self.peek(0).cloned() {
            Some(Kind::Comment(c)) => {
                self.i += 1;
                vec![Item::Comment(c)]
            }
            Some(Kind::Arrow | Kind::BothArrow | Kind::Kinded(_)) => self
                .relationship(None, line)
                .map(Item::Rel)
                .into_iter()
                .collect(),
            // `.kind target` inside an element: a relationship of that kind
            // from the element.
            Some(Kind::Punct('.'))
                if self.word(1).is_some()
                    && self.toks.get(self.i + 1).is_some_and(|t| t.line == line) =>
            {
                let kind = self.word(1).map(str::to_string);
                self.i += 2;
                match self.path() {
                    Some(target) => vec![Item::Rel(self.rel_rest(None, target, false, kind, line))],
                    None => {
                        self.skip("a relationship without a target");
                        self.skip_statement();
                        Vec::new()
                    }
                }
            }
            Some(Kind::Word(w)) if w == "instanceOf" => {
                self.i += 1;
                self.instance(None, line).into_iter().collect()
            }
            Some(Kind::Word(w)) if w == "extend" => {
                self.i += 1;
                match self.path() {
                    Some(path) if self.eat_punct('{') => {
                        let items = self.items(deployment);
                        vec![Item::Extend { path, items, line }]
                    }
                    _ => {
                        self.skip("an `extend` without a path and a block");
                        self.skip_statement();
                        Vec::new()
                    }
                }
            }
            Some(Kind::Word(_)) => self.word_statement(deployment, line).into_iter().collect(),
            _ => {
                self.skip("a statement c4c does not read here");
                self.skip_statement();
                Vec::new()
            }
        }
    }

    fn property(&mut self, name: &str, props: &mut Props) {
        match name {
            "title" => props.title = self.strings().into_iter().next().or(props.title.take()),
            "description" | "summary" => {
                let v = self.strings().into_iter().next();
                if name == "description" || props.description.is_none() {
                    props.description = v.or(props.description.take());
                }
            }
            "technology" => props.technology = self.strings().into_iter().next(),
            "link" => {
                // The rest of the line: the URL, then maybe a quoted label.
                if let Some(Kind::Raw(raw)) = self.peek(0).cloned() {
                    self.i += 1;
                    let url = raw.split_whitespace().next().unwrap_or("").to_string();
                    if props.link.is_none() && !url.is_empty() {
                        props.link = Some(url);
                    }
                }
            }
            "metadata" if self.eat_punct('{') => {
                while let Some(k) = self.peek(0).cloned() {
                    self.i += 1;
                    match k {
                        Kind::Punct('}') => break,
                        Kind::Word(key) => {
                            self.eat_punct(':');
                            let v = self.strings();
                            if v.is_empty() && self.is_punct(0, '[') {
                                // An array: its strings, joined.
                                self.i += 1;
                                let mut all = Vec::new();
                                while let Some(k) = self.peek(0).cloned() {
                                    self.i += 1;
                                    match k {
                                        Kind::Str(s) => all.push(s),
                                        Kind::Punct(']') => break,
                                        _ => {}
                                    }
                                }
                                props.metadata.push((key, all.join(", ")));
                            } else {
                                props.metadata.push((key, v.join(" ")));
                            }
                        }
                        _ => {}
                    }
                }
            }
            other => {
                self.i -= 1;
                self.skip(format!("`{other}`"));
                self.i += 1;
                self.skip_statement();
            }
        }
    }

    /// A relationship from the arrow on: target, strings, tags, block.
    fn relationship(&mut self, source: Option<String>, line: usize) -> Option<Rel> {
        let (both, kind) = match self.peek(0).cloned() {
            Some(Kind::Arrow) => (false, None),
            Some(Kind::BothArrow) => (true, None),
            Some(Kind::Kinded(k)) => (false, Some(k)),
            _ => return None,
        };
        self.i += 1;
        let Some(target) = self.path() else {
            self.skip("a relationship without a target");
            self.skip_statement();
            return None;
        };
        Some(self.rel_rest(source, target, both, kind, line))
    }

    fn rel_rest(
        &mut self,
        source: Option<String>,
        target: String,
        both: bool,
        kind: Option<String>,
        line: usize,
    ) -> Rel {
        let mut props = Props::default();
        let mut s = self.strings().into_iter();
        props.title = s.next();
        props.description = s.next();
        props.technology = s.next();
        while let Some(Kind::Tag(t)) = self.peek(0) {
            props.tags.push(t.clone());
            self.i += 1;
            self.eat_punct(',');
        }
        if self.eat_punct('{') {
            let rest = self.props_and_items(&mut props, false);
            if !rest.is_empty() {
                self.ast.skipped.push(super::Skipped {
                    line,
                    what: "statements in a relationship's block".into(),
                    code: crate::import::Code::I005,
                });
            }
        }
        Rel {
            source,
            target,
            both,
            kind,
            props,
            line,
        }
    }

    /// `deployment { environment NAME { … } }` (nodes directly in the block
    /// go to an environment named `default`).
    pub(super) fn deployment(&mut self) {
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Punct('}') => {
                    self.i += 1;
                    return;
                }
                Kind::Word(w) if w == "environment" => {
                    self.i += 1;
                    let Some(name) = self.word(0).map(str::to_string) else {
                        self.skip("an environment without a name");
                        self.skip_statement();
                        continue;
                    };
                    self.i += 1;
                    let mut props = Props {
                        title: self.strings().into_iter().next(),
                        ..Props::default()
                    };
                    let items = if self.eat_punct('{') {
                        self.props_and_items(&mut props, true)
                    } else {
                        Vec::new()
                    };
                    self.ast
                        .environments
                        .push(Environment { name, props, items });
                }
                Kind::Comment(_) => self.i += 1,
                _ => {
                    let line = self.line();
                    let one = self.one_item(true);
                    if !one.is_empty() {
                        match self
                            .ast
                            .environments
                            .iter_mut()
                            .find(|e| e.name == "default")
                        {
                            Some(env) => env.items.extend(one),
                            None => self.ast.environments.push(Environment {
                                name: "default".into(),
                                props: Props::default(),
                                items: one,
                            }),
                        }
                    } else if self.line() == line && !self.is_punct(0, '}') {
                        self.i += 1;
                    }
                }
            }
        }
    }
}
