//! The Structurizr DSL tokenizer.
//!
//! In: the text of one `.dsl` file. Out: [`Token`]s with their line numbers:
//! words (identifiers, keywords, `->`, `*`, colours, numbers: any run of
//! non-blank characters), quoted strings (escapes `\"` and `\\` undone),
//! `{`, `}`, line ends, and comments (`#`, `//` and `/* … */`, kept for the
//! output). A `\` at the end of a line joins it with the next. Linear in
//! the text; never fails (an unterminated string ends at its line).

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare word.
    Word(String),
    /// A quoted string, unescaped.
    Str(String),
    /// `{`
    Open,
    /// `}`
    Close,
    /// The end of a line (a statement's end).
    Eol,
    /// A comment's text, without its markers (one token per line of it).
    Comment(String),
}

/// A token and the line (1-based) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

/// Splits `text` into tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let push = |out: &mut Vec<Token>, tok: Tok, line: usize| out.push(Token { tok, line });
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                push(&mut out, Tok::Eol, line);
                line += 1;
                i += 1;
            }
            '\\' if next_is_line_end(&chars, i + 1) => {
                // A continuation: skip to after the line break.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                i += 1;
                line += 1;
            }
            c if c.is_whitespace() => i += 1,
            '{' => {
                push(&mut out, Tok::Open, line);
                i += 1;
            }
            '}' => {
                push(&mut out, Tok::Close, line);
                i += 1;
            }
            '"' => {
                let (s, end, lines) = string(&chars, i);
                push(&mut out, Tok::Str(s), line);
                line += lines;
                i = end;
            }
            '#' if at_line_start(&out, line) => i = line_comment(&chars, i + 1, line, &mut out),
            '/' if chars.get(i + 1) == Some(&'/') => {
                i = line_comment(&chars, i + 2, line, &mut out);
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i = block_comment(&chars, i + 2, &mut line, &mut out);
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '{' | '}' | '"')
                {
                    // `${NAME}` (a constant) belongs to the word.
                    if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                        while i < chars.len() && chars[i] != '}' && chars[i] != '\n' {
                            i += 1;
                        }
                        if chars.get(i) != Some(&'}') {
                            break;
                        }
                    }
                    i += 1;
                }
                push(&mut out, Tok::Word(chars[start..i].iter().collect()), line);
            }
        }
    }
    out.push(Token {
        tok: Tok::Eol,
        line,
    });
    out
}

/// Whether no token stands before this point on `line` (`#` starts a
/// comment only there: `#ffffff` is a colour).
fn at_line_start(out: &[Token], line: usize) -> bool {
    out.last().is_none_or(|t| {
        t.tok == Tok::Eol || t.line < line || matches!(t.tok, Tok::Open | Tok::Close)
    })
}

/// Whether only blanks stand between `i` and the next line break.
fn next_is_line_end(chars: &[char], mut i: usize) -> bool {
    while i < chars.len() && chars[i] != '\n' {
        if !chars[i].is_whitespace() {
            return false;
        }
        i += 1;
    }
    true
}

/// A `"…"` string from `start` (at the quote); a `"""` text block spans
/// lines. Returns the text, the index after it, and the line breaks inside.
fn string(chars: &[char], start: usize) -> (String, usize, usize) {
    if chars.get(start + 1) == Some(&'"') && chars.get(start + 2) == Some(&'"') {
        let mut i = start + 3;
        let mut s = String::new();
        let mut lines = 0;
        while i < chars.len() {
            if chars[i] == '"' && chars.get(i + 1) == Some(&'"') && chars.get(i + 2) == Some(&'"') {
                return (s.trim().to_string(), i + 3, lines);
            }
            if chars[i] == '\n' {
                lines += 1;
            }
            s.push(chars[i]);
            i += 1;
        }
        return (s.trim().to_string(), i, lines);
    }
    let mut i = start + 1;
    let mut s = String::new();
    while i < chars.len() && chars[i] != '\n' {
        match chars[i] {
            '"' => return (s, i + 1, 0),
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                s.push(chars[i + 1]);
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    (s, i, 0)
}

fn line_comment(chars: &[char], mut i: usize, line: usize, out: &mut Vec<Token>) -> usize {
    let start = i;
    while i < chars.len() && chars[i] != '\n' {
        i += 1;
    }
    let text: String = chars[start..i].iter().collect();
    out.push(Token {
        tok: Tok::Comment(text.trim().to_string()),
        line,
    });
    i
}

fn block_comment(chars: &[char], mut i: usize, line: &mut usize, out: &mut Vec<Token>) -> usize {
    let mut cur = String::new();
    let mut cur_line = *line;
    while i < chars.len() {
        if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            i += 2;
            break;
        }
        if chars[i] == '\n' {
            out.push(Token {
                tok: Tok::Comment(star_trimmed(&std::mem::take(&mut cur))),
                line: cur_line,
            });
            *line += 1;
            cur_line = *line;
        } else {
            cur.push(chars[i]);
        }
        i += 1;
    }
    out.push(Token {
        tok: Tok::Comment(star_trimmed(&cur)),
        line: cur_line,
    });
    i
}

/// A block comment's line without its leading `*` decoration.
fn star_trimmed(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('*').map_or(t, str::trim_start).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokens(s).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_strings_braces_and_comments() {
        assert_eq!(
            toks("a = person \"A \\\"b\\\"\" { # c\n}"),
            vec![
                Tok::Word("a".into()),
                Tok::Word("=".into()),
                Tok::Word("person".into()),
                Tok::Str("A \"b\"".into()),
                Tok::Open,
                Tok::Comment("c".into()),
                Tok::Eol,
                Tok::Close,
                Tok::Eol,
            ]
        );
    }

    #[test]
    fn hash_is_a_comment_only_first_on_a_line() {
        assert_eq!(
            toks("background #fff\n# note"),
            vec![
                Tok::Word("background".into()),
                Tok::Word("#fff".into()),
                Tok::Eol,
                Tok::Comment("note".into()),
                Tok::Eol,
            ]
        );
    }

    #[test]
    fn a_constant_belongs_to_its_word() {
        assert_eq!(
            toks("a${X}b {\nc${d\ne"),
            vec![
                Tok::Word("a${X}b".into()),
                Tok::Open,
                Tok::Eol,
                Tok::Word("c${d".into()),
                Tok::Eol,
                Tok::Word("e".into()),
                Tok::Eol
            ]
        );
    }

    #[test]
    fn continuation_joins_lines() {
        assert_eq!(
            toks("a \\\n b"),
            vec![Tok::Word("a".into()), Tok::Word("b".into()), Tok::Eol]
        );
    }
}
