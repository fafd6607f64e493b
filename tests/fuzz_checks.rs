//! What the fuzz targets check, one function per target: each takes the raw
//! input and panics when a property fails. The fuzz targets (`fuzz/`) call
//! these, and `tests/regressions.rs` runs them on every input the fuzzers
//! once failed on (`tests/regressions/TARGET/`), so a fixed bug stays fixed.

use c4c::diagnostic::render_all;
use c4c::source::SourceMap;

/// The parser alone: any text gives a syntax tree and diagnostics whose spans
/// lie inside the text, and rendering them works.
pub fn parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let id = sources.add("fuzz.c4", None, text.to_string());
    let (_file, diags) = c4c::syntax::parse(id, text);
    for d in &diags {
        for l in &d.labels {
            assert!(l.span.start <= l.span.end, "{}: inverted span", d.code);
            assert!(
                l.span.end as usize <= text.len(),
                "{}: span past the end",
                d.code
            );
        }
    }
    let _ = render_all(&diags, &sources, false);
}

fn non_whitespace(s: &str) -> String {
    // The grammar reads U+FEFF (a byte-order mark) as a blank anywhere.
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect()
}

fn diagrams(c: &c4c::Compilation) -> Vec<(String, String)> {
    c.diagrams()
        .map(|d| (d.key.clone(), d.text.clone()))
        .collect()
}

/// The formatter: idempotent on any text; on text that compiles without
/// errors it keeps the content and every diagram.
pub fn fmt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = c4c::format::format_source(text);
    let twice = c4c::format::format_source(&once);
    assert_eq!(once, twice, "formatting is not idempotent");
    let before = c4c::compile_text("fuzz.c4", text);
    if before.error_count() > 0 {
        return; // `c4c fmt` leaves files with errors alone
    }
    assert_eq!(
        non_whitespace(text),
        non_whitespace(&once),
        "fmt changed content"
    );
    let after = c4c::compile_text("fuzz.c4", &once);
    assert_eq!(after.error_count(), 0, "fmt broke a model that compiled");
    assert_eq!(diagrams(&before), diagrams(&after), "fmt changed a diagram");
}

/// The whole pipeline: parse → resolve → validate → every view → Mermaid (in
/// both dialects), diagnostics as text and JSON, the Markdown index and the
/// JSON export.
/// Spans lie inside their files, view keys are safe file names, no NUL
/// reaches a diagram, and a second run gives the same diagrams.
pub fn pipeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = c4c::compile_text("fuzz.c4", text);
    for d in &c.diagnostics {
        for l in &d.labels {
            let len = c.sources.get(l.span.file).map_or(0, |f| f.text.len());
            assert!(
                l.span.start <= l.span.end && l.span.end as usize <= len,
                "{}: bad span",
                d.code
            );
        }
        let _ = d.to_json(&c.sources);
    }
    let _ = render_all(&c.diagnostics, &c.sources, true);
    for d in c.diagrams() {
        assert!(!d.text.contains('\0'), "{}: NUL in a diagram", d.key);
        assert!(
            c4c::model::resolve::check_view_key(&d.key).is_ok()
                && c4c::output::is_plain_file_name(&format!("{}.mmd", d.key)),
            "unsafe view key {:?}",
            d.key
        );
    }
    for w in &c.compiled {
        for view in &w.views {
            if let Some(text) = c4c::emit::mermaid::c4dialect::render(&w.model, view) {
                assert!(
                    !text.contains('\0'),
                    "{}: NUL in a C4-dialect diagram",
                    view.key
                );
            }
        }
    }
    let all: Vec<&c4c::Diagram> = c.diagrams().collect();
    let _ = c4c::emit::markdown::index(&all);
    let _ = c.json();
    let again = c4c::compile_text("fuzz.c4", text);
    assert_eq!(diagrams(&c), diagrams(&again), "two runs differ");
}

/// `c4c diff`: the input split at the first NUL byte into an old and a new
/// model. Every report format renders, and a model diffed with itself is empty.
pub fn diff(data: &[u8]) {
    use c4c::diff::{diff, report};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    let old = c4c::compile_text("old.c4", old);
    let new = c4c::compile_text("new.c4", new);
    let d = diff(&old.compiled, &new.compiled);
    let _ = report::text(&d, true);
    let _ = report::json(&d);
    let _ = report::markdown(&d, &old.compiled, &new.compiled, Some(60_000));
    let same = diff(&new.compiled, &new.compiled);
    assert!(
        same.is_empty(),
        "a model diffed with itself is not empty: {}",
        report::text(&same, false)
    );
}

/// `build --inject`: the input is Markdown with `<!-- c4c:view KEY -->`
/// markers; the views come from a fixed model whose titles hold markers of
/// their own. Injection either reports errors or gives a document that a
/// second injection leaves unchanged.
pub fn inject(data: &[u8]) {
    use std::sync::OnceLock;
    static MODEL: OnceLock<c4c::Compilation> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = MODEL.get_or_init(|| {
        c4c::compile_text(
            "inject.c4",
            "model {\n  u = person \"<!-- /c4c:view -->\"\n  s = system \"S <!-- c4c:view s -->\" { c = container \"```\" }\n  u -> s \"Uses\"\n}\nviews {\n  landscape \"l\" \"<!-- /c4c:view --> ``` %%{init: {}}%%\"\n  container s \"s\"\n}\n",
        )
    });
    let diagrams: Vec<&c4c::Diagram> = c.diagrams().collect();
    if let Ok(once) = c4c::emit::markdown::inject(text, &diagrams) {
        let twice = c4c::emit::markdown::inject(&once, &diagrams);
        assert_eq!(Ok(once), twice, "injecting twice changed the document");
    }
}
