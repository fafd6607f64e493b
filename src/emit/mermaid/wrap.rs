//! Where the text of boxes and edge labels may break, before escaping.
//!
//! In: a type line (`Container: Java, Spring Boot`, or an edge's
//! technology). Out: the same text whose spaces are non-breaking except
//! after `: ` and `, `, so when Mermaid wraps a box's text at its
//! `wrappingWidth` ([`INIT`]) a technology list breaks between its entries
//! and never inside a name (`[Container: Java, Spring` / `Boot]`). Names
//! and descriptions keep ordinary spaces: Mermaid wraps them to the width,
//! and the text itself stays as written. Linear in the text.

use std::borrow::Cow;

/// The layout every flowchart asks Mermaid for (a directive, which GitHub's
/// and GitLab's Mermaid honour): 14 px text, tighter spacing between boxes
/// and ranks, boxes' text wrapped at 130 px and less padding around it.
pub const INIT: &str = r#"%%{init: {"themeVariables": {"fontSize": "14px"}, "flowchart": {"nodeSpacing": 24, "rankSpacing": 36, "padding": 8, "wrappingWidth": 130}}}%%"#;

/// An element's type line (`Kind` or `Kind: technologies`) whose
/// technologies do not break except after `,` (the kind breaks as any text).
pub fn type_line(text: &str) -> Cow<'_, str> {
    match text.split_once(':') {
        Some((kind, techs)) => match technology(techs) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(t) => Cow::Owned(format!("{kind}:{t}")),
        },
        None => Cow::Borrowed(text),
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

/// Characters per line of a box's description (about 125 px at 14 px).
pub const TEXT: usize = 18;

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
            "Container: Java, Spring\u{a0}Boot"
        );
        assert_eq!(
            type_line("External Software System"),
            "External Software System"
        );
        assert_eq!(
            technology("gRPC over TLS, SQL"),
            "gRPC\u{a0}over\u{a0}TLS, SQL"
        );
        assert_eq!(type_line("HTTPS"), "HTTPS");
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
