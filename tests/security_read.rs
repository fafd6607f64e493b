//! Reading: nothing outside the root is ever read. Hostile repositories are
//! built in temp dirs and the real `c4c` binary is run on them; a file
//! outside the root holds [`SECRET`], which must appear nowhere in stdout,
//! stderr or the files written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{c4c, git, text};

/// What an outside file holds; never to be seen.
const SECRET: &str = "SECRET_TOKEN_7f3a9c";

const MODEL: &[u8] = b"model {\n  a = person \"A\"\n  s = system \"S\"\n  a -> s \"Uses\"\n}\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, bytes).unwrap();
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// A temp dir with `outside/` (a secret file, a secret model, a secret
/// contract) next to `repo/arch/model.c4`. Returns (temp dir, repo).
fn hostile() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "outside/secret.txt", format!("{SECRET}=1\n").as_bytes());
    write(
        d,
        "outside/models/evil.c4",
        format!("model {{ x = person \"{SECRET}\" }}\n").as_bytes(),
    );
    write(
        d,
        "outside/api.yaml",
        format!("openapi: 3.0.0\ninfo:\n  title: {SECRET}\npaths:\n  /{SECRET}:\n    get:\n      summary: {SECRET}\n").as_bytes(),
    );
    write(d, "repo/arch/model.c4", MODEL);
    let repo = d.join("repo");
    (t, repo)
}

/// Every file under `dir`, read.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                out.push_str(&all_text(&p));
            } else if meta.is_file() {
                out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// Runs c4c and asserts the secret is nowhere in what it printed or wrote
/// under `written`. Returns (exit code, stdout + stderr).
/// The secret is also in c4c's environment (`/proc/self/environ`).
fn run_clean(args: &[&str], cwd: &Path, written: Option<&Path>) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_c4c"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("C4C_TEST_SECRET", SECRET)
        .output()
        .unwrap();
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(!all.contains(SECRET), "{args:?} printed the secret:\n{all}");
    if let Some(w) = written {
        assert!(!all_text(w).contains(SECRET), "{args:?} wrote the secret");
    }
    (o.status.code(), all)
}

/// `check`, `build` (Mermaid and JSON) and `views` on `path`: the secret
/// never shows. Returns the output of `check`.
fn every_command(repo: &Path, path: &str) -> (Option<i32>, String) {
    let out = repo.join("out");
    let _ = run_clean(&["build", path, "-o", "out"], repo, Some(&out));
    let _ = run_clean(
        &["build", path, "-o", "out", "--format", "json"],
        repo,
        Some(&out),
    );
    let _ = run_clean(&["views", path], repo, None);
    run_clean(&["check", path], repo, None)
}

#[cfg(unix)]
#[test]
fn a_symlinked_model_leaving_the_root_is_never_read() {
    for target in ["../../outside/secret.txt", "/proc/self/environ"] {
        let (_t, repo) = hostile();
        link(target, &repo.join("arch/zz.c4"));
        let (code, err) = every_command(&repo, "arch");
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains(
                "error[E012]: `arch/zz.c4` is a symbolic link leading outside the root directory"
            ),
            "{err}"
        );
        assert!(
            !err.contains("environ") && !err.contains("secret.txt"),
            "{err}"
        );
        // The same when the file is named on the command line.
        let (code, err) = every_command(&repo, "arch/zz.c4");
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("error[E012]"), "{err}");
        // `fmt` neither prints nor rewrites it.
        for args in [
            ["fmt", "--check", "arch"],
            ["fmt", "arch", "arch"],
            ["fmt", "--check", "arch/zz.c4"],
        ] {
            let (code, err) = run_clean(&args, &repo, None);
            assert_eq!(code, Some(2), "{err}");
            assert!(
                err.contains("`arch/zz.c4` is a symbolic link leading outside the root"),
                "{err}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(repo.join("../outside/secret.txt")).unwrap(),
            format!("{SECRET}=1\n")
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_leaving_the_root_gets_the_same_error_whether_its_target_exists_or_not() {
    let (_t, repo) = hostile();
    link("../../outside/secret.txt", &repo.join("arch/zz.c4"));
    let (_, exists) = run_clean(&["check", "arch"], &repo, None);
    std::fs::remove_file(repo.join("arch/zz.c4")).unwrap();
    link("../../outside/no-such-file", &repo.join("arch/zz.c4"));
    let (_, missing) = run_clean(&["check", "arch"], &repo, None);
    assert_eq!(exists, missing);
}

#[cfg(unix)]
#[test]
fn a_symlinked_directory_leaving_the_root_is_not_walked() {
    let (t, repo) = hostile();
    link("../../outside/models", &repo.join("arch/models"));
    link("/", &repo.join("arch/slash"));
    let abs = t.path().join("outside/models");
    link(abs.to_str().unwrap(), &repo.join("arch/abs"));
    let (code, out) = every_command(&repo, "arch");
    assert_eq!(code, Some(0), "{out}");
    for name in ["arch/models", "arch/slash", "arch/abs"] {
        assert!(
            out.contains(&format!(
                "warning[W012]: `{name}` is a symbolic link leading outside the root directory; not followed"
            )),
            "{out}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_root_are_followed_once_and_loops_do_not_walk() {
    let (_t, repo) = hostile();
    write(&repo, "arch/sub/people.c4", b"model { p = person \"P\" }\n");
    link("sub", &repo.join("arch/alias"));
    link("..", &repo.join("arch/sub/up"));
    link("me", &repo.join("arch/me"));
    write(
        &repo,
        "arch/uses.c4",
        b"import \"./alias/people.c4\"\nmodel { q = person \"Q\" q -> p \"Knows\" }\n",
    );
    let (code, out) = run_clean(&["check", "arch"], &repo, None);
    assert_eq!(code, Some(0), "{out}");
    // `me` points at itself: a loop, named, not followed.
    assert!(
        out.contains("`arch/me` is a loop of symbolic links"),
        "{out}"
    );
    assert!(!out.contains("error"), "{out}");
}

#[test]
fn an_api_contract_outside_the_root_is_never_read() {
    let (_t, repo) = hostile();
    let model = |path: &str| {
        format!(
            "model {{\n  s = system \"S\" {{\n    c = container \"C\" {{ api \"{path}\" }}\n  }}\n}}\n"
        )
    };
    write(
        &repo,
        "arch/model.c4",
        model("../../outside/api.yaml").as_bytes(),
    );
    let (code, exists) = every_command(&repo, "arch");
    assert_eq!(code, Some(1), "{exists}");
    assert!(
        exists.contains(
            "error[E012]: the contract `../../outside/api.yaml` leaves the root directory"
        ),
        "{exists}"
    );
    // No oracle: the same for a file that does not exist.
    write(
        &repo,
        "arch/model.c4",
        model("../../outside/apx.yaml").as_bytes(),
    );
    let (_, missing) = run_clean(&["check", "arch"], &repo, None);
    assert_eq!(exists.replace("api.yaml", "apx.yaml"), missing);
    #[cfg(unix)]
    {
        link("../../outside", &repo.join("arch/specs"));
        write(&repo, "arch/model.c4", model("specs/api.yaml").as_bytes());
        let (code, out) = every_command(&repo, "arch");
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("`specs` is a symbolic link leading outside the root directory"),
            "{out}"
        );
    }
}

#[test]
fn outside_the_root_an_import_gets_the_same_error_whether_it_exists_or_not() {
    let (_t, repo) = hostile();
    let import = |path: &str| {
        write(
            &repo,
            "arch/model.c4",
            format!("import \"{path}\"\nmodel {{ a = person \"A\" }}\n").as_bytes(),
        );
        run_clean(&["check", "arch"], &repo, None)
    };
    let (code, exists) = import("../../outside/models/evil.c4");
    assert_eq!(code, Some(1), "{exists}");
    assert!(exists.contains("error[E012]"), "{exists}");
    let (_, missing) = import("../../outside/models/evix.c4");
    assert_eq!(exists.replace("evil.c4", "evix.c4"), missing);
    // "Did you mean" never lists a directory outside the root.
    let (_, near) = import("../../outside/models/evl.c4");
    assert!(
        !near.contains("did you mean") && !near.contains("evil"),
        "{near}"
    );
    #[cfg(unix)]
    {
        link("../../outside/models", &repo.join("arch/lib"));
        let (_, through_link) = import("./lib/evil.c4");
        let (_, through_link_missing) = import("./lib/evix.c4");
        assert!(
            through_link.contains("`lib` is a symbolic link"),
            "{through_link}"
        );
        assert_eq!(
            through_link.replace("evil.c4", "evix.c4"),
            through_link_missing
        );
        let (_, near) = import("./lib/evl.c4");
        assert!(!near.contains("evil"), "{near}");
    }
}

/// Runs c4c with its address space capped (the old code took all memory on
/// a billion laughs) and a deadline, so a regression fails instead of
/// hanging. (exit code, stdout + stderr).
#[cfg(unix)]
fn run_bounded(args: &[&str], cwd: &Path) -> (Option<i32>, String) {
    let started = std::time::Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_c4c"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 60 {
            child.kill().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o: Output = child.wait_with_output().unwrap();
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    (o.status.code(), all)
}

#[cfg(unix)]
#[test]
fn a_billion_laughs_contract_is_refused_in_bounded_time_and_memory() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    // Nine levels of nine aliases each: 9^9 (387 million) copies of "lol".
    let mut yaml =
        String::from("openapi: 3.0.0\npaths: {}\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (prev, this) in "abcdefghi".chars().zip("bcdefghij".chars()) {
        yaml.push_str(&format!(
            "{this}: &{this} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    assert!(yaml.len() < 450, "{}", yaml.len());
    write(d, "laughs.yaml", yaml.as_bytes());
    write(
        d,
        "model.c4",
        b"model { s = system \"S\" { c = container \"C\" { api \"laughs.yaml\" } } }\n",
    );
    // Under the memory cap the old code aborted; killed at the deadline it
    // would have no exit code. Speed itself is measured outside the tests.
    let (code, out) = run_bounded(&["check", "model.c4"], d);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error[E015]: the contract `laughs.yaml` is too costly to read"),
        "{out}"
    );
    // A few aliases within the budget are fine.
    write(
        d,
        "small.yaml",
        b"openapi: 3.0.0\nx: &ok {summary: Lists}\npaths:\n  /a:\n    get: *ok\n  /b:\n    get: *ok\n",
    );
    write(
        d,
        "model.c4",
        b"model { s = system \"S\" { c = container \"C\" { api \"small.yaml\" } } }\n",
    );
    let (code, out) = run_bounded(&["check", "model.c4"], d);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn std_look_alike_imports_get_a_warning() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "std/kinds.c4", b"model { fake = person \"Fake\" }\n");
    write(d, "ｓｔｄ/kinds.c4", b"model { wide = person \"Wide\" }\n");
    write(
        d,
        "main.c4",
        "import \"./std/kinds\"\nimport \"ｓｔｄ/kinds\"\nimport \"std/kinds\"\nmodel { a = person \"A\" }\n".as_bytes(),
    );
    let o = c4c(&["check", "main.c4"], d);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for line in [1, 2, 3] {
        assert!(err.contains(&format!("main.c4:{line}:8")), "{err}");
    }
    assert_eq!(err.matches("warning[W011]").count(), 3, "{err}");
    // A plain non-ASCII file name is no look-alike.
    write(d, "café.c4", b"model { c = person \"C\" }\n");
    write(d, "other.c4", "import \"./café.c4\"\n".as_bytes());
    let o = c4c(&["check", "other.c4"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("W011"), "{}", text(&o.stderr));
}

/// A root file importing `n` files.
fn importing(d: &Path, n: usize) {
    let mut root = String::new();
    for i in 0..n {
        root.push_str(&format!("import \"./lib/m{i}.c4\"\n"));
        write(
            d,
            &format!("lib/m{i}.c4"),
            format!("model {{ e{i} = person \"E{i}\" }}\n").as_bytes(),
        );
    }
    write(d, "root.c4", root.as_bytes());
}

#[test]
fn a_workspace_loads_at_most_1000_files() {
    let t = tempfile::tempdir().unwrap();
    // The root and 999 imports: 1,000 files, the limit.
    importing(t.path(), 999);
    let o = c4c(&["check", "root.c4"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // One more: refused at the import of the 1,001st file.
    importing(t.path(), 1000);
    let o = c4c(&["check", "root.c4"], t.path());
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[E014]") && err.contains("root.c4:1000:8"),
        "{err}"
    );
}

/// `files` committed in a new repository.
fn repo_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    git(t.path(), &["init", "-q"]);
    for (name, bytes) in files {
        write(t.path(), name, bytes);
    }
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-q", "-m", "base"]);
    t
}

const PARTNERS: &[u8] = b"model { bank = system \"Bank\" }\n";
const USES_PARTNERS: &[u8] =
    b"import \"./partners.c4\"\nmodel {\n  a = person \"A\"\n  a -> bank \"Pays\"\n}\n";

#[test]
fn diff_git_reads_non_ascii_file_names() {
    let repo = repo_with(&[
        ("arch/café.c4", MODEL),
        ("arch/naïve/ünï.c4", b"model { u = person \"U\" }\n"),
    ]);
    write(
        repo.path(),
        "arch/café.c4",
        b"model {\n  a = person \"A\"\n  s = system \"S\"\n}\n",
    );
    let o = c4c(&["diff", "--git", "HEAD", "arch"], repo.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("- relationship a -> s"), "{out}");
    assert!(!out.contains("element u"), "{out}");
}

#[test]
fn diff_git_of_one_file_reads_the_files_it_imports() {
    let repo = repo_with(&[
        ("arch/model.c4", USES_PARTNERS),
        ("arch/partners.c4", PARTNERS),
    ]);
    write(
        repo.path(),
        "arch/partners.c4",
        b"model { bank = system \"Bank\" \"Holds money\" }\n",
    );
    let o = c4c(&["diff", "--git", "HEAD", "arch/model.c4"], repo.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Holds money"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn diff_git_exports_only_c4_files_and_the_contracts_they_name() {
    let spec = b"openapi: 3.0.0\ninfo: {title: Orders}\npaths: {}\n";
    let repo = repo_with(&[
        (
            "arch/model.c4",
            b"model { s = system \"S\" { c = container \"C\" { api \"api/orders.yaml\" } } }\n",
        ),
        ("arch/api/orders.yaml", spec),
        ("arch/api/other.yaml", spec),
        ("arch/notes.md", b"notes"),
        ("arch/blob.bin", &[0u8; 1024]),
    ]);
    let into = tempfile::tempdir().unwrap();
    let paths = vec![PathBuf::from("arch")];
    let out = c4c::diff::git::export(repo.path(), "HEAD", &paths, into.path()).unwrap();
    assert_eq!(out, [into.path().join("arch")]);
    let mut files: Vec<String> = Vec::new();
    for dir in ["arch", "arch/api"] {
        for e in std::fs::read_dir(into.path().join(dir)).unwrap() {
            files.push(format!(
                "{dir}/{}",
                e.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    files.sort();
    assert_eq!(files, ["arch/api", "arch/api/orders.yaml", "arch/model.c4"]);
}

#[cfg(unix)]
#[test]
fn diff_git_never_follows_a_symlink_leaving_the_root() {
    // At the revision: arch/zz.c4 is a link (a git object of mode 120000)
    // to a file outside arch; in the work tree too.
    let repo = repo_with(&[
        ("arch/model.c4", MODEL),
        ("secret.txt", format!("{SECRET}\n").as_bytes()),
    ]);
    link("../secret.txt", &repo.path().join("arch/zz.c4"));
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "link"]);
    for rev in ["HEAD", "HEAD..HEAD"] {
        let (code, out) = run_clean(&["diff", "--git", rev, "arch"], repo.path(), None);
        assert_eq!(code, Some(2), "{out}");
        assert!(
            out.contains(
                "error[E012]: `HEAD:arch/zz.c4` is a symbolic link leading outside the root"
            ),
            "{out}"
        );
    }
    // Only in the work tree: the new side names it.
    git(repo.path(), &["rm", "-q", "--cached", "arch/zz.c4"]);
    git(repo.path(), &["commit", "-q", "-m", "unlink"]);
    let (code, out) = run_clean(&["diff", "--git", "HEAD", "arch"], repo.path(), None);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("the new model has errors"), "{out}");
    assert!(
        out.contains("error[E012]: `arch/zz.c4` is a symbolic link leading outside the root"),
        "{out}"
    );
}

#[test]
fn diff_git_never_runs_programs_from_git_configuration() {
    let repo = repo_with(&[
        ("arch/model.c4", MODEL),
        (
            ".gitattributes",
            b"*.c4 diff=evil filter=evil\n*.yaml diff=evil filter=evil\n",
        ),
    ]);
    let d = repo.path();
    let marker = d.join("marker");
    let script = d.join("evil.sh");
    write(
        d,
        "evil.sh",
        format!("#!/bin/sh\necho ran >> '{}'\ncat\n", marker.display()).as_bytes(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    write(
        d,
        "arch/model.c4",
        b"model { a = person \"A\" b = person \"B\" }\n",
    );
    git(d, &["commit", "-q", "-am", "two"]);
    write(d, "arch/model.c4", b"model { a = person \"A\" }\n");
    // Configured after the commits (which would run some of it themselves).
    let s = script.to_str().unwrap();
    for (key, value) in [
        ("core.fsmonitor", s),
        ("core.pager", s),
        ("core.hooksPath", d.to_str().unwrap()),
        ("core.sshCommand", s),
        ("diff.external", s),
        ("diff.evil.textconv", s),
        ("filter.evil.smudge", s),
        ("filter.evil.clean", s),
        ("filter.evil.process", s),
        ("pager.ls-tree", s),
        ("pager.cat-file", s),
        ("alias.ls-tree", &format!("!{s}")),
        ("gpg.program", s),
        ("log.showSignature", "true"),
    ] {
        git(d, &["config", key, value]);
    }
    for hook in [
        "post-checkout",
        "post-index-change",
        "reference-transaction",
        "pre-auto-gc",
    ] {
        write(
            d,
            hook,
            format!("#!/bin/sh\necho {hook} >> '{}'\n", marker.display()).as_bytes(),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o755);
            std::fs::set_permissions(d.join(hook), mode).unwrap();
        }
    }
    for args in [
        ["diff", "--git", "HEAD", "arch"],
        ["diff", "--git", "HEAD~1..HEAD", "arch"],
        ["diff", "--git", "HEAD~1", "."],
    ] {
        let o = c4c(&args, d);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
    }
    assert!(
        !marker.exists(),
        "git ran a configured program: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    // The trap is armed: porcelain git does run it.
    let _ = Command::new("git")
        .args(["diff", "HEAD~1", "--", "arch"])
        .current_dir(d)
        .output();
    assert!(marker.exists(), "the test's configuration runs nothing");
}

#[test]
fn diff_git_takes_a_revision_that_looks_like_an_option_as_a_revision() {
    let repo = repo_with(&[("arch/model.c4", MODEL)]);
    let d = repo.path();
    let target = d.join("written-by-git");
    let rev = format!("--output={}", target.display());
    let o = c4c(&["diff", &format!("--git={rev}"), "arch"], d);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("unknown revision"),
        "{}",
        text(&o.stderr)
    );
    assert!(!target.exists());
}

#[test]
fn diff_git_explains_a_shallow_clone() {
    let repo = repo_with(&[("arch/model.c4", MODEL)]);
    write(
        repo.path(),
        "arch/model.c4",
        b"model { a = person \"A\" }\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "second"]);
    let t = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(t.path(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let o = c4c(
        &["diff", "--git", "HEAD~1", "arch"],
        &t.path().join("clone"),
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("shallow") && err.contains("fetch-depth: 0"),
        "{err}"
    );
}
