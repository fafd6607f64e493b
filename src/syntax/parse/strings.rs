//! String literals: a `string` pair in, its value out — quotes stripped,
//! escapes processed (E004 on a bad one), `"""` text dedented.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::Text;

impl Ctx<'_> {
    /// A string literal with its escapes processed (E004 on a bad escape).
    pub(super) fn string(&mut self, pair: Pair<'_, Rule>) -> Text {
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

    pub(super) fn unescape(&mut self, raw: &str, base: usize) -> String {
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

/// Triple-quoted text: drop the first line break, the common indentation and
/// trailing blank space.
pub(super) fn dedent(raw: &str) -> String {
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
