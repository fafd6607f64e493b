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
    /// The line in the LikeC4 file (1-based).
    pub line: usize,
    pub what: String,
}

/// The translation of one file.
#[derive(Debug, Clone)]
pub struct Translation {
    /// c4c text.
    pub text: String,
    /// What was left out or changed, in line order.
    pub notes: Vec<Note>,
    /// Elements and relationships written, views read.
    pub elements: usize,
    pub relationships: usize,
    pub views: usize,
}

/// Translates a LikeC4 file.
pub fn translate(text: &str) -> Translation {
    let toks = lex::tokens(text);
    let ast = parse::parse(&toks);
    let views = ast.views.len();
    let skipped: Vec<Note> = ast
        .skipped
        .iter()
        .map(|s| Note {
            line: s.line,
            what: format!("{} (left out)", s.what),
        })
        .collect();
    let (out, mut notes, elements, relationships) = emit::Writer::new(&ast).write();
    notes.extend(skipped);
    notes.sort_by(|a, b| (a.line, &a.what).cmp(&(b.line, &b.what)));
    notes.dedup();
    let formatted = crate::format::format_source(&out);
    Translation {
        text: formatted,
        notes,
        elements,
        relationships,
        views,
    }
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
            t.notes.iter().any(|n| n.what.contains("nested too deep")),
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
