//! Escaping and id mangling for Mermaid — the only place that does either.
//!
//! In: arbitrary user text (names, descriptions, labels, titles) and
//! identifiers. Out: text that is safe inside a double-quoted Mermaid label,
//! single-line comment text, and node/subgraph ids that are unique within a
//! diagram, readable (`shop_api` from `shop.api`) and never a Mermaid keyword.
//! Every generator goes through these functions; the tests in
//! `tests/` check the results against the real Mermaid parser.

use std::collections::{HashMap, HashSet};

/// Characters that change how the text around them reads without being
/// seen: bidi embeddings, overrides, isolates and marks, zero-width
/// characters, invisible operators, the soft hyphen, the BOM, interlinear
/// annotations and the tag characters (invisible "ASCII").
fn invisible(c: char) -> bool {
    // The one list of hidden characters is `terminal_text::is_hidden`; control
    // characters and line separators are handled by each escaper itself.
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}') && crate::terminal_text::is_hidden(c)
}

/// The visible stand-in for an [`invisible`] character: `‹U+202E›`.
fn marker(c: char) -> String {
    format!("‹U+{:04X}›", c as u32)
}

/// The words that make Mermaid read any diagram as its C4 dialect (its C4
/// detector is `/^\s*C4Context|C4Container|C4Component|C4Dynamic|C4Deployment/`,
/// so all but the first match anywhere in the text).
const C4_WORDS: [&str; 4] = ["C4Container", "C4Component", "C4Dynamic", "C4Deployment"];

/// `text` with the `4` of every [`C4_WORDS`] word replaced by `four`.
fn break_c4_words(text: String, four: &str) -> String {
    // Most labels have no `C4`: one pass over the bytes says so.
    let has_c4 = text.as_bytes().windows(2).any(|w| w == b"C4");
    if !has_c4 || !C4_WORDS.iter().any(|w| text.contains(w)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("C4") {
        out.push_str(&rest[..at + 1]);
        let tail = &rest[at + 1..];
        if C4_WORDS.iter().any(|w| tail.starts_with(&w[1..])) {
            out.push_str(four);
        } else {
            out.push('4');
        }
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Escapes text for use inside `"…"` in a flowchart label (node, subgraph or
/// edge). Newlines become `<br/>`. Characters Mermaid or HTML would read
/// specially become Mermaid entity codes (`#quot;`, `#35;`, …), which Mermaid
/// turns back into the characters when it renders.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    loop {
        // Runs of printable ASCII that needs no escape are copied whole.
        let plain = rest
            .bytes()
            .position(|b| !plain_byte(b))
            .unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '%' => out.push_str("#37;"),
            '\\' => out.push_str("#92;"),
            // Seen in the text, where a space must not break a line.
            '\u{a0}' => out.push_str("#nbsp;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '\r' => {
                if !rest.starts_with('\n') {
                    out.push_str("<br/>");
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("<br/>"),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c if invisible(c) => out.push_str(&marker(c)),
            c => out.push(c),
        }
    }
    break_c4_words(out, "#52;")
}

/// A byte [`label`] copies as it is: printable ASCII but for the
/// characters it escapes.
fn plain_byte(b: u8) -> bool {
    matches!(b, 0x20..=0x7e)
        && !matches!(
            b,
            b'"' | b'#' | b'&' | b'<' | b'>' | b'`' | b'|' | b'%' | b'\\' | b'{' | b'}'
        )
}

/// Like [`label`], but never empty: Mermaid rejects `""` (a space renders as nothing).
pub fn nonempty_label(text: &str) -> String {
    let s = label(text);
    if s.trim().is_empty() {
        " ".to_string()
    } else {
        s
    }
}

/// Maps `text` one character at a time: `table` first (`None`: no entry);
/// then line breaks (`\n`, `\r`, tab, U+2028, U+2029, U+0085 — JavaScript
/// reads the Unicode ones as line ends too) become a space, other control
/// characters are dropped and invisible ones become a visible marker. The
/// one loop behind the texts below.
fn map_chars(text: &str, table: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match (table(c), c) {
            (Some(r), _) => out.push_str(r),
            (None, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}') => out.push(' '),
            (None, c) if c.is_control() => {}
            (None, c) if invisible(c) => out.push_str(&marker(c)),
            (None, c) => out.push(c),
        }
    }
    out
}

/// Trimmed, and `_` when nothing is left (Mermaid rejects an empty label).
fn nonempty(text: String) -> String {
    let t = text.trim();
    if t.is_empty() {
        "_".to_string()
    } else if t.len() == text.len() {
        text
    } else {
        t.to_string()
    }
}

/// Text in a class diagram (a member, a type, a relation label): generics
/// become Mermaid's `~T~`, braces and line breaks cannot appear.
pub fn class_text(text: &str) -> String {
    nonempty(break_c4_words(
        map_chars(text, |c| match c {
            '<' | '>' => Some("~"),
            '{' | '}' | '"' | '`' | ';' => Some(" "),
            '%' => Some("#37;"),
            '#' => Some("#35;"),
            _ => None,
        }),
        "#52;",
    ))
}

/// A C4 macro argument: quoted, with characters the dialect cannot hold replaced.
pub fn c4_arg(text: &str) -> String {
    let inner = map_chars(text, |c| match c {
        '"' | '`' => Some("'"),
        '#' => Some("#35;"),
        ';' => Some("#59;"),
        '<' => Some("#lt;"),
        '>' => Some("#gt;"),
        '{' => Some("("),
        '}' => Some(")"),
        '%' => Some("#37;"),
        '\\' => Some("/"),
        _ => None,
    });
    format!("\"{inner}\"")
}

/// A diagram title in Mermaid's C4 dialect: the dialect's `title` runs to
/// the end of the line and stops at `#` or `;`, so no entity code can be
/// used; those characters (and `%`, `<`, `>`) become look-alikes.
pub fn c4_title(text: &str) -> String {
    nonempty(map_chars(text, |c| match c {
        '#' => Some("＃"),
        ';' => Some("；"),
        '%' => Some("％"),
        '<' => Some("‹"),
        '>' => Some("›"),
        _ => None,
    }))
}

/// A relation label in a class diagram (after ` : `): class text, and no
/// second `:` (Mermaid reads it as the start of another label).
pub fn class_label(text: &str) -> String {
    class_text(text).replace(':', "#58;")
}

/// A transition label in a state diagram (after ` : `, to the end of the line).
pub fn state_text(text: &str) -> String {
    nonempty(break_c4_words(
        map_chars(text, |c| match c {
            '#' => Some("#35;"),
            ';' => Some("#59;"),
            // `a:` or `a::b` ends a transition label early.
            ':' => Some("#58;"),
            '"' => Some("#quot;"),
            '<' => Some("#lt;"),
            '>' => Some("#gt;"),
            '{' => Some("#123;"),
            '}' => Some("#125;"),
            '%' => Some("#37;"),
            _ => None,
        }),
        "#52;",
    ))
}

/// Text in a sequence diagram (a message, a note, a participant's name):
/// one line, line breaks as `<br/>`, `;`, `#` and `:`-sensitive characters as entities.
/// Text that starts with `wrap:` or `nowrap:` keeps it (Mermaid reads that
/// prefix as a wrapping switch and drops it: the colon becomes `#58;`).
/// Trailing line breaks go: with wrapping on, Mermaid fails to draw a
/// message or note whose last line is empty ("svg element not in render
/// tree").
pub fn sequence_text(text: &str) -> String {
    keep_wrap_prefix(sequence_chars(text.trim_end()))
}

/// `text` with the colon of a leading `wrap:`/`nowrap:` (Mermaid's
/// per-text wrapping switch, also after a `:`) as an entity.
fn keep_wrap_prefix(text: String) -> String {
    let start = text.len() - text.trim_start().len();
    let body = &text[start..];
    let body = body.strip_prefix(':').unwrap_or(body);
    let lower = body.get(..7).unwrap_or(body).to_ascii_lowercase();
    let word = ["nowrap:", "wrap:"]
        .into_iter()
        .find(|w| lower.starts_with(w));
    match word {
        Some(w) => {
            let colon = text.len() - body.len() + w.len() - 1;
            format!("{}#58;{}", &text[..colon], &text[colon + 1..])
        }
        None => text,
    }
}

fn sequence_chars(text: &str) -> String {
    nonempty(break_c4_words(
        map_chars(text, |c| match c {
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some("<br/>"),
            '#' => Some("#35;"),
            ';' => Some("#59;"),
            '%' => Some("#37;"),
            '<' => Some("#lt;"),
            '>' => Some("#gt;"),
            '"' => Some("#quot;"),
            _ => None,
        }),
        "#52;",
    ))
}

/// One line of a state-diagram note: never the `end note` that closes it.
pub fn note_line(line: &str) -> String {
    let s = state_text(line);
    if s.trim().eq_ignore_ascii_case("end note")
        || s.trim_start().to_ascii_lowercase().starts_with("end note")
    {
        format!("{}#32;{}", &s[..3], &s[3..].trim_start())
    } else {
        s
    }
}

/// Text for a `%%` comment: one line, no control characters.
///
/// Mermaid reads `%%{…}%%` as a directive wherever it appears, comments
/// included, so `%` becomes the look-alike `％`; and `<`, `>` become `‹`, `›`
/// so no `<!-- c4c:view -->` marker can appear in a diagram injected into
/// Markdown.
pub fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push('％'),
            '<' => out.push('‹'),
            '>' => out.push('›'),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' => {
                out.push(' ')
            }
            c if invisible(c) => out.push_str(&marker(c)),
            c => out.push(c),
        }
    }
    out
}

/// Words an id must not be (compared case-insensitively), in any diagram
/// type: each one breaks parsing or rendering in at least one of them
/// (found by rendering every word of Mermaid's lexers as an element, class,
/// state and participant id in mermaid 11.17.2; `tests/security_diagrams.rs`
/// renders them all). An id that is one of them gets a `_` appended.
const RESERVED: &[&str] = &[
    // flowchart
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "click",
    "call",
    "href",
    "style",
    "class",
    "classdef",
    "linkstyle",
    "direction",
    "default",
    "interpolate",
    "tb",
    "td",
    "bt",
    "lr",
    "rl",
    "acctitle",
    "accdescr",
    "stroke",
    "fill",
    "color",
    "callback",
    "_self",
    "_blank",
    "_parent",
    "_top",
    // state and class diagrams (`o` is an aggregation end: `a --o b`)
    "state",
    "note",
    "as",
    "namespace",
    "cssclass",
    "link",
    "hide",
    "scale",
    "left",
    "right",
    "of",
    "o",
    "statediagram",
    "classdiagram",
    // sequence diagrams
    "sequencediagram",
    "participant",
    "actor",
    "create",
    "destroy",
    "box",
    "loop",
    "alt",
    "else",
    "opt",
    "par",
    "par_over",
    "and",
    "rect",
    "critical",
    "option",
    "break",
    "activate",
    "deactivate",
    "autonumber",
    "off",
    "over",
    "title",
    "links",
    "properties",
    "details",
    // JavaScript object names: Mermaid's layout keeps nodes in plain
    // objects, where these are inherited properties.
    "constructor",
    "tostring",
    "tolocalestring",
    "valueof",
    "hasownproperty",
    "isprototypeof",
    "propertyisenumerable",
    "__proto__",
    "__definegetter__",
    "__definesetter__",
    "__lookupgetter__",
    "__lookupsetter__",
];

/// Class names Mermaid's own stylesheet uses (compared exactly, as CSS
/// does): a `classDef node` writes `.node > * { fill: … }`, which paints
/// every node of the diagram, not the ones given the class. Found in the
/// stylesheet and `class` attributes of flowcharts rendered by mermaid
/// 11.17.2; names with a `-` cannot come out of [`IdMap`].
const CSS_CLASSES: &[&str] = &[
    "anchor",
    "arrowheadPath",
    "arrowMarkerPath",
    "basic",
    "clickable",
    "cluster",
    "clusters",
    "cross",
    "edge",
    "edgeLabel",
    "edgeLabels",
    "edgePath",
    "edgePaths",
    "flowchart",
    "flowchartTitleText",
    "icon",
    "katex",
    "label",
    "labelBkg",
    "marker",
    "node",
    "nodeLabel",
    "nodes",
    "path",
    "root",
    "swimlane",
    "text",
];

/// Hands out ids for one diagram: readable, unique, never reserved.
#[derive(Debug, Default)]
pub struct IdMap {
    used: HashSet<String>,
    /// Per stem, the next `_N` suffix to try: ids cut to the same 80
    /// characters would otherwise retry every taken suffix (quadratic).
    next: HashMap<String, u32>,
}

impl IdMap {
    pub fn new() -> IdMap {
        IdMap::default()
    }

    /// An id derived from `base` (an identifier path such as `shop.api`):
    /// characters other than ASCII letters, digits and `_` become `_`.
    pub fn id(&mut self, base: &str) -> String {
        let mut s: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        if s.is_empty() {
            s.push_str("node");
        }
        if s.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
            s.insert(0, 'n');
        }
        if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
            s.push('_');
        }
        // `C4Container` → `C4_Container` (see the module doc).
        let s = break_c4_words(s, "4_");
        let mut n = match self.next.get(&s) {
            Some(&n) => n,
            None if self.used.insert(s.clone()) => {
                self.next.insert(s.clone(), 2);
                return s;
            }
            None => 2,
        };
        loop {
            let candidate = format!("{s}_{n}");
            n += 1;
            if self.used.insert(candidate.clone()) {
                self.next.insert(s, n);
                return candidate;
            }
        }
    }
}

impl IdMap {
    /// A `classDef` name derived from `base`, like [`IdMap::id`], that is
    /// also none of Mermaid's own CSS classes (`node` → `node_`).
    pub fn class_name(&mut self, base: &str) -> String {
        let id = self.id(base);
        if CSS_CLASSES.contains(&id.as_str()) {
            // `id` stays taken: harmless, and no other class can become it.
            self.id(&format!("{id}_"))
        } else {
            id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `label` written one character at a time, as it was before plain
    /// runs were copied whole: the two must always agree.
    fn label_by_chars(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => out.push_str("#quot;"),
                '#' => out.push_str("#35;"),
                '&' => out.push_str("#amp;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '`' => out.push_str("#96;"),
                '|' => out.push_str("#124;"),
                '%' => out.push_str("#37;"),
                '\\' => out.push_str("#92;"),
                '\u{a0}' => out.push_str("#nbsp;"),
                '{' => out.push_str("#123;"),
                '}' => out.push_str("#125;"),
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("<br/>"),
                '\t' => out.push(' '),
                c if c.is_control() => out.push('\u{FFFD}'),
                c if invisible(c) => out.push_str(&marker(c)),
                c => out.push(c),
            }
        }
        break_c4_words(out, "#52;")
    }

    #[test]
    fn copying_plain_runs_whole_escapes_as_one_character_at_a_time() {
        let pieces = [
            "",
            "a",
            "Calls",
            " ",
            "\"",
            "#",
            "&",
            "<b>",
            "`",
            "|",
            "%",
            "\\",
            "{",
            "}",
            "\r",
            "\n",
            "\r\n",
            "\t",
            "\u{a0}",
            "\u{7f}",
            "\u{1b}[31m",
            "\u{200b}",
            "\u{202e}",
            "\u{2028}",
            "\u{85}",
            "é",
            "日本",
            "🙂",
            "C4",
            "C4Container",
            "C4Dynamic",
            "~",
        ];
        let mut texts: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
        for a in pieces {
            for b in pieces {
                texts.push(format!("{a}{b}"));
                texts.push(format!("x {a} y{b}z"));
            }
        }
        for t in &texts {
            assert_eq!(label(t), label_by_chars(t), "{t:?}");
        }
    }

    #[test]
    fn class_names_are_not_mermaids_own() {
        let mut ids = IdMap::new();
        assert_eq!(ids.class_name("node"), "node_");
        assert_eq!(ids.class_name("edgeLabel"), "edgeLabel_");
        assert_eq!(ids.class_name("node_"), "node__2");
        assert_eq!(ids.class_name("Node"), "Node");
        assert_eq!(ids.class_name("container"), "container");
        assert_eq!(ids.class_name(""), "node_2");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(
            label("a \"b\" #1; <c> & `d` | e%"),
            "a #quot;b#quot; #35;1; #lt;c#gt; #amp; #96;d#96; #124; e#37;"
        );
        assert_eq!(label("one\ntwo\r\nthree"), "one<br/>two<br/>three");
        assert_eq!(label("é 日本"), "é 日本");
    }

    #[test]
    fn ids_are_unique_and_not_keywords() {
        let mut ids = IdMap::new();
        assert_eq!(ids.id("shop.api"), "shop_api");
        assert_eq!(ids.id("shop_api"), "shop_api_2");
        assert_eq!(ids.id("end"), "end_");
        assert_eq!(ids.id("End"), "End_");
        assert_eq!(ids.id("1st"), "n1st");
        assert_eq!(ids.id("ü"), "n_");
        assert_eq!(ids.id(""), "node");
    }

    #[test]
    fn ids_are_never_javascript_or_sequence_words_nor_c4_words() {
        let mut ids = IdMap::new();
        assert_eq!(ids.id("constructor"), "constructor_");
        assert_eq!(ids.id("toString"), "toString_");
        assert_eq!(ids.id("box"), "box_");
        assert_eq!(ids.id("o"), "o_");
        assert_eq!(ids.id("boxer"), "boxer");
        assert_eq!(ids.id("myC4Container"), "myC4_Container");
        assert_eq!(ids.id("C4Context"), "C4Context");
    }

    #[test]
    fn bidi_and_invisible_characters_are_shown() {
        let hostile = "admin\u{202E}gnp.exe\u{200B}\u{E0041}";
        let shown = "admin‹U+202E›gnp.exe‹U+200B›‹U+E0041›";
        assert_eq!(label(hostile), shown);
        for f in [class_text, c4_title, state_text, sequence_text, comment] {
            assert_eq!(f(hostile), shown);
        }
        assert_eq!(c4_arg(hostile), format!("\"{shown}\""));
        // Emoji with a variation selector stay as they are.
        assert_eq!(label("⚠\u{FE0F}"), "⚠\u{FE0F}");
    }

    #[test]
    fn c4_detector_words_are_broken_outside_the_c4_dialect() {
        assert_eq!(label("a C4Container b"), "a C#52;Container b");
        assert_eq!(sequence_text("C4C4Dynamic"), "C4C#52;Dynamic");
        // Mermaid would read these prefixes as switches and drop them.
        assert_eq!(sequence_text("wrap: the order"), "wrap#58; the order");
        assert_eq!(sequence_text(" NoWrap:x"), "NoWrap#58;x");
        assert_eq!(sequence_text(":wrap:x"), ":wrap#58;x");
        assert_eq!(sequence_text("wrapped: x"), "wrapped: x");
        assert_eq!(sequence_text("a\r\n\u{2028}\u{85} "), "a");
        assert_eq!(sequence_text("é"), "é");
        assert_eq!(
            class_text("C4Context C4Component"),
            "C4Context C#52;Component"
        );
        assert_eq!(c4_arg("C4Container"), "\"C4Container\"");
    }
}
