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
    // The root and 999 imports make 1,000 files: the 1,000th import is refused.
    assert!(err.contains("root.c4:1000:8"), "{err}");
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

const THREE_SYSTEMS: &str = "model {\n  u = person \"U\"\n  a = system \"A\"\n  b = system \"B\"\n  u -> a \"Uses\"\n  a -> b \"Calls\"\n}\n";

#[test]
fn build_writes_only_inside_the_output_directory() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "m/model.c4", THREE_SYSTEMS.as_bytes());
    let o = c4c(&["build", "-q", "m/model.c4", "-o", "out"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let files = tree(t.path());
    assert!(files.len() > 2, "{files:?}");
    for f in &files {
        assert!(
            f == "m/model.c4" || f.starts_with("out/"),
            "written outside: {f}"
        );
        assert!(!f.contains(".c4c-"), "a temporary file was left: {f}");
    }
    // An output path that is a file is a usage error, and nothing is written.
    write(t.path(), "file", b"keep");
    let o = c4c(&["build", "-q", "m/model.c4", "-o", "file"], t.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(t.path().join("file")).unwrap(), b"keep");
}

#[test]
fn a_failed_build_leaves_every_previous_file_whole() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "model.c4", THREE_SYSTEMS.as_bytes());
    let o = c4c(&["build", "-q", "model.c4", "-o", "out"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = t.path().join("out");
    let before: Vec<(String, Vec<u8>)> = tree(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    // Change every diagram, and make one of them impossible to write: the
    // build is interrupted there.
    let changed = THREE_SYSTEMS
        .replace("\"Uses\"", "\"Uses daily\"")
        .replace("\"Calls\"", "\"Calls often\"");
    write(t.path(), "model.c4", changed.as_bytes());
    std::fs::remove_file(out.join("a-context.mmd")).unwrap();
    std::fs::create_dir(out.join("a-context.mmd")).unwrap();
    let o = c4c(&["build", "-q", "model.c4", "-o", "out"], t.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("a-context.mmd"),
        "{}",
        text(&o.stderr)
    );
    // Each file is the old one or the new one, never half of either; no
    // temporary file is left behind.
    for (f, old) in &before {
        if f == "a-context.mmd" {
            continue;
        }
        let now = std::fs::read(out.join(f)).unwrap();
        let new_text = String::from_utf8(now.clone()).unwrap();
        assert!(
            now == *old
                || new_text.ends_with('\n') && new_text.starts_with("%% c4c")
                || f == "index.md",
            "{f} is neither the old nor a whole new file"
        );
    }
    assert!(
        tree(&out).iter().all(|f| !f.contains(".c4c-")),
        "{:?}",
        tree(&out)
    );
}

/// Fails naming the files that differ (and showing the first difference).
fn same_files(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |x: &[(String, Vec<u8>)]| x.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: other files written");
    for ((name, x), (_, y)) in a.iter().zip(b) {
        if x != y {
            let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            let diff = similar::TextDiff::from_lines(x.as_ref(), y.as_ref())
                .unified_diff()
                .to_string();
            panic!("{what}: {name} differs:\n{diff}");
        }
    }
}

/// `c4c build` of `files` (in that order on the command line) in `dir`: every
/// output file with its bytes.
fn build_bytes(dir: &Path, files: &[&str], out: &str) -> Vec<(String, Vec<u8>)> {
    let mut args = vec!["build", "-q"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["-o", out]);
    let o = c4c(&args, dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = dir.join(out);
    tree(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect()
}

#[test]
fn builds_are_byte_identical_whatever_the_order_of_files() {
    // Several independent models and a shared import, written to disk in
    // different orders and named on the command line in different orders.
    let names = ["alpha", "beta", "gamma", "delta", "epsilon"];
    let model = |n: &str| {
        format!(
            "import \"./lib/common.c4\"\nmodel {{\n  {n}_user = person \"{n} user\"\n  {n} = system \"{n}\" {{\n    web = container \"Web\"\n    api = container \"API\"\n    web -> api \"Calls\"\n  }}\n  {n}_user -> {n}.web \"Uses\"\n  {n}.api -> shared \"Reports to\"\n}}\n"
        )
    };
    let common = b"model {\n  shared = system \"Shared\"\n}\n";
    let mut results = Vec::new();
    // A fixed set of permutations (a rotation and reversals), so a failure reproduces.
    let orders: Vec<Vec<&str>> = vec![
        names.to_vec(),
        names.iter().rev().copied().collect(),
        names[2..].iter().chain(&names[..2]).copied().collect(),
        vec!["delta", "alpha", "epsilon", "beta", "gamma"],
    ];
    for (i, order) in orders.iter().enumerate() {
        let t = tempfile::tempdir().unwrap();
        // Files created on disk in this order (directory order often follows it).
        for n in order {
            write(t.path(), &format!("models/{n}.c4"), model(n).as_bytes());
        }
        write(t.path(), "models/lib/common.c4", common);
        // The directory, and the files named one by one in this order.
        let by_dir = build_bytes(t.path(), &["models"], "out-dir");
        let paths: Vec<String> = order.iter().map(|n| format!("models/{n}.c4")).collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let by_files = build_bytes(t.path(), &refs, "out-files");
        assert!(!by_dir.is_empty());
        same_files(
            &by_dir,
            &by_files,
            &format!("order {i}: directory and file list"),
        );
        results.push(by_dir);
    }
    for (i, r) in results.iter().enumerate().skip(1) {
        same_files(&results[0], r, &format!("order 0 and order {i}"));
    }
}

#[test]
fn deep_nesting_of_any_construct_is_e005_not_a_stack_overflow() {
    let t = tempfile::tempdir().unwrap();
    let n = 50_000;
    // Blocks (checked before parsing) and generic types (pest's own stack guard).
    let blocks = format!(
        "model {{\n{}\n{}\n}}\n",
        "a = system \"A\" {".repeat(n),
        "}".repeat(n)
    );
    let generics = format!(
        "model {{ s = system \"S\" {{ c = container \"C\" {{ k = component \"K\" }} }} }}\ncode s.c.k {{\n  class A {{ +x: {}T{} }}\n}}\n",
        "List<".repeat(n),
        ">".repeat(n)
    );
    for (name, src) in [("blocks.c4", blocks), ("generics.c4", generics)] {
        write(t.path(), name, src.as_bytes());
        let (code, err) = check(t.path(), &[name]);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(err.contains("error[E005]"), "{name}: {err}");
        assert!(
            err.len() < 2000,
            "{name}: {} bytes of diagnostics",
            err.len()
        );
    }
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_oversized_files_are_e003_never_a_hang() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    // A FIFO with no writer would block a read forever; /dev/zero never ends.
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.c4"))
        .status()
        .unwrap();
    assert!(fifo.success());
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.c4")).unwrap();
    let mut big = b"model { a = person \"A\" }\n".to_vec();
    big.resize(17 * 1024 * 1024, b' ');
    write(d, "big.c4", &big);
    for name in ["pipe.c4", "zero.c4", "big.c4"] {
        // As a root file: an I/O error (exit 2) with the code (`--root /`:
        // the link to /dev/zero would otherwise be E012, leaving the root).
        let (code, err) = check(d, &["--root", "/", name]);
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(
            err.contains("error[E003]") && err.contains(name),
            "{name}: {err}"
        );
        // As an import: E003 at the import (`--root /`: the link to /dev/zero
        // would otherwise be E012, an import leaving the root directory).
        let importer = format!("imports-{name}");
        write(d, &importer, format!("import \"./{name}\"\n").as_bytes());
        let (code, err) = check(d, &["--root", "/", &importer]);
        assert_eq!(code, Some(1), "{importer}: {err}");
        assert!(
            err.contains("error[E003]") && err.contains(&format!("{importer}:1:8")),
            "{importer}: {err}"
        );
    }
    let (_, err) = check(d, &["big.c4"]);
    assert!(err.contains("larger than the 16 MiB limit"), "{err}");
    let (_, err) = check(d, &["pipe.c4"]);
    assert!(err.contains("not a regular file"), "{err}");

    // Every other command that reads a file refuses the FIFO too.
    write(d, "ok.c4", THREE_SYSTEMS.as_bytes());
    let o = c4c(&["fmt", "pipe.c4"], d);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("not a regular file"),
        "{}",
        text(&o.stderr)
    );
    let o = c4c(
        &["build", "-q", "ok.c4", "-o", "out", "--inject", "pipe.c4"],
        d,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    std::fs::create_dir(d.join("check")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("check/landscape.mmd"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let o = c4c(&["build", "-q", "--check", "ok.c4", "-o", "check"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));

    // In a directory build the FIFO is one error among the others, not the end of the run.
    write(
        d,
        "dir/bad.c4",
        b"model { a = person \"A\" }\nmodel { a = person \"B\" }\n",
    );
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("dir/pipe.c4"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let (code, err) = check(d, &["dir"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[E003]") && err.contains("pipe.c4: not a regular file"),
        "{err}"
    );
    assert!(
        err.contains("error[E020]"),
        "the other file was not checked: {err}"
    );
}

#[test]
fn a_mesh_of_every_proxy_to_every_control_part_past_the_limit_is_e055() {
    // 200 pods, each with an edge to each of 100 control-plane parts.
    let mut m = String::from("model {\n  s = system \"S\" {\n");
    for i in 0..200 {
        m.push_str(&format!("    c{i} = container \"C{i}\"\n"));
    }
    m.push_str("  }\n}\ndeployment prod {\n  n = node \"N\" {\n");
    for i in 0..200 {
        m.push_str(&format!("    c{i} = instance s.c{i}\n"));
    }
    m.push_str("  }\n}\nmesh big \"Big\" in prod.n {\n  control \"Control\" {\n");
    for i in 0..100 {
        m.push_str(&format!("    k{i} \"K{i}\"\n"));
    }
    m.push_str("  }\n}\n");
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "mesh.c4", m.as_bytes());
    let (code, err) = check(t.path(), &["mesh.c4"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[E055]: mesh view `big-mesh` is too large"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn fmt_and_inject_rewrite_through_symlinks_and_accept_hidden_names() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let messy = THREE_SYSTEMS.replace("  u = person", "      u   =   person");
    write(d, "real/model.c4", messy.as_bytes());
    write(d, ".hidden.c4", messy.as_bytes());
    std::os::unix::fs::symlink("real/model.c4", d.join("link.c4")).unwrap();
    let o = c4c(&["fmt", "link.c4", ".hidden.c4"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // The link is still a link; the file it points to is formatted.
    assert!(
        std::fs::symlink_metadata(d.join("link.c4"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(d.join("real/model.c4")).unwrap(),
        THREE_SYSTEMS
    );
    assert_eq!(
        std::fs::read_to_string(d.join(".hidden.c4")).unwrap(),
        THREE_SYSTEMS
    );

    write(
        d,
        "docs/arch.md",
        b"# Arch\n\n<!-- c4c:view landscape -->\n<!-- /c4c:view -->\n",
    );
    std::os::unix::fs::symlink("docs/arch.md", d.join("README.md")).unwrap();
    let o = c4c(
        &[
            "build",
            "-q",
            "link.c4",
            "-o",
            "out",
            "--inject",
            "README.md",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::symlink_metadata(d.join("README.md"))
            .unwrap()
            .is_symlink()
    );
    let doc = std::fs::read_to_string(d.join("docs/arch.md")).unwrap();
    assert!(doc.contains("```mermaid\n%% c4c · view landscape"), "{doc}");
}
