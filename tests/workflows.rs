//! The CI files c4c ships, validated offline (what actionlint and GitLab's
//! linter would catch first): `.github/workflows/*.yml`, the composite
//! action `action.yml` and the GitLab component `templates/c4c/template.yml`
//! in, one failure listing every problem out.
//!
//! Checked: each file parses as YAML; a workflow has triggers and jobs, each
//! job `runs-on` and steps, each `needs` names a job; a step does exactly one
//! of `uses` and `run`; every `uses` is pinned (`@v4`, `@1.88`, a commit —
//! never a branch); `${{ }}` expressions are closed; no script splices
//! untrusted text into a command (`${{ inputs.… }}`, `${{ github.event.… }}`,
//! `${{ github.head_ref }}` inside `run:` — pass them through `env:`); the
//! action's steps name a `shell` (composite actions need one) and use only
//! inputs it declares, each with a description; the component uses only
//! inputs its `spec` declares. Versions: the action's and the component's
//! default c4c version, and the versions docs/ci.md pins, are Cargo.toml's.

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &Path) -> Vec<Yaml> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn key<'a>(y: &'a Yaml, k: &str) -> &'a Yaml {
    &y[k]
}

fn is_set(y: &Yaml) -> bool {
    !y.is_badvalue() && !y.is_null()
}

/// The `${{ … }}` expressions in `text`, or an error for one left open.
fn expressions(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        let tail = &rest[at + 3..];
        let Some(end) = tail.find("}}") else {
            return Err(format!("unclosed expression at `{}`", &rest[at..]));
        };
        out.push(tail[..end].trim());
        rest = &tail[end + 2..];
    }
    Ok(out)
}

/// Text a pull request's author controls, or that an input passes on:
/// never spliced into a script.
fn untrusted(expr: &str) -> bool {
    expr.starts_with("inputs.")
        || expr.starts_with("github.event.")
        || expr.starts_with("github.head_ref")
        || expr.contains("github.event.pull_request")
}

/// Problems of one step (`at`: where it is, for the message).
fn check_step(step: &Yaml, at: &str, composite: bool, problems: &mut Vec<String>) {
    let uses = key(step, "uses");
    let run = key(step, "run");
    match (is_set(uses), is_set(run)) {
        (true, true) | (false, false) => problems.push(format!(
            "{at}: a step needs exactly one of `uses` and `run`"
        )),
        _ => {}
    }
    if let Some(u) = uses.as_str() {
        match u.rsplit_once('@') {
            Some((_, r)) if !["main", "master", "HEAD", "latest"].contains(&r) => {}
            _ => problems.push(format!("{at}: `uses: {u}` is not pinned to a version")),
        }
    }
    if let Some(script) = run.as_str() {
        if composite && !is_set(key(step, "shell")) {
            problems.push(format!(
                "{at}: a composite action's `run` step needs `shell`"
            ));
        }
        match expressions(script) {
            Ok(exprs) => {
                for e in exprs.into_iter().filter(|e| untrusted(e)) {
                    problems.push(format!(
                        "{at}: `${{{{ {e} }}}}` spliced into a script (pass it through `env:`)"
                    ));
                }
            }
            Err(e) => problems.push(format!("{at}: {e}")),
        }
    }
}

/// Every string value in `y`, depth first.
fn strings<'a>(y: &'a Yaml, out: &mut Vec<&'a str>) {
    match y {
        Yaml::String(s) => out.push(s),
        Yaml::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Yaml::Hash(h) => h.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        _ => {}
    }
}

fn check_workflow(path: &Path, problems: &mut Vec<String>) {
    let name = path.display().to_string();
    let docs = load(path);
    let Some(w) = docs.first() else {
        return problems.push(format!("{name}: empty"));
    };
    // (yaml-rust2 reads YAML 1.2: `on` is a string key, not YAML 1.1's true.)
    if !is_set(key(w, "on")) {
        problems.push(format!("{name}: no `on:` triggers"));
    }
    let Some(jobs) = key(w, "jobs").as_hash() else {
        return problems.push(format!("{name}: no jobs"));
    };
    let ids: Vec<&str> = jobs.keys().filter_map(Yaml::as_str).collect();
    for (id, job) in jobs {
        let id = id.as_str().unwrap_or("?");
        let at = format!("{name}: job `{id}`");
        if !is_set(key(job, "runs-on")) {
            problems.push(format!("{at}: no `runs-on`"));
        }
        let needs = key(job, "needs");
        let needs: Vec<&str> = match needs {
            Yaml::String(s) => vec![s.as_str()],
            Yaml::Array(a) => a.iter().filter_map(Yaml::as_str).collect(),
            _ => vec![],
        };
        for n in needs.into_iter().filter(|n| !ids.contains(n)) {
            problems.push(format!("{at}: needs `{n}`, which is no job"));
        }
        let Some(steps) = key(job, "steps").as_vec() else {
            problems.push(format!("{at}: no steps"));
            continue;
        };
        for (i, step) in steps.iter().enumerate() {
            check_step(step, &format!("{at} step {}", i + 1), false, problems);
        }
    }
    let mut all = Vec::new();
    strings(w, &mut all);
    for s in all {
        if let Err(e) = expressions(s) {
            problems.push(format!("{name}: {e}"));
        }
    }
}

fn cargo_version() -> String {
    let toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let line = toml
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("Cargo.toml has a version");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_string()
}

fn check_action(problems: &mut Vec<String>) {
    let path = root().join("action.yml");
    let docs = load(&path);
    let a = &docs[0];
    for k in ["name", "description"] {
        if key(a, k).as_str().is_none() {
            problems.push(format!("action.yml: no `{k}`"));
        }
    }
    let runs = key(a, "runs");
    if key(runs, "using").as_str() != Some("composite") {
        problems.push("action.yml: `runs.using` is not `composite`".into());
    }
    let inputs = key(a, "inputs").as_hash().cloned().unwrap_or_default();
    let declared: Vec<&str> = inputs.keys().filter_map(Yaml::as_str).collect();
    for (k, v) in &inputs {
        if key(v, "description").as_str().is_none() {
            problems.push(format!(
                "action.yml: input `{}` has no description",
                k.as_str().unwrap_or("?")
            ));
        }
    }
    if key(&a["inputs"]["version"], "default").as_str() != Some(cargo_version().as_str()) {
        problems.push(format!(
            "action.yml: the default `version` is not Cargo.toml's {}",
            cargo_version()
        ));
    }
    let steps = key(runs, "steps").as_vec().cloned().unwrap_or_default();
    if steps.is_empty() {
        problems.push("action.yml: no steps".into());
    }
    for (i, step) in steps.iter().enumerate() {
        check_step(step, &format!("action.yml step {}", i + 1), true, problems);
    }
    let mut all = Vec::new();
    strings(a, &mut all);
    for s in all {
        for e in expressions(s).unwrap_or_default() {
            let mut rest = e;
            while let Some(at) = rest.find("inputs.") {
                let name: String = rest[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !declared.contains(&name.as_str()) {
                    problems.push(format!("action.yml: uses undeclared input `{name}`"));
                }
                rest = &rest[at + 7..];
            }
        }
    }
}

fn check_gitlab_component(problems: &mut Vec<String>) {
    let path = root().join("templates/c4c/template.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let docs = load(&path);
    if docs.len() != 2 {
        return problems.push(format!(
            "{}: a component is a `spec` document and a job document ({} found)",
            path.display(),
            docs.len()
        ));
    }
    let inputs = docs[0]["spec"]["inputs"]
        .as_hash()
        .cloned()
        .unwrap_or_default();
    let declared: Vec<&str> = inputs.keys().filter_map(Yaml::as_str).collect();
    if docs[0]["spec"]["inputs"]["version"]["default"].as_str() != Some(cargo_version().as_str()) {
        problems.push("template.yml: the default `version` is not Cargo.toml's".into());
    }
    let mut rest = text.as_str();
    while let Some(at) = rest.find("$[[") {
        let tail = &rest[at + 3..];
        let Some(end) = tail.find("]]") else {
            problems.push("template.yml: unclosed `$[[`".into());
            break;
        };
        let expr = tail[..end].trim();
        match expr.strip_prefix("inputs.") {
            Some(name) if declared.contains(&name) => {}
            _ => problems.push(format!(
                "template.yml: `$[[ {expr} ]]` is no declared input"
            )),
        }
        rest = &tail[end..];
    }
    let Some(jobs) = docs[1].as_hash() else {
        return problems.push("template.yml: no job".into());
    };
    for (id, job) in jobs {
        if key(job, "script").as_vec().is_none_or(Vec::is_empty) {
            problems.push(format!(
                "template.yml: job `{}` has no script",
                id.as_str().unwrap_or("?")
            ));
        }
    }
}

#[test]
fn ci_files_are_valid_and_safe() {
    let mut problems = Vec::new();
    let dir = root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "ci.yml and release.yml expected in {}",
        dir.display()
    );
    // And the workflow `c4c init` writes.
    files.push(root().join("src/cli/init/workflow.yml"));
    for f in &files {
        check_workflow(f, &mut problems);
    }
    check_action(&mut problems);
    check_gitlab_component(&mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_what_they_claim() {
    // An injection, an unpinned action and a missing shell in a composite step.
    let y = &YamlLoader::load_from_str(
        "run: echo ${{ github.event.pull_request.title }}\nuses: actions/checkout@main",
    )
    .unwrap()[0];
    let mut p = Vec::new();
    check_step(y, "s", true, &mut p);
    let all = p.join("\n");
    assert!(all.contains("exactly one"), "{all}");
    assert!(all.contains("not pinned"), "{all}");
    assert!(all.contains("spliced into a script"), "{all}");
    assert!(all.contains("needs `shell`"), "{all}");
    assert!(expressions("${{ a").is_err());
}

#[test]
fn docs_pin_the_current_version() {
    let v = cargo_version();
    let ci = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    for needle in [format!("c4c-dev/c4c@v{v}"), format!("c4c/c4c@{v}")] {
        assert!(ci.contains(&needle), "docs/ci.md does not pin `{needle}`");
    }
    assert!(
        !ci.contains("example.com"),
        "docs/ci.md still has a placeholder URL"
    );
}
