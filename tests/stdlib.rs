//! Every stdlib module compiles on its own, and imported, with no diagnostics at all.

#[test]
fn every_stdlib_file_compiles_without_warnings() {
    assert!(!c4c::load::STDLIB.is_empty());
    for (module, text) in c4c::load::STDLIB {
        let c = c4c::compile_text(&format!("<std/{module}.c4>"), text);
        let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert!(c.diagnostics.is_empty(), "std/{module}:\n{rendered}");

        let user = format!("import \"std/{module}\"\nmodel {{ s = system \"S\" }}\n");
        let c = c4c::compile_text("user.c4", &user);
        let rendered = c4c::diagnostic::render_all(&c.diagnostics, &c.sources, false);
        assert!(
            c.diagnostics.is_empty(),
            "importing std/{module}:\n{rendered}"
        );
    }
}

#[test]
fn stdlib_files_on_disk_are_the_embedded_ones() {
    for (module, text) in c4c::load::STDLIB {
        let path = crate::support::root()
            .join("stdlib")
            .join(format!("{module}.c4"));
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert_eq!(&on_disk, text, "{}", path.display());
    }
}

#[test]
fn stdlib_kinds_all_have_shapes_and_the_theme_styles_them() {
    let src = "import \"std/theme/accessible\"\nimport \"std/kinds/annotation\"\nmodel { s = system \"S\" }\n";
    let c = c4c::compile_text("t.c4", src);
    assert!(c.diagnostics.is_empty());
    let model = &c.compiled[0].model;
    for kind in c4c::load::stdlib_kinds() {
        let k = &model.kinds[kind];
        assert!(k.style.shape.is_some(), "{kind} has no shape");
        let base = k.base.keyword();
        assert!(
            model
                .styles
                .elements
                .iter()
                .any(|(t, _)| t.name() == kind || t.name() == base),
            "the accessible theme colours neither {kind} nor {base}"
        );
    }
}

#[test]
fn every_diagnostic_code_is_used_and_documented() {
    use c4c::diagnostic::Code;
    let docs = std::fs::read_to_string(crate::support::root().join("docs/language.md"))
        .unwrap_or_default();
    // The documentation's table is the enum's, row for row: a code missing
    // on either side, or a meaning that drifted, fails here.
    let documented: String = docs
        .lines()
        .skip_while(|l| !l.starts_with("| Code | Severity | Meaning |"))
        .take_while(|l| l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        documented,
        Code::markdown_table(),
        "the code table in docs/language.md differs from c4c::diagnostic::Code"
    );
    // Every code is emitted somewhere, and every code the docs mention is
    // one of the enum's.
    let mut sources = String::new();
    let mut stack = vec![crate::support::root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("diagnostic/code.rs")
            {
                sources.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    for code in Code::ALL {
        assert!(
            sources.contains(&format!("Code::{code}")),
            "{code} is never emitted"
        );
    }
    let mut prose = String::new();
    for page in [
        "README.md",
        "docs/language.md",
        "docs/reliability.md",
        "docs/security.md",
    ] {
        prose.push_str(&std::fs::read_to_string(crate::support::root().join(page)).unwrap());
    }
    let text = &prose;
    for (i, _) in text.match_indices(['E', 'W']) {
        let word = &text[i..];
        let digits = word[1..].bytes().take_while(u8::is_ascii_digit).count();
        let before = text[..i].chars().next_back();
        let after = word[1..].chars().nth(3);
        let alone = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '+');
        if digits == 3 && alone(before) && alone(after) {
            let code = &word[..4];
            assert!(
                Code::parse(code).is_some(),
                "{code} is mentioned but is no code"
            );
        }
    }
}
