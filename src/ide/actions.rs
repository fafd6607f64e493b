//! Formatting and quick fixes.
//!
//! In: an [`Analysis`] (or one file's text) and a range of a file. Out:
//! the edit `c4c fmt` would make (the whole file, or nothing when it does
//! not parse: formatting it could only guess), and quick fixes for the
//! hints c4c computes: a "did you mean `X`?" replaces what the diagnostic
//! points at, and a kind the stdlib declares gets `import "std/kinds"`.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Position, Range, TextEdit, WorkspaceEdit};

use super::{Analysis, to_position, uri};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;

/// The edit formatting `text` as `c4c fmt` does: `None` when the text is
/// already formatted or does not parse.
pub fn format(text: &str) -> Option<TextEdit> {
    let (_, diags) = crate::syntax::parse::parse(FileId(0), text);
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let formatted = crate::format::format_source(text);
    (formatted != text).then(|| {
        TextEdit::new(
            Range::new(Position::new(0, 0), to_position(text, text.len())),
            formatted,
        )
    })
}

/// The name a "did you mean `X`?" hint proposes.
fn proposed(hint: &str) -> Option<&str> {
    let rest = hint.strip_prefix("did you mean `")?;
    let end = rest.find("`?")?;
    Some(&rest[..end])
}

/// Quick fixes for the diagnostics of `file` that touch `range` (bytes).
pub fn code_actions(a: &Analysis, file: FileId, range: std::ops::Range<usize>) -> Vec<CodeAction> {
    let Some(uri) = a.path(file).and_then(uri::from_path) else {
        return Vec::new();
    };
    let text = a.text(file);
    let mut out = Vec::new();
    for d in &a.comp.diagnostics {
        let Some(span) = d.primary_span().filter(|s| s.file == file) else {
            continue;
        };
        if span.start as usize > range.end || (span.end as usize) < range.start {
            continue;
        }
        let Some(hint) = &d.hint else { continue };
        let written = text.get(span.range()).unwrap_or("");
        let fix = if let Some(name) = proposed(hint) {
            // Only where the diagnostic points at the name itself, bare or
            // quoted (a tag in `tags "…"`): then the text inside the quotes.
            let quoted = written.len() >= 2
                && (written.starts_with('"') && written.ends_with('"')
                    || written.starts_with('\'') && written.ends_with('\''));
            let (inner, bytes) = if quoted {
                let r = span.range();
                (&written[1..written.len() - 1], r.start + 1..r.end - 1)
            } else {
                (written, span.range())
            };
            let plain = !inner.is_empty()
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-');
            plain.then(|| {
                (
                    format!("Replace `{inner}` with `{name}`"),
                    TextEdit::new(a.range(file, bytes), name.to_string()),
                )
            })
        } else if d.code == Code::E024 && hint.contains("import \"std/kinds\"") {
            let at = to_position(text, 0);
            Some((
                "Add `import \"std/kinds\"`".to_string(),
                TextEdit::new(Range::new(at, at), "import \"std/kinds\"\n".into()),
            ))
        } else {
            None
        };
        let Some((title, edit)) = fix else { continue };
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        out.push(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![super::diagnostics::convert(a, d)]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
    }
    out
}
