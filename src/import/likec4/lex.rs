//! LikeC4's tokens: LikeC4 text in, a list of [`Tok`]s out (its strings in
//! single, double and triple quotes with their escapes resolved, `#tags`,
//! names that may hold `-`, the arrows `->`, `<->`, `-[kind]->`, `.kind`,
//! comments kept for the translation). Linear time; never panics.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword (letters, digits, `_`, `-` inside).
    Word(String),
    /// A string's value.
    Str(String),
    /// `#tag` (the name without `#`).
    Tag(String),
    /// `->`
    Arrow,
    /// `<->`
    BothArrow,
    /// `-[kind]->` (the kind).
    Kinded(String),
    /// `//` or `/* */` (the text without the markers).
    Comment(String),
    /// Any other single character (`{`, `}`, `=`, `,`, `:`, `.`, `*`, …).
    Punct(char),
    /// The rest of a `link` statement's line, as written (an URL is no
    /// string, and its `//` no comment).
    Raw(String),
}

/// A token and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub kind: Kind,
    pub line: usize,
}

fn is_name(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The tokens of `text`.
pub fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        let mut push = |kind| {
            out.push(Tok {
                kind,
                line: start_line,
            })
        };
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            let end = (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len());
            push(Kind::Comment(
                chars[i + 2..end]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            ));
            i = end;
        } else if c == '/' && at(i + 1) == '*' {
            let mut j = i + 2;
            while j < chars.len() && !(chars[j] == '*' && at(j + 1) == '/') {
                j += 1;
            }
            let body: String = chars[i + 2..j.min(chars.len())].iter().collect();
            line += body.matches('\n').count();
            push(Kind::Comment(body.trim().to_string()));
            i = (j + 2).min(chars.len());
        } else if c == '\'' || c == '"' {
            let triple = at(i + 1) == c && at(i + 2) == c;
            let (value, next) = if triple {
                triple_string(&chars, i + 3, c)
            } else {
                string(&chars, i + 1, c)
            };
            line += chars[i..next].iter().filter(|&&ch| ch == '\n').count();
            push(Kind::Str(value));
            i = next;
        } else if c == '#' && is_name(at(i + 1)) {
            let end = name_end(&chars, i + 1);
            push(Kind::Tag(chars[i + 1..end].iter().collect()));
            i = end;
        } else if c == '-' && at(i + 1) == '>' {
            push(Kind::Arrow);
            i += 2;
        } else if c == '<' && at(i + 1) == '-' && at(i + 2) == '>' {
            push(Kind::BothArrow);
            i += 3;
        } else if c == '-' && at(i + 1) == '[' {
            // A kind is a short name: look no further than 128 characters,
            // so a line of `-[-[-[…` stays linear.
            let close =
                (i + 2..chars.len().min(i + 130)).find(|&j| chars[j] == ']' || chars[j] == '\n');
            match close {
                Some(j) if chars[j] == ']' && at(j + 1) == '-' && at(j + 2) == '>' => {
                    push(Kind::Kinded(
                        chars[i + 2..j]
                            .iter()
                            .collect::<String>()
                            .trim()
                            .to_string(),
                    ));
                    i = j + 3;
                }
                _ => {
                    push(Kind::Punct('-'));
                    i += 1;
                }
            }
        } else if is_name(c) {
            let end = name_end(&chars, i);
            let word: String = chars[i..end].iter().collect();
            // `link = kind …` names an element `link`.
            let next = (end..chars.len())
                .map(|j| chars[j])
                .find(|c| *c != ' ' && *c != '\t');
            let link = word == "link" && next != Some('=') && next != Some('\n');
            push(Kind::Word(word));
            i = end;
            if link {
                let eol = (i..chars.len())
                    .find(|&j| chars[j] == '\n' || chars[j] == '}')
                    .unwrap_or(chars.len());
                let rest: String = chars[i..eol].iter().collect();
                out.push(Tok {
                    kind: Kind::Raw(rest.trim().to_string()),
                    line: start_line,
                });
                i = eol;
            }
        } else {
            push(Kind::Punct(c));
            i += 1;
        }
    }
    out
}

/// Where a name starting at `i` ends: letters, digits, `_`, and `-` that
/// is followed by a name character (not an arrow).
fn name_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        let c = chars[i];
        if is_name(c) || (c == '-' && chars.get(i + 1).is_some_and(|n| is_name(*n))) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// A one-quote string from `i` (after the quote): (value, index after it).
/// A backslash escapes the next character; an unterminated string runs to
/// the end of the text.
fn string(chars: &[char], mut i: usize, quote: char) -> (String, usize) {
    let mut value = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                value.push(chars[i + 1]);
                i += 2;
            }
            c if c == quote => return (value, i + 1),
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    (value, i)
}

/// A triple-quoted string from `i` (after the quotes), its lines dedented.
fn triple_string(chars: &[char], i: usize, quote: char) -> (String, usize) {
    let mut j = i;
    while j < chars.len()
        && !(chars[j] == quote
            && chars.get(j + 1) == Some(&quote)
            && chars.get(j + 2) == Some(&quote))
    {
        j += 1;
    }
    let body: String = chars[i..j.min(chars.len())].iter().collect();
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    ((lines.join("\n")), (j + 3).min(chars.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokens(text).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn names_arrows_tags_and_strings() {
        assert_eq!(
            kinds("a-b -[async]-> c.d 'x\\'y' #t1 <-> '''\n  two\n  lines\n'''"),
            vec![
                Kind::Word("a-b".into()),
                Kind::Kinded("async".into()),
                Kind::Word("c".into()),
                Kind::Punct('.'),
                Kind::Word("d".into()),
                Kind::Str("x'y".into()),
                Kind::Tag("t1".into()),
                Kind::BothArrow,
                Kind::Str("two\nlines".into()),
            ]
        );
        assert_eq!(
            kinds("a->b"),
            vec![Kind::Word("a".into()), Kind::Arrow, Kind::Word("b".into())]
        );
        assert!(tokens("'unterminated").len() == 1);
        assert!(tokens("-[").len() == 2);
    }
}
