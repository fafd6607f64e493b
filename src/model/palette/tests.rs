//! Every default colour c4c emits, held to WCAG AA in light and dark mode.

use super::*;
use crate::model::kind::BaseKind;
use crate::model::style::Style;
use crate::model::theme::ViewPart;

const WHITE: &str = "#FFFFFF";
const TEXT: f64 = 4.5;
const STROKE: f64 = 3.0;

const BASES: [BaseKind; 5] = [
    BaseKind::Person,
    BaseKind::System,
    BaseKind::Container,
    BaseKind::Component,
    BaseKind::Annotation,
];

fn ratio(a: &str, b: &str) -> f64 {
    contrast(a, b).unwrap_or_else(|| panic!("not a hex colour: {a} or {b}"))
}

/// (what, fill, stroke, text) of every box c4c colours by default.
fn boxes() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for base in BASES {
        for external in [false, true] {
            let s = Style::c4_default(base, external);
            let mut s2 = Style::c4_default(base, false);
            s2.merge(&s);
            out.push((
                format!("{base:?} external={external}"),
                s2.fill.unwrap_or_default(),
                s2.stroke.unwrap_or_default(),
                s2.color.unwrap_or_default(),
            ));
        }
    }
    for name in ViewPart::names(false) {
        if let Some((f, s, t)) = ViewPart::named(name, false).and_then(ViewPart::colours) {
            out.push((format!("element {name}"), f.into(), s.into(), t.into()));
        }
    }
    for (what, c) in [
        ("boundary", BOUNDARY),
        ("group", GROUP),
        ("diff added", ADDED),
        ("diff changed", CHANGED),
        ("diff removed", REMOVED),
    ] {
        out.push((what.into(), c.fill.into(), c.stroke.into(), c.text.into()));
    }
    out.extend(stdlib_styles());
    out
}

/// The `fill`/`stroke`/`color` of each `{ … }` block of the stdlib that sets
/// a fill (a theme rule or a kind's declaration).
fn stdlib_styles() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for (file, text) in [
        (
            "std/theme/accessible",
            include_str!("../../../stdlib/theme/accessible.c4"),
        ),
        ("std/kinds", include_str!("../../../stdlib/kinds.c4")),
        (
            "std/kinds/annotation",
            include_str!("../../../stdlib/kinds/annotation.c4"),
        ),
    ] {
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for block in code.split('{').skip(1) {
            let body = block.split('}').next().unwrap_or("");
            let words: Vec<&str> = body
                .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                .filter(|w| !w.is_empty())
                .collect();
            let value = |key: &str| {
                words
                    .windows(2)
                    .find(|w| w[0] == key)
                    .map(|w| w[1].to_string())
            };
            if let Some(fill) = value("fill") {
                let text = value("color")
                    .unwrap_or_else(|| panic!("{file}: a fill without a text colour: {body}"));
                out.push((
                    format!("{file}: {}", body.trim()),
                    fill,
                    value("stroke").unwrap_or_default(),
                    text,
                ));
            }
        }
    }
    assert!(out.len() > 10, "the stdlib's styles were found");
    out
}

#[test]
fn the_contrast_ratio_is_wcags() {
    assert!((ratio("#000", "#fff") - 21.0).abs() < 1e-9);
    assert!((ratio("#fff", "#ffffff") - 1.0).abs() < 1e-9);
    // White on the old C4 container blue: 3.5:1.
    assert!((ratio("#fff", "#438DD5") - 3.49).abs() < 0.01);
    assert_eq!(rgb("#0d1117ff"), Some([13, 17, 23]));
    assert_eq!(rgb("grey"), None);
    assert_eq!(rgb("#12"), None);
}

#[test]
fn every_default_text_is_readable_on_its_fill() {
    let failures: Vec<String> = boxes()
        .into_iter()
        .filter(|(_, fill, _, _)| fill != "none")
        .filter_map(|(what, fill, _, text)| {
            let r = ratio(&text, &fill);
            (r < TEXT).then(|| format!("{what}: {text} on {fill} is {r:.2}:1"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "below {TEXT}:1:\n{}",
        failures.join("\n")
    );
}

/// Every built-in kind colour is the text colour [`text_on`] would pick, so
/// a rule that sets only a fill gets what the built-in palette would.
#[test]
fn the_kinds_text_is_the_best_of_black_and_white() {
    for base in BASES {
        for external in [false, true] {
            let s = Style::c4_default(base, external);
            let (Some(fill), Some(text)) = (s.fill, s.color) else {
                panic!("{base:?}: no colours");
            };
            assert_eq!(text_on(&fill), Some(text.as_str()), "{base:?} {external}");
        }
    }
}

/// Frames (boundaries, groups, deployment nodes) sit on the page: their
/// titles sit on their own fill, their borders must show on a white page and
/// on GitHub's dark one.
#[test]
fn frames_read_on_a_white_and_on_a_dark_page() {
    let node = ViewPart::Node
        .colours()
        .map(|(fill, stroke, text)| Colours { fill, stroke, text });
    let mut failures = Vec::new();
    for (what, c) in [
        ("boundary", Some(BOUNDARY)),
        ("group", Some(GROUP)),
        ("node", node),
    ] {
        let Some(c) = c else {
            failures.push(format!("{what}: no colours"));
            continue;
        };
        if c.fill == "none" {
            failures.push(format!("{what}: no fill, so its title sits on the page"));
        } else if ratio(c.text, c.fill) < TEXT {
            failures.push(format!("{what}: title {} on {}", c.text, c.fill));
        }
        for page in [WHITE, DARK_PAGE] {
            let r = ratio(c.stroke, page);
            if r < STROKE {
                failures.push(format!("{what}: border {} on {page} is {r:.2}:1", c.stroke));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An edge runs over the page and over frames.
#[test]
fn edges_show_on_both_pages_and_on_every_frame() {
    let node = ViewPart::Node.colours().map_or("none", |c| c.0);
    for ground in [WHITE, DARK_PAGE, BOUNDARY.fill, GROUP.fill, node] {
        let r = ratio(EDGE, ground);
        assert!(r >= STROKE, "{EDGE} on {ground} is {r:.2}:1");
    }
}

/// A sequence diagram's messages stand on their panel: their text reads,
/// their lines show.
#[test]
fn sequence_messages_read_on_their_panel() {
    let (text, line) = (
        ratio(SEQUENCE.text, SEQUENCE.fill),
        ratio(SEQUENCE.stroke, SEQUENCE.fill),
    );
    assert!(text >= TEXT, "message text {text:.2}:1");
    assert!(line >= STROKE, "message line {line:.2}:1");
}

/// A diff's edges are drawn in its marks' strokes, on the page.
#[test]
fn diff_edges_show_on_a_white_and_on_a_dark_page() {
    for c in [ADDED, CHANGED, REMOVED] {
        for page in [WHITE, DARK_PAGE] {
            let r = ratio(c.stroke, page);
            assert!(r >= STROKE, "{} on {page} is {r:.2}:1", c.stroke);
        }
    }
}

/// How far apart two colours are (Euclidean, in sRGB).
fn distance(a: &str, b: &str) -> f64 {
    let (Some(a), Some(b)) = (rgb(a), rgb(b)) else {
        return f64::INFINITY;
    };
    a.iter()
        .zip(b)
        .map(|(x, y)| (f64::from(*x) - f64::from(y)).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// A diff's marks must not be mistaken for a theme's colour.
#[test]
fn diff_colours_differ_from_every_theme_colour() {
    let marks = [
        ("added", ADDED.fill),
        ("changed", CHANGED.fill),
        ("removed", REMOVED.stroke),
    ];
    let mut failures = Vec::new();
    for (what, fill, stroke, _) in boxes().into_iter().filter(|b| !b.0.starts_with("diff")) {
        for (mark, colour) in marks {
            for c in [&fill, &stroke] {
                let d = distance(colour, c);
                if d < 64.0 {
                    failures.push(format!("{mark} {colour} ~ {what} {c} ({d:.0})"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// docs/language.md lists the kinds' default colours: it says what
/// `Style::c4_default` does.
#[test]
fn the_docs_list_the_kinds_colours() {
    let doc = include_str!("../../../docs/language.md");
    let at = doc
        .find("| Kind | Internal: fill, border, text |")
        .expect("the docs' table of default colours");
    let doc = &doc[at..];
    for base in BASES {
        let row = format!("| `{}` |", base.keyword());
        let line = doc
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("no row {row}"));
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        for (external, cell) in [(false, cells[2]), (true, cells[3])] {
            let mut s = Style::c4_default(base, false);
            s.merge(&Style::c4_default(base, external));
            let want = format!(
                "{} {} {}",
                s.fill.unwrap_or_default(),
                s.stroke.unwrap_or_default(),
                s.color.unwrap_or_default()
            );
            assert_eq!(cell, want, "{base:?} external={external}");
        }
    }
}
