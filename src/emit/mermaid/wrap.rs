//! How compact a diagram is drawn, and where its text may break.
//!
//! In: text before escaping — a type line (`Container: Java, Spring
//! Boot`), an edge's technology, a description, an edge label. Out: the
//! same text with `\n` where c4c breaks it and non-breaking spaces where
//! Mermaid must not: a technology never breaks inside its name (`Spring` /
//! `Boot]`), only after `:` or `,`; descriptions and edge labels break
//! between words into even lines of a few dozen characters. Also the
//! directives ([`init`], [`state_init`], [`sequence_init`]) that ask Mermaid for smaller text
//! and spacing and a `wrappingWidth` above these lines, so Mermaid keeps
//! c4c's breaks. Names are never broken. Linear in the text.

use std::borrow::Cow;

use crate::model::{Shape, palette};
use crate::syntax::ast::Direction;

/// The compact layout every diagram asks Mermaid for, in a directive
/// (which GitHub's and GitLab's Mermaid honour): 14 px text, boxes
/// [`NODE_SPACING`] apart, ranks [`RANK_SPACING`] apart top-down and
/// [`RANK_SPACING_ACROSS`] left to right, [`PADDING`] around a box's text,
/// which Mermaid wraps only past [`WRAPPING_WIDTH`] (c4c breaks it shorter).
pub const FONT_SIZE: &str = "14px";
pub const NODE_SPACING: u32 = 24;
pub const RANK_SPACING: u32 = 36;
/// Across the page every edge's label stands in a rank of its own between
/// the boxes, so the gaps need not be wide (a frame title above the ranks
/// is not in the way), and each gap saved is page width.
pub const RANK_SPACING_ACROSS: u32 = 16;
pub const PADDING: u32 = 8;
pub const WRAPPING_WIDTH: u32 = 180;

/// The directive for a flowchart drawn in `direction`.
pub fn init(direction: Direction) -> String {
    let ranks = match direction {
        Direction::LR | Direction::RL => RANK_SPACING_ACROSS,
        Direction::TB | Direction::BT => RANK_SPACING,
    };
    directive(
        "",
        &format!(
            r#""flowchart": {{"nodeSpacing": {NODE_SPACING}, "rankSpacing": {ranks}, "padding": {PADDING}, "wrappingWidth": {WRAPPING_WIDTH}}}"#
        ),
    )
}

/// The same compact layout for state diagrams (Mermaid's `state` settings).
pub fn state_init() -> String {
    directive(
        "",
        &format!(
            r#""state": {{"nodeSpacing": {NODE_SPACING}, "rankSpacing": {RANK_SPACING}, "padding": {PADDING}}}"#
        ),
    )
}

/// The same for sequence diagrams: participants 16 px apart and 100 px
/// wide, and the messages' text and lines in [`palette::SEQUENCE`]'s
/// colours, which read on the light panel they stand on
/// ([`sequence_panel`]). Mermaid wraps (`wrap`) a message to the space
/// between its two participants, so a long message makes the diagram
/// taller, not wider (five participants and a message like `Returns true
/// if the hashed password matches`: 1,342 px wide without it, 675 px with
/// it). Wrapped names need room below the bottom row of participants, which
/// Mermaid leaves only with `bottomMarginAdj` (a three-line actor name was
/// cut off). (Messages are not broken by c4c itself: a sequence diagram's
/// messages are its content, compared line by line with hand-drawn ones.)
pub fn sequence_init() -> String {
    let p = palette::SEQUENCE;
    directive(
        &format!(
            r##", "signalColor": "{}", "signalTextColor": "{}", "sequenceNumberColor": "#FFFFFF""##,
            p.stroke, p.text
        ),
        r#""sequence": {"actorMargin": 16, "width": 100, "wrap": true, "bottomMarginAdj": 24}"#,
    )
}

/// The directive for a class diagram (code views): relationship lines in
/// [`palette::EDGE`] (Mermaid's are near black, lost on GitHub's dark
/// page), and a multiplicity (`"1"`, `"*"` at a line's end) on a
/// boundary's fill in its text colour. Mermaid draws multiplicities in its
/// theme's text colour with no background, and no colour reads at 4.5:1 on
/// both of GitHub's pages, so they get one (`themeCSS`, which directives may
/// set; no `>` or `<` in it, which Mermaid's directive sanitizer refuses).
pub fn class_init() -> String {
    let b = palette::BOUNDARY;
    directive(
        &format!(r#", "lineColor": "{}""#, palette::EDGE),
        &format!(
            r#""themeCSS": ".edgeTerminals .edgeLabel {{ background-color: {}; color: {}; padding: 0 2px; }}""#,
            b.fill, b.text
        ),
    )
}

/// Whether Mermaid may wrap a sequence message (see [`sequence_init`]):
/// not when it holds code — a call like `updateOrderStatus(CONFIRMED)` or a
/// `snake_case`/dotted/camelCase name longer than [`CODE_WORD`] characters —,
/// which Mermaid would break mid-name with a hyphen (`updateOrderSta-`).
pub fn message_wraps(text: &str) -> bool {
    !text.split([' ', '\n']).any(|w| {
        w.chars().count() > CODE_WORD
            && (w.contains(['(', '_', '.', '/'])
                || w.as_bytes()
                    .windows(2)
                    .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase()))
    })
}

/// Characters of code that fit a sequence diagram's narrowest message
/// (a participant's 100 px at Mermaid's 16 px message text).
pub const CODE_WORD: usize = 12;

/// The light panel behind a sequence diagram's messages (`rect rgb(…)`:
/// Mermaid reads no hex colour there) — see `sequence::render`.
pub fn sequence_panel() -> String {
    let [r, g, b] = palette::rgb(palette::SEQUENCE.fill).unwrap_or([255, 255, 255]);
    format!("rgb({r}, {g}, {b})")
}

/// `%%{init: …}%%` with the font size and `more_theme` in its theme
/// variables, and `settings` (a diagram kind's settings) after them.
fn directive(more_theme: &str, settings: &str) -> String {
    format!(
        r#"%%{{init: {{"themeVariables": {{"fontSize": "{FONT_SIZE}"{more_theme}}}, {settings}}}}}%%"#
    )
}

/// Characters per line of a type line, inside its brackets.
pub const TYPE: usize = 22;

/// An element's type line (`Kind` or `Kind: technologies`, inside its
/// brackets) whose technologies do not break except after `,`, broken into
/// lines of [`TYPE`] characters after the `:`, a `,` or between the kind's
/// words.
pub fn type_line(text: &str) -> Cow<'_, str> {
    let kept = match text.split_once(':') {
        // A kind that fits on a line stays whole before its `:`
        // (`Infrastructure Node:` / `CloudFront`, not `Infrastructure` /
        // `Node: CloudFront`).
        Some((kind, techs)) => {
            let kind: Cow<'_, str> = if kind.contains(' ') && kind.chars().count() < TYPE {
                Cow::Owned(kind.replace(' ', "\u{a0}"))
            } else {
                Cow::Borrowed(kind)
            };
            match (&kind, technology(techs)) {
                (Cow::Borrowed(_), Cow::Borrowed(_)) => Cow::Borrowed(text),
                (_, t) => Cow::Owned(format!("{kind}:{t}")),
            }
        }
        None => Cow::Borrowed(text),
    };
    match words(&kept, TYPE) {
        Cow::Borrowed(_) => kept,
        Cow::Owned(broken) => Cow::Owned(broken),
    }
}

/// A list of technologies (an edge's) that breaks only after `,`.
pub fn technology(techs: &str) -> Cow<'_, str> {
    if !techs.trim_start().contains(' ') {
        return Cow::Borrowed(techs);
    }
    let mut out = String::with_capacity(techs.len() + 8);
    let mut prev = ',';
    for c in techs.chars() {
        out.push(if c == ' ' && !matches!(prev, ':' | ',') {
            '\u{a0}'
        } else {
            c
        });
        prev = c;
    }
    Cow::Owned(out)
}

/// Characters per line of a box's description (about 130 px at 14 px).
pub const TEXT: usize = 18;

/// Characters per line of a description in `shape`. Mermaid widens a
/// stadium, a circle or a diamond only a little for tall text,
/// whose first and last lines then run over the curved sides: their text
/// gets longer, fewer lines (Mermaid's [`WRAPPING_WIDTH`] is set
/// above the widest of these).
pub fn budget(shape: Shape) -> usize {
    match shape {
        Shape::Stadium | Shape::Circle | Shape::Diamond => TEXT + 6,
        Shape::Hexagon => TEXT + 3,
        _ => TEXT,
    }
}

/// Characters per line of an edge label (Mermaid wraps edge labels only at
/// 200 px, whatever its `wrappingWidth`).
pub const EDGE: usize = 16;

/// `text` broken between words into as few lines of at most `budget`
/// characters as a greedy fill gives, and of even length (no lone last
/// word); a word longer than `budget` stays whole, line breaks are kept.
pub fn words(text: &str, budget: usize) -> Cow<'_, str> {
    if text.chars().count() <= budget {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let pieces: Vec<(&str, usize)> = line.split(' ').map(|w| (w, w.chars().count())).collect();
        let fewest = fill(&pieces, budget, None);
        let total: usize = pieces.iter().map(|p| p.1 + 1).sum();
        let mut width = total.div_ceil(fewest).clamp(1, budget);
        while width < budget && fill(&pieces, width, None) > fewest {
            width += 1;
        }
        fill(&pieces, width, Some(&mut out));
    }
    Cow::Owned(out)
}

/// Fills lines of `width` characters greedily with `pieces` (a piece longer
/// than `width` alone on its line), writing them to `out` if given; says
/// how many lines it took.
fn fill(pieces: &[(&str, usize)], width: usize, mut out: Option<&mut String>) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for (k, (text, n)) in pieces.iter().enumerate() {
        let sep = if k == 0 {
            None
        } else if used + 1 + n > width {
            lines += 1;
            used = 0;
            Some('\n')
        } else {
            used += 1;
            Some(' ')
        };
        if let Some(out) = out.as_deref_mut() {
            out.extend(sep);
            out.push_str(text);
        }
        used += n;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_lines_break_only_after_colons_and_commas() {
        assert_eq!(type_line("Container: Go"), "Container: Go");
        assert_eq!(
            type_line("Container: Java, Spring Boot"),
            "Container: Java,\nSpring\u{a0}Boot"
        );
        assert_eq!(
            type_line("Container: Java, Spring Boot, Kotlin, Gradle"),
            "Container: Java,\nSpring\u{a0}Boot,\nKotlin, Gradle"
        );
        assert_eq!(
            type_line("External Software System"),
            "External\nSoftware System"
        );
        assert_eq!(type_line("Person"), "Person");
        // A kind of two words stays together before its technologies.
        assert_eq!(
            type_line("Infrastructure Node: CloudFront"),
            "Infrastructure\u{a0}Node:\nCloudFront"
        );
        assert_eq!(
            technology("gRPC over TLS, SQL"),
            "gRPC\u{a0}over\u{a0}TLS, SQL"
        );
        assert_eq!(type_line("HTTPS"), "HTTPS");
    }

    #[test]
    fn messages_holding_code_do_not_wrap() {
        assert!(message_wraps("Returns true if the hashed password matches"));
        assert!(message_wraps("Sends back an authentication token to"));
        assert!(message_wraps("validate()"));
        assert!(!message_wraps("updateOrderStatus(CONFIRMED)"));
        assert!(!message_wraps("publish(OrderPlacedEvent)\n{orderId}"));
        assert!(!message_wraps("Reads payment_intents"));
        assert!(!message_wraps("Calls OrderRepository"));
        assert!(!message_wraps("GET /orders/{id}/lines"));
    }

    #[test]
    fn edge_labels_break_between_words_into_even_lines() {
        assert_eq!(words("Reads and writes", 20), "Reads and writes");
        assert_eq!(
            words("Creates and revokes database users", 20),
            "Creates and revokes\ndatabase users"
        );
        assert_eq!(words("Sends pick lists to", 16), "Sends pick\nlists to");
        assert_eq!(
            words("one\ntwo three four five", 10),
            "one\ntwo three\nfour five"
        );
        assert_eq!(
            words("see https://example.com/long/path", 10),
            "see\nhttps://example.com/long/path"
        );
    }
}
