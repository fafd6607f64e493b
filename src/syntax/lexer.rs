//! The tokenizer: `.c4` text in, a lossless stream of [`Token`]s out.
//!
//! Every byte of the input belongs to exactly one token, trivia included
//! (blanks, line breaks, comments), so the tokens concatenate back to the
//! source. It is the one place that decides what a string or a comment is,
//! with the forms of `grammar.pest`:
//!
//! - `"…"` and `'…'`: a backslash escapes the next character (a line break
//!   too); an unescaped line break (`\n`, `\r\n` or a lone `\r`) ends an
//!   unterminated one before the break;
//! - `"""…"""`: anything up to the first `"""`; unterminated, it runs to the
//!   end of the text;
//! - `// …` up to the line break, `/* … */` (not nested; unterminated, to the
//!   end of the text).
//!
//! The brace check, the chunking of large model blocks and the formatter all
//! read the text through it. Linear time, no allocation, never panics.

/// The quoting of a string token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// `"…"`
    Double,
    /// `'…'`
    Single,
    /// `"""…"""`
    Triple,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of spaces, tabs and byte-order marks.
    Blank,
    /// One line break: `\n`, `\r\n` or a lone `\r`.
    Newline,
    /// `//` up to (not including) the line break.
    LineComment,
    /// `/* … */`; `closed` is false when it runs to the end of the text.
    BlockComment { closed: bool },
    /// A string literal, quotes included; `closed` is false when it is
    /// unterminated (see the module doc for where it then ends).
    Str { quote: Quote, closed: bool },
    /// `{`
    Open,
    /// `}`
    Close,
    /// A run of letters, digits and `_` (any script).
    Word,
    /// Any other single character.
    Punct,
}

impl TokenKind {
    /// Blanks, line breaks and comments: what the grammar skips between tokens.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Blank
                | TokenKind::Newline
                | TokenKind::LineComment
                | TokenKind::BlockComment { .. }
        )
    }
}

/// A token: its kind and byte span `start..end` in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// The tokens of a text, in order, from a start offset.
#[derive(Clone, Debug)]
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

/// The tokens of all of `text`.
pub fn tokens(text: &str) -> Lexer<'_> {
    Lexer::at(text, 0)
}

impl<'a> Lexer<'a> {
    /// The tokens of `text` from offset `pos`, which should be a token
    /// boundary (an offset inside a character moves on to the next one).
    pub fn at(text: &'a str, pos: usize) -> Lexer<'a> {
        let mut pos = pos.min(text.len());
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
        Lexer { text, pos }
    }

    /// The length of the token at `i` and its kind (`i < len`).
    fn token_at(&self, i: usize) -> (TokenKind, usize) {
        let text = self.text;
        let b = text.as_bytes();
        let rest = &text[i..];
        match b[i] {
            b' ' | b'\t' => (TokenKind::Blank, blank_len(rest)),
            0xEF if rest.starts_with('\u{feff}') => (TokenKind::Blank, blank_len(rest)),
            b'\n' => (TokenKind::Newline, 1),
            b'\r' => (
                TokenKind::Newline,
                if rest.starts_with("\r\n") { 2 } else { 1 },
            ),
            b'/' if rest.starts_with("//") => (TokenKind::LineComment, line_end(rest)),
            b'/' if rest.starts_with("/*") => match rest[2..].find("*/") {
                Some(j) => (TokenKind::BlockComment { closed: true }, j + 4),
                None => (TokenKind::BlockComment { closed: false }, rest.len()),
            },
            b'"' if rest.starts_with("\"\"\"") => {
                let (closed, n) = match rest[3..].find("\"\"\"") {
                    Some(j) => (true, j + 6),
                    None => (false, rest.len()),
                };
                let quote = Quote::Triple;
                (TokenKind::Str { quote, closed }, n)
            }
            q @ (b'"' | b'\'') => {
                let (closed, n) = quoted_len(rest.as_bytes(), q);
                let quote = if q == b'"' {
                    Quote::Double
                } else {
                    Quote::Single
                };
                (TokenKind::Str { quote, closed }, n)
            }
            b'{' => (TokenKind::Open, 1),
            b'}' => (TokenKind::Close, 1),
            _ => {
                let n = word_len(rest);
                if n > 0 {
                    (TokenKind::Word, n)
                } else {
                    punct(rest)
                }
            }
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        if start >= self.text.len() {
            return None;
        }
        let (kind, len) = self.token_at(start);
        // Every token takes at least one character, and ends on a character boundary.
        let mut end = (start + len.max(1)).min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

/// One character as punctuation.
fn punct(rest: &str) -> (TokenKind, usize) {
    (
        TokenKind::Punct,
        rest.chars().next().map_or(1, char::len_utf8),
    )
}

/// The length of the run of blanks (space, tab, U+FEFF) that `rest` starts with.
fn blank_len(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, c)| !matches!(c, ' ' | '\t' | '\u{feff}'))
        .map_or(rest.len(), |(i, _)| i)
}

/// The length of the run of word characters that `rest` starts with.
fn word_len(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(i, _)| i)
}

/// The offset of the first line break in `rest` (or its length).
fn line_end(rest: &str) -> usize {
    rest.bytes()
        .position(|c| c == b'\n' || c == b'\r')
        .unwrap_or(rest.len())
}

/// A one-line string opened by the quote `q` at `b[0]`: whether it closes, and
/// its length (closing quote included; an unterminated one stops before the
/// line break or at the end).
fn quoted_len(b: &[u8], q: u8) -> (bool, usize) {
    let mut j = 1;
    while j < b.len() {
        match b[j] {
            // The escaped character may be a line break or a multi-byte
            // character; its continuation bytes are never special.
            b'\\' => j += 2,
            b'\n' | b'\r' => return (false, j),
            c if c == q => return (true, j + 1),
            _ => j += 1,
        }
    }
    (false, b.len())
}

#[cfg(test)]
mod tests {
    use super::{Quote, Token, TokenKind, tokens};

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text).map(|t| (t.kind, t.text(text))).collect()
    }

    fn str_kind(quote: Quote, closed: bool) -> TokenKind {
        TokenKind::Str { quote, closed }
    }

    #[test]
    fn strings_of_every_form() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"a "b\"c" 'd\'e' """f"g""#),
            vec![
                (Word, "a"),
                (Blank, " "),
                (str_kind(Quote::Double, true), r#""b\"c""#),
                (Blank, " "),
                (str_kind(Quote::Single, true), r"'d\'e'"),
                (Blank, " "),
                (str_kind(Quote::Triple, false), r#""""f"g""#),
            ]
        );
        assert_eq!(
            kinds("\"\"\"x\n\"y\"\"\"\"z"),
            vec![
                (str_kind(Quote::Triple, true), "\"\"\"x\n\"y\"\"\""),
                (str_kind(Quote::Double, false), "\"z"),
            ]
        );
        // `""` is an empty string, not the start of a triple-quoted one.
        assert_eq!(
            kinds("\"\" "),
            vec![(str_kind(Quote::Double, true), "\"\""), (Blank, " ")]
        );
    }

    #[test]
    fn unterminated_one_line_strings_stop_before_the_line_break() {
        use TokenKind::*;
        for brk in ["\n", "\r\n", "\r"] {
            let text = format!("'a{brk}b");
            assert_eq!(
                kinds(&text),
                vec![
                    (str_kind(Quote::Single, false), "'a"),
                    (Newline, brk),
                    (Word, "b")
                ]
            );
        }
        // An escaped line break is part of the string.
        assert_eq!(
            kinds("\"a\\\nb\""),
            vec![(str_kind(Quote::Double, true), "\"a\\\nb\"")]
        );
        // A backslash at the very end.
        assert_eq!(
            kinds("\"a\\"),
            vec![(str_kind(Quote::Double, false), "\"a\\")]
        );
        assert_eq!(
            kinds("\"é\\é\""),
            vec![(str_kind(Quote::Double, true), "\"é\\é\"")]
        );
    }

    #[test]
    fn comments_and_trivia() {
        use TokenKind::*;
        assert_eq!(
            kinds("x // a \"b\r\n/* { */\t\u{feff}/* c"),
            vec![
                (Word, "x"),
                (Blank, " "),
                (LineComment, "// a \"b"),
                (Newline, "\r\n"),
                (BlockComment { closed: true }, "/* { */"),
                (Blank, "\t\u{feff}"),
                (BlockComment { closed: false }, "/* c"),
            ]
        );
        assert!(LineComment.is_trivia() && Newline.is_trivia() && !Word.is_trivia());
    }

    #[test]
    fn braces_words_and_punctuation() {
        use TokenKind::*;
        assert_eq!(
            kinds("a.b_1 -> {é}"),
            vec![
                (Word, "a"),
                (Punct, "."),
                (Word, "b_1"),
                (Blank, " "),
                (Punct, "-"),
                (Punct, ">"),
                (Blank, " "),
                (Open, "{"),
                (Word, "é"),
                (Close, "}"),
            ]
        );
        // Other characters with the byte-order mark's lead byte are not blanks.
        assert_eq!(
            kinds("\u{fe00}\u{ff21}"),
            vec![(Punct, "\u{fe00}"), (Word, "\u{ff21}")]
        );
    }

    #[test]
    fn starting_inside_a_character_moves_to_the_next_one() {
        let toks: Vec<Token> = super::Lexer::at("éa", 1).collect();
        assert_eq!(toks.len(), 1);
        assert_eq!((toks[0].start, toks[0].end), (2, 3));
    }

    #[test]
    fn huge_inputs_are_linear() {
        // 200,000 unclosed quotes, braces and comment starts: one pass each.
        for unit in ["'", "\"\"\"\n", "{", "/*", "\\", "\r"] {
            let text = unit.repeat(200_000);
            let total: usize = tokens(&text).map(|t| t.end - t.start).sum();
            assert_eq!(total, text.len());
        }
    }
}
