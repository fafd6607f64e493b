//! Editor queries over a compiled workspace (what `c4c lsp` answers).
//!
//! In: a [`Compilation`] (sources, diagnostics, each root's model and
//! views), wrapped in an [`Analysis`], and positions in its files as an
//! editor gives them (line, UTF-16 column). Out: LSP-ready values
//! (`lsp_types`): diagnostics with exact ranges, locations for definition
//! and references, hover text, completions, document and workspace
//! symbols, rename and formatting edits, semantic tokens, code actions.
//! No I/O and no printing: the transport is `cli::lsp`.
//!
//! What a position names ([`Symbol`]) comes from the model where the
//! resolver recorded it ([`crate::model::Model::refs`], each element's
//! `id_span`, each kind's `span`) and, for kinds, tags and import paths,
//! from the tokens of the one lexer ([`crate::syntax::lexer`]).

pub mod actions;
pub mod complete;
pub mod diagnostics;
pub mod navigate;
pub mod symbol;
pub mod tokens;
pub mod uri;

use std::collections::HashMap;
use std::ops::Range as Bytes;
use std::path::{Path, PathBuf};

use lsp_types::{Location, Position, Range};

use crate::pipeline::{Compilation, Compiled};
use crate::source::{FileId, Span};

pub use symbol::Symbol;

/// A compilation, indexed for editor queries.
#[derive(Debug, Default)]
pub struct Analysis {
    pub comp: Compilation,
    by_path: HashMap<PathBuf, FileId>,
    /// Per file, every [`CHECKPOINT`] bytes: (byte offset, UTF-16 column
    /// there), so a column in a long line is counted from near it.
    checkpoints: HashMap<FileId, Vec<(usize, u32)>>,
}

/// The distance between two column checkpoints, in bytes.
const CHECKPOINT: usize = 1024;

/// The column checkpoints of a text.
fn checkpoints(text: &str) -> Vec<(usize, u32)> {
    let mut out = Vec::with_capacity(text.len() / CHECKPOINT + 1);
    let mut col: u32 = 0;
    let mut next = CHECKPOINT;
    for (i, c) in text.char_indices() {
        if i >= next {
            out.push((i, col));
            next = i + CHECKPOINT;
        }
        col = if c == '\n' {
            0
        } else {
            col.saturating_add(c.len_utf16() as u32)
        };
    }
    out
}

impl Analysis {
    pub fn new(comp: Compilation) -> Analysis {
        let by_path = comp
            .sources
            .files()
            .filter_map(|(id, f)| f.path.clone().map(|p| (p, id)))
            .collect();
        let checkpoints = comp
            .sources
            .files()
            .map(|(id, f)| (id, checkpoints(&f.text)))
            .collect();
        Analysis {
            comp,
            by_path,
            checkpoints,
        }
    }

    /// The file loaded from `path` (a canonical path), if it was.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// Every file read from disk, by path.
    pub fn paths(&self) -> impl Iterator<Item = (&Path, FileId)> {
        self.by_path.iter().map(|(p, f)| (p.as_path(), *f))
    }

    /// A file's text ("" if unknown).
    pub fn text(&self, file: FileId) -> &str {
        self.comp
            .sources
            .get(file)
            .map(|f| f.text.as_str())
            .unwrap_or("")
    }

    /// A file's path on disk (`None` for the embedded stdlib).
    pub fn path(&self, file: FileId) -> Option<&Path> {
        self.comp.sources.get(file)?.path.as_deref()
    }

    /// Every root's compiled model.
    pub fn models(&self) -> impl Iterator<Item = &Compiled> {
        self.comp.compiled.iter()
    }

    /// A byte range of `file` as an LSP range.
    pub fn range(&self, file: FileId, bytes: Bytes<usize>) -> Range {
        Range::new(
            self.position(file, bytes.start),
            self.position(file, bytes.end),
        )
    }

    /// The LSP position of a byte offset of `file`: the line by binary
    /// search, the column counted from the line's start or the nearest
    /// checkpoint before the offset (at most [`CHECKPOINT`] bytes away).
    pub fn position(&self, file: FileId, offset: usize) -> Position {
        let Some(f) = self.comp.sources.get(file) else {
            return Position::new(0, 0);
        };
        let mut offset = offset.min(f.text.len());
        while !f.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = f.line_index(offset);
        let start = f.line_range(line).map_or(0, |r| r.start);
        let marks = self.checkpoints.get(&file).map_or(&[][..], Vec::as_slice);
        let before = marks.partition_point(|(at, _)| *at <= offset);
        let (from, col) = match before.checked_sub(1).and_then(|i| marks.get(i)) {
            Some(&(at, col)) if at >= start => (at, col),
            _ => (start, 0),
        };
        let counted: usize = f.text[from..offset].chars().map(char::len_utf16).sum();
        let col = col.saturating_add(u32::try_from(counted).unwrap_or(u32::MAX));
        Position::new(u32::try_from(line).unwrap_or(u32::MAX), col)
    }

    /// A span as an editor location (`None` for a stdlib file, which has no URI).
    pub fn location(&self, span: Span) -> Option<Location> {
        let uri = uri::from_path(self.path(span.file)?)?;
        Some(Location::new(uri, self.range(span.file, span.range())))
    }

    /// The byte offset of an editor position in `file` (clamped to the text).
    pub fn offset(&self, file: FileId, pos: Position) -> usize {
        to_offset(self.text(file), pos)
    }
}

/// The LSP position (0-based line, UTF-16 column) of a byte offset.
pub fn to_position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count();
    let col: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// The byte offset of an LSP position: a line past the end is the end of
/// the text, a column past the end of its line the end of the line.
pub fn to_offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_clamp() {
        let text = "a = é\n𝄞b\n";
        assert_eq!(to_position(text, 6), Position::new(0, 5));
        assert_eq!(to_offset(text, Position::new(1, 2)), 11);
        assert_eq!(to_position(text, 11), Position::new(1, 2));
        assert_eq!(to_offset(text, Position::new(9, 9)), text.len());
        assert_eq!(to_offset(text, Position::new(0, 99)), 6);
        // Inside a character: the character's start.
        assert_eq!(to_position(text, 8), Position::new(1, 0));
    }

    #[test]
    fn columns_in_long_lines_are_counted_from_checkpoints() {
        // Lines longer than a checkpoint apart, with characters of 1 to 4 bytes.
        let line = "é𝄞a".repeat(700);
        let text = format!("x\n{line}\n{line}");
        let c = crate::compile_text("t.c4", &text);
        let a = Analysis::new(c);
        let file = FileId(0);
        for offset in (0..text.len()).step_by(7).chain([text.len()]) {
            assert_eq!(
                a.position(file, offset),
                to_position(&text, offset),
                "{offset}"
            );
        }
    }
}
