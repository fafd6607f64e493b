//! `c4c import likec4`: a LikeC4 model translated into c4c's language.
//!
//! In: the text of a LikeC4 file. Out: [`Translation`] — c4c text (in
//! `c4c fmt`'s layout) for the common subset (specification kinds mapped
//! onto c4c's levels, the model's elements, properties, relationships,
//! `extend`, element views with their predicates, dynamic views,
//! deployment environments with nodes and instances) and a [`Note`] for
//! every construct left out or changed, by line. Linear in the input;
//! never panics; reads nothing but the text given.

mod emit;
mod lex;
mod parse;

/// Something of the input that was not translated as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file it is in (as given to [`translate_files`]; empty for
    /// [`translate`]).
    pub file: String,
    /// The line in that file (1-based).
    pub line: usize,
    pub what: String,
    pub code: super::Code,
}

/// The translation of a LikeC4 project.
#[derive(Debug, Clone)]
pub struct Translation {
    /// c4c text.
    pub text: String,
    /// What was left out or changed, by file and line.
    pub notes: Vec<Note>,
    /// Elements and relationships written, views read.
    pub elements: usize,
    pub relationships: usize,
    /// Deployment environments, nodes and instances written.
    pub deployment: usize,
    pub views: usize,
}

/// Translates one LikeC4 file.
pub fn translate(text: &str) -> Translation {
    translate_files(&[(String::new(), text.to_string())])
}

/// Translates a LikeC4 project: its files (name, text), read as one model
/// (LikeC4 merges every file of a project: a specification in one file, the
/// model in others).
pub fn translate_files(files: &[(String, String)]) -> Translation {
    // One token stream, lines numbered across the files; `starts` maps a
    // line back to its file.
    let mut toks = Vec::new();
    let mut starts: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for (name, text) in files {
        starts.push((offset, name));
        let mut t = lex::tokens(text);
        for tok in &mut t {
            tok.line += offset;
        }
        toks.extend(t);
        offset += text.lines().count() + 1;
    }
    let ast = parse::parse(&toks);
    let views = ast.views.len();
    let skipped: Vec<(usize, String, super::Code)> = ast
        .skipped
        .iter()
        .map(|s| (s.line, format!("{} (left out)", s.what), s.code))
        .collect();
    let deployment = count_deployment(&ast);
    let (out, notes, elements, relationships) = emit::Writer::new(&ast).write();
    let locate = |line: usize| {
        let (start, name) = starts
            .iter()
            .rev()
            .find(|(s, _)| *s < line)
            .copied()
            .unwrap_or((0, ""));
        (name.to_string(), line - start)
    };
    let mut notes: Vec<Note> = notes
        .into_iter()
        .map(|n| (n.line, n.what, n.code))
        .chain(skipped)
        .map(|(line, what, code)| {
            let (file, line) = locate(line);
            Note {
                file,
                line,
                what,
                code,
            }
        })
        .collect();
    notes.sort_by(|a, b| (&a.file, a.line, &a.what).cmp(&(&b.file, b.line, &b.what)));
    notes.dedup();
    Translation {
        text: crate::format::format_source(&out),
        notes,
        elements,
        relationships,
        deployment,
        views,
    }
}

/// Environments, nodes and instances read.
fn count_deployment(ast: &parse::Ast) -> usize {
    fn items(list: &[parse::Item]) -> usize {
        list.iter()
            .map(|i| match i {
                parse::Item::Element(e) => 1 + items(&e.items),
                parse::Item::Instance { .. } => 1,
                _ => 0,
            })
            .sum()
    }
    ast.environments.iter().map(|e| 1 + items(&e.items)).sum()
}

/// `c4c import likec4`: a project's files (name, text) as an
/// [`super::Outcome`] — the c4c text, an issue per note, the counts.
pub fn import(files: &[(String, String)]) -> super::Outcome {
    let t = translate_files(files);
    super::Outcome {
        c4: t.text,
        issues: t
            .notes
            .into_iter()
            .map(|n| super::Issue {
                code: n.code,
                file: n.file,
                line: n.line,
                message: n.what,
            })
            .collect(),
        counts: super::Counts {
            elements: t.elements,
            relationships: t.relationships,
            deployment: t.deployment,
            views: t.views,
            styles: 0,
        },
    }
}

/// A note the writer makes, by line across the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawNote {
    pub line: usize,
    pub what: String,
    pub code: super::Code,
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn hostile_shapes_end_without_a_panic_in_linear_time() {
        // Deep blocks, deep parallel blocks, many siblings, stray tokens.
        let deep = format!(
            "model {{ {} }}",
            "a = system { ".repeat(5_000) + &"}".repeat(5_000)
        );
        let t = translate(&deep);
        assert!(
            t.notes.iter().any(|n| n.code == crate::import::Code::I101),
            "{:?}",
            t.notes
        );
        let par = format!(
            "views {{ dynamic view d {{ {} }} }}",
            "parallel { ".repeat(5_000)
        );
        let _ = translate(&par);
        let mut many = String::from("model {\n");
        for i in 0..20_000 {
            many.push_str(&format!("  s{i} = system 'S'\n  s{i} -> s0 'x'\n"));
        }
        many.push_str("}\n");
        let t = translate(&many);
        assert_eq!((t.elements, t.relationships), (20_000, 20_000));
        // A long line of `-[` and many enterprise groups stay linear.
        let _ = translate(&"a -[".repeat(200_000));
        let mut groups = String::from("specification { element org\n element system }\nmodel {\n");
        for i in 0..5_000 {
            groups.push_str(&format!("  g{i} = org {{ s{i} = system 'S' }}\n"));
        }
        groups.push_str("}\n");
        let t = translate(&groups);
        assert_eq!(t.elements, 5_000);
        for garbage in [
            "}}}{{{",
            "-[",
            "'''",
            "model { -> }",
            "views { view of { include -> -> , , } }",
            "link",
            "model { a = }",
            "\u{0}\u{feff}#",
        ] {
            let _ = translate(garbage);
        }
    }

    #[test]
    fn a_comment_cannot_become_code() {
        // A lone CR ends a c4c line comment; a LikeC4 comment holding one
        // must not smuggle a statement into the model.
        let t = translate(
            "model {\n  // note\rx = system \"Injected\"\n  a = system 'A'\n  // \u{202E}reversed\n}\n",
        );
        assert!(
            !t.text.contains('\r') && !t.text.contains('\u{202E}'),
            "{:?}",
            t.text
        );
        let c = crate::compile_text("t.c4c", &t.text);
        assert_eq!(c.error_count(), 0, "{}", t.text);
        assert_eq!(c.compiled[0].model.elements().count(), 1, "{}", t.text);
    }

    #[test]
    fn a_translation_compiles() {
        let t = translate(
            "specification { element actor\n element system }\nmodel {\n customer = actor 'Customer'\n shop = system 'Shop' {\n  web = system 'Web' 'The web' 'React'\n }\n customer -> shop.web 'Uses'\n}\nviews { view index { include * } }\n",
        );
        let c = crate::compile_text("t.c4c", &t.text);
        assert_eq!(c.error_count(), 0, "{}", t.text);
        assert!(
            t.text
                .contains("web = system_container \"Web\" \"The web\" \"React\""),
            "{}",
            t.text
        );
    }
}
