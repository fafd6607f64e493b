//! Text from a model made safe for a terminal, a CI log or a JSON stream.
//!
//! In: any string (model text, file names, messages that quote them).
//! Out: the same text with every character a reader cannot see, or that a
//! terminal or a CI runner acts on, shown as its escape (`\u{1b}`, `\r`,
//! `\u{202e}`): the result is one visible line. [`message`] also cuts long
//! tokens and long texts with `…`; [`json`] escapes the same characters
//! inside JSON text, where the escape keeps the exact value. Pure: nothing
//! here prints.

use std::borrow::Cow;
use std::fmt::Write;

/// A token (a run of characters between blanks) longer than this many
/// characters is cut to this many in a message.
pub const MAX_TOKEN: usize = 40;

/// A message, label, note or hint longer than this many characters is cut
/// to this many.
pub const MAX_TEXT: usize = 500;

/// The mark put where text was cut.
pub const CUT: char = '…';

/// Whether a character is one a reader cannot see or a terminal acts on:
/// - control characters: C0 (NUL, BEL, BS, TAB, LF, VT, FF, CR, ESC…), DEL,
///   C1 (NEL, CSI…);
/// - format characters: bidirectional controls (U+202A–U+202E,
///   U+2066–U+2069, U+200E, U+200F, U+061C), zero-width characters
///   (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen, invisible operators,
///   tag characters (U+E0000–U+E007F) and the rest of Unicode's `Cf`;
/// - the line and paragraph separators U+2028 and U+2029;
/// - blank fillers that show as nothing (Hangul fillers, U+034F, U+180B–U+180F).
pub fn is_hidden(c: char) -> bool {
    // Most text is ASCII: of it, only the controls are hidden.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c as u32,
            0x00AD
                | 0x034F
                | 0x0600..=0x0605
                | 0x061C
                | 0x06DD
                | 0x070F
                | 0x0890..=0x0891
                | 0x08E2
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0x3164
                | 0xFEFF
                | 0xFFA0
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE007F
        )
}

/// Whether a character ends a line for some reader: LF, CR (a CI runner, a
/// terminal's cursor), VT, FF, NEL, U+2028, U+2029.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Appends the visible escape of `c`: `\0`, `\t`, `\r`, `\n`, else `\u{hex}`
/// (the form Rust's `escape_debug` gives).
pub fn push_escape(out: &mut String, c: char) {
    match c {
        '\0' => out.push_str("\\0"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `text` as one visible line: every hidden character (tabs and line
/// breaks included) becomes its escape.
pub fn line(text: &str) -> Cow<'_, str> {
    escape_where(text, is_hidden)
}

/// Text of several lines (a file, a diff) for a terminal: every hidden
/// character escaped except tabs and the line ends `\n` and `\r\n`, so
/// each line stays the one line it is (a bare CR, VT, FF, U+2028… is
/// escaped).
pub fn lines(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut offsets = text.char_indices();
    let first = offsets.find(|&(i, c)| {
        is_hidden(c) && c != '\t' && c != '\n' && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
    });
    let Some((first, _)) = first else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for (i, c) in text[first..].char_indices() {
        let crlf = c == '\r' && bytes.get(first + i + 1) == Some(&b'\n');
        if is_hidden(c) && c != '\t' && c != '\n' && !crlf {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with the hidden characters for which `escape` holds replaced by
/// their escapes (unchanged, and not copied, when there are none).
pub fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if escape(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message for a terminal: one visible line ([`line`]), each quoted
/// token longer than [`MAX_TOKEN`] characters cut to that many
/// ([`cut_token`]), and the whole cut in the middle to [`MAX_TEXT`]
/// characters.
pub fn message(text: &str) -> Cow<'_, str> {
    let shown = line(text);
    let long_text = shown.len() > MAX_TEXT && shown.chars().count() > MAX_TEXT;
    let long_token = shown.len() > MAX_TOKEN
        && shown
            .split(char::is_whitespace)
            .any(|t| matches!(cut_token(t), Cow::Owned(_)));
    if !long_text && !long_token {
        return shown;
    }
    let mut tokens_cut = String::with_capacity(shown.len().min(4 * MAX_TEXT));
    let mut rest = shown.as_ref();
    while !rest.is_empty() {
        let blank = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        tokens_cut.push_str(&rest[..blank]);
        rest = &rest[blank..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        tokens_cut.push_str(&cut_token(&rest[..end]));
        rest = &rest[end..];
    }
    Cow::Owned(middle_cut(&tokens_cut, MAX_TEXT).into_owned())
}

/// A quoted token (no blanks; a `` ` ``, `'` or `"` among the at most
/// [`MAX_WRAP`] punctuation characters at its start or end) with its core
/// cut in the middle to [`MAX_TOKEN`] characters: `` `a.b.c…x.y.z` ``. The
/// quotes and punctuation around the core are kept. Other tokens (a path
/// in a note, say) are left whole; [`message`] bounds them with the text.
pub fn cut_token(token: &str) -> Cow<'_, str> {
    if token.len() <= MAX_TOKEN {
        return Cow::Borrowed(token);
    }
    let wrap = |c: char| "`'\"()[]{}<>,.:;!?".contains(c);
    let head = token
        .char_indices()
        .take(MAX_WRAP)
        .find(|(_, c)| !wrap(*c))
        .map_or(token.len(), |(i, _)| i);
    let tail = token
        .char_indices()
        .rev()
        .take(MAX_WRAP)
        .find(|(_, c)| !wrap(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let quoted = |s: &str| s.contains(['`', '\'', '"']);
    if head >= tail || !(quoted(&token[..head]) || quoted(&token[tail..])) {
        return Cow::Borrowed(token);
    }
    match middle_cut(&token[head..tail], MAX_TOKEN) {
        Cow::Borrowed(_) => Cow::Borrowed(token),
        Cow::Owned(core) => Cow::Owned(format!("{}{core}{}", &token[..head], &token[tail..])),
    }
}

/// The most quote and punctuation characters around a token's core.
pub const MAX_WRAP: usize = 3;

/// `s` cut to `max` characters: its start, `…`, its end.
pub fn middle_cut(s: &str, max: usize) -> Cow<'_, str> {
    let count = if s.len() <= max { 0 } else { s.chars().count() };
    if count <= max {
        return Cow::Borrowed(s);
    }
    let head = max.saturating_sub(1).div_ceil(2);
    let tail = max.saturating_sub(1) - head;
    let head_end = s.char_indices().nth(head).map_or(s.len(), |(i, _)| i);
    let tail_start = s
        .char_indices()
        .nth(count - tail)
        .map_or(s.len(), |(i, _)| i);
    let mut out = String::with_capacity(head_end + 3 + (s.len() - tail_start));
    out.push_str(&s[..head_end]);
    out.push(CUT);
    out.push_str(&s[tail_start..]);
    Cow::Owned(out)
}

/// JSON text (as serde_json writes it) with every hidden character that is
/// still raw in it written as a `\uXXXX` escape (a surrogate pair above
/// U+FFFF). serde_json escapes C0 controls itself; DEL, C1 controls, bidi
/// controls, zero-width characters and U+2028/U+2029 it leaves raw. Hidden
/// characters only occur inside JSON strings, where the escape decodes to the
/// same value: a parser reads exactly the same document.
pub fn json(text: String) -> String {
    let raw = |c: char| is_hidden(c) && c >= '\u{7f}';
    if !text.contains(raw) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 32);
    for c in text.chars() {
        if raw(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_their_escapes() {
        assert_eq!(
            line("a\u{1b}[31mb\u{7}\0\u{c}\u{b}\r\n\t\u{202e}\u{200b}\u{2028}\u{85}"),
            "a\\u{1b}[31mb\\u{7}\\0\\u{c}\\u{b}\\r\\n\\t\\u{202e}\\u{200b}\\u{2028}\\u{85}"
        );
        assert!(matches!(line("plain é 日本 🚀"), Cow::Borrowed(_)));
        assert_eq!(
            lines("a\tb\r\nc\rd\n\u{1b}e\u{2028}f\n"),
            "a\tb\r\nc\\rd\n\\u{1b}e\\u{2028}f\n"
        );
        assert!(matches!(lines("a\tb\r\nc\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_tokens_and_long_texts_are_cut_in_the_middle() {
        let token = format!("`{}`", "a.".repeat(200_000));
        let m = format!("unknown element {token}");
        assert_eq!(
            message(&m),
            "unknown element `a.a.a.a.a.a.a.a.a.a.…a.a.a.a.a.a.a.a.a.a.`"
        );
        let quoted = format!("found '{}',", "ü".repeat(100));
        assert_eq!(
            message(&quoted),
            format!("found '{}…{}',", "ü".repeat(20), "ü".repeat(19))
        );
        let path = format!("no file {}/model.c4", "d".repeat(100));
        assert_eq!(message(&path), path);
        let path = format!("no file {}/model.c4", "d".repeat(1_000));
        assert_eq!(message(&path).chars().count(), MAX_TEXT);
        let words = "word ".repeat(1_000);
        let m = message(&words);
        assert_eq!(m.chars().count(), MAX_TEXT);
        assert!(m.contains(CUT));
        let short = format!("{} {}", "x".repeat(MAX_TOKEN), "y".repeat(MAX_TOKEN));
        assert_eq!(message(&short), short);
    }

    #[test]
    fn json_keeps_the_value_and_escapes_what_serde_leaves_raw() {
        let value = "a\u{9b}b\u{202e}c\u{2028}d\u{e0041}e\u{7f}";
        let raw = serde_json::to_string(value).unwrap();
        let safe = json(raw);
        assert!(!safe.chars().any(is_hidden), "{safe}");
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), value);
    }
}
