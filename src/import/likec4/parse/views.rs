//! The `views` block: `view NAME [of PATH] { … }`, `dynamic view NAME { … }`
//! and `deployment view NAME { … }` with their title, description,
//! `include`/`exclude` predicates, `autoLayout` and dynamic steps.

use super::super::lex::Kind;
use super::{Parser, Predicate, View, ViewKind};

impl Parser<'_> {
    pub(super) fn views(&mut self) {
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Punct('}') => {
                    self.i += 1;
                    return;
                }
                Kind::Comment(_) => self.i += 1,
                Kind::Word(w) if w == "view" => {
                    self.i += 1;
                    self.view(ViewKind::Element);
                }
                Kind::Word(w)
                    if (w == "dynamic" || w == "deployment") && self.word(1) == Some("view") =>
                {
                    self.i += 2;
                    self.view(if w == "dynamic" {
                        ViewKind::Dynamic
                    } else {
                        ViewKind::Deployment
                    });
                }
                Kind::Word(w) => {
                    self.skip(format!("`{w}` in the views block (styles, groups of views and global rules are not translated)"));
                    self.skip_statement();
                }
                _ => {
                    self.skip("a statement in the views block");
                    self.skip_statement();
                    if !self.is_punct(0, '}') {
                        self.i += 1;
                    }
                }
            }
        }
    }

    fn view(&mut self, kind: ViewKind) {
        let line = self.line();
        let name = self
            .word(0)
            .map_or_else(|| format!("view-{line}"), str::to_string);
        if self.word(0).is_some() {
            self.i += 1;
        }
        let mut view = View {
            kind,
            name,
            of: None,
            title: None,
            description: None,
            direction: None,
            predicates: Vec::new(),
            steps: Vec::new(),
            line,
        };
        if self.word(0) == Some("of") {
            self.i += 1;
            view.of = self.path();
        }
        if self.word(0) == Some("extends") {
            self.skip("`extends` of a view (its predicates are not copied)");
            self.i += 1;
            let _ = self.path();
        }
        if !self.eat_punct('{') {
            self.skip("a view without a block");
            self.ast.views.push(view);
            return;
        }
        while let Some(k) = self.peek(0).cloned() {
            match k {
                Kind::Punct('}') => {
                    self.i += 1;
                    break;
                }
                Kind::Comment(_) => self.i += 1,
                Kind::Word(w) => self.view_statement(&w, &mut view),
                Kind::Punct('<') if kind == ViewKind::Dynamic => {
                    self.skip("a dynamic step without a source");
                    self.skip_statement();
                }
                _ => {
                    self.skip("a statement in a view");
                    self.skip_statement();
                    if !self.is_punct(0, '}') && self.peek(0).is_some() {
                        self.i += 1;
                    }
                }
            }
        }
        self.ast.views.push(view);
    }

    fn view_statement(&mut self, w: &str, view: &mut View) {
        let line = self.line();
        match w {
            "title" | "description" => {
                self.i += 1;
                self.eat_punct(':');
                let v = self.strings().into_iter().next();
                if w == "title" {
                    view.title = v
                } else {
                    view.description = v
                }
            }
            "include" | "exclude" => {
                self.i += 1;
                self.predicates(w == "include", view);
            }
            "autoLayout" => {
                self.i += 1;
                view.direction = match self.word(0) {
                    Some("TopBottom") => Some("TB"),
                    Some("BottomTop") => Some("BT"),
                    Some("LeftRight") => Some("LR"),
                    Some("RightLeft") => Some("RL"),
                    _ => None,
                };
                self.skip_statement();
            }
            "parallel" | "par" if view.kind == ViewKind::Dynamic => {
                self.skip("`parallel` (its steps are kept, in order)");
                self.i += 1;
                if !self.eat_punct('{') {
                    return;
                }
                if !self.enter() {
                    return;
                }
                while let Some(k) = self.peek(0).cloned() {
                    match k {
                        Kind::Punct('}') => {
                            self.i += 1;
                            break;
                        }
                        Kind::Word(w) => self.view_statement(&w, view),
                        _ => self.i += 1,
                    }
                }
                self.depth -= 1;
            }
            _ if view.kind == ViewKind::Dynamic => self.step(view, line),
            other => {
                self.skip(format!(
                    "`{other}` in a view (styles, groups, rank and navigation are not translated)"
                ));
                self.skip_statement();
            }
        }
    }

    /// A dynamic step: `a -> b 'title'` or `a <- b 'title'`.
    fn step(&mut self, view: &mut View, line: usize) {
        let Some(from) = self.path() else { return };
        let back = self.is_punct(0, '<') && self.is_punct(1, '-');
        if back {
            self.i += 2;
        } else if matches!(self.peek(0), Some(Kind::Arrow)) {
            self.i += 1;
        } else {
            self.skip("a dynamic view statement");
            self.skip_statement();
            return;
        }
        let Some(to) = self.path() else {
            self.skip("a dynamic step without a target");
            self.skip_statement();
            return;
        };
        let title = self.strings().into_iter().next();
        if self.is_punct(0, '{') {
            self.skip_block();
        }
        let _ = line;
        view.steps.push((from, to, title, back));
    }

    /// Comma-separated predicates, running over line ends after a comma.
    fn predicates(&mut self, include: bool, view: &mut View) {
        let mut line = self.line();
        let mut parts = Vec::new();
        while let Some(t) = self.toks.get(self.i) {
            if t.line != line || matches!(t.kind, Kind::Punct('}') | Kind::Comment(_)) {
                break;
            }
            if t.kind == Kind::Punct('{') {
                self.skip("a predicate's `with { … }`");
                self.skip_block();
                continue;
            }
            // `PREDICATE with { … }`: the predicate stays, its `with` goes.
            if matches!(&t.kind, Kind::Word(w) if w == "with") && self.is_punct(1, '{') {
                self.i += 1;
                continue;
            }
            self.i += 1;
            if t.kind == Kind::Punct(',') {
                let at = t.line;
                view.predicates.push(Predicate {
                    include,
                    parts: std::mem::take(&mut parts),
                    line: at,
                });
                // A comma at the end of a line continues on the next (past
                // comments), unless a view statement follows (a trailing
                // comma before `style`).
                while matches!(self.peek(0), Some(Kind::Comment(_))) {
                    self.i += 1;
                }
                match self.toks.get(self.i) {
                    Some(n) if !matches!(&n.kind, Kind::Word(w) if VIEW_WORDS.contains(&w.as_str())) =>
                    {
                        line = n.line;
                    }
                    _ => break,
                }
                continue;
            }
            parts.push(t.kind.clone());
        }
        if !parts.is_empty() {
            view.predicates.push(Predicate {
                include,
                parts,
                line,
            });
        }
    }
}

/// Words that start a view statement: after a trailing comma they end the
/// predicate list instead of naming an element.
const VIEW_WORDS: &[&str] = &[
    "include",
    "exclude",
    "style",
    "autoLayout",
    "title",
    "description",
    "group",
    "global",
    "rank",
    "navigateTo",
    "link",
    "notation",
    "notes",
];
