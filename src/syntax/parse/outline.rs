//! A file's parse in two steps, so that the model bodies of many files can be
//! parsed on all cores: the *outline* ([`outline`]) and the *bodies*
//! ([`body`]), put together by [`assemble`].
//!
//! In: one file's text and its [`FileId`]. [`outline`] reads everything but
//! the statements inside `model { … }` (a placeholder model item stands for
//! each, its range recorded); [`Outline::pieces`] lists the ranges to parse
//! (a large body cut into several); [`body`] parses one range.
//! Out: from [`assemble`], the outline with its bodies filled in and the
//! diagnostics in text order — exactly what [`super::parse`] returns for the
//! same text, including the rule that a file with an error written in
//! another tool's language is an empty file with just that diagnostic.

use super::chunks::{check_braces, matching_brace, model_header, skip_trivia, split_points};
use super::{Ctx, Rule};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::{File, Stmt, TopItem};

/// Statements parsed from one range, and the diagnostics about them.
pub type Parsed = (Vec<Stmt>, Vec<Diagnostic>);

/// A body cut into pieces only from this size on (as the single-file parse
/// does it, [`Ctx::stmt_list_parallel`]).
const MIN_SPLIT: usize = 256 * 1024;
/// About how large each piece of a cut body is.
const PIECE: usize = 128 * 1024;

/// A file read up to its `model` bodies.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The file with an empty `TopItem::Model` for each body: its imports
    /// and every other top-level item are final.
    pub file: File,
    diags: Vec<Diagnostic>,
    bodies: Vec<Body>,
    /// `foreign::detect` has been asked already (the outline had an error),
    /// or the outline is the whole answer (unbalanced braces): the bodies
    /// cannot change whether the file is another tool's.
    decided: bool,
}

/// One `model { … }` body: its item's index in the file, its inside
/// (`start..end`) and how many outline diagnostics come before its own.
#[derive(Debug, Clone, Copy)]
struct Body {
    item: usize,
    start: usize,
    end: usize,
    diags_before: usize,
}

impl Outline {
    /// Whether the file has bodies left to parse.
    pub fn has_bodies(&self) -> bool {
        !self.bodies.is_empty()
    }

    /// Whether the outline has an error: then whether the file is another
    /// tool's was settled by [`outline`] (its bodies cannot change it).
    pub fn decided(&self) -> bool {
        self.decided
    }

    /// The ranges to parse, as (body index, start, end), in text order. With
    /// `cut`, a body of [`MIN_SPLIT`] bytes or more is cut into pieces of
    /// about [`PIECE`] bytes at likely statement starts.
    pub fn pieces(&self, text: &str, cut: bool) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (b, body) in self.bodies.iter().enumerate() {
            let len = body.end - body.start;
            if !cut || len < MIN_SPLIT {
                out.push((b, body.start, body.end));
                continue;
            }
            let cuts = split_points(text, body.start, body.end, len.div_ceil(PIECE));
            out.extend(cuts.windows(2).map(|w| (b, w[0], w[1])));
        }
        out
    }
}

/// Reads `text` up to its model bodies: everything [`super::parse`] does
/// but parse the statements of `model { … }`.
pub fn outline(file: FileId, text: &str) -> Outline {
    let brace_errors = check_braces(file, text);
    if !brace_errors.is_empty() {
        let diags = match crate::syntax::foreign::detect(file, text) {
            Some(d) => vec![d],
            None => brace_errors,
        };
        return Outline {
            diags,
            decided: true,
            ..Outline::default()
        };
    }
    let mut p = Ctx::new(file, text);
    let mut out = Outline::default();
    let mut pos = skip_trivia(text, 0, text.len());
    while pos < text.len() {
        if let Some(open) = model_header(text, pos) {
            let close = matching_brace(text, open).unwrap_or(text.len());
            out.bodies.push(Body {
                item: out.file.items.len(),
                start: open + 1,
                end: close,
                diags_before: p.diags.len(),
            });
            out.file.items.push(TopItem::Model(Vec::new()));
            pos = skip_trivia(text, (close + 1).min(text.len()), text.len());
            continue;
        }
        let Some((item, consumed)) = p.parse_one(Rule::top_one, pos, text.len()) else {
            break;
        };
        if let Some(item) = p.top_item(item) {
            out.file.items.push(item);
        }
        pos = skip_trivia(text, pos + consumed.max(1), text.len());
    }
    out.diags = p.diags;
    if out.diags.iter().any(Diagnostic::is_error) {
        out.decided = true;
        if let Some(d) = crate::syntax::foreign::detect(file, text) {
            return Outline {
                diags: vec![d],
                decided: true,
                ..Outline::default()
            };
        }
    }
    out
}

/// The statements between `start` and `end` (a body or a piece of one),
/// parsed in order on this thread.
pub fn body(file: FileId, text: &str, start: usize, end: usize) -> Parsed {
    let mut p = Ctx::new(file, text);
    let stmts = p.stmt_list(start, end);
    (stmts, p.diags)
}

/// The file: `outline` with its bodies filled in from `pieces` (the results
/// of [`Outline::pieces`], in its order, with their body index). A body cut
/// into pieces of which any has a diagnostic is parsed again whole (a cut
/// may have split a statement), so the result is always that of the
/// sequential parse. Then, if the file has an error and is written in
/// another tool's language, it is an empty file with that one diagnostic.
pub fn assemble(
    file: FileId,
    text: &str,
    outline: Outline,
    pieces: Vec<(usize, Parsed)>,
) -> (File, Vec<Diagnostic>) {
    let Outline {
        file: mut out,
        diags: outline_diags,
        bodies,
        decided,
    } = outline;
    let mut parsed: Vec<Vec<Parsed>> = bodies.iter().map(|_| Vec::new()).collect();
    for (b, piece) in pieces {
        if let Some(slot) = parsed.get_mut(b) {
            slot.push(piece);
        }
    }
    let mut diags = Vec::with_capacity(outline_diags.len());
    let mut outline_diags = outline_diags.into_iter();
    let mut taken = 0;
    for (body, parts) in bodies.iter().zip(parsed) {
        let (stmts, body_diags) = if parts.len() > 1 && parts.iter().any(|p| !p.1.is_empty()) {
            self::body(file, text, body.start, body.end)
        } else {
            let mut stmts = Vec::new();
            let mut ds = Vec::new();
            for (s, d) in parts {
                stmts.extend(s);
                ds.extend(d);
            }
            (stmts, ds)
        };
        diags.extend(outline_diags.by_ref().take(body.diags_before - taken));
        taken = body.diags_before;
        diags.extend(body_diags);
        if let Some(TopItem::Model(slot)) = out.items.get_mut(body.item) {
            *slot = stmts;
        }
    }
    diags.extend(outline_diags);
    if !decided
        && diags.iter().any(Diagnostic::is_error)
        && let Some(d) = crate::syntax::foreign::detect(file, text)
    {
        return (File::default(), vec![d]);
    }
    (out, diags)
}

impl<'t> Ctx<'t> {
    pub(super) fn new(file: FileId, text: &'t str) -> Ctx<'t> {
        Ctx {
            file,
            text,
            diags: Vec::new(),
            base: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse::parse;

    /// Outline, every piece parsed alone (large bodies cut), assembled.
    fn in_steps(text: &str) -> (File, Vec<Diagnostic>) {
        let file = FileId(0);
        let outline = outline(file, text);
        let pieces = outline
            .pieces(text, true)
            .into_iter()
            .map(|(b, start, end)| (b, body(file, text, start, end)))
            .collect();
        assemble(file, text, outline, pieces)
    }

    fn same_as_parse(name: &str, text: &str) {
        let whole = parse(FileId(0), text);
        let steps = in_steps(text);
        assert_eq!(
            format!("{whole:?}"),
            format!("{steps:?}"),
            "{name}: outline and bodies differ from the whole parse"
        );
    }

    #[test]
    fn outline_and_bodies_make_the_whole_parse_of_every_bundled_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "examples",
            "tests/cases",
            "tests/regressions",
            "tests/likec4",
            "stdlib",
        ] {
            super::super::lexer_agrees::c4_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 50, "only {} files found", files.len());
        for path in files {
            if let Ok(text) = std::fs::read_to_string(&path) {
                same_as_parse(&path.display().to_string(), &text);
            }
        }
    }

    #[test]
    fn outline_and_bodies_agree_on_errors_foreign_files_and_several_models() {
        for text in [
            "",
            "model {}",
            "import \"a.c4\"\nmodel {\n a = system \"A\"\n oops oops\n}\nviews { bad }\nmodel { b = system }\n",
            "import \"a.c4\"\nmodel {\n x -[uses]-> y\n}\n",
            "specification { element actor }\nmodel { x = actor }\n",
            "model {\n a = system \"A\"\n",
            "model { a = system \"A\" }\n}\n",
            "workspace {\n model {\n u = person \"U\"\n }\n}\n",
            "whatever\nmodel { a = system \"A\" }\nmodel { -> }\n",
        ] {
            same_as_parse(text, text);
        }
    }

    /// A body large enough to be cut into pieces, with and without an
    /// error in the middle (which makes the body parsed again whole).
    #[test]
    fn a_large_body_cut_into_pieces_parses_as_one() {
        let mut text = String::from("import \"std/kinds\"\nmodel {\n");
        for i in 0..6000 {
            text.push_str(&format!(
                "  s{i} = system \"System {i}\" \"Does thing {i}\" {{\n    c{i} = container \"C\"\n  }}\n  s{i} -> s{} \"calls\"\n",
                (i + 1) % 6000
            ));
        }
        let clean = format!("{text}}}\nviews {{ landscape }}\n");
        assert!(clean.len() > 2 * MIN_SPLIT);
        let outline = outline(FileId(0), &clean);
        assert!(outline.pieces(&clean, true).len() > 2, "the body is cut");
        same_as_parse("large", &clean);
        let mid = text.len() / 2;
        let cut = text[mid..].find("\n  s").map_or(mid, |n| mid + n + 1);
        let broken = format!("{}= = =\n{}}}\n", &text[..cut], &text[cut..]);
        let (_, diags) = parse(FileId(0), &broken);
        assert!(!diags.is_empty());
        same_as_parse("large, broken", &broken);
    }
}
