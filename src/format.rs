//! The `.c4` formatter: source text in, canonically laid-out source text out.
//!
//! It changes layout only, never content: indentation is two spaces per open
//! `{`; runs of spaces between tokens become one space (except inside
//! `code`, `states` and `dynamic` blocks, whose free-text labels keep their
//! spacing); trailing whitespace goes; blank lines are collapsed to one and
//! dropped at the start of a file, after `{` and before `}`; the file ends in
//! one newline; CRLF (or a lone CR) becomes LF. Strings (including multi-line `"""`
//! strings) and comments are copied byte for byte. Idempotent by
//! construction, and tested: the model of `format(x)` is the model of `x`.
//! Callers should only format text that parses (see `c4c fmt`). The text is
//! read through the lexer (`syntax::lexer`): what is a string or a comment
//! is decided there, as for the parser.

use crate::syntax::lexer::{Quote, TokenKind, tokens};

/// Block keywords whose contents keep their intra-line spacing.
const VERBATIM_BLOCKS: [&str; 3] = ["code", "states", "dynamic"];

/// One output line.
struct Line {
    text: String,
    /// For a line `id = …` outside verbatim-spacing blocks: the byte
    /// length of its indentation and of `id` (for `=` alignment).
    assign: Option<(usize, usize)>,
    /// Began inside a string or comment: kept as it is, never dropped.
    verbatim: bool,
}

/// A piece of one physical line: a whole token, or the part of a
/// multi-line string or comment that lies on this line.
#[derive(Clone, Copy)]
struct Piece<'a> {
    kind: TokenKind,
    text: &'a str,
}

/// The layout state carried from line to line.
#[derive(Default)]
struct Layout {
    out: Vec<Line>,
    /// One entry per open `{`: whether its contents keep their spacing.
    stack: Vec<bool>,
    /// A `code`, `states` or `dynamic` header whose `{` is on a later line
    /// (`states s "T" of` then `shop.orders {`): that `{` opens a block that
    /// keeps its spacing too.
    header_pending: bool,
}

/// Formats one file's text.
pub fn format_source(text: &str) -> String {
    let mut layout = Layout::default();
    for_each_line(text, |started_inside, ends_inside, pieces| {
        layout.line(started_inside, ends_inside, pieces);
    });
    let mut lines = drop_blank_lines(layout.out);
    align_assignments(&mut lines);
    let lines: Vec<String> = lines.into_iter().map(|l| l.text).collect();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Calls `f(started_inside, ends_inside, pieces)` for each physical line of
/// `text`, from its tokens: a line break ends a line (a CRLF or a lone CR
/// included); a string or comment that spans lines is cut at its `\n`s,
/// its inner lines going out whole. The line break that ends the text does
/// not start another line.
fn for_each_line<'a>(text: &'a str, mut f: impl FnMut(bool, bool, &[Piece<'a>])) {
    let mut pieces: Vec<Piece<'a>> = Vec::new();
    let mut started_inside = false;
    let mut after_break = false;
    for t in tokens(text) {
        let body = t.text(text);
        after_break = t.kind == TokenKind::Newline;
        if after_break {
            f(started_inside, false, &pieces);
            pieces.clear();
            started_inside = false;
            continue;
        }
        let mut parts = body.split('\n');
        let first = parts.next().unwrap_or("");
        pieces.push(Piece {
            kind: t.kind,
            text: first,
        });
        let mut rest = parts.peekable();
        if rest.peek().is_some() {
            f(started_inside, true, &pieces);
            pieces.clear();
            started_inside = true;
        }
        while let Some(part) = rest.next() {
            let piece = Piece {
                kind: t.kind,
                text: part,
            };
            if rest.peek().is_some() {
                f(true, true, &[piece]);
            } else {
                pieces.push(piece);
            }
        }
    }
    // A comment or string that runs to the end of the text may take the
    // final line break: that does not start another line either.
    let ends_in_break = started_inside && pieces.len() == 1 && pieces[0].text.is_empty();
    if !after_break && !ends_in_break {
        let ends_inside = pieces.last().is_some_and(|p| runs_on(p.kind));
        f(started_inside, ends_inside, &pieces);
    }
}

/// A token that runs to the end of the text (and so ends its last line).
fn runs_on(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::BlockComment { closed: false }
            | TokenKind::Str {
                quote: Quote::Triple,
                closed: false
            }
    )
}

impl Layout {
    /// Lays out one physical line: indentation from the open blocks, one
    /// space between tokens (or the spacing kept, in a verbatim block),
    /// trailing blanks dropped unless the line ends inside a string or comment.
    fn line(&mut self, started_inside: bool, ends_inside: bool, pieces: &[Piece<'_>]) {
        if started_inside && pieces.len() == 1 && ends_inside {
            // The whole line belongs to a string or comment.
            self.push(pieces[0].text.to_string(), None, true);
            return;
        }
        let verbatim_spacing = self.stack.last().copied().unwrap_or(false);
        let depth_at_start = self.stack.len();
        let verbatim_header = !started_inside && opens_verbatim_block(pieces);
        let opens_verbatim = verbatim_header || self.header_pending;
        let mut body = String::new();
        let (mut seen_token, mut pending_space) = (started_inside, false);
        let (mut leading_closers, mut opened) = (0usize, false);
        for p in pieces {
            if p.kind == TokenKind::Blank {
                if verbatim_spacing && seen_token {
                    body.push_str(p.text);
                } else if seen_token {
                    pending_space = true;
                }
                continue;
            }
            if pending_space {
                body.push(' ');
                pending_space = false;
            }
            match p.kind {
                TokenKind::Close if !seen_token => leading_closers += 1,
                _ => {}
            }
            match p.kind {
                TokenKind::Open => {
                    self.stack.push(verbatim_spacing || opens_verbatim);
                    opened = true;
                }
                TokenKind::Close => {
                    self.stack.pop();
                }
                _ => {}
            }
            seen_token = true;
            body.push_str(p.text);
        }
        if !started_inside {
            self.header_pending = !opened && (self.header_pending || verbatim_header);
        }
        // An unclosed one-line string runs to the end of the line: its
        // trailing blanks are its text (trimming `"\ ` would leave `"\`, a
        // line continuation, and change what the next pass reads).
        let ends_in_open_string = pieces
            .iter()
            .rev()
            .find(|p| p.kind != TokenKind::Blank)
            .is_some_and(|p| matches!(p.kind, TokenKind::Str { closed: false, .. }));
        if !ends_inside && !ends_in_open_string {
            let trimmed = body.trim_end().len();
            body.truncate(trimmed);
        }
        if started_inside {
            // The line began inside a string or comment: it keeps its indentation.
            self.push(body, None, true);
        } else if body.is_empty() {
            self.push(body, None, false);
        } else {
            let indent = 2 * depth_at_start.saturating_sub(leading_closers);
            let assign = assigned_id(pieces)
                .filter(|_| !verbatim_spacing)
                .map(|len| (indent, len));
            self.push(format!("{}{body}", " ".repeat(indent)), assign, false);
        }
    }

    fn push(&mut self, text: String, assign: Option<(usize, usize)>, verbatim: bool) {
        self.out.push(Line {
            text,
            assign,
            verbatim,
        });
    }
}

/// Whether a line starts with `code`, `states` or `dynamic` as a block
/// header (not `code = …`): the block it opens keeps its spacing.
fn opens_verbatim_block(pieces: &[Piece<'_>]) -> bool {
    let mut words = pieces.iter().filter(|p| p.kind != TokenKind::Blank);
    let Some(first) = words.next() else {
        return false;
    };
    first.kind == TokenKind::Word
        && VERBATIM_BLOCKS.contains(&first.text)
        && !words.next().is_some_and(|p| p.text.starts_with('='))
}

/// Blank lines: at most one in a row, none at the start, after `{` or before
/// `}`. (Before aligning: a dropped blank line joins two runs of `=` into
/// one, and aligning first would need a second pass to see that.)
fn drop_blank_lines(out: Vec<Line>) -> Vec<Line> {
    let mut kept: Vec<Line> = Vec::with_capacity(out.len());
    // A blank line of the layout (not one inside a string or comment).
    let blank = |l: &Line| l.text.is_empty() && !l.verbatim;
    for line in out {
        if blank(&line) {
            let after_open = kept.last().is_none_or(|l| l.text.ends_with('{'));
            let after_blank = kept.last().is_some_and(blank);
            if after_open || after_blank {
                continue;
            }
        } else if !line.verbatim
            && line.text.trim_start().starts_with('}')
            && kept.last().is_some_and(blank)
        {
            kept.pop();
        }
        kept.push(line);
    }
    while kept.last().is_some_and(blank) {
        kept.pop();
    }
    kept
}

/// The length of `id` when a line's tokens are `id = …` (an identifier,
/// blanks around `=`, and something after it).
fn assigned_id(pieces: &[Piece<'_>]) -> Option<usize> {
    let first = pieces.iter().position(|p| p.kind != TokenKind::Blank)?;
    let [id, before, eq, after, rest @ ..] = &pieces[first..] else {
        return None;
    };
    let is_id = id.kind == TokenKind::Word
        && id
            .text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !id.text.starts_with(|c: char| c.is_ascii_digit());
    let spaced = before.kind == TokenKind::Blank && after.kind == TokenKind::Blank;
    let then = rest.iter().any(|p| p.kind != TokenKind::Blank);
    (is_id && spaced && eq.text == "=" && then).then_some(id.text.len())
}

/// Aligns the `=` of consecutive `id = …` lines at the same indentation, as
/// hand-written models often do (`web   = …` / `cache = …`).
fn align_assignments(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _)) = lines[i].assign else {
            i += 1;
            continue;
        };
        let mut j = i;
        let mut width = 0;
        while let Some((ind, len)) = lines.get(j).and_then(|l| l.assign)
            && ind == indent
        {
            width = width.max(len);
            j += 1;
        }
        for line in &mut lines[i..j] {
            if let Some((_, len)) = line.assign {
                line.text.insert_str(indent + len, &" ".repeat(width - len));
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
    fn dynamic_blocks_are_indented_and_keep_their_spacing() {
        let src = "dynamic D {\nalt \"a  b\" {\na -> b \"x  y\"\n  loop {\n      a <- b\n}\n    } else \"c\" {\nopt { a -> b }\n}\n}\n";
        let want = "dynamic D {\n  alt \"a  b\" {\n    a -> b \"x  y\"\n    loop {\n      a <- b\n    }\n  } else \"c\" {\n    opt { a -> b }\n  }\n}\n";
        assert_eq!(format_source(src), want);
        assert_eq!(format_source(want), want);
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
