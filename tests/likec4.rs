//! `c4c import likec4` on LikeC4 models written from LikeC4's documentation
//! (`tests/import/likec4/*.c4`): the c4c text and the notes are snapshotted,
//! the output compiles with no error, is already in `c4c fmt`'s layout, and
//! keeps every element the input declares.

use crate::support::root;

#[test]
fn likec4_models_translate_and_compile() {
    let dir = root().join("tests/import/likec4");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c4"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read_to_string(&f).unwrap();
        let t = c4c::import::likec4::translate(&input);
        let mut shown = format!(
            "--- {} elements, {} relationships, {} views ---\n{}",
            t.elements, t.relationships, t.views, t.text
        );
        shown.push_str("--- notes ---\n");
        for n in &t.notes {
            shown.push_str(&format!("{name}.c4:{}: {}\n", n.line, n.what));
        }
        insta::assert_snapshot!(format!("likec4_{name}"), shown);
        assert_eq!(
            c4c::format::format_source(&t.text),
            t.text,
            "{name}: not in fmt's layout"
        );
        let c = c4c::compile_text(&format!("{name}.c4c"), &t.text);
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&c.sources, false))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}:\n{}\n{}",
            t.text,
            errors.join("\n")
        );
        assert!(!c.compiled.is_empty(), "{name}: no model");
        let model = &c.compiled[0].model;
        assert_eq!(
            model.elements().count(),
            t.elements,
            "{name}: elements kept"
        );
    }
}

/// A project of several files (specification, model and views apart) is
/// read as one model; notes name the file and line.
#[test]
fn a_likec4_project_of_several_files_translates_as_one_model() {
    let dir = root().join("tests/import/likec4-project");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    let t = c4c::import::likec4::translate_files(&files);
    let shown = project_text(&t);
    insta::assert_snapshot!(shown);
    let c = c4c::compile_text("project.c4c", &t.text);
    assert_eq!(c.error_count(), 0, "{}", t.text);
}

/// The command end to end: a project folder in, a model that `c4c check`
/// passes out, the notes as coded warnings on stderr.
#[test]
fn import_likec4_command() {
    let out = tempfile::tempdir().unwrap();
    let model = out.path().join("model.c4c");
    let o = crate::support::c4c(
        &[
            "import",
            "likec4",
            "tests/import/likec4-project",
            "-o",
            model.to_str().unwrap(),
        ],
        &root(),
    );
    let err = crate::support::text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[I006]: model.c4:11:"), "{err}");
    assert!(
        err.contains("c4c: imported 4 elements, 2 relationships"),
        "{err}"
    );
    let o = crate::support::c4c(&["check", model.to_str().unwrap()], &root());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        crate::support::text(&o.stderr)
    );
    let o = crate::support::c4c(
        &["import", "likec4", "tests/import/no-such-folder"],
        &root(),
    );
    assert_eq!(o.status.code(), Some(2));
}

/// Real LikeC4 projects (tests/import/likec4-real, see its NOTICE.md), read
/// the way `c4c import likec4 DIR` reads them: the translation compiles with
/// no error, and what it reports is snapshotted.
#[test]
fn real_likec4_projects_translate_and_compile() {
    let base = root().join("tests/import/likec4-real");
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = c4c::import::files::files_inside(&dir, &["c4", "likec4"]).unwrap();
        let t = c4c::import::likec4::translate_files(&files);
        let shown = project_text(&t);
        insta::assert_snapshot!(format!("real_{name}"), shown);
        let c = c4c::compile_text("project.c4c", &t.text);
        assert_eq!(c.error_count(), 0, "{name}:\n{}", t.text);
        // Each file given to c4c as it is: one error saying it is LikeC4.
        for (file, text) in &files {
            let c = c4c::compile_text(file, text);
            let codes: Vec<String> = c
                .diagnostics
                .iter()
                .map(|d| format!("{:?}", d.code))
                .collect();
            assert_eq!(codes, ["E006"], "{name}/{file}");
        }
    }
}

/// A project's translation as snapshotted: counts, the text, the notes by
/// file and line.
fn project_text(t: &c4c::import::likec4::Translation) -> String {
    let mut shown = format!(
        "--- {} elements, {} relationships, {} views ---\n{}--- notes ---\n",
        t.elements, t.relationships, t.views, t.text
    );
    for n in &t.notes {
        shown.push_str(&format!("{}:{}: {}\n", n.file, n.line, n.what));
    }
    shown
}
