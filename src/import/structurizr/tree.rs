//! The Structurizr DSL as a tree of statements, `!include`s inlined.
//!
//! In: tokens ([`super::lex`]) and a reader for included files. Out:
//! [`Stmt`]s: the words of one line, and the statements of its `{ }` block
//! if it opens one; comments are statements of their own. `!include`
//! statements are replaced by the statements of the file they name, read
//! through the caller's reader with a path relative to the input's folder
//! (never absolute, never out of it), with cycles, include depth, nesting
//! depth and total size bounded (coded errors, the rest skipped). Each token
//! is visited once, so the tree is built in linear time.

use super::lex::{Tok, Token, tokens};
use crate::import::{Code, Issue};

/// Blocks nest at most this deep.
pub const MAX_DEPTH: usize = 64;
/// Includes nest at most this deep.
const MAX_INCLUDE_DEPTH: usize = 16;
/// At most this many bytes are read, the input and its includes together.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// One word of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Whether it was a quoted string.
    pub quoted: bool,
}

/// One statement: its words (none for a comment), its block, where it is.
#[derive(Debug, Clone, Default)]
pub struct Stmt {
    pub words: Vec<Word>,
    pub block: Option<Vec<Stmt>>,
    pub comment: Option<String>,
    pub file: String,
    pub line: usize,
}

impl Stmt {
    /// The first word, lower case (the keyword), or "".
    pub fn keyword(&self) -> String {
        self.words
            .first()
            .map(|w| w.text.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// Reads files named by `!include`: a path relative to the input's folder
/// (`/`-separated, normalised, never leaving it) to its text, or why not.
pub type ReadFile<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

/// Builds the tree of a file and its includes.
pub struct Reader<'a, 'r> {
    read: &'r mut ReadFile<'a>,
    stack: Vec<String>,
    bytes: usize,
    pub issues: Vec<Issue>,
}

impl<'a, 'r> Reader<'a, 'r> {
    pub fn new(read: &'r mut ReadFile<'a>) -> Self {
        Reader {
            read,
            stack: Vec::new(),
            bytes: 0,
            issues: Vec::new(),
        }
    }

    /// The statements of the file `name` (relative to the input's folder).
    pub fn file(&mut self, name: &str, text: &str) -> Vec<Stmt> {
        self.bytes += text.len();
        self.stack.push(name.to_string());
        let toks = tokens(text);
        let mut pos = 0;
        let stmts = self.block(&toks, &mut pos, 0, name);
        self.stack.pop();
        stmts
    }

    fn issue(&mut self, code: Code, file: &str, line: usize, message: String) {
        self.issues.push(Issue {
            code,
            file: file.to_string(),
            line,
            message,
        });
    }

    /// Statements up to the `}` that closes this block (or the end).
    fn block(&mut self, toks: &[Token], pos: &mut usize, depth: usize, file: &str) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut cur = Stmt::default();
        while *pos < toks.len() {
            let t = &toks[*pos];
            *pos += 1;
            match &t.tok {
                Tok::Word(w) | Tok::Str(w) => {
                    if cur.words.is_empty() {
                        cur.line = t.line;
                        cur.file = file.to_string();
                    }
                    cur.words.push(Word {
                        text: w.clone(),
                        quoted: matches!(t.tok, Tok::Str(_)),
                    });
                }
                Tok::Comment(c) => out.push(Stmt {
                    comment: Some(c.clone()),
                    file: file.to_string(),
                    line: t.line,
                    ..Stmt::default()
                }),
                Tok::Eol => self.finish(&mut cur, &mut out),
                Tok::Open => {
                    if cur.words.is_empty() {
                        cur.line = t.line;
                        cur.file = file.to_string();
                    }
                    if depth + 1 > MAX_DEPTH {
                        self.issue(
                            Code::I101,
                            file,
                            t.line,
                            format!(
                                "blocks nest more than {MAX_DEPTH} deep; this block is left out"
                            ),
                        );
                        skip_block(toks, pos);
                        cur = Stmt::default();
                        continue;
                    }
                    cur.block = Some(self.block(toks, pos, depth + 1, file));
                    self.finish(&mut cur, &mut out);
                }
                Tok::Close => {
                    self.finish(&mut cur, &mut out);
                    return out;
                }
            }
        }
        self.finish(&mut cur, &mut out);
        out
    }

    fn finish(&mut self, cur: &mut Stmt, out: &mut Vec<Stmt>) {
        if cur.words.is_empty() && cur.block.is_none() {
            return;
        }
        let stmt = std::mem::take(cur);
        if stmt.keyword() == "!include" && stmt.block.is_none() {
            out.extend(self.include(&stmt));
        } else {
            out.push(stmt);
        }
    }

    /// The statements of an included file, or none (with an issue).
    fn include(&mut self, stmt: &Stmt) -> Vec<Stmt> {
        self.read_named(stmt, 1, "!include")
    }

    /// The statements of the workspace `workspace extends FILE { … }`
    /// extends, read as an `!include` is (inside the input's folder, the
    /// same limits), or none (with an issue).
    pub fn extended(&mut self, stmt: &Stmt) -> Vec<Stmt> {
        self.read_named(stmt, 2, "workspace extends")
    }

    /// The statements of the file that word `at` of `stmt` names.
    fn read_named(&mut self, stmt: &Stmt, at: usize, verb: &str) -> Vec<Stmt> {
        let (file, line) = (stmt.file.clone(), stmt.line);
        let Some(arg) = stmt.words.get(at).map(|w| w.text.clone()) else {
            self.issue(Code::I102, &file, line, format!("`{verb}` names no file"));
            return Vec::new();
        };
        if arg.contains("://") {
            self.issue(
                Code::I001,
                &file,
                line,
                format!("`{verb} {arg}`: a URL is not fetched"),
            );
            return vec![comment_of(stmt)];
        }
        let Some(path) = join(&file, &arg) else {
            self.issue(
                Code::I103,
                &file,
                line,
                format!("`{verb} {arg}` leads out of the input's folder; not read"),
            );
            return Vec::new();
        };
        if self.stack.contains(&path) {
            self.issue(
                Code::I104,
                &file,
                line,
                format!("`{verb} {arg}` includes itself (a cycle); not read again"),
            );
            return Vec::new();
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.issue(
                Code::I104,
                &file,
                line,
                format!("includes nest more than {MAX_INCLUDE_DEPTH} deep"),
            );
            return Vec::new();
        }
        match (self.read)(&path) {
            Ok(text) if self.bytes + text.len() > MAX_BYTES => {
                self.issue(
                    Code::I105,
                    &file,
                    line,
                    "the input and its includes exceed 16 MiB; the rest is not read".into(),
                );
                Vec::new()
            }
            Ok(text) => {
                let mut stmts = vec![Stmt {
                    comment: Some(format!("from {path}")),
                    file: file.clone(),
                    line,
                    ..Stmt::default()
                }];
                stmts.extend(self.file(&path, &text));
                stmts
            }
            Err(why) => {
                self.issue(
                    Code::I102,
                    &file,
                    line,
                    format!("`{verb} {arg}` cannot be read: {why}"),
                );
                Vec::new()
            }
        }
    }
}

/// A statement kept as a comment: its words as written.
pub fn comment_of(stmt: &Stmt) -> Stmt {
    Stmt {
        comment: Some(words_text(&stmt.words)),
        file: stmt.file.clone(),
        line: stmt.line,
        ..Stmt::default()
    }
}

/// Words as written (strings quoted again).
pub fn words_text(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| {
            if w.quoted {
                format!("\"{}\"", w.text)
            } else {
                w.text.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Skips to after the `}` that closes the block whose `{` was just read.
fn skip_block(toks: &[Token], pos: &mut usize) {
    let mut depth = 1usize;
    while *pos < toks.len() && depth > 0 {
        match toks[*pos].tok {
            Tok::Open => depth += 1,
            Tok::Close => depth -= 1,
            _ => {}
        }
        *pos += 1;
    }
}

/// `rel` read from the folder of `from` (both relative to the input's
/// folder), normalised; `None` if absolute or leading out of the folder.
pub fn join(from: &str, rel: &str) -> Option<String> {
    let rel = rel.replace('\\', "/");
    if rel.starts_with('/') || rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins_stay_inside() {
        assert_eq!(join("w.dsl", "a/b.dsl").as_deref(), Some("a/b.dsl"));
        assert_eq!(join("a/b.dsl", "../c.dsl").as_deref(), Some("c.dsl"));
        assert_eq!(join("w.dsl", "../c.dsl"), None);
        assert_eq!(join("w.dsl", "/etc/passwd"), None);
        assert_eq!(join("w.dsl", "C:/x"), None);
    }
}
