//! Syntax errors: a pest error, or a swallowed malformed line re-parsed
//! strictly, in; an E001 (or E005) diagnostic saying what was expected and
//! what was found, with a hint, out.

use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use super::{C4Parser, Ctx, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

pub(super) fn rule_name(rule: &Rule) -> Option<&'static str> {
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
        Rule::frag_dyn => {
            "a step (`a -> b \"message\"`), `note`, a block (`alt`, `opt`, `loop`, `par`, `break`, `critical`, `parallel`), `autonumber` or `boxes`"
        }
        Rule::dyn_body => "`{`",
        Rule::box_level => "`system` or `container`",
        Rule::dyn_step => "a step (`a -> b \"message\"`)",
        Rule::dyn_arrow => "`->`, `~>`, `<-` or `<~`",
        Rule::dynamic_block => "`dynamic`",
        Rule::frag_state => "a transition, `note` or `state`",
        Rule::opt_item
        | Rule::frag_opt
        | Rule::mesh_opt
        | Rule::control_opt
        | Rule::control_part
        | Rule::uses_opt
        | Rule::cdn_opt
        | Rule::tier_opt
        | Rule::tier_prop
        | Rule::region_opt
        | Rule::notes_opt
        | Rule::note_opt
        | Rule::from_opt => "an option (`key \"value\"`)",
        Rule::instance_stmt => "`instance`",
        Rule::replicas_stmt => "`replicas`",
        Rule::replicas_value => "a number",
        Rule::expand_stmt => "`expand`",
        Rule::shape_stmt => "`shape`",
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

pub(super) fn join_alternatives(mut names: Vec<&'static str>) -> String {
    names.sort();
    names.dedup();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

impl Ctx<'_> {
    /// Turns a pest error (at `offset` into the file) into an E001 diagnostic.
    pub(super) fn pest_error(&self, err: pest::error::Error<Rule>, offset: usize) -> Diagnostic {
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

    /// Reports a swallowed malformed fragment, re-parsing it strictly with
    /// `rule` to find what was expected.
    pub(super) fn bad(&mut self, pair: &Pair<'_, Rule>, rule: Rule) {
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
        let d = match rule {
            Rule::frag_dyn if mermaid_block_line(frag) => d.hint(
                "blocks of a dynamic view are written with braces, as everywhere in c4c: \
                 `alt \"cond\" { … } else \"other\" { … }`, with no `end`",
            ),
            _ => d,
        };
        self.diags.push(d);
    }
}

/// A line written as in Mermaid's sequence diagrams: `alt x` without `{`, or `end`.
fn mermaid_block_line(frag: &str) -> bool {
    let word = frag.split_whitespace().next().unwrap_or("");
    [
        "alt", "else", "opt", "loop", "par", "and", "break", "critical", "option", "end",
    ]
    .contains(&word)
}

/// Length of the token starting `rest` (a word, a string start, or one char).
pub(super) fn token_len(rest: &str) -> usize {
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

pub(super) fn syntax_hint(found: &str, expected: &str) -> String {
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
