//! Robust I/O: closed pipes and full disks end a run with a message and
//! exit code 2 (never a panic), files are written with the modes a user
//! expects, a killed run's temporaries do not stay, and `build --check`
//! compares outputs of any size.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{root, text};

fn example() -> PathBuf {
    root().join("examples/shop")
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_c4c"));
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

/// A pipe whose reading end is already closed.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer
}

/// `c4c build examples/shop -o DIR`, which must succeed.
fn build_example_into(dir: &Path) {
    let o = bin()
        .args([
            "build",
            example().to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

fn assert_clean_failure(o: &Output, what: &str) {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{what}: {err}");
}

#[test]
fn a_closed_stdout_pipe_ends_the_run_with_a_message_not_a_panic() {
    let shop = example();
    let shop = shop.to_str().unwrap();
    let views = ["views", shop];
    let json = ["build", shop, "--format", "json"];
    for args in [&views[..], &json[..]] {
        let o = bin()
            .args(args)
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_clean_failure(&o, &args.join(" "));
        assert!(
            text(&o.stderr).contains("cannot write to standard output"),
            "{}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_closed_stderr_pipe_ends_the_run_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.c4"),
        "model {\n  a = system \"A\"\n  a -> b\n}\n",
    )
    .unwrap();
    let o = bin()
        .args(["check", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(closed_pipe())
        .output()
        .unwrap();
    // The diagnostics could not be shown: that is an I/O failure (2), not
    // a crash (101) and not a pass.
    assert_eq!(o.status.code(), Some(2));
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_behind_stdout_ends_the_run_with_a_message_not_a_panic() {
    let full = File::options().write(true).open("/dev/full").unwrap();
    let o = bin()
        .args(["build", example().to_str().unwrap(), "--format", "json"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_clean_failure(&o, "build --format json > /dev/full");
    assert!(
        text(&o.stderr).contains("no space left"),
        "{}",
        text(&o.stderr)
    );
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Runs c4c under a given umask (through the shell, which sets it).
#[cfg(unix)]
fn with_umask(umask: &str, args: &[&str]) -> Output {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_c4c"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    o
}

#[test]
#[cfg(unix)]
fn new_output_files_honour_the_umask() {
    for (umask, want) in [("022", 0o644), ("027", 0o640), ("002", 0o664)] {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("d");
        with_umask(
            umask,
            &[
                "build",
                example().to_str().unwrap(),
                "-o",
                dir.to_str().unwrap(),
            ],
        );
        let mut n = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            assert_eq!(mode(&p), want, "umask {umask}: {}", p.display());
            n += 1;
        }
        assert!(n > 1);
    }
}

#[test]
#[cfg(unix)]
fn rewritten_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.c4");
    std::fs::write(
        &model,
        "model {\n      a   = system \"A\"\n}\nviews {\n  landscape l \"L\"\n}\n",
    )
    .unwrap();
    std::fs::set_permissions(&model, std::fs::Permissions::from_mode(0o664)).unwrap();
    let doc = dir.path().join("doc.md");
    std::fs::write(&doc, "# Doc\n\n<!-- c4c:view l -->\n<!-- /c4c:view -->\n").unwrap();
    std::fs::set_permissions(&doc, std::fs::Permissions::from_mode(0o640)).unwrap();

    let m = model.to_str().unwrap();
    with_umask("077", &["fmt", m]);
    assert!(
        std::fs::read_to_string(&model)
            .unwrap()
            .contains("  a = system")
    );
    assert_eq!(mode(&model), 0o664, "fmt");

    with_umask("077", &["build", m, "--inject", doc.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&doc)
            .unwrap()
            .contains("```mermaid")
    );
    assert_eq!(mode(&doc), 0o640, "--inject");
}

#[test]
fn a_killed_builds_temporaries_are_removed_by_the_next_build() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path();
    // Left by killed runs: a process that cannot exist (above any pid
    // limit), and an hour-old temporary of an older version (no pid).
    let dead = dir.join(".c4c-4294967295-Ab12Cd.tmp");
    let old = dir.join(".c4c-Ab12Cd.tmp");
    // Kept: a temporary of a process that still runs (this test), and
    // files that are not c4c temporaries.
    let running = dir.join(format!(".c4c-{}-Xy34Zw.tmp", std::process::id()));
    let notes = dir.join(".c4c-notes.txt");
    let mine = dir.join("keep.tmp");
    for p in [&dead, &old, &running, &notes, &mine] {
        std::fs::write(p, "partial").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();

    build_example_into(dir);
    assert!(!dead.exists(), "a dead process's temporary stays");
    assert!(!old.exists(), "an hour-old temporary stays");
    assert!(
        running.exists(),
        "a running process's temporary was removed"
    );
    assert!(notes.exists() && mine.exists(), "other files were removed");
}

#[test]
fn build_check_compares_outputs_over_the_input_size_limit() {
    let out = tempfile::tempdir().unwrap();
    // An index.md of a large model is bigger than the 16 MiB an input may be.
    let big = "x".repeat(17 << 20);
    let files = vec![("index.md".to_string(), big.clone())];
    c4c::output::write_all(out.path(), &files).unwrap();
    let s = c4c::output::compare(out.path(), &files);
    assert!(s.is_clean(), "{s:?}");

    let mut changed = big;
    changed.push('y');
    let s = c4c::output::compare(out.path(), &[("index.md".to_string(), changed)]);
    assert_eq!(s.stale, ["index.md"]);
    assert!(s.missing.is_empty());
}

#[test]
#[cfg(unix)]
fn an_injected_document_linked_outside_the_root_is_neither_read_nor_written() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    let secret_text = "TOPSECRET-7f3a <!-- c4c:view l -->\n<!-- /c4c:view -->\n";
    std::fs::write(&secret, secret_text).unwrap();
    let repo = tempfile::tempdir().unwrap();
    let model = repo.path().join("m.c4");
    std::fs::write(
        &model,
        "model {\n  a = system \"A\"\n}\nviews {\n  landscape l \"L\"\n}\n",
    )
    .unwrap();
    let doc = repo.path().join("README.md");
    std::os::unix::fs::symlink(&secret, &doc).unwrap();
    for extra in [&[][..], &["--check"][..]] {
        let mut args = vec![
            "build",
            model.to_str().unwrap(),
            "--inject",
            doc.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert!(all.contains("leads outside the root"), "{all}");
        assert!(!all.contains("TOPSECRET"), "{all}");
        assert!(!all.contains(outside.path().to_str().unwrap()), "{all}");
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        secret_text,
        "written through the link"
    );
    // A link that stays inside the root is followed, as before.
    let real_doc = repo.path().join("docs.md");
    std::fs::write(&real_doc, "<!-- c4c:view l -->\n<!-- /c4c:view -->\n").unwrap();
    std::fs::remove_file(&doc).unwrap();
    std::os::unix::fs::symlink("docs.md", &doc).unwrap();
    let o = bin()
        .args([
            "build",
            model.to_str().unwrap(),
            "--inject",
            doc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::read_to_string(&real_doc)
            .unwrap()
            .contains("```mermaid")
    );
    assert!(
        std::fs::symlink_metadata(&doc)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
#[cfg(unix)]
fn file_names_in_the_output_directory_never_forge_a_ci_log_line() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path();
    build_example_into(dir);
    // A pull request can commit any file name into the diagrams folder.
    std::fs::write(dir.join("x\r::add-mask::\u{1b}[2Jy\n::warning::z.mmd"), "").unwrap();
    let o = bin()
        .args([
            "build",
            "--check",
            example().to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(all.contains("extra: "), "{all}");
    assert!(!all.contains('\r') && !all.contains('\u{1b}'), "{all:?}");
    assert!(
        all.lines().all(|l| !l.starts_with("::")),
        "a line starts a workflow command: {all:?}"
    );
}
