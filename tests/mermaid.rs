//! Every diagram c4c emits is rendered by the real Mermaid in headless
//! Chromium (`tools/mermaid-check`, `check.mjs --render`): all test cases,
//! all examples, `c4c init`'s starter model, the Markdown index, and a generated model whose names,
//! labels and identifiers use every printable ASCII character and some
//! unicode (also in the opt-in `@{ shape: h-cyl }` form). Rendering lays each
//! diagram out, so it also catches what Mermaid's parser lets through (a
//! subgraph nested in itself, an id that is a JavaScript object name), and
//! every fill a diagram declares must paint some element of the SVG (a style
//! Mermaid ignores fails), and no id may appear twice in an SVG.
//!
//! From what is drawn (computed styles in the page) the check also measures
//! each view's natural width (the root svg's viewBox width) and the WCAG
//! contrast of every text against what lies behind it, and of every cluster
//! stroke against what is around it, over a white and over GitHub's dark
//! page. The run prints a summary of both to stderr, past the capture
//! (`render check: …`). A contrast finding in an example view, in a colour
//! the diagram sets, fails the test ([`CONTRAST`]); so do more example
//! views wider than 1,200 px than the ratchet allows
//! ([`MAX_WIDE_EXAMPLE_VIEWS`]).
//!
//! The check needs Node.js >= 20 with npm, the pinned npm packages
//! (`tools/mermaid-check/install.sh` installs them) and Chromium. When one of
//! them is missing, or the install fails (offline), every test that checks
//! diagrams FAILS with an install hint — unless `C4C_SKIP_MERMAID=1` is set,
//! in which case the run prints a `SKIPPED: …` line to stderr (past the test
//! harness's capture) and does not check (with Node but no Chromium: it only
//! parses). `.ci/run` unsets it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{root, text};

/// The variable that skips the real-Mermaid check when it cannot run.
pub const SKIP_VAR: &str = "C4C_SKIP_MERMAID";

/// How the checker judges a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `mermaid.parse` under jsdom.
    Parse,
    /// `mermaid.render` in headless Chromium.
    Render,
}

/// A ready checker: Node, the installed packages, and how to check.
#[derive(Debug, Clone)]
pub struct Checker {
    node: OsString,
    tool: PathBuf,
    /// `C4C_MERMAID_DEPS` for check.mjs, when not installed next to it.
    deps: Option<PathBuf>,
    chromium: PathBuf,
    pub mode: Mode,
}

/// What the checker needs and where to find it.
pub struct Needs {
    pub node: OsString,
    pub chromium: PathBuf,
    /// Install into this folder instead of `tools/mermaid-check`.
    pub deps: Option<PathBuf>,
    /// Extra environment for the install (e.g. npm settings).
    pub install_env: Vec<(String, String)>,
}

impl Needs {
    /// What this machine offers: `node` on PATH, Chromium at `C4C_CHROMIUM`
    /// or `/usr/bin/chromium`, the packages next to the checker.
    pub fn from_env() -> Needs {
        Needs {
            node: "node".into(),
            chromium: std::env::var_os("C4C_CHROMIUM")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium")),
            deps: None,
            install_env: Vec::new(),
        }
    }
}

/// Why the checker cannot run, with what to do about it.
#[derive(Debug)]
pub struct Missing {
    pub why: String,
    /// Only rendering is impossible (no Chromium): parsing still works with this checker.
    pub parse_only: Option<Box<Checker>>,
}

/// Installs the checker's packages if needed and makes sure what it runs on
/// is there: the checker, or what is missing and how to install it.
pub fn prepare(needs: &Needs) -> Result<Checker, Missing> {
    let node_ok = Command::new(&needs.node)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return Err(Missing {
            why: format!(
                "Node.js is not installed (`{}` does not run): the real-Mermaid check cannot run.\n\
                 Install Node.js >= 20 with npm (Debian: `apt-get install -y nodejs npm`), then run \
                 `cargo test` again.",
                needs.node.to_string_lossy()
            ),
            parse_only: None,
        });
    }
    let tool = root().join("tools/mermaid-check");
    let mut install = Command::new("bash");
    install.arg(tool.join("install.sh"));
    if let Some(d) = &needs.deps {
        install.arg(d);
    }
    install.envs(needs.install_env.iter().map(|(k, v)| (k, v)));
    let out = install.output();
    let installed = out.as_ref().is_ok_and(|o| o.status.success());
    if !installed {
        let said = out
            .map(|o| format!("{}{}", text(&o.stdout), text(&o.stderr)))
            .unwrap_or_else(|e| format!("cannot run bash: {e}"));
        // npm's last lines say why.
        let lines: Vec<&str> = said.trim_end().lines().collect();
        let said = lines[lines.len().saturating_sub(8)..].join("\n");
        return Err(Missing {
            why: format!(
                "installing the pinned Mermaid checker failed (offline, or the npm registry \
                 unreachable?):\n{}\nRun `bash tools/mermaid-check/install.sh` once while online, \
                 then `cargo test` again.",
                said
            ),
            parse_only: None,
        });
    }
    let checker = Checker {
        node: needs.node.clone(),
        tool,
        deps: needs.deps.clone(),
        chromium: needs.chromium.clone(),
        mode: Mode::Render,
    };
    if !needs.chromium.is_file() {
        return Err(Missing {
            why: format!(
                "Chromium is not installed ({} is missing): the diagrams cannot be rendered.\n\
                 Install it (Debian: `apt-get install -y chromium`, or point C4C_CHROMIUM at a \
                 Chromium binary), then run `cargo test` again.",
                needs.chromium.display()
            ),
            parse_only: Some(Box::new(Checker {
                mode: Mode::Parse,
                ..checker
            })),
        });
    }
    Ok(checker)
}

/// What the tests do about the checker.
#[derive(Debug)]
pub enum Decision {
    /// Check with this checker.
    Check(Checker),
    /// Skipped on purpose: the `SKIPPED: …` line to show, and the checker
    /// for what can still be checked (parsing only), if any.
    Skip(String, Option<Box<Checker>>),
}

/// The policy when the checker cannot run: fail with the install hint,
/// unless the skip was asked for.
pub fn decide(r: Result<Checker, Missing>, skip: bool) -> Result<Decision, String> {
    match r {
        Ok(c) => Ok(Decision::Check(c)),
        Err(m) if skip => {
            let what = if m.parse_only.is_some() {
                "diagrams are only parsed, not rendered"
            } else {
                "the real-Mermaid check did not run"
            };
            let line = format!("SKIPPED: {what} ({SKIP_VAR} is set): {}", m.why);
            Ok(Decision::Skip(line, m.parse_only))
        }
        Err(m) => Err(format!(
            "{}\nTo skip this check deliberately, set {SKIP_VAR}=1.",
            m.why
        )),
    }
}

/// The checker for this test run (prepared once), or `None` when skipped
/// on purpose; panics with the install hint when it cannot run.
pub fn checker() -> Option<Checker> {
    static READY: std::sync::OnceLock<Result<Option<Checker>, String>> = std::sync::OnceLock::new();
    let skip = std::env::var_os(SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    let ready = READY.get_or_init(|| {
        decide(prepare(&Needs::from_env()), skip).map(|d| match d {
            Decision::Check(c) => Some(c),
            Decision::Skip(line, parse_only) => {
                // Straight to the process's stderr, past the test harness's
                // capture, so the skip is seen in every `cargo test` run.
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "\n{line}\n");
                parse_only.map(|c| *c)
            }
        })
    });
    match ready {
        Ok(c) => c.clone(),
        Err(msg) => panic!("\n{msg}\n"),
    }
}

/// Writes every diagram (and the Markdown index), and next to them the same
/// views in Mermaid's C4 dialect.
pub fn write_compilation(c: &c4c::Compilation, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let diagrams: Vec<&c4c::Diagram> = c.diagrams().collect();
    for d in &diagrams {
        std::fs::write(dir.join(format!("{}.mmd", d.key)), &d.text).unwrap();
    }
    std::fs::write(dir.join("index.md"), c4c::emit::markdown::index(&diagrams)).unwrap();
    let c4 = dir.join("c4-dialect");
    std::fs::create_dir_all(&c4).unwrap();
    for w in &c.compiled {
        for view in &w.views {
            if let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, view) {
                std::fs::write(c4.join(format!("{}.mmd", view.key)), text).unwrap();
            }
        }
    }
}

/// A model that puts every printable ASCII character (and some unicode) into
/// names, descriptions, technologies, relationship labels and group titles.
fn adversarial_model() -> String {
    let mut chars: Vec<String> = (0x20u8..0x7f).map(|b| (b as char).to_string()).collect();
    chars.extend(
        [
            "é", "日本", "🚀", "\u{200b}", "end", "graph", "%%", "#quot;", "-->", "```", "\"\"",
            "\\n", "<br/>",
        ]
        .map(String::from),
    );
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut m = String::from("model {\n  group \"\" { hub = system \"\" }\n");
    for (i, c) in chars.iter().enumerate() {
        let e = esc(c);
        m.push_str(&format!(
            "  group \"g {e}\" {{\n    s{i} = system \"{e}\" \"desc {e} {e}\" {{\n      c{i} = container \"{e}x{e}\" \"{e}\" \"{e}\"\n    }}\n  }}\n  s{i}.c{i} -> hub \"{e}\" \"{e}\"\n  hub ~> s{i} \"line1\\n{e}\"\n"
        ));
    }
    m.push_str("}\n");
    m
}

/// Checks every diagram in `dir` (`.mmd` files and fenced blocks in `.md`
/// files) and fails the test when one is rejected.
pub fn check_dir(checker: &Checker, dir: &Path) {
    let (ok, report) = run_checker(checker, dir);
    assert!(ok, "Mermaid rejected generated diagrams:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// A ratchet on width: the render check fails when more of the bundled
/// examples' views than this are wider than [`WIDE`] (15 of 86 when it was
/// set; docs/language.md, "How wide a diagram gets"). Lower it as views
/// get narrower; never raise it to make a change pass.
pub const MAX_WIDE_EXAMPLE_VIEWS: usize = 15;
/// What counts as wide in the width summary: GitHub shows a diagram about
/// 900 px wide and shrinks a wider one (text gets small past ~1,200 px).
pub const WIDE: u32 = 1200;
/// Which contrast findings (a text below 4.5:1, a cluster stroke below 3:1,
/// on a white or GitHub's dark page; see tools/mermaid-check/inspect.js)
/// fail the render check; the others are counted and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // one policy is in use at a time: [`CONTRAST`]
pub enum ContrastPolicy {
    /// None fail.
    Report,
    /// Those in the examples' views in colours the diagram sets (not a
    /// text in Mermaid's theme colour, which a site's dark theme changes).
    ExamplesOwnColours,
    /// Every one in the examples' views.
    Examples,
}
/// Every finding fails since class diagrams give multiplicities a background
/// (the last example text in a theme colour; `wrap::class_init`).
pub const CONTRAST: ContrastPolicy = ContrastPolicy::Examples;
/// How check.mjs marks a text in Mermaid's theme colour.
const THEME_COLOUR: &str = "(the theme's text colour)";

/// What the render check measured in its report: the natural width of each
/// distinct diagram, and its contrast findings (`width PX LABEL`,
/// `contrast LABEL: MESSAGE` lines of check.mjs), labels relative to `dir`.
#[derive(Debug, Default)]
pub struct Measured {
    pub widths: Vec<(u32, String)>,
    pub contrast: Vec<(String, String)>,
}

impl Measured {
    pub fn from_report(report: &str, dir: &Path) -> Measured {
        let prefix = format!("{}/", dir.display());
        let rel = |l: &str| l.strip_prefix(&prefix).unwrap_or(l).to_string();
        let mut m = Measured::default();
        for line in report.lines() {
            if let Some((px, label)) = line.strip_prefix("width ").and_then(|r| r.split_once(' '))
                && let Ok(px) = px.parse()
            {
                m.widths.push((px, rel(label)));
            } else if let Some((label, msg)) =
                (line.strip_prefix("contrast ")).and_then(|r| r.split_once(": "))
            {
                m.contrast.push((rel(label), msg.to_string()));
            }
        }
        m
    }

    /// The width and contrast summary of the diagrams whose label passes `keep`.
    pub fn summary(&self, what: &str, keep: impl Fn(&str) -> bool) -> String {
        let widths: Vec<&(u32, String)> = self.widths.iter().filter(|(_, l)| keep(l)).collect();
        let wide = widths.iter().filter(|(w, _)| *w > WIDE).count();
        let widest = widths
            .iter()
            .max_by_key(|(w, _)| *w)
            .map(|(w, l)| format!(", widest {w} px ({l})"))
            .unwrap_or_default();
        let low: Vec<&(String, String)> = self.contrast.iter().filter(|(l, _)| keep(l)).collect();
        let mut views: Vec<&str> = low.iter().map(|(l, _)| l.as_str()).collect();
        views.dedup();
        let themed = low
            .iter()
            .filter(|(_, m)| m.ends_with(THEME_COLOUR))
            .count();
        format!(
            "{what}: {wide} of {} views wider than {WIDE} px{widest}; {} contrast finding(s) \
             ({themed} in Mermaid's theme colour) in {} view(s)",
            widths.len(),
            low.len(),
            views.len()
        )
    }
}

/// The bundled examples' views in the flowchart dialect, as the render
/// check names them (`examples_<dir>/<key>.mmd`).
fn example_view(label: &str) -> bool {
    label.starts_with("examples_") && !label.contains("/c4-dialect/") && label.ends_with(".mmd")
}

/// Runs the checker over `dir`, in one Node process (and one Chromium):
/// (all passed, the checker's report with one `FAIL file: why` line per
/// rejected diagram).
pub fn run_checker(checker: &Checker, dir: &Path) -> (bool, String) {
    let mut cmd = Command::new(&checker.node);
    cmd.arg(checker.tool.join("check.mjs"));
    if checker.mode == Mode::Render {
        cmd.arg("--render").env("C4C_CHROMIUM", &checker.chromium);
    }
    if let Some(d) = &checker.deps {
        cmd.env("C4C_MERMAID_DEPS", d);
    }
    let started = std::time::Instant::now();
    let check = cmd.arg(dir).output().unwrap();
    let report = format!("{}{}", text(&check.stdout), text(&check.stderr));
    // The timing line, straight to stderr (past the harness's capture).
    if let Some(line) = report
        .lines()
        .find(|l| l.starts_with("mermaid-check: mermaid"))
    {
        use std::io::Write;
        let ms = started.elapsed().as_millis();
        let _ = writeln!(std::io::stderr(), "{line} ({ms} ms in all)");
    }
    (check.status.success(), report)
}

/// Runs `tools/mermaid-check/site-check.mjs` (a c4c site driven in headless
/// Chromium) with `args`; `None` when the check cannot run here (the skip
/// is printed, like the render check's), else (passed, stdout + stderr).
pub fn run_site_check(args: &[&std::ffi::OsStr]) -> Option<(bool, String)> {
    let checker = checker()?;
    if checker.mode != Mode::Render {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED: the site checks (c4c serve, build --format html) need Chromium; the Mermaid check runs in parse mode\n"
        );
        return None;
    }
    let mut cmd = Command::new(&checker.node);
    cmd.arg(checker.tool.join("site-check.mjs"))
        .args(args)
        .env("C4C_CHROMIUM", &checker.chromium);
    if let Some(d) = &checker.deps {
        cmd.env("C4C_MERMAID_DEPS", d);
    }
    let out = cmd.output().unwrap();
    Some((
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    ))
}

/// Checks every Mermaid block of a Markdown document (e.g. a diff report).
pub fn check_markdown(name: &str, markdown: &str) {
    let Some(checker) = checker() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("{name}.md")), markdown).unwrap();
    check_dir(&checker, dir.path());
}

#[test]
fn every_emitted_diagram_renders_with_real_mermaid() {
    let out = tempfile::tempdir().unwrap();
    let opts = c4c::LoadOptions::default();
    let mut inputs = Vec::new();
    for pattern_dir in ["tests/cases", "examples"] {
        for entry in std::fs::read_dir(root().join(pattern_dir)).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name == "errors" {
                continue;
            }
            if p.extension().is_some_and(|e| e == "c4") || p.is_dir() {
                inputs.push((format!("{pattern_dir}/{name}").replace('/', "_"), p));
            }
        }
    }
    // `c4c init`'s starter model, held to the examples' bar (contrast, width).
    inputs.push((
        "examples_init-starter".to_string(),
        root().join("src/cli/init/architecture.c4"),
    ));
    inputs.sort();
    assert!(inputs.len() >= 10);
    for (name, path) in &inputs {
        let c = c4c::compile(std::slice::from_ref(path), &opts).unwrap();
        assert_eq!(c.error_count(), 0, "{}", path.display());
        write_compilation(&c, &out.path().join(name));
    }
    let adversarial = c4c::compile_text("adversarial.c4", &adversarial_model());
    let rendered =
        c4c::diagnostic::render_all(&adversarial.diagnostics, &adversarial.sources, false);
    assert_eq!(adversarial.error_count(), 0, "{rendered}");
    write_compilation(&adversarial, &out.path().join("generated_adversarial"));
    // The same text in the opt-in `@{ shape: h-cyl, label: "…" }` form: one
    // view of every container.
    let hcyl_text = format!(
        "{}styles {{ element container {{ shape hcylinder }} }}\n\
         views {{\n  defaults off\n  custom \"hcyl\" {{ include kind:container }}\n}}\n",
        adversarial_model()
    );
    let hcyl = c4c::compile_text("adversarial-hcylinder.c4", &hcyl_text);
    assert_eq!(hcyl.error_count(), 0);
    let drawn: Vec<usize> = hcyl
        .diagrams()
        .map(|d| d.text.matches("@{ shape: h-cyl").count())
        .collect();
    assert!(
        drawn.len() == 1 && drawn[0] >= 100,
        "one view of every container, each an h-cyl: {drawn:?}"
    );
    write_compilation(&hcyl, &out.path().join("generated_adversarial_hcylinder"));

    let Some(checker) = checker() else { return };
    let (ok, report) = run_checker(&checker, out.path());
    assert!(ok, "Mermaid rejected generated diagrams:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    let measured = Measured::from_report(&report, out.path());
    // The summary, straight to stderr (past the harness's capture), like the
    // SKIPPED line: every run shows how wide the examples are and how their
    // texts read.
    {
        use std::io::Write;
        let listed: String = (measured.contrast.iter())
            .filter(|(l, _)| example_view(l))
            .take(8)
            .map(|(l, m)| format!("render check:   {l}: {m}\n"))
            .collect();
        let _ = writeln!(
            std::io::stderr(),
            "\nrender check: {}\n{listed}render check: {}\n",
            measured.summary("examples (flowchart)", example_view),
            measured.summary("all diagrams rendered", |_| true)
        );
    }
    let wide: Vec<String> = (measured.widths.iter())
        .filter(|(w, l)| *w > WIDE && example_view(l))
        .map(|(w, l)| format!("{l}: {w} px"))
        .collect();
    assert!(
        wide.len() <= MAX_WIDE_EXAMPLE_VIEWS,
        "{} example views wider than {WIDE} px, more than the {MAX_WIDE_EXAMPLE_VIEWS} allowed:\n{}",
        wide.len(),
        wide.join("\n")
    );
    let failing = |msg: &str| match CONTRAST {
        ContrastPolicy::Report => false,
        ContrastPolicy::ExamplesOwnColours => !msg.ends_with(THEME_COLOUR),
        ContrastPolicy::Examples => true,
    };
    let low: Vec<String> = (measured.contrast.iter())
        .filter(|(l, m)| example_view(l) && failing(m))
        .map(|(l, m)| format!("{l}: {m}"))
        .collect();
    assert!(
        low.is_empty(),
        "contrast below WCAG AA ({CONTRAST:?}):\n{}",
        low.join("\n")
    );
}

#[test]
fn the_render_check_measures_ids_contrast_and_width() {
    let Some(checker) = checker() else { return };
    if checker.mode != Mode::Render {
        return; // skipped on purpose: only parsing is possible here
    }
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    // A subgraph whose id is the one Mermaid gives node `x`: two elements
    // with the same id in one SVG.
    write(
        "dup.mmd",
        "flowchart LR\n  x[\"x\"]\n  subgraph flowchart-x-0[\"S\"]\n    y[\"y\"]\n  end\n",
    );
    // White on #438DD5 (3.5:1), a title #444 on the page (fine on white,
    // 1.9:1 on the dark page), and a light cluster stroke.
    write(
        "low.mmd",
        "flowchart LR\n  subgraph g[\"Title\"]\n    a[\"white on blue\"]\n  end\n  \
         classDef blue fill:#438DD5,color:#fff\n  classDef t fill:none,color:#444444,stroke:#eeeeee\n  \
         class a blue\n  class g t\n",
    );
    // A chain of twenty boxes left to right: readable, but wide.
    let wide: String = (0..20)
        .map(|i| format!("  n{i}[\"box {i}\"] --> n{}\n", i + 1))
        .collect();
    write("wide.mmd", &format!("flowchart LR\n{wide}"));
    let (ok, report) = run_checker(&checker, dir.path());
    assert!(!ok, "{report}");
    assert!(
        report.contains("FAIL ") && report.contains("dup.mmd: duplicate id(s) in the SVG: c4c"),
        "{report}"
    );
    let m = Measured::from_report(&report, dir.path());
    let low: Vec<&str> = (m.contrast.iter())
        .filter(|(l, _)| l == "low.mmd")
        .map(|(_, msg)| msg.as_str())
        .collect();
    let has = |what: &str| low.iter().any(|msg| msg.contains(what));
    assert!(
        has("white page: node label") && has("#ffffff on #438dd5"),
        "{low:?}"
    );
    assert!(
        has("dark page #0d1117: cluster title") && has("#444444 on #0d1117"),
        "{low:?}"
    );
    assert!(
        !has("white page: cluster title"),
        "#444 reads on white: {low:?}"
    );
    assert!(
        has("3:1 on the white page: cluster stroke (g) #eeeeee"),
        "{low:?}"
    );
    assert!(m.contrast.iter().all(|(l, _)| l != "wide.mmd"), "{report}");
    let width = |name: &str| m.widths.iter().find(|(_, l)| l == name).map(|(w, _)| *w);
    assert!(width("wide.mmd").is_some_and(|w| w > WIDE), "{report}");
    assert!(width("low.mmd").is_some_and(|w| w < 600), "{report}");
    assert!(
        m.summary("all", |_| true)
            .starts_with("all: 1 of 3 views wider than 1200 px, widest "),
        "{}",
        m.summary("all", |_| true)
    );
}
