//! What a new user runs first: `--help` and `c4c help` (examples in every
//! command's help, a description for every `--format` value), shell
//! completions, man pages and `c4c init`.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

use crate::support::{c4c, root, text};

/// Every subcommand's name, from the clap definitions.
fn commands() -> Vec<String> {
    c4c::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn every_command_has_the_expected_subcommands() {
    let names = commands();
    for want in [
        "build",
        "check",
        "views",
        "diff",
        "fmt",
        "init",
        "completions",
        "man",
        "help",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "no `c4c {want}`: {names:?}"
        );
    }
}

#[test]
fn every_help_ends_with_examples_and_exit_codes() {
    let top = c4c(&["--help"], &root());
    assert_eq!(top.status.code(), Some(0));
    assert!(text(&top.stdout).contains("Examples:\n  c4c "));
    for name in commands() {
        for args in [vec![name.as_str(), "--help"], vec!["help", name.as_str()]] {
            let o = c4c(&args, &root());
            assert_eq!(
                o.status.code(),
                Some(0),
                "c4c {args:?}: {}",
                text(&o.stderr)
            );
            let out = text(&o.stdout);
            assert!(
                out.contains(&format!("Usage: c4c {name}")),
                "c4c {args:?}:\n{out}"
            );
            assert!(
                out.contains(&format!("Examples:\n  c4c {name}"))
                    || out.contains("Examples (") && out.contains(&format!("\n  c4c {name} ")),
                "c4c {args:?} shows no example of `c4c {name}`:\n{out}"
            );
            assert!(out.contains("Exit codes:\n  0  "), "c4c {args:?}:\n{out}");
        }
    }
}

#[test]
fn help_help_works() {
    // clap's built-in help subcommand refused `--help` (exit 2).
    let o = c4c(&["help", "--help"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Usage: c4c help [COMMAND]"));
    let o = c4c(&["help"], &root());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout), text(&c4c(&["--help"], &root()).stdout));
    let o = c4c(&["help", "nosuch"], &root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_value_of_format_dialect_and_color_is_described() {
    let mut seen = 0;
    let cli = c4c::cli::Cli::command();
    for sub in cli.get_subcommands() {
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            if !["format", "dialect", "color"].contains(&id) {
                continue;
            }
            assert!(
                arg.get_help().is_some(),
                "c4c {} --{id}: no help",
                sub.get_name()
            );
            for value in arg.get_possible_values() {
                assert!(
                    value.get_help().is_some(),
                    "c4c {} --{id} {}: no description",
                    sub.get_name(),
                    value.get_name()
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 20, "{seen}");
    // And the descriptions are what --help shows.
    let out = text(&c4c(&["check", "--help"], &root()).stdout);
    assert!(
        out.contains("Possible values:\n          - text: "),
        "{out}"
    );
}

#[test]
fn build_help_shows_the_default_output_directory() {
    let out = text(&c4c(&["build", "--help"], &root()).stdout);
    assert!(out.contains("-o, --out <DIR>"), "{out}");
    assert!(out.contains("[default: diagrams"), "{out}");
    // It is the directory a build without -o writes.
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("examples/shop");
    let o = c4c(&["build", "-q", model.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(dir.path().join("diagrams/index.md").is_file());
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = c4c(&["completions", shell], &root());
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o.stderr));
        let script = text(&o.stdout);
        assert!(script.len() > 1000, "{shell}: {script}");
        // Generated from the definitions: every command and a flag of each.
        for name in commands() {
            assert!(script.contains(&name), "{shell} completes no `{name}`");
        }
        assert!(
            script.contains("dialect") && script.contains("comment-limit"),
            "{shell}"
        );
    }
    let o = c4c(&["completions", "tcsh"], &root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_bash_completion_script_parses() {
    let script = c4c(&["completions", "bash"], &root()).stdout;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c4c.bash");
    std::fs::write(&file, script).unwrap();
    let o = Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Sourced, it registers a completion for c4c.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p c4c", file.display()))
        .output()
        .unwrap();
    assert!(
        o.status.success() && text(&o.stdout).contains("c4c"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn man_page_covers_every_command() {
    let o = c4c(&["man"], &root());
    assert_eq!(o.status.code(), Some(0));
    let page = text(&o.stdout);
    assert!(
        page.contains(&format!(".TH c4c 1  \"c4c {}\"", env!("CARGO_PKG_VERSION"))),
        "{page}"
    );
    for name in commands() {
        assert!(
            page.contains(&format!("c4c\\-{name}(1)")),
            "c4c(1) lists no {name}"
        );
    }
    // Examples are kept as written, not refilled.
    assert!(
        page.contains(".SH \"EXAMPLES AND EXIT CODES\"\n.nf\nExamples:\n"),
        "{page}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let o = c4c(&["man", "-o", out.to_str().unwrap()], &root());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(out.join("c4c.1")).unwrap(), page);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = commands().iter().map(|n| format!("c4c-{n}.1")).collect();
    want.push("c4c.1".into());
    want.sort();
    assert_eq!(files, want);
    for name in commands() {
        let written = std::fs::read_to_string(out.join(format!("c4c-{name}.1"))).unwrap();
        assert!(
            written.contains(&format!(".TH c4c\\-{name} 1 "))
                || written.contains(&format!(".TH c4c-{name} 1 ")),
            "{written}"
        );
        assert!(
            written.contains("\n.nf\nExamples"),
            "c4c-{name}.1 has no examples"
        );
        let printed = text(&c4c(&["man", &name], &root()).stdout);
        assert_eq!(printed, written, "c4c man {name}");
    }
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    c4c(&all, dir)
}

#[test]
fn init_writes_a_model_that_compiles_clean_and_a_workflow_that_passes() {
    let dir = tempfile::tempdir().unwrap();
    let o = init(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let model = dir.path().join("architecture.c4");
    let workflow = dir.path().join(".github/workflows/architecture.yml");
    assert!(model.is_file() && workflow.is_file());
    assert!(
        text(&o.stderr).contains("c4c: wrote architecture.c4\n"),
        "{}",
        text(&o.stderr)
    );
    // No diagnostic at all, and a context and a container view.
    let o = c4c(
        &["check", "--format", "json", "architecture.c4"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(0), "{v}");
    let views = text(&c4c(&["views", "architecture.c4"], dir.path()).stdout);
    assert!(
        views.contains(" context ") && views.contains(" container "),
        "{views}"
    );
    // The workflow runs the repository's action, with inputs it declares;
    // the commands the action runs with them pass once the diagrams are built.
    let yaml = std::fs::read_to_string(&workflow).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&yaml).unwrap();
    let steps = docs[0]["jobs"]["c4c"]["steps"].as_vec().unwrap();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("c4c-dev/c4c@v"))
        })
        .expect("a step using the c4c action");
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = &yaml_rust2::YamlLoader::load_from_str(&action).unwrap()[0];
    let with = step["with"].as_hash().expect("the action's inputs");
    let mut input = std::collections::BTreeMap::new();
    for (k, v) in with {
        let k = k.as_str().unwrap();
        assert!(
            !action["inputs"][k].is_badvalue(),
            "no input `{k}` in action.yml"
        );
        let v = match v {
            yaml_rust2::Yaml::Boolean(b) => b.to_string(),
            other => other.as_str().unwrap().to_string(),
        };
        input.insert(k, v);
    }
    assert_eq!(
        input.get("version").map(String::as_str),
        Some(env!("CARGO_PKG_VERSION"))
    );
    // What action.yml's "Check the model" and "Diagrams and docs are up to
    // date" steps run with these inputs.
    let paths: Vec<&str> = input["paths"].split_whitespace().collect();
    let mut check = vec!["check"];
    if input.get("deny-warnings").map(String::as_str) == Some("true") {
        check.extend(["--deny", "warnings"]);
    }
    check.extend(&paths);
    let mut build = vec!["build", "--check"];
    build.extend(&paths);
    build.extend(["-o", input["output"].as_str()]);
    for script in [
        "c4c check \"${deny[@]}\" \"${paths[@]}\"",
        "c4c build --check \"${paths[@]}\" -o \"$C4C_OUTPUT\"",
    ] {
        assert!(
            action_text().contains(script),
            "action.yml no longer runs `{script}`"
        );
    }
    let o = c4c(
        &[
            "build",
            "-q",
            "architecture.c4",
            "-o",
            input["output"].as_str(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for args in [check, build] {
        let o = c4c(&args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
    }
}

fn action_text() -> String {
    std::fs::read_to_string(root().join("action.yml")).unwrap()
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("architecture.c4");
    std::fs::write(&model, "// mine\n").unwrap();
    let o = init(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("architecture.c4 already exists"), "{err}");
    assert!(
        err.contains("nothing written") && err.contains("c4c init DIR"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&model).unwrap(), "// mine\n");
    // Nothing else was written either.
    assert!(!dir.path().join(".github").exists());
    // A dangling symbolic link counts as a file: not followed, not replaced.
    #[cfg(unix)]
    {
        let other = tempfile::tempdir().unwrap();
        let link = other.path().join(".github/workflows/architecture.yml");
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(other.path().join("target.yml"), &link).unwrap();
        let o = init(other.path(), &[]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(!other.path().join("target.yml").exists());
        assert!(!other.path().join("architecture.c4").exists());
    }
}

#[test]
#[cfg(unix)]
fn init_creates_the_folder_with_usual_modes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" init new/project")
        .arg(env!("CARGO_BIN_EXE_c4c"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("cd new/project && c4c build"),
        "{}",
        text(&o.stderr)
    );
    for f in ["architecture.c4", ".github/workflows/architecture.yml"] {
        let p = dir.path().join("new/project").join(f);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f}");
    }
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("new/project"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// docs/cli.md: every `c4c …` it shows names a real command, and every flag
/// is one that command accepts; its `c4c init` walk-through works.
#[test]
fn cli_guide_uses_real_commands_and_flags() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let names = commands();
    let mut checked = 0;
    for line in doc.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("c4c ") {
            let cmd = &rest[at + 4..];
            rest = cmd;
            // The command ends with its code span (or the line).
            let cmd = cmd.split('`').next().unwrap_or_default();
            let mut words = cmd.split_whitespace();
            let Some(sub) = words.next() else { continue };
            if sub.is_empty() || !sub.chars().all(|c| c.is_ascii_lowercase()) {
                continue; // `c4c --help`, `c4c COMMAND`, `c4c [COMMAND]`, `c4c(1)`
            }
            if ["manual", "to", "in", "that", "is"].contains(&sub) {
                continue; // prose: "versions of c4c that …"
            }
            assert!(
                names.iter().any(|n| n == sub),
                "docs/cli.md: no command `c4c {sub}`"
            );
            let help = text(&c4c(&[sub, "--help"], &root()).stdout);
            for w in words.take_while(|w| !["|", ">", ">>", "&&", ";"].contains(w)) {
                if let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) {
                    if flag.is_empty() || flag == "l" {
                        continue; // `man -l -`
                    }
                    let shown = if w.starts_with("--") {
                        format!("--{flag}")
                    } else {
                        format!("-{flag},")
                    };
                    assert!(
                        help.contains(&shown),
                        "docs/cli.md: `c4c {sub} {w}` is no option of `c4c {sub}`"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} commands found");
    // The walk-through: init, then build, leaves what the workflow checks.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["init"][..],
        &["build", "architecture.c4"],
        &["build", "--check", "architecture.c4", "-o", "diagrams"],
    ] {
        let o = c4c(args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
    }
    for file in [
        "architecture.c4",
        ".github/workflows/architecture.yml",
        "diagrams/index.md",
    ] {
        assert!(doc.contains(file.split('/').next().unwrap()));
        assert!(dir.path().join(file).is_file(), "{file}");
    }
}
