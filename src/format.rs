//! The `.c4` formatter: source text in, canonically laid-out source text out.
//!
//! It changes layout only, never content: indentation is two spaces per open
//! `{`; runs of spaces between tokens become one space (except inside
//! `code`, `states` and `dynamic` blocks, whose free-text labels keep their
//! spacing); trailing whitespace goes; blank lines are collapsed to one and
//! dropped at the start of a file, after `{` and before `}`; the file ends in
//! one newline; CRLF becomes LF. Strings (including multi-line `"""`
//! strings) and comments are copied byte for byte. Idempotent by
//! construction, and tested: the model of `format(x)` is the model of `x`.
//! Callers should only format text that parses (see `c4c fmt`).

/// Block keywords whose contents keep their intra-line spacing.
const VERBATIM_BLOCKS: [&str; 3] = ["code", "states", "dynamic"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Code,
    /// Inside a `/* … */` comment that began on an earlier line.
    BlockComment,
    /// Inside a `"""` string that began on an earlier line.
    TripleString,
}

/// Formats one file's text.
pub fn format_source(text: &str) -> String {
    // (line, may be aligned): lines in verbatim-spacing blocks or inside
    // strings and comments are never re-spaced.
    // (line, may be aligned, inside a string or comment: kept as it is).
    let mut out: Vec<(String, bool, bool)> = Vec::new();
    let mut mode = Mode::Code;
    // One entry per open `{`: whether its contents keep their spacing.
    let mut stack: Vec<bool> = Vec::new();
    // A `code`, `states` or `dynamic` header whose `{` is on a later line
    // (`states s "T" of` then `shop.orders {`): that `{` opens a block that
    // keeps its spacing too.
    let mut header_pending = false;
    // The newline that ends the last line does not start another one.
    for raw in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        let started_in = mode;
        let line = if started_in == Mode::Code {
            raw.trim_end_matches('\r')
        } else {
            raw
        };
        let verbatim_spacing = stack.last().copied().unwrap_or(false);
        let depth_at_start = stack.len();
        let mut body = String::new();
        let mut chars = line.char_indices().peekable();
        let mut leading_closers = 0usize;
        let mut seen_token = started_in != Mode::Code;
        // The statement's leading word, which names the block a `{` on this line opens.
        let first_word: String = if started_in == Mode::Code {
            line.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        } else {
            String::new()
        };
        let verbatim_header = VERBATIM_BLOCKS.contains(&first_word.as_str())
            && !line.trim_start()[first_word.len()..]
                .trim_start()
                .starts_with('=');
        let opens_verbatim = verbatim_header || header_pending;
        let mut opened = false;
        let mut pending_space = false;
        // Continue a construct that began on an earlier line.
        if started_in != Mode::Code {
            let end = if started_in == Mode::BlockComment {
                "*/"
            } else {
                "\"\"\""
            };
            match line.find(end) {
                Some(i) => {
                    body.push_str(&line[..i + end.len()]);
                    mode = Mode::Code;
                    while chars.peek().is_some_and(|(j, _)| *j < i + end.len()) {
                        chars.next();
                    }
                }
                None => {
                    // The whole line belongs to the string or comment.
                    out.push((line.to_string(), false, true));
                    continue;
                }
            }
        }
        while let Some((i, c)) = chars.next() {
            if c == ' ' || c == '\t' || c == '\u{feff}' {
                if verbatim_spacing && seen_token {
                    body.push(c);
                } else if seen_token {
                    pending_space = true;
                }
                continue;
            }
            if pending_space {
                body.push(' ');
                pending_space = false;
            }
            let rest = &line[i..];
            if rest.starts_with("//") {
                body.push_str(rest);
                break;
            }
            if let Some(after) = rest.strip_prefix("/*") {
                match after.find("*/") {
                    Some(j) => {
                        body.push_str(&rest[..j + 4]);
                        while chars.peek().is_some_and(|(k, _)| *k < i + j + 4) {
                            chars.next();
                        }
                    }
                    None => {
                        body.push_str(rest);
                        mode = Mode::BlockComment;
                        break;
                    }
                }
                seen_token = true;
                continue;
            }
            if let Some(after) = rest.strip_prefix("\"\"\"") {
                match after.find("\"\"\"") {
                    Some(j) => {
                        body.push_str(&rest[..j + 6]);
                        while chars.peek().is_some_and(|(k, _)| *k < i + j + 6) {
                            chars.next();
                        }
                    }
                    None => {
                        body.push_str(rest);
                        mode = Mode::TripleString;
                        break;
                    }
                }
                seen_token = true;
                continue;
            }
            if c == '"' || c == '\'' {
                // A one-line string, escapes included; an unterminated one runs to the end.
                body.push(c);
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    body.push(d);
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                seen_token = true;
                continue;
            }
            if c == '}' && !seen_token {
                leading_closers += 1;
            }
            seen_token = true;
            match c {
                '{' => {
                    stack.push(verbatim_spacing || opens_verbatim);
                    opened = true;
                }
                '}' => {
                    stack.pop();
                }
                _ => {}
            }
            body.push(c);
        }
        if started_in == Mode::Code {
            header_pending = if opened {
                false
            } else {
                header_pending || verbatim_header
            };
        }
        if mode == Mode::Code {
            // Trailing whitespace, unless the line ends inside a string or comment.
            let trimmed = body.trim_end().len();
            body.truncate(trimmed);
        }
        if started_in != Mode::Code {
            // The line began inside a string or comment: it keeps its indentation.
            out.push((body, false, true));
            continue;
        }
        if body.is_empty() {
            out.push((String::new(), false, false));
            continue;
        }
        let indent = depth_at_start.saturating_sub(leading_closers);
        out.push((
            format!("{}{}", "  ".repeat(indent), body),
            !verbatim_spacing,
            false,
        ));
    }
    // Blank lines: at most one in a row, none at the start, after `{` or before `}`.
    // (Before aligning: a dropped blank line joins two runs of `=` into one,
    // and aligning first would need a second pass to see that.)
    let mut kept: Vec<(String, bool, bool)> = Vec::with_capacity(out.len());
    // A blank line of the layout (not one inside a string or comment).
    let blank = |(l, _, verbatim): &(String, bool, bool)| l.is_empty() && !verbatim;
    for (line, align, verbatim) in out {
        if line.is_empty() && !verbatim {
            let after_open = kept.last().is_none_or(|(l, _, _)| l.ends_with('{'));
            let after_blank = kept.last().is_some_and(blank);
            if after_open || after_blank {
                continue;
            }
        } else if !verbatim && line.trim_start().starts_with('}') && kept.last().is_some_and(blank)
        {
            kept.pop();
        }
        kept.push((line, align, verbatim));
    }
    while kept.last().is_some_and(blank) {
        kept.pop();
    }
    let mut aligned: Vec<(String, bool)> = kept.into_iter().map(|(l, a, _)| (l, a)).collect();
    align_assignments(&mut aligned);
    let lines: Vec<String> = aligned.into_iter().map(|(l, _)| l).collect();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The `id` of a line `id = …` (after its indentation), if it is one.
fn assigned_id(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let id_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let first = rest.chars().next()?;
    if id_len == 0 || first.is_ascii_digit() || !rest[id_len..].starts_with(" = ") {
        return None;
    }
    Some((indent, &rest[..id_len]))
}

/// Aligns the `=` of consecutive `id = …` lines at the same indentation, as
/// hand-written models often do (`web   = …` / `cache = …`).
fn align_assignments(lines: &mut [(String, bool)]) {
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _)) = lines[i].1.then(|| assigned_id(&lines[i].0)).flatten() else {
            i += 1;
            continue;
        };
        let mut j = i;
        let mut width = 0;
        while j < lines.len()
            && lines[j].1
            && let Some((ind, id)) = assigned_id(&lines[j].0)
            && ind == indent
        {
            width = width.max(id.chars().count());
            j += 1;
        }
        for (line, _) in &mut lines[i..j] {
            if let Some((_, id)) = assigned_id(line) {
                let pad = width - id.chars().count();
                let at = indent + id.len();
                line.insert_str(at, &" ".repeat(pad));
            }
        }
        i = j.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::format_source;

    #[test]
    fn indents_collapses_and_trims() {
        let src = "\n\nmodel {\n\n\n   a   =  person \"A  B\"   // two  spaces\n\t\tb = system \"B\" {\n\n  }\n}\n\n\n";
        let want = "model {\n  a = person \"A  B\" // two  spaces\n  b = system \"B\" {\n  }\n}\n";
        assert_eq!(format_source(src), want);
        assert_eq!(format_source(want), want);
    }

    #[test]
    fn aligns_consecutive_assignments() {
        let src =
            "model {\n  web = a \"W\"\n  cache   = b \"C\"\n\n  x = c\n  a -> b\n  db = d\n}\n";
        let want =
            "model {\n  web   = a \"W\"\n  cache = b \"C\"\n\n  x = c\n  a -> b\n  db = d\n}\n";
        assert_eq!(format_source(src), want);
        assert_eq!(format_source(want), want);
    }

    #[test]
    fn keeps_multiline_strings_and_comments_verbatim() {
        let src = "model {\n  /* one\n     two   */ a = person \"\"\"x\n   y  \n\"\"\"\n}\n";
        let got = format_source(src);
        assert!(got.contains("/* one\n     two   */ a = person \"\"\"x\n   y  \n\"\"\""));
        assert_eq!(format_source(&got), got);
    }

    #[test]
    fn code_blocks_keep_spacing() {
        let src = "code a \"A\" {\n  A --> B : uses  two\n}\n";
        assert_eq!(format_source(src), src);
    }

    #[test]
    fn a_block_whose_header_goes_on_over_lines_keeps_its_spacing() {
        // Fuzzing: the `{` of `states … of` on the next line made the block's
        // free-text labels lose their double spaces (fmt changed a diagram).
        let src = "states s \"S\" of\nshop.orders {\n  A -> B : one  two\n}\n";
        let out = format_source(src);
        assert!(out.contains("A -> B : one  two"), "{out}");
        assert_eq!(format_source(&out), out);
        // An ordinary block after it is formatted as usual.
        let later = format!("{src}model {{\n  a  =  system \"A\"\n}}\n");
        assert!(format_source(&later).contains("  a = system \"A\""));
    }

    #[test]
    fn braces_inside_strings_do_not_indent() {
        let src = "model {\na = person \"{\"\n}\n";
        assert_eq!(format_source(src), "model {\n  a = person \"{\"\n}\n");
    }

    #[test]
    fn odd_input_never_panics() {
        let bits = [
            "\"\"\"", "/*", "*/", "}", "{", "\u{feff}", "'", "\"", "\\", "\t", " ", "\r\n", "\n",
            "a = ", "é", "日本", "//", "code", "states",
        ];
        // Every pair and triple of fragments (deterministic, small).
        for a in bits {
            for b in bits {
                for c in bits {
                    let text = format!("{a}{b}{c}x{a}\n{c}{b}");
                    let once = format_source(&text);
                    assert!(once.ends_with('\n'));
                }
            }
        }
    }
}

#[cfg(test)]
mod blank_line_tests {
    use super::format_source;

    #[test]
    fn blank_lines_inside_a_multi_line_string_are_content_and_kept() {
        let src =
            "model {\n  a = person \"A\" {\n    description \"\"\"one\n\n\n\nfive\"\"\"\n  }\n}\n";
        assert_eq!(format_source(src), src);
    }

    #[test]
    fn a_dropped_blank_line_joins_two_runs_in_one_pass() {
        // The blank line after `{` goes, so `a` and `bb` align at once.
        let src = "model {\n  s = system \"S\" {\n\n    a = container \"A\"\n    bb = container \"B\"\n  }\n}\n";
        let once = format_source(src);
        assert_eq!(format_source(&once), once);
        assert!(once.contains("    a  = container"), "{once}");
    }
}
