//! LikeC4's blocks read into a small tree: tokens in ([`super::lex`]), an
//! [`Ast`] out — the specification's kinds, the model's elements and
//! relationships, views, dynamic views and deployment — with what it does
//! not read kept as [`Skipped`] (line and what). Recursive descent, depth
//! bounded by [`MAX_DEPTH`]; never panics.

use super::lex::{Kind, Tok};

/// Blocks nested deeper than this are skipped (reported).
pub const MAX_DEPTH: usize = 64;

/// An element kind of the specification.
#[derive(Debug, Clone, Default)]
pub struct ElementKind {
    pub name: String,
    pub shape: Option<String>,
    pub color: Option<String>,
    pub technology: Option<String>,
}

/// Title, description, technology, tags, links and metadata.
#[derive(Debug, Clone, Default)]
pub struct Props {
    pub title: Option<String>,
    pub description: Option<String>,
    pub technology: Option<String>,
    pub tags: Vec<String>,
    pub link: Option<String>,
    pub metadata: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub kind: String,
    pub props: Props,
    pub items: Vec<Item>,
    pub line: usize,
}

/// A relationship; `source` `None`: the enclosing element.
#[derive(Debug, Clone)]
pub struct Rel {
    pub source: Option<String>,
    pub target: String,
    pub both: bool,
    pub kind: Option<String>,
    pub props: Props,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub enum Item {
    Element(Element),
    Rel(Rel),
    Extend {
        path: String,
        items: Vec<Item>,
        line: usize,
    },
    Comment(String),
    /// A deployment instance: `NAME = instanceOf PATH` or `instanceOf PATH`.
    Instance {
        name: Option<String>,
        of: String,
        props: Props,
        line: usize,
    },
}

/// One `include`/`exclude` predicate, as its tokens' text (`a.*`, `-> a ->`).
#[derive(Debug, Clone)]
pub struct Predicate {
    pub include: bool,
    pub parts: Vec<Kind>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Element,
    Dynamic,
    Deployment,
}

#[derive(Debug, Clone)]
pub struct View {
    pub kind: ViewKind,
    pub name: String,
    pub of: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub direction: Option<&'static str>,
    pub predicates: Vec<Predicate>,
    /// Dynamic views: the steps (source, target, title, backwards).
    pub steps: Vec<(String, String, Option<String>, bool)>,
    pub line: usize,
}

/// A deployment environment.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub props: Props,
    pub items: Vec<Item>,
}

/// Something the reader did not translate: its line and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub what: String,
    pub code: crate::import::Code,
}

#[derive(Debug, Clone, Default)]
pub struct Ast {
    pub kinds: Vec<ElementKind>,
    pub rel_kinds: Vec<String>,
    pub tags: Vec<String>,
    pub deploy_kinds: Vec<String>,
    pub model: Vec<Item>,
    pub views: Vec<View>,
    pub environments: Vec<Environment>,
    pub skipped: Vec<Skipped>,
    /// Comments before the first block.
    pub header: Vec<String>,
}

/// Reads a LikeC4 file's tokens.
pub fn parse(toks: &[Tok]) -> Ast {
    let mut p = Parser {
        toks,
        i: 0,
        ast: Ast::default(),
        depth: 0,
    };
    p.file();
    p.ast
}

struct Parser<'t> {
    toks: &'t [Tok],
    i: usize,
    ast: Ast,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self, n: usize) -> Option<&Kind> {
        self.toks.get(self.i + n).map(|t| &t.kind)
    }
    fn line(&self) -> usize {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(0, |t| t.line)
    }
    fn word(&self, n: usize) -> Option<&str> {
        match self.peek(n) {
            Some(Kind::Word(w)) => Some(w),
            _ => None,
        }
    }
    fn is_punct(&self, n: usize, c: char) -> bool {
        self.peek(n) == Some(&Kind::Punct(c))
    }
    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.is_punct(0, c);
        if yes {
            self.i += 1;
        }
        yes
    }
    fn skip(&mut self, what: impl Into<String>) {
        let line = self.line();
        self.ast.skipped.push(Skipped {
            line,
            what: what.into(),
            code: crate::import::Code::I005,
        });
    }
    /// Blocks nested past [`MAX_DEPTH`]: reported (I101).
    fn too_deep(&mut self) {
        let line = self.line();
        self.ast.skipped.push(Skipped {
            line,
            what: format!("blocks nested more than {MAX_DEPTH} deep"),
            code: crate::import::Code::I101,
        });
    }
    /// Skips a balanced `{ … }` at the cursor (if any).
    fn skip_block(&mut self) {
        if !self.eat_punct('{') {
            return;
        }
        let mut depth = 1usize;
        while let Some(k) = self.peek(0).cloned() {
            self.i += 1;
            match k {
                Kind::Punct('{') => depth += 1,
                Kind::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
    /// Skips the rest of a statement: the tokens on its line, and a block.
    fn skip_statement(&mut self) {
        let line = self.line();
        while let Some(t) = self.toks.get(self.i) {
            if t.line != line || t.kind == Kind::Punct('}') {
                break;
            }
            if t.kind == Kind::Punct('{') {
                self.skip_block();
                break;
            }
            self.i += 1;
        }
    }
    /// Strings following on the statement's line.
    fn strings(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(Kind::Str(s)) = self.peek(0) {
            out.push(s.clone());
            self.i += 1;
        }
        out
    }
    /// `a.b.c` (also `it`/`this`): the dotted name, or `None`.
    fn path(&mut self) -> Option<String> {
        let mut out = self.word(0)?.to_string();
        self.i += 1;
        while self.is_punct(0, '.') {
            match self.word(1) {
                Some(w) => {
                    out.push('.');
                    out.push_str(w);
                    self.i += 2;
                }
                None => break,
            }
        }
        Some(out)
    }

    fn file(&mut self) {
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Comment(c) => {
                    self.ast.header.push(c);
                    self.i += 1;
                }
                Kind::Word(w) if self.is_punct(1, '{') => {
                    self.i += 2;
                    match w.as_str() {
                        "specification" => self.specification(),
                        "model" => {
                            let items = self.items(false);
                            self.ast.model.extend(items);
                        }
                        "views" => self.views(),
                        "deployment" => self.deployment(),
                        other => {
                            self.i -= 1;
                            self.skip(format!("`{other}` block"));
                            self.skip_block();
                        }
                    }
                }
                _ => {
                    self.skip(
                        "a statement outside the specification, model, views and deployment blocks",
                    );
                    self.skip_statement();
                    if self.peek(0).is_some()
                        && !matches!(self.peek(0), Some(Kind::Word(_) | Kind::Comment(_)))
                    {
                        self.i += 1;
                    }
                }
            }
        }
    }

    fn specification(&mut self) {
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Punct('}') => {
                    self.i += 1;
                    return;
                }
                Kind::Word(w)
                    if matches!(
                        w.as_str(),
                        "element" | "relationship" | "tag" | "deploymentNode"
                    ) =>
                {
                    self.i += 1;
                    let name = match self.peek(0) {
                        Some(Kind::Word(n) | Kind::Tag(n)) => n.clone(),
                        _ => {
                            self.skip(format!("a `{w}` without a name"));
                            self.skip_statement();
                            continue;
                        }
                    };
                    self.i += 1;
                    match w.as_str() {
                        "element" => {
                            let mut kind = ElementKind {
                                name,
                                ..ElementKind::default()
                            };
                            if self.is_punct(0, '{') {
                                self.kind_body(&mut kind);
                            }
                            self.ast.kinds.push(kind);
                        }
                        "relationship" => {
                            self.ast.rel_kinds.push(name);
                            self.skip_block();
                        }
                        "tag" => {
                            self.ast.tags.push(name);
                            self.skip_block();
                        }
                        _ => {
                            self.ast.deploy_kinds.push(name);
                            self.skip_block();
                        }
                    }
                }
                Kind::Comment(_) => self.i += 1,
                _ => {
                    self.skip("a specification statement (kept only: element, relationship, tag, deploymentNode)");
                    self.skip_statement();
                    if self.is_punct(0, '}') && self.line() != 0 {
                        continue;
                    }
                }
            }
        }
    }

    /// An element kind's `{ … }`: technology and its style's shape and colour.
    fn kind_body(&mut self, kind: &mut ElementKind) {
        self.i += 1; // {
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Punct('}') => {
                    self.i += 1;
                    return;
                }
                Kind::Word(w) if w == "style" && self.is_punct(1, '{') => {
                    self.i += 2;
                    while let Some(k) = self.peek(0).cloned() {
                        self.i += 1;
                        match k {
                            Kind::Punct('}') => break,
                            Kind::Word(p) if p == "shape" || p == "color" => {
                                self.eat_punct(':');
                                let v = self.word(0).map(str::to_string);
                                if v.is_some() {
                                    self.i += 1;
                                }
                                if p == "shape" {
                                    kind.shape = v
                                } else {
                                    kind.color = v
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Kind::Word(w) if w == "technology" => {
                    self.i += 1;
                    self.eat_punct(':');
                    kind.technology = self.strings().into_iter().next();
                }
                _ => self.skip_statement(),
            }
        }
    }
}

mod items;
mod views;
