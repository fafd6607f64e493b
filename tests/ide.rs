//! The editor queries (`c4c::ide`) on case folders: tests as data.
//!
//! In: `tests/ide/NAME/main.c4` (and the files it imports). Out: one
//! snapshot per case of what an editor is told about `main.c4`: its
//! diagnostics (range, code, message, related locations) and their quick
//! fixes, its outline, and for every word the symbol under it, where it is
//! declared, how many times it is written, the first line of its hover and
//! its semantic token type. Add a folder to add a case.

use std::fmt::Write as _;
use std::path::Path;

use c4c::ide::{self, Analysis, actions, navigate, symbol, tokens};
use c4c::syntax::lexer::TokenKind;
use lsp_types::{DocumentSymbol, Location};

fn short(loc: &Location, root: &Path) -> String {
    let path = ide::uri::to_path(&loc.uri).unwrap_or_default();
    let name = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .display()
        .to_string();
    let s = loc.range.start;
    format!("{name}:{}:{}", s.line + 1, s.character + 1)
}

fn outline(out: &mut String, symbols: &[DocumentSymbol], depth: usize) {
    for s in symbols {
        let detail = s.detail.clone().unwrap_or_default();
        let at = s.selection_range.start;
        let _ = writeln!(
            out,
            "{}{} ({detail}) {}:{}",
            "  ".repeat(depth),
            s.name,
            at.line + 1,
            at.character + 1
        );
        outline(out, s.children.as_deref().unwrap_or(&[]), depth + 1);
    }
}

/// The semantic token type at each (line, column), decoded.
fn token_types(
    a: &Analysis,
    file: c4c::source::FileId,
) -> std::collections::HashMap<(u32, u32), String> {
    let mut out = std::collections::HashMap::new();
    let (mut line, mut col) = (0, 0);
    for t in tokens::semantic_tokens(a, file) {
        if t.delta_line > 0 {
            col = 0;
        }
        line += t.delta_line;
        col += t.delta_start;
        let name = tokens::LEGEND[t.token_type as usize].as_str().to_string();
        out.insert((line, col), name);
    }
    out
}

fn report(main: &Path) -> String {
    let root = main.parent().unwrap_or(main);
    let c = c4c::compile(&[main.to_path_buf()], &c4c::LoadOptions::default()).unwrap_or_default();
    let a = Analysis::new(c);
    let Some(file) = a.file(main) else {
        return "main.c4 not loaded".into();
    };
    let mut out = String::from("## diagnostics\n");
    let published = ide::diagnostics::all(&a);
    for d in published.by_file.get(main).into_iter().flatten() {
        let (s, e) = (d.range.start, d.range.end);
        let code = d
            .code
            .as_ref()
            .map(|c| format!("{c:?}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {code} {}",
            s.line + 1,
            s.character + 1,
            e.line + 1,
            e.character + 1,
            d.message.replace('\n', " | ")
        );
        for r in d.related_information.iter().flatten() {
            let _ = writeln!(out, "  related {} {}", short(&r.location, root), r.message);
        }
    }
    let text = a.text(file).to_string();
    for action in actions::code_actions(&a, file, 0..text.len()) {
        let edits: Vec<String> = action
            .edit
            .and_then(|e| e.changes)
            .into_iter()
            .flat_map(|c| c.into_values())
            .flatten()
            .map(|e| {
                format!(
                    "{}:{} {:?}",
                    e.range.start.line + 1,
                    e.range.start.character + 1,
                    e.new_text
                )
            })
            .collect();
        let _ = writeln!(out, "fix: {} → {}", action.title, edits.join(", "));
    }
    out.push_str("## outline\n");
    outline(&mut out, &navigate::document_symbols(&a, file), 0);
    out.push_str("## words\n");
    let types = token_types(&a, file);
    for t in c4c::syntax::lexer::tokens(&text) {
        if !matches!(t.kind, TokenKind::Word | TokenKind::Str { .. }) {
            continue;
        }
        let pos = a.position(file, t.start);
        let kind = types
            .get(&(pos.line, pos.character))
            .cloned()
            .unwrap_or_else(|| "-".into());
        let Some((sym, _)) = symbol::at(&a, file, t.start) else {
            continue;
        };
        let def = navigate::definition(&a, file, t.start).map_or("-".into(), |l| short(&l, root));
        let refs = navigate::references(&a, file, t.start).len();
        let hover = navigate::hover(&a, file, t.start)
            .map(|(h, _)| h.lines().next().unwrap_or("").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}:{} {:?} [{kind}] {sym:?} def {def} refs {refs} | {hover}",
            pos.line + 1,
            pos.character + 1,
            t.text(&text)
        );
    }
    out
}

#[test]
fn ide_cases() {
    insta::glob!("ide/*/main.c4", |path| {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        insta::assert_snapshot!(report(&path));
    });
}

#[test]
fn rename_rewrites_every_file_and_refuses_the_stdlib() {
    let main = crate::support::root().join("tests/ide/navigation/main.c4");
    let main = std::fs::canonicalize(main).unwrap_or_default();
    let a = Analysis::new(
        c4c::compile(std::slice::from_ref(&main), &c4c::LoadOptions::default()).unwrap_or_default(),
    );
    let file = a.file(&main).unwrap_or_default();
    let text = a.text(file).to_string();
    // `pay` is declared in partners.c4 and used in main.c4.
    let at = text.find("-> pay").unwrap_or(0) + 3;
    let edits = navigate::rename(&a, file, at, "payments").unwrap_or_default();
    let mut files: Vec<String> = edits
        .keys()
        .map(|u| u.as_str().rsplit('/').next().unwrap_or("").to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["main.c4", "partners.c4"]);
    // `database` is the stdlib's.
    let at = text.find("= database").unwrap_or(0) + 3;
    let refused = navigate::rename(&a, file, at, "store").map(|_| ());
    assert_eq!(
        refused,
        Err(navigate::RenameError::NotOurs("database".into()))
    );
    let at = text.find("customer").unwrap_or(0);
    let refused = navigate::rename(&a, file, at, "2x").map(|_| ());
    assert_eq!(refused, Err(navigate::RenameError::BadName("2x".into())));
}

#[test]
fn the_overlay_stands_for_files_inside_the_root_only() {
    let t = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = std::fs::canonicalize(t.path()).unwrap_or_default();
    let root = base.join("root");
    std::fs::create_dir(&root).unwrap_or_default();
    let main = root.join("main.c4");
    std::fs::write(&main, "model {\n  a = system \"A\"\n}\n").unwrap_or_default();
    let outside = base.join("outside.c4");
    std::fs::write(&outside, "model {\n  evil = system \"E\"\n}\n").unwrap_or_default();
    let mut overlay = std::collections::HashMap::new();
    // The editor's unsaved text imports a file outside the root, which the
    // editor also has open.
    overlay.insert(
        main.clone(),
        "import \"../outside.c4\"\nmodel {\n  b = system \"B\"\n}\n".to_string(),
    );
    overlay.insert(
        outside.clone(),
        "model {\n  evil2 = system \"E\"\n}\n".to_string(),
    );
    let opts = c4c::LoadOptions {
        root_dir: Some(root.clone()),
        overlay,
    };
    let c = c4c::compile(std::slice::from_ref(&root), &opts).unwrap_or_default();
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E012"], "the import leaves the root");
    // Neither the outside file's text on disk nor the editor's was read.
    assert!(
        c.sources
            .files()
            .all(|(_, f)| f.path.as_deref() != Some(outside.as_path()))
    );
    assert!(!c.sources.files().any(|(_, f)| f.text.contains("evil")));
    // The root file is the editor's text.
    assert!(
        c.sources
            .files()
            .any(|(_, f)| f.text.contains("b = system"))
    );
}
