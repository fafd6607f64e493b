//! The sources as codespan-reporting shows them under a diagnostic: safe
//! for a terminal or a CI log, and short.
//!
//! In: the diagnostics to render and the [`SourceMap`]. Out: a codespan
//! `Files` ([`View`]). When a line codespan may show (a labelled line or
//! its context) holds a hidden character (see
//! [`crate::terminal_text::is_hidden`]; tabs are kept, codespan expands
//! them) or is longer than [`MAX_SHOWN_LINE`] bytes, the file is shown as a
//! stand-in text: on those lines each hidden character is written as its
//! escape (`\u{1b}`, `\r`, `\u{202e}`) and a long line is cut to a window
//! around the labels, marked `…`; the other lines are left empty, so the
//! work is bounded by what is shown. Line numbers are kept (one line in,
//! one line out); label ranges are mapped onto the stand-in, so the carets
//! sit under the escapes (a zero-width character gets a visible caret), and
//! the columns in the header are mapped back to the real file. Messages,
//! labels, notes and hints are made one visible line and cut by
//! [`crate::terminal_text::message`]; file names are made one visible line.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error, Files, Location};

use super::{Diagnostic, MAX_SHOWN_LINE, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::terminal_text::{self, is_hidden, push_escape};

/// Bytes shown before the first label on a cut line (escapes counted).
const LEAD: usize = 60;
const MARK: &str = "…";

/// Whether a character of a source line is shown as its escape (tabs are
/// not: codespan turns them into spaces).
fn escaped(c: char) -> bool {
    is_hidden(c) && c != '\t'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Original bytes copied as they are.
    Verbatim,
    /// One hidden character, written as its escape.
    Escape,
    /// The start of a cut line, not shown: `…` stands for it.
    CutBefore,
    /// The end of a cut line, not shown: `…` stands for it.
    CutAfter,
    /// A byte-order mark opening the file: not shown at all.
    Dropped,
    /// The line's end (`\n` or `\r\n`), written as `\n`.
    LineEnd,
    /// Lines codespan does not show (with their line ends): empty lines.
    Skipped,
}

/// A stretch of the original text and where it went in the stand-in.
/// Pieces are in order, with strictly increasing `orig`.
#[derive(Clone, Copy)]
struct Piece {
    /// Where it starts in the original text.
    orig: usize,
    /// Its length in the original text.
    len: usize,
    /// Where it starts in the stand-in text.
    out: usize,
    kind: Kind,
}

struct Excerpt {
    text: String,
    /// Where each line starts in the stand-in text.
    lines: Vec<usize>,
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// Original offset → stand-in offset. An offset inside a cut part maps
    /// to the edge of what is shown; one inside an escape to its start.
    fn map(&self, orig: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|p| p.orig <= orig)
            .saturating_sub(1);
        let Some(p) = self.pieces.get(i) else {
            return 0;
        };
        match p.kind {
            Kind::Verbatim => p.out + orig.saturating_sub(p.orig).min(p.len),
            Kind::CutBefore => p.out + MARK.len(),
            // The end of a cut line: the edge of what is shown, before `…`.
            Kind::LineEnd if i > 0 && self.pieces[i - 1].kind == Kind::CutAfter => {
                self.pieces[i - 1].out
            }
            Kind::Escape | Kind::CutAfter | Kind::Dropped | Kind::LineEnd | Kind::Skipped => p.out,
        }
    }

    /// Stand-in offset → original offset.
    fn unmap(&self, ex: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|p| p.out <= ex)
            .saturating_sub(1);
        let Some(p) = self.pieces.get(i) else {
            return 0;
        };
        match p.kind {
            Kind::Verbatim => p.orig + ex.saturating_sub(p.out).min(p.len),
            Kind::CutBefore | Kind::Dropped => p.orig + p.len,
            Kind::Escape | Kind::CutAfter | Kind::LineEnd | Kind::Skipped => p.orig,
        }
    }

    fn line_range(&self, index: usize) -> Option<Range<usize>> {
        let start = *self.lines.get(index)?;
        let end = self
            .lines
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    /// Appends `text[range]`, escaping hidden characters, with its pieces.
    fn push_shown(&mut self, text: &str, range: Range<usize>) {
        let mut run = range.start;
        let flush = |ex: &mut Excerpt, from: usize, to: usize| {
            if from < to {
                ex.pieces.push(Piece {
                    orig: from,
                    len: to - from,
                    out: ex.text.len(),
                    kind: Kind::Verbatim,
                });
                ex.text.push_str(&text[from..to]);
            }
        };
        for (i, c) in text[range.clone()].char_indices() {
            if !escaped(c) {
                continue;
            }
            let at = range.start + i;
            flush(self, run, at);
            self.pieces.push(Piece {
                orig: at,
                len: c.len_utf8(),
                out: self.text.len(),
                kind: Kind::Escape,
            });
            push_escape(&mut self.text, c);
            run = at + c.len_utf8();
        }
        flush(self, run, range.end);
    }
}

/// Bytes a character takes in the stand-in text (its escape, if escaped).
fn shown_len(c: char) -> usize {
    match c {
        '\0' | '\r' | '\n' => 2,
        c if escaped(c) => {
            let digits = (32 - (c as u32).leading_zeros()).div_ceil(4).max(1) as usize;
            4 + digits
        }
        c => c.len_utf8(),
    }
}

/// The part of the line `r` to show: all of it when it takes at most
/// [`MAX_SHOWN_LINE`] bytes shown (escapes counted), else a window of that
/// many (the character or escape that crosses the mark included), starting
/// [`LEAD`] bytes before the first label end on the line.
/// `points` (sorted) are the label ends in the file.
fn window(text: &str, r: &Range<usize>, points: &[usize]) -> Range<usize> {
    let line = &text[r.clone()];
    // An escape takes at most 6 bytes for each byte of its character.
    if line.len() <= MAX_SHOWN_LINE / 6
        || line.chars().map(shown_len).sum::<usize>() <= MAX_SHOWN_LINE
    {
        return r.clone();
    }
    let lo = points.partition_point(|p| *p < r.start);
    let mut anchor = points
        .get(lo)
        .copied()
        .filter(|p| *p <= r.end)
        .unwrap_or(r.start);
    while !text.is_char_boundary(anchor) {
        anchor -= 1;
    }
    let (mut from, mut used) = (anchor, 0);
    for c in text[r.start..anchor].chars().rev() {
        if used >= LEAD {
            break;
        }
        used += shown_len(c);
        from -= c.len_utf8();
    }
    let (mut to, mut used) = (from, 0);
    for c in text[from..r.end].chars() {
        if used >= MAX_SHOWN_LINE {
            break;
        }
        used += shown_len(c);
        to += c.len_utf8();
    }
    if to == r.end {
        for c in text[r.start..from].chars().rev() {
            if used >= MAX_SHOWN_LINE {
                break;
            }
            used += shown_len(c);
            from -= c.len_utf8();
        }
    }
    from..to
}

/// Whether the line `r` (without its line end) can be shown as it is: no
/// hidden character but tabs, at most [`MAX_SHOWN_LINE`] bytes.
fn line_as_is(text: &str, r: Range<usize>) -> bool {
    r.len() <= MAX_SHOWN_LINE && !text[r].contains(escaped)
}

/// The content of the line starting at `start` whose `\n` (or the end of
/// the text) is at `end`: without its line end (`\n` or `\r\n`).
fn content(text: &str, start: usize, end: usize) -> Range<usize> {
    if end < text.len() && text[start..end].ends_with('\r') {
        start..end - 1
    } else {
        start..end
    }
}

/// The lines codespan may show for labels on `labelled` lines (0-based):
/// each label's lines, the context it adds around a multi-line label (three
/// lines after its start, one before its end) and a line between two shown
/// lines. Sorted, without repeats.
fn shown_lines(labelled: impl Iterator<Item = (usize, usize)>) -> Vec<usize> {
    let mut shown: Vec<usize> = labelled
        .flat_map(|(start, end)| {
            (start.saturating_sub(2)..=start + 5).chain(end.saturating_sub(3)..=end + 2)
        })
        .collect();
    shown.sort_unstable();
    shown.dedup();
    shown
}

/// The stand-in text of a file, or `None` when the lines to show can be
/// shown as they are. `points` (sorted) are the label ends in this file,
/// `shown` (sorted) the lines codespan may show; other lines are left empty.
fn excerpt(src: &SourceFile, points: &[usize], shown: &[usize]) -> Option<Excerpt> {
    let text = src.text.as_str();
    let as_is = shown.iter().all(|line| {
        src.line_range(*line).is_none_or(|r| {
            let end = if text[r.clone()].ends_with('\n') {
                r.end - 1
            } else {
                r.end
            };
            line_as_is(text, content(text, r.start, end))
        })
    });
    if as_is {
        return None;
    }
    let mut ex = Excerpt {
        text: String::new(),
        lines: Vec::new(),
        pieces: Vec::new(),
    };
    let mut start = 0;
    let mut next_shown = shown.iter().copied().peekable();
    let ends = text
        .match_indices('\n')
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    for (index, end) in ends.enumerate() {
        ex.lines.push(ex.text.len());
        while next_shown.next_if(|l| *l < index).is_some() {}
        if next_shown.next_if_eq(&index).is_some() {
            ex.push_line(text, content(text, start, end), end, points);
        } else {
            ex.skip_line(start, (end + 1).min(text.len()));
        }
        start = end + 1;
    }
    Some(ex)
}

impl Excerpt {
    /// A line codespan will not show, as an empty line.
    fn skip_line(&mut self, start: usize, end: usize) {
        match self.pieces.last_mut() {
            Some(p) if p.kind == Kind::Skipped && p.orig + p.len == start => p.len = end - p.orig,
            _ => self.pieces.push(Piece {
                orig: start,
                len: end - start,
                out: self.text.len(),
                kind: Kind::Skipped,
            }),
        }
        self.text.push('\n');
    }

    /// A line to show: `r` its content, `end` where its `\n` is.
    fn push_line(&mut self, text: &str, mut r: Range<usize>, end: usize, points: &[usize]) {
        if r.start == 0 && text.starts_with('\u{feff}') {
            let bom = '\u{feff}'.len_utf8();
            self.pieces.push(Piece {
                orig: 0,
                len: bom,
                out: self.text.len(),
                kind: Kind::Dropped,
            });
            r.start = bom.min(r.end);
        }
        let shown = window(text, &r, points);
        if shown.start > r.start {
            self.pieces.push(Piece {
                orig: r.start,
                len: shown.start - r.start,
                out: self.text.len(),
                kind: Kind::CutBefore,
            });
            self.text.push_str(MARK);
        }
        self.push_shown(text, shown.clone());
        if shown.end < r.end {
            self.pieces.push(Piece {
                orig: shown.end,
                len: r.end - shown.end,
                out: self.text.len(),
                kind: Kind::CutAfter,
            });
            self.text.push_str(MARK);
        }
        self.pieces.push(Piece {
            orig: r.end,
            len: (end + 1).min(text.len()) - r.end,
            out: self.text.len(),
            kind: Kind::LineEnd,
        });
        self.text.push('\n');
    }
}

/// A file's label ends, and the lines (0-based) each label starts and ends on.
type FileLabels = (Vec<usize>, Vec<(usize, usize)>);

pub struct View<'a> {
    sources: &'a SourceMap,
    cut: HashMap<FileId, Excerpt>,
}

impl<'a> View<'a> {
    pub fn new(diags: &[Diagnostic], sources: &'a SourceMap) -> View<'a> {
        let mut labels: HashMap<FileId, FileLabels> = HashMap::new();
        for l in diags.iter().flat_map(|d| &d.labels) {
            let Some(src) = sources.get(l.span.file) else {
                continue;
            };
            let (start, end) = (l.span.start as usize, l.span.end as usize);
            let (points, lines) = labels.entry(l.span.file).or_default();
            points.extend([start, end]);
            lines.push((src.line_index(start), src.line_index(end)));
        }
        let mut cut = HashMap::new();
        for (file, (mut points, lines)) in labels {
            let Some(src) = sources.get(file) else {
                continue;
            };
            points.sort_unstable();
            if let Some(ex) = excerpt(src, &points, &shown_lines(lines.into_iter())) {
                cut.insert(file, ex);
            }
        }
        View { sources, cut }
    }

    fn span(&self, span: Span) -> Range<usize> {
        match self.cut.get(&span.file) {
            Some(ex) => {
                let start = ex.map(span.start as usize);
                start..ex.map(span.end as usize).max(start)
            }
            None => span.range(),
        }
    }

    pub fn to_codespan(&self, d: &Diagnostic) -> cs::Diagnostic<FileId> {
        let text = |s: &str| terminal_text::message(s).into_owned();
        let base = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        let labels = d
            .labels
            .iter()
            .map(|l| {
                let range = self.span(l.span);
                let label = if l.primary {
                    cs::Label::primary(l.span.file, range)
                } else {
                    cs::Label::secondary(l.span.file, range)
                };
                label.with_message(text(&l.message))
            })
            .collect();
        let mut notes: Vec<String> = d.notes.iter().map(|n| text(n)).collect();
        if let Some(hint) = &d.hint {
            notes.push(format!("hint: {}", text(hint)));
        }
        base.with_code(d.code.as_str())
            .with_message(text(&d.message))
            .with_labels(labels)
            .with_notes(notes)
    }
}

impl<'a> Files<'a> for View<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    /// The file's name as one visible line (a file in a hostile repository
    /// may be called anything).
    fn name(&'a self, id: FileId) -> Result<String, Error> {
        Files::name(self.sources, id).map(|n| terminal_text::line(n).into_owned())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, Error> {
        match self.cut.get(&id) {
            Some(ex) => Ok(&ex.text),
            None => Files::source(self.sources, id),
        }
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, Error> {
        match self.cut.get(&id) {
            Some(ex) => Ok(ex
                .lines
                .partition_point(|l| *l <= byte_index)
                .saturating_sub(1)),
            None => Files::line_index(self.sources, id, byte_index),
        }
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, Error> {
        match self.cut.get(&id) {
            Some(ex) => ex.line_range(line_index).ok_or(Error::LineTooLarge {
                given: line_index,
                max: ex.lines.len().saturating_sub(1),
            }),
            None => Files::line_range(self.sources, id, line_index),
        }
    }

    fn location(&'a self, id: FileId, byte_index: usize) -> Result<Location, Error> {
        let orig = match self.cut.get(&id) {
            Some(ex) => ex.unmap(byte_index),
            None => byte_index,
        };
        let (line_number, column_number) = self.sources.line_col(id, orig as u32);
        Ok(Location {
            line_number,
            column_number,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Diagnostic, render_all};
    use crate::source::{SourceMap, Span};

    /// The source line and the caret line of a one-label rendering.
    fn snippet(text: &str, label: std::ops::Range<usize>) -> (String, String, String) {
        let mut sources = SourceMap::new();
        let file = sources.add("m.c4", None, text.to_string());
        let d =
            Diagnostic::new(Code::E001, "x").label(Span::new(file, label.start, label.end), "here");
        let out = render_all(&[d], &sources, false);
        let lines: Vec<&str> = out.lines().collect();
        let header = lines[1].to_string();
        let source = lines.iter().position(|l| l.contains(" │ ")).unwrap_or(0);
        (header, lines[source].into(), lines[source + 1].into())
    }

    /// The `n` characters of `carets` under `pattern` in `source`.
    fn under(source: &str, pattern: &str, carets: &str, n: usize) -> String {
        let column = source[..source.find(pattern).unwrap()].chars().count();
        carets.chars().skip(column).take(n).collect()
    }

    #[test]
    fn a_long_line_of_escapes_is_windowed_by_its_shown_width() {
        let text = format!(
            "{}TARGET{}\n",
            "\u{1b}".repeat(5_000),
            "\u{202e}".repeat(5_000)
        );
        let at = 5_000;
        let (header, source, carets) = snippet(&text, at..at + 6);
        assert!(header.ends_with("m.c4:1:5001"), "{header}");
        assert!(source.chars().count() < 230, "{source}");
        assert!(
            source.contains("…\\u{1b}") && source.ends_with('…'),
            "{source}"
        );
        assert_eq!(
            under(&source, "TARGET", &carets, 7),
            "^^^^^^ ",
            "{source}\n{carets}"
        );
    }

    #[test]
    fn crlf_line_ends_are_not_shown_but_a_bare_cr_is() {
        let text = "a = 1\r\nb\rc = \u{200b}2\r\n";
        let (header, source, carets) = snippet(text, 13..16);
        assert!(header.ends_with("m.c4:2:7"), "{header}");
        assert!(source.ends_with("b\\rc = \\u{200b}2"), "{source:?}");
        assert_eq!(
            under(&source, "\\u{200b}", &carets, 9),
            "^^^^^^^^ ",
            "{carets}"
        );
    }

    #[test]
    fn a_byte_order_mark_opening_the_file_is_not_shown() {
        let text = "\u{feff}model { \u{1b} }\n";
        let (header, source, carets) = snippet(text, 11..12);
        assert!(header.ends_with("m.c4:1:10"), "{header}");
        assert!(source.ends_with("│ model { \\u{1b} }"), "{source:?}");
        assert_eq!(under(&source, "\\u{1b}", &carets, 7), "^^^^^^ ", "{carets}");
    }

    #[test]
    fn a_multi_line_label_shows_its_lines_escaped_and_the_rest_is_not_built() {
        let text: String = (1..=30).map(|i| format!("line {i} \u{1b}[2J\n")).collect();
        let start = text.find("line 3 ").unwrap();
        let end = text.find("line 20 ").unwrap() + 4;
        let mut sources = SourceMap::new();
        let file = sources.add("m.c4", None, text.clone());
        let d = Diagnostic::new(Code::E001, "x").label(Span::new(file, start, end), "here");
        let out = render_all(&[d], &sources, false);
        assert!(!out.contains('\u{1b}'), "{out}");
        for shown in [
            "3 │ ╭ line 3 \\u{1b}[2J",
            "6 │ │ line 6",
            "19 │ │ line 19",
            "20 │ │ line 20",
        ] {
            assert!(out.contains(shown), "{shown} missing in\n{out}");
        }
        assert!(!out.contains("line 12"), "{out}");
        let view = super::View::new(&[], &sources);
        assert!(view.cut.is_empty());
        let shown = super::shown_lines([(2, 19)].into_iter());
        let src = sources.get(file).unwrap();
        let ex = super::excerpt(src, &[start, end], &shown).unwrap();
        assert!(
            ex.text.len() < 400,
            "only the shown lines are built: {}",
            ex.text.len()
        );
        assert_eq!(ex.lines.len(), 31);
    }
}
