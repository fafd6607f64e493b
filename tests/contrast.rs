//! Every style c4c emits for the bundled examples and the valid cases, in
//! the flowchart and the C4 dialect, is read back from the Mermaid text and
//! held to WCAG AA: text at least 4.5:1 on its fill, and a text on no fill
//! at least 4.5:1 on a white page and on GitHub's dark one; the C4
//! dialect's frames and `Rel` lines at 3:1 on both pages, its `Rel` labels
//! at 4.5:1 on white and 4:1 on the dark page.

use std::path::PathBuf;

use c4c::model::palette::{DARK_PAGE, contrast};

use crate::support::root;

/// The models: every example, every valid case.
fn models() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["examples", "tests/cases"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let model = if path.is_dir() && dir == "examples" {
                path
            } else if path.is_dir() && path.join("main.c4").is_file() {
                path.join("main.c4")
            } else if path.extension().is_some_and(|e| e == "c4") {
                path
            } else {
                continue;
            };
            out.push(model.strip_prefix(root()).unwrap().to_path_buf());
        }
    }
    out
}

/// (fill, text) of a `classDef`/`style` line or an `UpdateElementStyle`.
fn style_of(line: &str) -> Option<(String, String)> {
    let line = line.trim().replace("#35;", "#");
    let get = |key: &str| -> Option<String> {
        if let Some(rest) = line.strip_prefix("UpdateElementStyle(") {
            let at = rest.find(&format!("${key}=\""))? + key.len() + 3;
            return rest[at..].split('"').next().map(str::to_string);
        }
        let css = line.split_whitespace().nth(2)?;
        css.split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{key}:")))
            .map(str::to_string)
    };
    if line.starts_with("UpdateElementStyle(") {
        return Some((get("bgColor")?, get("fontColor")?));
    }
    if !(line.starts_with("classDef ") || line.starts_with("style ")) {
        return None;
    }
    Some((get("fill").unwrap_or_else(|| "none".into()), get("color")?))
}

/// Every model of [`models`] that compiles without errors.
fn compiled_models() -> impl Iterator<Item = (PathBuf, c4c::Compilation)> {
    models().into_iter().filter_map(|model| {
        let c = c4c::compile(std::slice::from_ref(&model), &c4c::LoadOptions::default()).unwrap();
        (c.error_count() == 0).then_some((model, c))
    })
}

#[test]
fn every_emitted_text_is_readable_in_light_and_dark_mode() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (model, c) in compiled_models() {
        let mut texts: Vec<String> = c.diagrams().map(|d| d.text.clone()).collect();
        for w in &c.compiled {
            for view in &w.views {
                texts.extend(c4c::emit::mermaid::c4dialect::render(&w.model, view));
            }
        }
        for line in texts.iter().flat_map(|t| t.lines()) {
            let Some((fill, text)) = style_of(line) else {
                continue;
            };
            let grounds: Vec<&str> = if fill == "none" || fill == "transparent" {
                vec!["#FFFFFF", DARK_PAGE]
            } else {
                vec![fill.as_str()]
            };
            for ground in grounds {
                // Colour names are the user's: only hex literals are measured.
                let Some(r) = contrast(&text, ground) else {
                    continue;
                };
                checked += 1;
                if r < 4.5 {
                    failures.push(format!(
                        "{}: {r:.2}:1 in `{}`",
                        model.display(),
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} styles measured");
    assert!(
        failures.is_empty(),
        "text below 4.5:1:\n{}",
        failures.join("\n")
    );
}

#[test]
fn styles_are_read_back() {
    assert_eq!(
        style_of("  classDef x fill:#fff,stroke:#000,color:#111"),
        Some(("#fff".into(), "#111".into()))
    );
    assert_eq!(
        style_of("  classDef g stroke:#888,color:#444"),
        Some(("none".into(), "#444".into()))
    );
    assert_eq!(
        style_of(
            r##"  UpdateElementStyle(a, $bgColor="#35;438DD5", $fontColor="#35;000", $borderColor="#35;2E6295")"##
        ),
        Some(("#438DD5".into(), "#000".into()))
    );
    assert_eq!(style_of("  class a,b x"), None);
}

/// The value of `$key="…"` in a C4 dialect style line.
fn c4_value(line: &str, key: &str) -> Option<String> {
    let at = line.find(&format!("${key}=\""))? + key.len() + 3;
    line[at..].split('"').next().map(|v| v.replace("#35;", "#"))
}

/// Mermaid's C4 dialect draws boundaries and `Rel`s on no fill (a
/// boundary's fill would be painted over what it holds), so its frame and
/// line colours must show at 3:1 on a white page and on GitHub's dark one.
/// A `Rel` label is text on no fill: no grey reads at 4.5:1 on both pages
/// (the best reaches 4.35:1), so it is held to 4.5:1 on white and 4:1 on
/// the dark page (Mermaid's own `#444444` reads at 1.9:1 there).
#[test]
fn c4_dialect_frames_and_relationships_show_in_light_and_dark_mode() {
    let mut failures = Vec::new();
    let (mut frames, mut rels) = (0, 0);
    for (model, c) in compiled_models() {
        for w in &c.compiled {
            for view in &w.views {
                let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, view) else {
                    continue;
                };
                for line in text.lines().map(str::trim) {
                    let mut need = Vec::new();
                    if line.starts_with("UpdateElementStyle(") && !line.contains("$bgColor") {
                        // A boundary's or group's frame.
                        if let Some(b) = c4_value(line, "borderColor") {
                            frames += 1;
                            need.push((b.clone(), "#FFFFFF", 3.0));
                            need.push((b, DARK_PAGE, 3.0));
                        }
                    }
                    if line.starts_with("UpdateRelStyle(") {
                        rels += 1;
                        let l = c4_value(line, "lineColor").unwrap_or_default();
                        let t = c4_value(line, "textColor").unwrap_or_default();
                        need.push((l.clone(), "#FFFFFF", 3.0));
                        need.push((l, DARK_PAGE, 3.0));
                        need.push((t.clone(), "#FFFFFF", 4.5));
                        need.push((t, DARK_PAGE, 4.0));
                    }
                    for (colour, ground, min) in need {
                        if colour == "transparent" {
                            continue;
                        }
                        match contrast(&colour, ground) {
                            Some(r) if r >= min => {}
                            r => failures.push(format!(
                                "{}: {r:?} < {min} on {ground} in `{line}`",
                                model.display()
                            )),
                        }
                    }
                }
            }
        }
    }
    assert!(
        frames > 50 && rels > 200,
        "only {frames} frames, {rels} rels"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
