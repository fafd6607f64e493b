//! Parser: `.c4` text → [`ast::File`] plus syntax diagnostics.
//!
//! In: one file's text and its [`FileId`].
//! Out: the syntax tree and every syntax error found (E001 syntax, E004 bad
//! escape, E005 nesting too deep). Pest's types never leave this module.
//!
//! Error recovery: the grammar swallows a malformed line into a `bad_*` node
//! and goes on, so one run reports every broken statement. Each swallowed
//! fragment is parsed again, alone and strictly, to say what was expected.

use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use super::ast;
use super::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

mod chunks;

pub use chunks::MAX_DEPTH;
use chunks::{check_braces, matching_brace, model_header, skip_trivia, split_points};

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
struct C4Parser;

/// Parses one file. Never panics; on syntax errors the tree holds what could be read.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let mut p = Ctx {
        file,
        text,
        diags: Vec::new(),
        base: 0,
    };
    let brace_errors = check_braces(file, text);
    if !brace_errors.is_empty() {
        // Unbalanced braces make every later line look wrong; report just them.
        return (File::default(), brace_errors);
    }
    // Top-level items one at a time, and the statements of `model` blocks one
    // at a time: pest keeps every token of a parse in memory, so parsing a
    // 100,000-element model in one go would cost hundreds of megabytes.
    let mut out = File::default();
    let mut pos = skip_trivia(text, 0, text.len());
    while pos < text.len() {
        if let Some(open) = model_header(text, pos) {
            let close = matching_brace(text, open).unwrap_or(text.len());
            let stmts = p.stmt_list_parallel(open + 1, close);
            out.items.push(TopItem::Model(stmts));
            pos = skip_trivia(text, (close + 1).min(text.len()), text.len());
            continue;
        }
        let Some((item, consumed)) = p.parse_one(Rule::top_one, pos, text.len()) else {
            break;
        };
        if let Some(item) = p.top_item(item) {
            out.items.push(item);
        }
        pos = skip_trivia(text, pos + consumed.max(1), text.len());
    }
    (out, p.diags)
}

struct Ctx<'t> {
    file: FileId,
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// Offset of the text the current pest parse started at.
    base: usize,
}

fn rule_name(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::element_id | Rule::kind_ref => "an identifier",
        Rule::path
        | Rule::endpoint
        | Rule::view_path
        | Rule::view_subject
        | Rule::view_path_star => "an element reference",
        Rule::string | Rule::dq_string | Rule::sq_string | Rule::triple_string => "a string",
        Rule::arrow => "an arrow (`->`, `~>` or `<->`)",
        Rule::import_stmt => "`import`",
        Rule::model_block => "`model`",
        Rule::spec_block => "`specification`",
        Rule::views_block => "`views`",
        Rule::styles_block => "`styles`",
        Rule::block | Rule::kind_body | Rule::style_body | Rule::view_body => "`{`",
        Rule::group_stmt => "`group`",
        Rule::extend_stmt => "`extend`",
        Rule::description_stmt => "`description`",
        Rule::technology_stmt => "`technology`",
        Rule::tags_stmt => "`tags`",
        Rule::url_stmt => "`url`",
        Rule::external_stmt | Rule::external_flag => "`external`",
        Rule::properties_stmt => "`properties`",
        Rule::property => "a property (`key \"value\"`)",
        Rule::relationship => "a relationship",
        Rule::deployment_block => "`deployment`",
        Rule::mesh_block => "`mesh`",
        Rule::cdn_block => "`cdn`",
        Rule::code_block => "`code`",
        Rule::states_block => "`states`",
        Rule::class_decl | Rule::class_kw => "`class`, `interface`, `enum` or `abstract`",
        Rule::member => "a member (`+name: Type` or `+method(Type): Type`)",
        Rule::code_relation => "a relation (`A --> B : label`)",
        Rule::code_arrow => "a relation arrow (`-->`, `--|>`, `..|>`, `*--`, `o--`, `..>`)",
        Rule::type_ref => "a type",
        Rule::transition => "a transition (`A -> B : event`)",
        Rule::state_ref => "a state",
        Rule::note_stmt => "`note`",
        Rule::state_decl => "`state`",
        Rule::frag_code => "a class or a relation",
        Rule::frag_rule => "`deny`, `require` or `layer`",
        Rule::rule_sel => "an element selector (`x`, `x.*`, `tag:t`, `kind:k`, `*`)",
        Rule::require_what => "`tag \"name\"`, `description`, `technology` or `url`",
        Rule::frag_dyn => "a step (`a -> b \"message\"`), `note`, `parallel` or `autonumber`",
        Rule::dyn_step => "a step (`a -> b \"message\"`)",
        Rule::dyn_arrow => "`->`, `~>`, `<-` or `<~`",
        Rule::dynamic_block => "`dynamic`",
        Rule::frag_state => "a transition, `note` or `state`",
        Rule::opt_item | Rule::frag_opt => "an option (`key \"value\"`)",
        Rule::instance_stmt => "`instance`",
        Rule::replicas_stmt => "`replicas`",
        Rule::replicas_value => "a number",
        Rule::expand_stmt => "`expand`",
        Rule::attr_stmt => "`role` or `version`",
        Rule::element => "an element (`id = kind \"Name\"`)",
        Rule::kind_def => "`kind`",
        Rule::tag_def => "`tag`",
        Rule::style_def => "a style rule (`element X { … }`)",
        Rule::style_target_kind => "`element`, `relationship`, `tag` or `kind`",
        Rule::style_target => "a style target",
        Rule::style_prop | Rule::flag_prop | Rule::value_prop => "a style property",
        Rule::style_key => "a style property name",
        Rule::style_value => "a value",
        Rule::bool_value => "`true` or `false`",
        Rule::view_def => "a view (`landscape`, `context`, `container` or `component`)",
        Rule::view_kind => "a view kind",
        Rule::include_stmt => "`include`",
        Rule::exclude_stmt => "`exclude`",
        Rule::direction_stmt => "`direction`",
        Rule::direction => "a direction (TB, BT, LR or RL)",
        Rule::title_stmt => "`title`",
        Rule::view_expr | Rule::elem_expr | Rule::elem_selector => "an element selector",
        Rule::rel_expr => "a relationship selector",
        Rule::EOI => "end of file",
        Rule::style_wrapper => "`style`",
        Rule::frag_stmt => "an element, a relationship or an element property",
        Rule::frag_top => "`import`, `model`, `specification`, `views` or `styles`",
        Rule::frag_spec => "`kind` or `tag`",
        Rule::frag_kind => "a style property, `style`, `description` or `technology`",
        Rule::frag_style => "a style rule (`element X { … }`)",
        Rule::frag_prop => "a style property (`fill #hex`, `shape cylinder`, `dashed` …)",
        Rule::frag_view => "a view (`landscape`, `context X`, `container X` or `component X`)",
        Rule::frag_view_stmt => "`include`, `exclude`, `direction`, `title` or `description`",
        _ => return None,
    })
}

fn join_alternatives(mut names: Vec<&'static str>) -> String {
    names.sort();
    names.dedup();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

impl<'t> Ctx<'t> {
    /// The span of a pair, without the trailing blank space pest may include.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let trimmed = s.as_str().trim_end().len();
        let start = self.base + s.start();
        Span::new(self.file, start, start + trimmed)
    }

    /// Turns a pest error (at `offset` into the file) into an E001 diagnostic.
    fn pest_error(&self, err: pest::error::Error<Rule>, offset: usize) -> Diagnostic {
        let pos = match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        } + offset;
        let mut pos = pos;
        let mut rest = self.text.get(pos..).unwrap_or("");
        // Point at the next token, not at the blank before it.
        let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        pos += blank;
        rest = &rest[blank..];
        let at_line_end = rest.is_empty() || rest.starts_with(['\n', '\r']);
        let found: String = if at_line_end {
            String::new()
        } else {
            rest[..token_len(rest)].to_string()
        };
        let span = Span::new(self.file, pos, pos + found.len());
        if found == "\"" || found == "'" {
            let line = rest.lines().next().unwrap_or("");
            if line[1..].find(found.as_str()).is_none() {
                return Diagnostic::new(Code::E001, "unterminated string")
                    .label(Span::new(self.file, pos, pos + line.len()), "the string is not closed on this line")
                    .hint("close it with a quote on the same line; for text over several lines use \"\"\"…\"\"\"");
            }
        }
        if let ErrorVariant::CustomError { message } = &err.variant
            && message.ends_with("limit reached")
        {
            // pest's guard against running out of stack: nesting of some
            // construct (generic types, say) deeper than the parser can follow.
            return Diagnostic::new(Code::E005, "nesting too deep")
                .label(span, "the parser cannot follow the nesting this deep")
                .hint("flatten the nested types or blocks; nesting this deep is not supported");
        }
        let expected = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                join_alternatives(positives.iter().filter_map(rule_name).collect())
            }
            ErrorVariant::CustomError { message } => message.clone(),
        };
        let found_text = if found.is_empty() && rest.is_empty() {
            "end of file".to_string()
        } else if found.is_empty() {
            "end of line".to_string()
        } else if found.chars().any(char::is_control) {
            // A NUL or escape byte would be invisible (or worse) on a terminal.
            format!("`{}` (a control character)", found.escape_debug())
        } else if found.len() > crate::terminal_text::MAX_TOKEN {
            let cut = crate::terminal_text::middle_cut(&found, crate::terminal_text::MAX_TOKEN);
            format!("`{cut}`")
        } else {
            format!("`{found}`")
        };
        let message = if expected.is_empty() {
            format!("unexpected {found_text}")
        } else {
            format!("expected {expected}, found {found_text}")
        };
        let mut d = Diagnostic::new(Code::E001, message).label(span, "unexpected here");
        d = d.hint(syntax_hint(&found, &expected));
        d
    }
}

/// Length of the token starting `rest` (a word, a string start, or one char).
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, c)) if c.is_alphanumeric() || c == '_' => rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len()),
        Some((_, c)) => c.len_utf8(),
    }
}

fn syntax_hint(found: &str, expected: &str) -> String {
    if found.is_empty() {
        return "the statement ends too early: is something missing at the end of the line?"
            .to_string();
    }
    if found == "}" {
        return "a block was closed before it was complete, or a `}` is extra".to_string();
    }
    if found == "=" {
        return "an element is written `id = kind \"Name\"`: is the identifier missing?".into();
    }
    if found.starts_with('"') && expected.contains("identifier") {
        return "an element needs an identifier and a kind first: `api = container \"Name\"`"
            .into();
    }
    if expected.contains("arrow") {
        return "relationships are written `source -> target \"label\"` (`~>` async, `<->` both ways)".into();
    }
    "see docs/language.md for the syntax of each statement".to_string()
}

impl<'t> Ctx<'t> {
    fn text_of(&self, pair: &Pair<'_, Rule>) -> Text {
        Text {
            value: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn path(&self, pair: &Pair<'_, Rule>) -> PathRef {
        let text = pair.as_str();
        let (path, index) = match text.strip_suffix(']').and_then(|t| t.split_once('[')) {
            Some((p, n)) => (p, Some(n.parse::<u32>().unwrap_or(u32::MAX))),
            None => (text, None),
        };
        PathRef {
            segments: path.split('.').map(str::to_string).collect(),
            index,
            span: self.span(pair),
        }
    }

    /// Reports a swallowed malformed fragment, re-parsing it strictly with
    /// `rule` to find what was expected.
    fn bad(&mut self, pair: &Pair<'_, Rule>, rule: Rule) {
        let frag = pair.as_str();
        let start = self.base + pair.as_span().start();
        let d = match C4Parser::parse(rule, frag) {
            Err(err) => self.pest_error(err, start),
            Ok(_) => {
                let len = token_len(frag);
                Diagnostic::new(Code::E001, format!("unexpected `{}`", &frag[..len]))
                    .label(
                        Span::new(self.file, start, start + len),
                        "not expected here",
                    )
                    .hint("this statement is valid, but not in this place")
            }
        };
        self.diags.push(d);
    }

    /// Parses one item with `rule` (`SOI ~ item`) from `start`, not past `end`:
    /// the item's pair and how many bytes it took. Sets `base` for spans.
    fn parse_one(
        &mut self,
        rule: Rule,
        start: usize,
        end: usize,
    ) -> Option<(Pair<'t, Rule>, usize)> {
        let slice = self.text.get(start..end)?;
        match C4Parser::parse(rule, slice) {
            Ok(mut pairs) => {
                let outer = pairs.next()?;
                let consumed = outer.as_span().end();
                let item = outer.into_inner().next()?;
                self.base = start;
                Some((item, consumed))
            }
            Err(err) => {
                let d = self.pest_error(err, start);
                self.diags.push(d);
                None
            }
        }
    }

    /// Like [`Ctx::stmt_list`], for a large model body: split at likely
    /// statement starts and parsed on several threads. Any diagnostic in any
    /// part means a split may have cut a statement, so the body is parsed
    /// again sequentially — the result is always that of the sequential parse.
    fn stmt_list_parallel(&mut self, start: usize, end: usize) -> Vec<Stmt> {
        const MIN_PARALLEL: usize = 256 * 1024;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        if end - start < MIN_PARALLEL || threads < 2 {
            return self.stmt_list(start, end);
        }
        let cuts = split_points(self.text, start, end, threads);
        if cuts.len() < 3 {
            return self.stmt_list(start, end);
        }
        let (file, text) = (self.file, self.text);
        let parts: Vec<Option<Vec<Stmt>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .windows(2)
                .map(|w| {
                    let (a, b) = (w[0], w[1]);
                    scope.spawn(move || {
                        let mut ctx = Ctx {
                            file,
                            text,
                            diags: Vec::new(),
                            base: 0,
                        };
                        let stmts = ctx.stmt_list(a, b);
                        ctx.diags.is_empty().then_some(stmts)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        if parts.iter().all(Option::is_some) {
            parts.into_iter().flatten().flatten().collect()
        } else {
            self.stmt_list(start, end)
        }
    }

    /// The statements between `start` and `end` (a block's inside), one parse each.
    fn stmt_list(&mut self, start: usize, end: usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut pos = skip_trivia(self.text, start, end);
        while pos < end {
            let Some((pair, consumed)) = self.parse_one(Rule::stmt_one, pos, end) else {
                break;
            };
            if let Some(stmt) = self.stmt(pair) {
                out.push(stmt);
            }
            pos = skip_trivia(self.text, pos + consumed.max(1), end);
        }
        out
    }

    fn top_item(&mut self, pair: Pair<'_, Rule>) -> Option<TopItem> {
        match pair.as_rule() {
            Rule::import_stmt => {
                let s = pair.into_inner().next()?;
                Some(TopItem::Import(self.string(s)))
            }
            Rule::model_block => Some(TopItem::Model(self.stmts(pair))),
            Rule::spec_block => {
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::kind_def => items.push(SpecItem::Kind(self.kind_def(p))),
                        Rule::tag_def => {
                            let span = self.span(&p);
                            let mut inner = p.into_inner();
                            let name = inner.next().map(|n| self.text_of(&n));
                            let description = inner.next().map(|d| self.string(d));
                            if let Some(name) = name {
                                items.push(SpecItem::Tag {
                                    name,
                                    description,
                                    span,
                                });
                            }
                        }
                        Rule::bad_stmt => self.bad(&p, Rule::frag_spec),
                        _ => {}
                    }
                }
                Some(TopItem::Specification(items))
            }
            Rule::views_block => {
                let mut views = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::view_def => views.push(self.view_def(p)),
                        Rule::bad_stmt => self.bad(&p, Rule::frag_view),
                        _ => {}
                    }
                }
                Some(TopItem::Views(views))
            }
            Rule::styles_block => {
                let mut rules = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::style_def => rules.push(self.style_def(p)),
                        Rule::bad_stmt => self.bad(&p, Rule::frag_style),
                        _ => {}
                    }
                }
                Some(TopItem::Styles(rules))
            }
            Rule::deployment_block => {
                let span = self.span(&pair);
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut strings = Vec::new();
                let mut body = Vec::new();
                for p in inner {
                    if p.as_rule() == Rule::string {
                        strings.push(self.string(p));
                    } else if let Some(stmt) = self.stmt(p) {
                        body.push(stmt);
                    }
                }
                Some(TopItem::Deployment(DeploymentDef {
                    name,
                    strings,
                    body,
                    span,
                }))
            }
            Rule::mesh_block | Rule::cdn_block => {
                let is_cdn = pair.as_rule() == Rule::cdn_block;
                let span = self.span(&pair);
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut strings = Vec::new();
                let mut target = None;
                let mut options = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::string => strings.push(self.string(p)),
                        Rule::path => target = Some(self.path(&p)),
                        Rule::opt_item => options.extend(self.opt_item(p)),
                        Rule::bad_stmt => self.bad(&p, Rule::frag_opt),
                        _ => {}
                    }
                }
                let def = MeshDef {
                    name,
                    strings,
                    target: target?,
                    options,
                    span,
                };
                Some(if is_cdn {
                    TopItem::Cdn(def)
                } else {
                    TopItem::Mesh(def)
                })
            }
            Rule::code_block => {
                let span = self.span(&pair);
                let mut def = CodeDef {
                    element: PathRef {
                        segments: Vec::new(),
                        index: None,
                        span,
                    },
                    title: None,
                    classes: Vec::new(),
                    relations: Vec::new(),
                    span,
                };
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::path => def.element = self.path(&p),
                        Rule::string => def.title = Some(self.string(p)),
                        Rule::class_decl => def.classes.extend(self.class_decl(p)),
                        Rule::code_relation => def.relations.extend(self.code_relation(p)),
                        Rule::bad_stmt => self.bad(&p, Rule::frag_code),
                        _ => {}
                    }
                }
                Some(TopItem::Code(def))
            }
            Rule::states_block => {
                let span = self.span(&pair);
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut def = StatesDef {
                    name,
                    title: None,
                    of: None,
                    body: Vec::new(),
                    span,
                };
                for p in inner {
                    match p.as_rule() {
                        Rule::string => def.title = Some(self.string(p)),
                        Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                        _ => def.body.extend(self.state_stmt(p)),
                    }
                }
                Some(TopItem::States(def))
            }
            Rule::dynamic_block => {
                let span = self.span(&pair);
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut def = DynamicDef {
                    name,
                    title: None,
                    of: None,
                    autonumber: false,
                    steps: Vec::new(),
                    span,
                };
                for p in inner {
                    match p.as_rule() {
                        Rule::string => def.title = Some(self.string(p)),
                        Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                        Rule::dyn_autonumber => def.autonumber = true,
                        _ => def.steps.extend(self.dyn_step(p)),
                    }
                }
                Some(TopItem::Dynamic(def))
            }
            Rule::rules_block => {
                let mut rules = Vec::new();
                for p in pair.into_inner() {
                    if p.as_rule() == Rule::bad_stmt {
                        self.bad(&p, Rule::frag_rule);
                    } else if let Some(r) = self.rule(p) {
                        rules.push(r);
                    }
                }
                Some(TopItem::Rules(rules))
            }
            Rule::bad_top => {
                self.bad(&pair, Rule::frag_top);
                None
            }
            _ => None,
        }
    }

    /// The statements directly inside a block-like pair.
    fn stmts(&mut self, pair: Pair<'_, Rule>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for p in pair.into_inner() {
            if let Some(s) = self.stmt(p) {
                out.push(s);
            }
        }
        out
    }

    fn stmt(&mut self, pair: Pair<'_, Rule>) -> Option<Stmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        match rule {
            Rule::group_stmt => {
                let mut inner = pair.into_inner();
                let title = self.string(inner.next()?);
                let body = inner.filter_map(|p| self.stmt(p)).collect();
                Some(Stmt::Group { title, body, span })
            }
            Rule::extend_stmt => {
                let mut inner = pair.into_inner();
                let target = self.path(&inner.next()?);
                let body = inner.filter_map(|p| self.stmt(p)).collect();
                Some(Stmt::Extend { target, body, span })
            }
            Rule::description_stmt => Some(Stmt::Description(
                self.string(pair.into_inner().next()?),
                span,
            )),
            Rule::technology_stmt => Some(Stmt::Technology(
                self.string(pair.into_inner().next()?),
                span,
            )),
            Rule::url_stmt => Some(Stmt::Url(self.string(pair.into_inner().next()?), span)),
            Rule::tags_stmt => Some(Stmt::Tags(
                pair.into_inner().map(|s| self.string(s)).collect(),
                span,
            )),
            Rule::external_stmt => Some(Stmt::External(span)),
            Rule::properties_stmt => {
                let mut props = Vec::new();
                for p in pair.into_inner() {
                    let mut inner = p.into_inner();
                    let (Some(k), Some(v)) = (inner.next(), inner.next()) else {
                        continue;
                    };
                    let key = if k.as_rule() == Rule::ident {
                        self.text_of(&k)
                    } else {
                        self.string(k)
                    };
                    props.push((key, self.string(v)));
                }
                Some(Stmt::Properties(props, span))
            }
            Rule::relationship => {
                let mut source = None;
                let mut arrow = None;
                let mut target = None;
                let mut strings = Vec::new();
                let mut body = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::endpoint if arrow.is_none() => source = Some(self.path(&p)),
                        Rule::endpoint => target = Some(self.path(&p)),
                        Rule::arrow => arrow = Some((parse_arrow(p.as_str()), self.span(&p))),
                        Rule::string => strings.push(self.string(p)),
                        Rule::block => body = Some(self.stmts(p)),
                        _ => {}
                    }
                }
                let (arrow, arrow_span) = arrow?;
                Some(Stmt::Relationship(RelStmt {
                    source,
                    arrow,
                    arrow_span,
                    target: target?,
                    strings,
                    body,
                    span,
                }))
            }
            Rule::element => {
                let mut id = None;
                let mut kind = None;
                let mut external = false;
                let mut strings = Vec::new();
                let mut body = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::element_id => id = Some(self.text_of(&p)),
                        Rule::kind_ref => kind = Some(self.text_of(&p)),
                        Rule::external_flag => external = true,
                        Rule::string => strings.push(self.string(p)),
                        Rule::block => body = Some(self.stmts(p)),
                        _ => {}
                    }
                }
                Some(Stmt::Element(ElementStmt {
                    id,
                    kind: kind?,
                    external,
                    strings,
                    body,
                    span,
                }))
            }
            Rule::instance_stmt => {
                let mut id = None;
                let mut element = None;
                let mut strings = Vec::new();
                let mut body = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::element_id => id = Some(self.text_of(&p)),
                        Rule::path => element = Some(self.path(&p)),
                        Rule::string => strings.push(self.string(p)),
                        Rule::block => body = Some(self.stmts(p)),
                        _ => {}
                    }
                }
                Some(Stmt::Instance(InstanceStmt {
                    id,
                    element: element?,
                    strings,
                    body,
                    span,
                }))
            }
            Rule::replicas_stmt => Some(Stmt::Replicas(
                self.text_of(&pair.into_inner().next()?),
                span,
            )),
            Rule::step_stmt => Some(Stmt::Step(self.text_of(&pair.into_inner().next()?), span)),
            Rule::api_stmt => Some(Stmt::Api(self.string(pair.into_inner().next()?), span)),
            Rule::expand_stmt => Some(Stmt::Expand(
                pair.into_inner().next().map(|s| self.string(s)),
                span,
            )),
            Rule::attr_stmt => {
                let mut inner = pair.into_inner();
                let key = self.text_of(&inner.next()?);
                let value = self.string(inner.next()?);
                Some(Stmt::Attr(key, value, span))
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_stmt);
                None
            }
            _ => None,
        }
    }

    fn class_decl(&mut self, pair: Pair<'_, Rule>) -> Option<ClassDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = self.text_of(&inner.next()?);
        let name_pair = inner.next()?;
        let name = Text {
            value: compact(name_pair.as_str()),
            span: self.span(&name_pair),
        };
        let mut decl = ClassDecl {
            kind,
            name,
            label: None,
            annotations: Vec::new(),
            tags: Vec::new(),
            members: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::string => decl.label = Some(self.string(p)),
                Rule::annotation => decl.annotations.push(self.text_of(&p)),
                Rule::class_body => {
                    for m in p.into_inner() {
                        match m.as_rule() {
                            Rule::annotation => decl.annotations.push(self.text_of(&m)),
                            Rule::tags_stmt => {
                                decl.tags.extend(m.into_inner().map(|t| self.string(t)))
                            }
                            Rule::member => decl.members.extend(self.member(m)),
                            Rule::bad_stmt => self.bad(&m, Rule::frag_code),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Some(decl)
    }

    fn member(&mut self, pair: Pair<'_, Rule>) -> Option<Member> {
        let span = self.span(&pair);
        let mut m = Member {
            visibility: None,
            name: Text {
                value: String::new(),
                span,
            },
            params: None,
            ty: None,
            classifier: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::visibility => m.visibility = p.as_str().chars().next(),
                Rule::ident => m.name = self.text_of(&p),
                Rule::params => {
                    let mut list = Vec::new();
                    for param in p.into_inner() {
                        let mut name = None;
                        let mut ty = String::new();
                        for part in param.into_inner() {
                            match part.as_rule() {
                                Rule::ident => name = Some(part.as_str().to_string()),
                                Rule::type_ref => ty = compact(part.as_str()),
                                _ => {}
                            }
                        }
                        list.push(Param { name, ty });
                    }
                    m.params = Some(list);
                }
                Rule::type_ref => m.ty = Some(compact(p.as_str())),
                Rule::classifier => m.classifier = p.as_str().chars().next(),
                _ => {}
            }
        }
        Some(m)
    }

    fn code_relation(&mut self, pair: Pair<'_, Rule>) -> Option<CodeRelation> {
        let span = self.span(&pair);
        let mut refs = Vec::new();
        let mut cards: Vec<(usize, Text)> = Vec::new();
        let mut arrow = None;
        let mut label = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::class_ref => refs.push(self.text_of(&p)),
                Rule::code_arrow => arrow = Some(self.text_of(&p)),
                Rule::string if label.is_none() && refs.len() < 2 => {
                    cards.push((refs.len() + usize::from(arrow.is_some()), self.string(p)))
                }
                Rule::string | Rule::free_label => {
                    label = Some(if p.as_rule() == Rule::string {
                        self.string(p)
                    } else {
                        let t = self.text_of(&p);
                        Text {
                            value: t.value.trim().to_string(),
                            span: t.span,
                        }
                    })
                }
                _ => {}
            }
        }
        let mut it = refs.into_iter();
        let from = it.next()?;
        let to = it.next()?;
        let from_card = cards
            .iter()
            .find(|(pos, _)| *pos == 1)
            .map(|(_, t)| t.clone());
        let to_card = cards
            .iter()
            .find(|(pos, _)| *pos == 2)
            .map(|(_, t)| t.clone());
        Some(CodeRelation {
            from,
            from_card,
            arrow: arrow?,
            to_card,
            to,
            label,
            span,
        })
    }

    fn state_stmt(&mut self, pair: Pair<'_, Rule>) -> Option<StateStmt> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::transition => {
                let mut inner = pair.into_inner();
                let from = self.text_of(&inner.next()?);
                let to = self.text_of(&inner.next()?);
                let label = inner.next().map(|l| {
                    if l.as_rule() == Rule::string {
                        self.string(l)
                    } else {
                        let t = self.text_of(&l);
                        Text {
                            value: t.value.trim().to_string(),
                            span: t.span,
                        }
                    }
                });
                Some(StateStmt::Transition {
                    from,
                    to,
                    label,
                    span,
                })
            }
            Rule::note_stmt => {
                let mut state = None;
                let mut side = None;
                let mut text = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::state_ref => state = Some(self.text_of(&p)),
                        Rule::note_side => side = Some(p.as_str().to_string()),
                        Rule::string => text = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(StateStmt::Note {
                    state: state?,
                    side,
                    text: text?,
                    span,
                })
            }
            Rule::state_decl => {
                let mut inner = pair.into_inner();
                let name = self.text_of(&inner.next()?);
                let mut label = None;
                let mut final_state = false;
                let mut body: Option<Vec<StateStmt>> = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::string => label = Some(self.string(p)),
                        Rule::final_kw => final_state = true,
                        _ => {
                            let stmt = self.state_stmt(p);
                            body.get_or_insert_with(Vec::new).extend(stmt);
                        }
                    }
                }
                Some(StateStmt::State {
                    name,
                    label,
                    final_state,
                    body,
                    span,
                })
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_state);
                None
            }
            _ => None,
        }
    }

    /// A rule selector (`x`, `x.*`, `tag:t`, `kind:k`, `*`) as a view expression.
    fn rule_sel(&mut self, pair: Pair<'_, Rule>) -> Option<ViewExpr> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::tag_selector => {
                let v = inner.into_inner().next()?;
                Some(ViewExpr::Tag(if v.as_rule() == Rule::string {
                    self.string(v)
                } else {
                    self.text_of(&v)
                }))
            }
            Rule::kind_selector => Some(ViewExpr::Kind(self.text_of(&inner.into_inner().next()?))),
            Rule::elem_selector => Some(ViewExpr::Element(self.selector(inner)?)),
            _ => None,
        }
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> Option<ast::Rule> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::deny_rule => {
                let mut inner = pair.into_inner();
                let from = self.rule_sel(inner.next()?)?;
                let arrow = parse_arrow(inner.next()?.as_str());
                let to = self.rule_sel(inner.next()?)?;
                let reason = inner.next().map(|r| self.string(r));
                Some(ast::Rule::Deny {
                    from,
                    arrow,
                    to,
                    reason,
                    span,
                })
            }
            Rule::require_rule => {
                let mut inner = pair.into_inner();
                let what_pair = inner.next()?.into_inner().next()?;
                let what = match what_pair.as_rule() {
                    Rule::tag_selector => {
                        let v = what_pair.into_inner().next()?;
                        Requirement::Tag(if v.as_rule() == Rule::string {
                            self.string(v)
                        } else {
                            self.text_of(&v)
                        })
                    }
                    _ => Requirement::Field(self.text_of(&what_pair)),
                };
                let on = self.rule_sel(inner.next()?)?;
                let reason = inner.next().map(|r| self.string(r));
                Some(ast::Rule::Require {
                    what,
                    on,
                    reason,
                    span,
                })
            }
            Rule::layer_rule => {
                let mut layers = Vec::new();
                let mut reason = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::rule_sel => layers.extend(self.rule_sel(p)),
                        Rule::string => reason = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(ast::Rule::Layer {
                    layers,
                    reason,
                    span,
                })
            }
            _ => None,
        }
    }

    fn dyn_step(&mut self, pair: Pair<'_, Rule>) -> Option<DynStep> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::dyn_step => {
                let mut inner = pair.into_inner();
                let from = self.path(&inner.next()?);
                let arrow = inner.next()?.as_str().to_string();
                let to = self.path(&inner.next()?);
                let text = inner.next().map(|t| self.string(t));
                Some(DynStep::Message {
                    from,
                    arrow,
                    to,
                    text,
                    span,
                })
            }
            Rule::dyn_note => {
                let mut place = String::new();
                let mut over = Vec::new();
                let mut text = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::note_place => place = p.as_str().to_string(),
                        Rule::path => over.push(self.path(&p)),
                        Rule::string => text = Some(self.string(p)),
                        _ => {}
                    }
                }
                Some(DynStep::Note {
                    place,
                    over,
                    text: text?,
                    span,
                })
            }
            Rule::dyn_parallel => {
                let steps = pair.into_inner().filter_map(|p| self.dyn_step(p)).collect();
                Some(DynStep::Parallel(steps, span))
            }
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_dyn);
                None
            }
            _ => None,
        }
    }

    fn opt_item(&mut self, pair: Pair<'_, Rule>) -> Option<OptItem> {
        let span = self.span(&pair);
        let mut id = None;
        let mut key = None;
        let mut values = Vec::new();
        let mut children = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::opt_id => id = Some(self.text_of(&p)),
                Rule::opt_key => key = Some(self.text_of(&p)),
                Rule::string => values.push(self.string(p)),
                Rule::opt_body => {
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::opt_item => children.extend(self.opt_item(c)),
                            Rule::bad_stmt => self.bad(&c, Rule::frag_opt),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Some(OptItem {
            id,
            key: key?,
            values,
            children,
            span,
        })
    }

    fn kind_def(&mut self, pair: Pair<'_, Rule>) -> KindDef {
        let span = self.span(&pair);
        let mut def = KindDef {
            name: Text {
                value: String::new(),
                span,
            },
            extends: None,
            description: None,
            technology: None,
            style: Vec::new(),
            span,
        };
        let mut seen_name = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if !seen_name => {
                    def.name = self.text_of(&p);
                    seen_name = true;
                }
                Rule::ident => def.extends = Some(self.text_of(&p)),
                Rule::kind_body => {
                    for item in p.into_inner() {
                        match item.as_rule() {
                            Rule::style_wrapper => {
                                for body in item.into_inner() {
                                    let props = self.style_body(body);
                                    def.style.extend(props);
                                }
                            }
                            Rule::description_stmt => {
                                def.description = item.into_inner().next().map(|s| self.string(s))
                            }
                            Rule::technology_stmt => {
                                def.technology = item.into_inner().next().map(|s| self.string(s))
                            }
                            Rule::style_prop => {
                                if let Some(prop) = self.style_prop(item) {
                                    def.style.push(prop);
                                }
                            }
                            Rule::bad_stmt => self.bad(&item, Rule::frag_kind),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        def
    }

    fn style_body(&mut self, pair: Pair<'_, Rule>) -> Vec<StyleProp> {
        let mut out = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::style_prop => {
                    if let Some(prop) = self.style_prop(p) {
                        out.push(prop);
                    }
                }
                Rule::bad_stmt => self.bad(&p, Rule::frag_prop),
                _ => {}
            }
        }
        out
    }

    fn style_prop(&mut self, pair: Pair<'_, Rule>) -> Option<StyleProp> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::flag_prop => {
                let mut it = inner.into_inner();
                let key = self.text_of(&it.next()?);
                let (value, value_span) = match it.next() {
                    Some(b) => (b.as_str().trim() == "true", self.span(&b)),
                    None => (true, key.span),
                };
                Some(StyleProp {
                    key,
                    value: StyleValue::Flag(value),
                    value_span,
                    span,
                })
            }
            Rule::value_prop => {
                let mut it = inner.into_inner();
                let key = self.text_of(&it.next()?);
                let v = it.next()?.into_inner().next()?;
                let value_span = self.span(&v);
                let value = match v.as_rule() {
                    Rule::color => StyleValue::Color(v.as_str().to_string()),
                    Rule::number => StyleValue::Number(v.as_str().to_string()),
                    Rule::string => StyleValue::Text(self.string(v).value),
                    _ => StyleValue::Text(v.as_str().to_string()),
                };
                Some(StyleProp {
                    key,
                    value,
                    value_span,
                    span,
                })
            }
            _ => None,
        }
    }

    fn style_def(&mut self, pair: Pair<'_, Rule>) -> StyleRule {
        let span = self.span(&pair);
        let mut rule = StyleRule {
            target_kind: StyleTargetKind::Element,
            target: Text {
                value: String::new(),
                span,
            },
            props: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::style_target_kind => {
                    rule.target_kind = match p.as_str() {
                        "relationship" => StyleTargetKind::Relationship,
                        "tag" => StyleTargetKind::Tag,
                        "kind" => StyleTargetKind::Kind,
                        _ => StyleTargetKind::Element,
                    }
                }
                Rule::style_target => {
                    rule.target = match p.clone().into_inner().next() {
                        Some(s) if s.as_rule() == Rule::string => self.string(s),
                        _ => self.text_of(&p),
                    }
                }
                Rule::style_body => rule.props = self.style_body(p),
                _ => {}
            }
        }
        rule
    }

    fn view_def(&mut self, pair: Pair<'_, Rule>) -> ViewDef {
        let span = self.span(&pair);
        let mut def = ViewDef {
            kind: ViewKind::Landscape,
            kind_span: span,
            subject: None,
            of: None,
            strings: Vec::new(),
            body: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::view_kind => {
                    def.kind_span = self.span(&p);
                    def.kind = match p.as_str() {
                        "context" => ViewKind::Context,
                        "container" => ViewKind::Container,
                        "component" => ViewKind::Component,
                        "deployment" => ViewKind::Deployment,
                        "mesh" => ViewKind::Mesh,
                        "cdn" => ViewKind::Cdn,
                        "code" => ViewKind::Code,
                        "states" => ViewKind::States,
                        "dynamic" => ViewKind::Dynamic,
                        "custom" => ViewKind::Custom,
                        _ => ViewKind::Landscape,
                    };
                }
                Rule::view_subject => def.subject = Some(self.path(&p)),
                Rule::of_clause => def.of = p.into_inner().next().map(|x| self.path(&x)),
                Rule::string => def.strings.push(self.string(p)),
                Rule::view_body => {
                    for s in p.into_inner() {
                        if let Some(stmt) = self.view_stmt(s) {
                            def.body.push(stmt);
                        }
                    }
                }
                _ => {}
            }
        }
        def
    }

    fn view_stmt(&mut self, pair: Pair<'_, Rule>) -> Option<ViewStmt> {
        match pair.as_rule() {
            Rule::include_stmt => Some(ViewStmt::Include(
                pair.into_inner()
                    .filter_map(|e| self.view_expr(e))
                    .collect(),
            )),
            Rule::exclude_stmt => Some(ViewStmt::Exclude(
                pair.into_inner()
                    .filter_map(|e| self.view_expr(e))
                    .collect(),
            )),
            Rule::direction_stmt => {
                let d = pair.into_inner().next()?;
                let dir = match d.as_str().to_ascii_uppercase().as_str() {
                    "BT" => Direction::BT,
                    "LR" => Direction::LR,
                    "RL" => Direction::RL,
                    _ => Direction::TB,
                };
                Some(ViewStmt::Direction(dir, self.span(&d)))
            }
            Rule::title_stmt => Some(ViewStmt::Title(self.string(pair.into_inner().next()?))),
            Rule::as_flowchart => Some(ViewStmt::Flowchart(self.span(&pair))),
            Rule::description_stmt => Some(ViewStmt::Description(
                self.string(pair.into_inner().next()?),
            )),
            Rule::bad_stmt => {
                self.bad(&pair, Rule::frag_view_stmt);
                None
            }
            _ => None,
        }
    }

    fn view_expr(&mut self, pair: Pair<'_, Rule>) -> Option<ViewExpr> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::rel_expr => {
                let span = self.span(&inner);
                let mut it = inner.into_inner();
                let from = self.selector(it.next()?)?;
                let arrow = parse_arrow(it.next()?.as_str());
                let to = self.selector(it.next()?)?;
                Some(ViewExpr::Relationship {
                    from,
                    arrow,
                    to,
                    span,
                })
            }
            Rule::elem_expr => {
                let e = inner.into_inner().next()?;
                match e.as_rule() {
                    Rule::tag_selector => {
                        let v = e.into_inner().next()?;
                        let t = if v.as_rule() == Rule::string {
                            self.string(v)
                        } else {
                            self.text_of(&v)
                        };
                        Some(ViewExpr::Tag(t))
                    }
                    Rule::kind_selector => {
                        Some(ViewExpr::Kind(self.text_of(&e.into_inner().next()?)))
                    }
                    Rule::elem_selector => Some(ViewExpr::Element(self.selector(e)?)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn selector(&mut self, pair: Pair<'_, Rule>) -> Option<Selector> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::wildcard => Some(Selector::Wildcard(span)),
            Rule::view_path_star => {
                let mut it = inner.into_inner();
                let path = self.path(&it.next()?);
                let star = match it.next().map(|s| s.as_str()) {
                    Some(".**") => Star::Descendants,
                    Some(".*") => Star::Children,
                    _ => Star::None,
                };
                Some(Selector::Path { path, star, span })
            }
            _ => None,
        }
    }

    /// A string literal with its escapes processed (E004 on a bad escape).
    fn string(&mut self, pair: Pair<'_, Rule>) -> Text {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let start = self.base + pair.as_span().start();
        let value = if let Some(inner) = raw
            .strip_prefix("\"\"\"")
            .and_then(|r| r.strip_suffix("\"\"\""))
        {
            dedent(inner)
        } else if raw.len() >= 2 {
            self.unescape(&raw[1..raw.len() - 1], start + 1)
        } else {
            String::new()
        };
        Text { value, span }
    }

    fn unescape(&mut self, raw: &str, base: usize) -> String {
        if !raw.contains('\\') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some((_, e)) = chars.next() else { break };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '"' | '\'' | '\\' => out.push(e),
                'u' => {
                    let mut hex = String::new();
                    let mut ok = false;
                    if chars.peek().map(|(_, c)| *c) == Some('{') {
                        chars.next();
                        for (_, h) in chars.by_ref() {
                            if h == '}' {
                                ok = true;
                                break;
                            }
                            hex.push(h);
                        }
                    }
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) if ok => out.push(ch),
                        _ => {
                            let end = chars.peek().map(|(j, _)| *j).unwrap_or(raw.len());
                            self.diags.push(
                                Diagnostic::new(Code::E004, "invalid unicode escape")
                                    .label(Span::new(self.file, base + i, base + end), "here")
                                    .hint("write a unicode escape as `\\u{1F600}` (hex digits in braces)"),
                            );
                        }
                    }
                }
                other => {
                    let len = 1 + other.len_utf8();
                    self.diags.push(
                        Diagnostic::new(Code::E004, format!("unknown escape `\\{other}`"))
                            .label(Span::new(self.file, base + i, base + i + len), "not an escape")
                            .hint("known escapes: \\n \\t \\r \\\" \\' \\\\ \\u{…}; write `\\\\` for a backslash"),
                    );
                }
            }
        }
        out
    }
}

/// A type or name as written, with blanks removed except after commas.
fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            continue;
        }
        out.push(c);
        if c == ',' {
            out.push(' ');
        }
    }
    out
}

fn parse_arrow(s: &str) -> Arrow {
    match s {
        "~>" => Arrow::Async,
        "<->" => Arrow::Both,
        _ => Arrow::Sync,
    }
}

/// Triple-quoted text: drop the first line break, the common indentation and
/// trailing blank space.
fn dedent(raw: &str) -> String {
    let raw = raw
        .strip_prefix("\r\n")
        .or_else(|| raw.strip_prefix('\n'))
        .unwrap_or(raw);
    let lines: Vec<&str> = raw.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent && l.is_char_boundary(indent) {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> File {
        let (f, d) = parse(FileId(0), src);
        assert!(d.is_empty(), "unexpected diagnostics: {d:#?}");
        f
    }

    fn errs(src: &str) -> Vec<Diagnostic> {
        parse(FileId(0), src).1
    }

    #[test]
    fn elements_relationships_and_blocks() {
        let f = ok(r#"
            model {
              customer = person "Customer" "Buys things"
              shop = system "Shop" {
                api = container "API" "Orders" "Rust" {
                  tags "core", "critical"
                  -> db "reads" "SQL"
                }
                db = container "DB"
              }
              payments = external system "Payments"
              customer -> shop.api "Uses"
              shop.api ~> payments "Charges"
              shop.api <-> payments
            }
        "#);
        let TopItem::Model(stmts) = &f.items[0] else {
            panic!()
        };
        assert_eq!(stmts.len(), 6);
        let Stmt::Element(shop) = &stmts[1] else {
            panic!()
        };
        assert_eq!(shop.kind.value, "system");
        let Stmt::Element(p) = &stmts[2] else {
            panic!()
        };
        assert!(p.external);
        let Stmt::Relationship(r) = &stmts[4] else {
            panic!()
        };
        assert_eq!(r.arrow, Arrow::Async);
        assert_eq!(
            r.source.as_ref().map(|p| p.dotted()),
            Some("shop.api".into())
        );
    }

    #[test]
    fn strings_escape_and_dedent() {
        let f = ok(
            "model { a = person \"A \\\"q\\\" \\u{E9}\" \"\"\"\n    line one\n      line two\n    \"\"\" }",
        );
        let TopItem::Model(stmts) = &f.items[0] else {
            panic!()
        };
        let Stmt::Element(e) = &stmts[0] else {
            panic!()
        };
        assert_eq!(e.strings[0].value, "A \"q\" é");
        assert_eq!(e.strings[1].value, "line one\n  line two");
    }

    #[test]
    fn every_bad_line_is_reported() {
        let d = errs(
            "model {\n  a = person \"A\"\n  a -> \n  = oops\n  b = person \"B\"\n  ?? what\n}\n",
        );
        assert!(d.len() >= 2, "{d:#?}");
        assert!(d.iter().all(|d| d.code == Code::E001));
    }

    #[test]
    fn unclosed_block_and_stray_brace() {
        assert_eq!(
            errs("model {\n a = person \"A\"\n")[0].message,
            "unclosed `{`"
        );
        assert_eq!(errs("model { }\n}")[0].message, "unmatched `}`");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("model {}{}", "{".repeat(10_000), "}".repeat(10_000));
        assert_eq!(errs(&src)[0].code, Code::E005);
    }

    fn big_model(middle: &str) -> String {
        let mut s = String::from("model {\n");
        for i in 0..4000 {
            s.push_str(&format!(
                "  s{i} = system \"System {i}\" \"d\" {{\n    c = container \"C\"\n  }}\n"
            ));
            if i == 2000 {
                s.push_str(middle);
            }
            s.push_str(&format!(
                "  s{i} -> s0 \"calls\"\n  // comment {{ with a brace\n"
            ));
        }
        s.push_str("}\n");
        assert!(s.len() > 300_000);
        s
    }

    #[test]
    fn parallel_parse_equals_sequential_parse() {
        // A relationship split over two lines looks like two statements to the
        // splitter; the parallel parse must still give the sequential result.
        for middle in [
            "",
            "  s1 ->\n  s2 \"split over lines\"\n",
            "  s3 = system\n  \"Name on next line\"\n",
        ] {
            let text = big_model(middle);
            let (file, diags) = parse(FileId(0), &text);
            assert!(diags.is_empty(), "{diags:#?}");
            let mut ctx = Ctx {
                file: FileId(0),
                text: &text,
                diags: Vec::new(),
                base: 0,
            };
            let open = text.find('{').unwrap();
            let close = matching_brace(&text, open).unwrap();
            let sequential = ctx.stmt_list(open + 1, close);
            let TopItem::Model(parallel) = &file.items[0] else {
                panic!()
            };
            assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"));
        }
    }

    #[test]
    fn nesting_at_the_limit_compiles_on_a_small_stack() {
        // Test threads have 2 MiB of stack; a debug build uses the most per level.
        let depth = MAX_DEPTH - 1;
        let mut src = String::from("model {\n");
        for i in 0..depth - 1 {
            src.push_str(&format!("group \"g{i}\" {{\n"));
        }
        src.push_str("p = person \"P\"\n");
        src.push_str(&"}\n".repeat(depth));
        let c = crate::compile_text("deep.c4", &src);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        assert_eq!(c.diagrams().count(), 1);
    }

    #[test]
    fn bad_escape() {
        assert_eq!(errs(r#"model { a = person "x\q" }"#)[0].code, Code::E004);
    }

    #[test]
    fn views_and_styles() {
        let f = ok(r#"
            views {
              landscape all "Everything"
              container shop "shop-containers" { include * shop.api.* exclude a -> b direction LR title "T" }
              context shop
            }
            styles {
              element database { fill #029E73 color #fff shape cylinder }
              relationship async { dashed }
              tag "critical" { stroke #f00; stroke-width 3px }
            }
            specification { kind database extends container { shape cylinder } tag critical }
        "#);
        let TopItem::Views(v) = &f.items[0] else {
            panic!()
        };
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].subject.as_ref().map(|s| s.dotted()),
            Some("all".into())
        );
        assert_eq!(v[1].body.len(), 4);
    }
}

#[cfg(test)]
mod lexer_agrees;
