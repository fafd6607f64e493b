//! Input edge cases (issue 7): odd files, odd bytes, odd directory layouts.
//! Each runs the CLI in a temp dir and asserts the exit code and the message.

use std::path::Path;

use crate::support::{c4c, text};

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, bytes).unwrap();
}

/// Runs `c4c check ARGS` in `dir`: (exit code, stderr).
fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let o = c4c(&all, dir);
    (o.status.code(), text(&o.stderr))
}

#[test]
fn empty_comment_only_bom_crlf_and_nul_files_check_cleanly() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "empty.c4", b"");
    write(
        d,
        "comments.c4",
        b"// only a comment\n/* and a block\n comment */\n",
    );
    write(d, "bom.c4", b"\xef\xbb\xbfmodel { a = person \"A\" }\n");
    write(
        d,
        "crlf.c4",
        b"model {\r\n  a = person \"A\"\r\n  b = person \"B\"\r\n  a -> b \"Calls\"\r\n}\r\n",
    );
    write(d, "nul.c4", b"model { a = person \"A\x00B\" }\n");
    for f in ["empty.c4", "comments.c4", "bom.c4", "crlf.c4", "nul.c4"] {
        let (code, err) = check(d, &[f]);
        assert_eq!(code, Some(0), "{f}: {err}");
        assert!(err.contains("c4c: ok"), "{f}: {err}");
    }
    // The NUL byte does not reach the diagram.
    let o = c4c(&["build", "-q", "nul.c4", "-o", "out"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for e in std::fs::read_dir(d.join("out")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        assert!(!bytes.contains(&0), "a NUL byte in the output");
    }
}

#[test]
fn invalid_utf8_is_reported_with_its_byte_offset() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "bad.c4", b"model { a = person \"\xff\" }\n");
    let (code, err) = check(t.path(), &["bad.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("E002") && err.contains("byte offset 20"),
        "{err}"
    );
    assert!(err.contains("bad.c4:1:21"), "{err}");
}

#[test]
fn a_directory_named_like_a_model_and_a_missing_path_are_usage_errors() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("d.c4")).unwrap();
    let (code, err) = check(t.path(), &["d.c4"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no .c4 files found"), "{err}");
    let (code, _) = check(t.path(), &["missing.c4"]);
    assert_eq!(code, Some(2));
}

#[test]
fn importing_a_directory_is_an_error_at_the_import() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("sub")).unwrap();
    write(
        t.path(),
        "main.c4",
        b"import \"./sub\"\nmodel { a = person \"A\" }\n",
    );
    let (code, err) = check(t.path(), &["main.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("E010") && err.contains("main.c4:1:8"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_import_through_a_symlink_may_not_leave_the_root() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "outside/o.c4", b"model { z = person \"Z\" }\n");
    std::fs::create_dir_all(t.path().join("root")).unwrap();
    std::os::unix::fs::symlink("../outside/o.c4", t.path().join("root/link.c4")).unwrap();
    write(
        t.path(),
        "root/main.c4",
        b"import \"./link.c4\"\nmodel { a = person \"A\" }\n",
    );
    let (code, err) = check(t.path(), &["root/main.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("E012") && err.contains("leaves the root"),
        "{err}"
    );
}

#[test]
fn the_same_file_imported_by_two_paths_is_read_once() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "x/shared.c4", b"model { s = person \"S\" }\n");
    write(
        t.path(),
        "main.c4",
        b"import \"./x/shared.c4\"\nimport \"./x/../x/shared.c4\"\nmodel { a = person \"A\" }\n",
    );
    let (code, err) = check(t.path(), &["main.c4"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("2 elements"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_directory_build_terminates() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "m/model.c4", b"model { a = person \"A\" }\n");
    std::fs::create_dir_all(t.path().join("m/a")).unwrap();
    std::os::unix::fs::symlink("..", t.path().join("m/a/back")).unwrap();
    let (code, err) = check(t.path(), &["m"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 element in 1 model"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "secret.c4", b"model { a = person \"A\" }\n");
    let p = t.path().join("secret.c4");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions do not apply
    }
    let (code, err) = check(t.path(), &["secret.c4"]);
    assert_ne!(code, Some(0), "{err}");
    assert!(err.contains("secret.c4"), "{err}");
}

#[test]
fn a_huge_single_line_file_gets_a_short_diagnostic_with_the_real_column() {
    let t = tempfile::tempdir().unwrap();
    let people = |p: &str| {
        (0..3000)
            .map(|i| format!("{p}{i} = person \"{p}{i}\""))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let src = format!(
        "model {{ {} p1 -> nope \"uses\" {} }}",
        people("p"),
        people("q")
    );
    let column = src.find("nope").unwrap() + 1;
    write(t.path(), "long.c4", src.as_bytes());
    let (code, err) = check(t.path(), &["long.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("long.c4:1:{column}")), "{err}");
    assert!(
        err.len() < 1500,
        "the whole line was printed: {} bytes",
        err.len()
    );
    insta::assert_snapshot!(err);

    // A long token in a syntax error is cut in the message too.
    let src = format!("model {{\n  a = person \"A\" {}\n}}\n", "ü".repeat(5000));
    write(t.path(), "token.c4", src.as_bytes());
    let (code, err) = check(t.path(), &["token.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("token.c4:2:18"), "{err}");
    assert!(
        err.len() < 1500,
        "the whole line was printed: {} bytes",
        err.len()
    );
    insta::assert_snapshot!("long_token", err);
}

#[test]
fn an_import_chain_too_long_is_e014_at_the_import() {
    let t = tempfile::tempdir().unwrap();
    for i in 0..150 {
        let body = format!(
            "import \"./f{}.c4\"\nmodel {{ e{i} = person \"E{i}\" }}\n",
            i + 1
        );
        write(t.path(), &format!("f{i}.c4"), body.as_bytes());
    }
    write(t.path(), "f150.c4", b"model { last = person \"Last\" }\n");
    let (code, err) = check(t.path(), &["f0.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.matches("error[E014]").count(), 1, "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn too_many_imported_files_is_e014_at_the_import() {
    let t = tempfile::tempdir().unwrap();
    let mut root = String::new();
    for i in 0..1100 {
        root.push_str(&format!("import \"./lib/m{i}.c4\"\n"));
        let body = format!("model {{ e{i} = person \"E{i}\" }}\n");
        write(t.path(), &format!("lib/m{i}.c4"), body.as_bytes());
    }
    write(t.path(), "root.c4", root.as_bytes());
    let (code, err) = check(t.path(), &["root.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.matches("error[E014]").count(), 1, "{err}");
    assert!(err.contains("root.c4:1001:8"), "{err}");
}
