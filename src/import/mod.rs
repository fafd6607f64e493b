//! Importers: models written for other tools (the Structurizr DSL,
//! LikeC4), translated to c4c source.
//!
//! In: the text of another tool's model (and a reader for the files it
//! includes). Out: an [`Outcome`]: `.c4` text, formatted by
//! [`crate::format`], and the [`Issue`]s met on the way, each with an
//! import code (`I001`…, the table in `docs/interop.md`; a test checks both
//! ways). Nothing is printed; nothing is silently dropped: what has no c4c
//! equivalent is reported and kept in the output as a `//` comment.

pub mod files;
pub mod likec4;
pub mod structurizr;

macro_rules! import_codes {
    ($($code:ident $error:literal $meaning:literal,)*) => {
        /// A stable import code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in the order of the documentation's table.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written (`"I001"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// Whether the input could not be read in full (an error) rather
            /// than a statement that was not translated (a warning).
            pub fn is_error(self) -> bool {
                match self {
                    $(Code::$code => $error,)*
                }
            }

            /// The one-line meaning, as in the documentation's table.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$code => $meaning,)*
                }
            }
        }
    };
}

import_codes! {
    I001 false "a statement with no c4c equivalent (scripts, plugins, image or filtered views, animation, perspectives, docs, ADRs, themes, …): kept as a comment",
    I002 false "translated approximately (a shape, a custom element, a value c4c reads differently): the original is kept as a comment",
    I003 false "a reference to an identifier the workspace never declares: the statement is kept as a comment",
    I004 false "a statement the importer does not know: kept as a comment",
    I005 false "LikeC4: a statement or part of a view that is not translated (styles in views, global rules, notations, icons, `navigateTo`, …): listed, left out",
    I006 false "LikeC4: a reference to an element the project never declares, or to one written as a group: what uses it is left out",
    I007 false "LikeC4: translated approximately (a `where` filter dropped, parallel steps in order, a deployment view's predicates, elements inside a person)",
    I101 true "blocks nest too deep (more than 64): the block is left out",
    I102 true "an `!include` that names no file, or a file that cannot be read",
    I103 true "an `!include` of an absolute path or one leading out of the input's folder: not read",
    I104 true "an `!include` cycle, or includes nested more than 16 deep: not read again",
    I105 true "the input and its includes exceed 16 MiB, or substitution makes the output exceed 64 MiB",
    I106 true "a workspace JSON that is not JSON (the line and column given), nests more than 128 deep, or is not a workspace: nothing is read",
}

/// One problem met while importing: what, where (file relative to the
/// input's folder, 1-based line), and a message (text from the input in it
/// is not escaped: the CLI escapes it for the terminal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub code: Code,
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What an import produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The `.c4` source, formatted.
    pub c4: String,
    /// Every problem, by file and line.
    pub issues: Vec<Issue>,
    /// How many statements of each sort were translated.
    pub counts: Counts,
}

/// Counts of translated statements, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub elements: usize,
    /// Model relationships.
    pub relationships: usize,
    /// Deployment environments, nodes, instances and their relationships.
    pub deployment: usize,
    pub views: usize,
    pub styles: usize,
}

impl Outcome {
    /// How many issues are errors.
    pub fn errors(&self) -> usize {
        self.issues.iter().filter(|i| i.code.is_error()).count()
    }

    /// How many issues are warnings.
    pub fn warnings(&self) -> usize {
        self.issues.len() - self.errors()
    }
}

/// A c4c string literal holding `s`: quotes, backslashes and line breaks
/// escaped, control and hidden characters (bidi controls, zero-width
/// characters) written as `\u{…}`, so the text reads the same in a terminal
/// and in a review. Both importers write strings through it.
pub fn c4_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || crate::terminal_text::is_hidden(c) => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for one `//` comment line of an import: line breaks turned into
/// spaces and every other hidden or control character shown as an escape
/// ([`crate::terminal_text::line`]), so a comment of the input can neither
/// end early and start code nor hide text in a review.
pub fn comment_line(s: &str) -> String {
    crate::terminal_text::line(&s.replace(['\n', '\r'], " ")).into_owned()
}
