//! Output that cannot be turned against its reader: model text (strings,
//! identifiers, file names, source lines) reaching a terminal, a CI log, a
//! JSON stream or a pull-request comment stays where c4c puts it.
//!
//! Terminal and CI: every hidden character (controls, bidi overrides,
//! zero-width characters, line separators) is shown as its escape, a bare CR
//! never starts a line, long tokens are cut. Markdown: the PR comment and
//! `index.md` are parsed with a real CommonMark parser (pulldown-cmark) and
//! must hold no heading, image, link, HTML or block that came from the model.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::support::{c4c, text};

/// Characters a reader cannot see or a terminal acts on (the test's own
/// list, so it runs against any version of c4c).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// `text` without ANSI colour sequences (`ESC [ … m`), which c4c writes itself.
fn without_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(j) if after[j..].starts_with('m') => rest = &after[j + 1..],
            _ => {
                out.push_str(&rest[i..i + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Asserts that terminal text holds no hidden character but the `\n` ending
/// its lines.
#[track_caller]
fn assert_visible(what: &str, out: &str) {
    let bad: Vec<String> = out
        .chars()
        .filter(|c| hidden(*c) && *c != '\n')
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: hidden characters {bad:?} reach the terminal in\n{}",
        out.escape_debug()
    );
}

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

fn run(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let o = c4c(args, dir);
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

/// One line of every hidden character the issue names, each between letters.
/// (A bare CR, which ends a comment, has a test of its own.)
const HOSTILE_LINE: &str = "ESC\u{1b}[2J\u{1b}]0;title\u{7}BEL\u{7}NUL\0FF\u{c}VT\u{b} RLO\u{202e}LRI\u{2066}ZW\u{200b}\u{200d}\u{feff}LS\u{2028}NEL\u{85}";

#[test]
fn control_characters_in_a_source_line_are_shown_escaped_under_a_diagnostic() {
    let t = tempfile::tempdir().unwrap();
    // The hidden characters sit in a comment on the line of an unknown element.
    let src = format!("model {{\n  a = system \"A\"\n  a -> nowhere // {HOSTILE_LINE}\n}}\n");
    write(t.path(), "m.c4", &src);
    for colour in ["never", "always"] {
        let (code, _, err) = run(&["check", "m.c4", "--color", colour], t.path());
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("E021"), "{err}");
        let err = without_colour(&err);
        assert_visible(colour, &err);
        for escape in [
            "\\u{1b}[2J",
            "\\u{7}",
            "\\0",
            "\\u{c}",
            "\\u{b}",
            "\\u{202e}",
            "\\u{2066}",
            "\\u{200b}\\u{200d}\\u{feff}",
            "\\u{2028}",
            "\\u{85}",
        ] {
            assert!(err.contains(escape), "{escape} missing in\n{err}");
        }
        // The header still gives the real column of `nowhere`.
        assert!(err.contains("m.c4:3:8"), "{err}");
    }
}

/// A line a GitHub Actions runner (or any log reader) would take as a
/// workflow command: `::warning …`, `::add-mask::…`, after any split on CR,
/// LF or another line break.
fn workflow_command_lines(out: &str) -> Vec<String> {
    out.split([
        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
    ])
    .filter(|l| l.trim_start().starts_with("::"))
    .map(str::to_string)
    .collect()
}

#[test]
fn a_bare_cr_in_a_model_never_starts_a_line_a_ci_runner_reads() {
    let t = tempfile::tempdir().unwrap();
    // A raw CR in the source line, and one (written `\r`) inside a view key
    // that the message quotes.
    write(
        t.path(),
        "raw.c4",
        "model {\n  a = system \"A\"\n  a -> b //\r::add-mask::secret\r::warning file=x::pwned\n}\n",
    );
    write(
        t.path(),
        "key.c4",
        "model {\n  a = system \"A\"\n}\nviews {\n  defaults off\n  landscape \"k\\r::warning file=x::pwned\\r\\n::error::e\"\n}\n",
    );
    for file in ["raw.c4", "key.c4"] {
        let (code, _, err) = run(&["check", file], t.path());
        assert_eq!(code, Some(1), "{err}");
        assert!(
            !err.contains('\r'),
            "{file}: a CR reaches the log:\n{}",
            err.escape_debug()
        );
        assert_eq!(workflow_command_lines(&err), Vec::<String>::new(), "{file}");
        assert!(
            err.contains("\\r::"),
            "{file}: the CR is shown escaped:\n{err}"
        );
    }
}

#[test]
fn a_zero_width_character_gets_a_visible_caret() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "m.c4",
        "model {\n  a = system \"A\"\n  \u{200b}b -> a\n}\n",
    );
    let (code, _, err) = run(&["check", "m.c4"], t.path());
    assert_eq!(code, Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("\\u{200b}b -> a"))
        .unwrap_or_else(|| panic!("the source line shows the escape:\n{err}"));
    let column = lines[source].find("\\u{200b}").unwrap();
    let carets = lines[source + 1];
    assert_eq!(
        carets.get(column..column + 8),
        Some("^^^^^^^^"),
        "the caret sits under the whole escape:\n{err}"
    );
    assert!(err.contains("m.c4:3:3"), "{err}");
}

#[test]
fn a_long_token_is_cut_in_every_message() {
    let t = tempfile::tempdir().unwrap();
    // A 400 KB dotted reference, with hidden characters after it on its line.
    let reference = vec!["x"; 200_000].join(".");
    let src =
        format!("model {{\n  a = system \"A\"\n  a -> {reference} // \u{1b}[2J\u{202e}\n}}\n");
    write(t.path(), "m.c4", &src);
    let (code, _, err) = run(&["check", "m.c4"], t.path());
    assert_eq!(code, Some(1), "{err}");
    assert_visible("a long line", &err);
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        longest < 300,
        "a line of {longest} characters; first 300: {}",
        err.chars().take(300).collect::<String>()
    );
    assert!(err.contains("E021"), "{}", &err[..err.len().min(2_000)]);
    assert!(err.contains("m.c4:3:8"), "the real column is kept:\n{err}");
    assert!(err.contains('…'), "the cut is marked:\n{err}");
}

#[test]
fn json_diagnostics_keep_the_exact_text_and_carry_no_raw_hidden_character() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "m.c4",
        "model {\n  a = system \"A\"\n}\nviews {\n  defaults off\n  landscape \"k\\u{1b}[31m\\u{9b}2J\\u{202e}\\r\\n\\u{2028}x\"\n}\n",
    );
    let (code, out, err) = run(&["check", "m.c4", "--format", "json"], t.path());
    assert_eq!(code, Some(1), "{out}{err}");
    assert_visible("check --format json", &out);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("k\u{1b}[31m\u{9b}2J\u{202e}\r\n\u{2028}x"),
        "JSON keeps the exact key: {message:?}"
    );
}

#[test]
fn file_names_are_shown_as_one_visible_line() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("arch");
    std::fs::create_dir(&dir).unwrap();
    let name = "evil\u{1b}[2J\r::warning::named\u{202e}.c4";
    // An error to report, and a layout `fmt --check` wants to change.
    write(
        &dir,
        name,
        "model {\n  a = system \"A\"\n      a -> nowhere\n}\n",
    );
    let (code, _, err) = run(&["check", "arch"], t.path());
    assert_eq!(code, Some(1), "{err}");
    assert_visible("check", &err);
    assert!(
        err.contains("evil\\u{1b}[2J\\r::warning::named\\u{202e}.c4"),
        "{err}"
    );
    let (code, out, err) = run(&["fmt", "--check", "arch"], t.path());
    assert_eq!(code, Some(1), "{out}{err}");
    assert_visible("fmt --check", &format!("{out}{err}"));
    assert_eq!(workflow_command_lines(&out), Vec::<String>::new());
}

#[test]
fn fmt_check_shows_the_files_hidden_characters_escaped() {
    let t = tempfile::tempdir().unwrap();
    // A bare CR, an ESC and a bidi override in a line fmt re-indents.
    write(
        t.path(),
        "m.c4",
        "model {\n      a = system \"\"\"A\r::warning::x \u{1b}[2J \u{202e}\"\"\"\n}\n",
    );
    let (code, out, err) = run(&["fmt", "--check", "m.c4"], t.path());
    assert_eq!(code, Some(1), "{out}{err}");
    assert_visible("fmt --check", &out);
    assert_eq!(workflow_command_lines(&out), Vec::<String>::new());
    for line in [
        "-      a = system \"\"\"A\\r::warning::x \\u{1b}[2J \\u{202e}\"\"\"",
        "+  a = system \"\"\"A\\r::warning::x \\u{1b}[2J \\u{202e}\"\"\"",
    ] {
        assert!(out.lines().any(|l| l == line), "{line} missing in\n{out}");
    }
}

#[test]
fn view_titles_are_listed_as_one_visible_line() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "m.c4",
        "model {\n  a = system \"A\"\n}\nviews {\n  defaults off\n  landscape \"k\" \"T\\r::warning::x\\u{1b}[2J\\n+ forged\\u{202e}\\u{2028}\"\n}\n",
    );
    let (code, out, err) = run(&["views", "m.c4"], t.path());
    assert_eq!(code, Some(0), "{err}");
    assert_visible("views", &out);
    assert_eq!(out.lines().count(), 1, "one view, one line:\n{out}");
    let (code, out, err) = run(&["views", "m.c4", "--format", "json"], t.path());
    assert_eq!(code, Some(0), "{err}");
    assert_visible("views --format json", &out);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json[0]["title"],
        "T\r::warning::x\u{1b}[2J\n+ forged\u{202e}\u{2028}"
    );
}

/// A string (in `.c4` escapes) that tries every way out of its place in
/// Markdown: a fence, a heading, a mention, an image, HTML, a comment, a
/// link, autolinks, an entity for a bidi override, a table, math.
const MD_ESCAPE: &str = "\\n```\\n# Heading\\n@octocat ![x](https://evil.example/t.png) <img src=x>\\n~~~\\n<!-- c --> [l](https://evil.example) www.evil.example <https://evil.example> a@evil.example &#8238; | a | b | $x$";

fn diff_pair(dir: &Path, changes: usize) {
    let old = "model {\n  a = system \"A\" \"plain\"\n  b = system \"B\"\n  a -> b \"uses\"\n}\nviews { defaults off landscape }\n";
    let mut new = format!(
        "model {{\n  a = system \"A{MD_ESCAPE}\" \"x{MD_ESCAPE}\\n+ added system Evil\\r::warning::pwned\"\n  b = system \"B\"\n  evil = system \"E{MD_ESCAPE}\"\n  a -> b \"uses{MD_ESCAPE}\"\n"
    );
    for i in 0..changes {
        new.push_str(&format!("  more{i} = system \"M{MD_ESCAPE}\"\n"));
    }
    new.push_str("}\nviews { defaults off landscape }\n");
    write(dir, "old.c4", old);
    write(dir, "new.c4", &new);
}

fn md_events(md: &str) -> Vec<Event<'_>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM;
    Parser::new_ext(md, options).collect()
}

/// What the Markdown renders as, outside code: headings (their text),
/// fenced code blocks (info, text), and every construct model text must
/// never make.
#[derive(Default, Debug)]
struct Rendered {
    headings: Vec<String>,
    blocks: Vec<(String, String)>,
    html: Vec<String>,
    links: Vec<String>,
    lists: usize,
    tables: usize,
    forbidden: Vec<String>,
    /// Text outside code blocks and code spans.
    prose: String,
}

fn rendered(md: &str) -> Rendered {
    let mut r = Rendered::default();
    let mut heading: Option<String> = None;
    let mut block: Option<(String, String)> = None;
    for e in md_events(md) {
        match e {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                r.headings.extend(heading.take());
                r.prose.push('\n');
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "(indented)".into(),
                };
                block = Some((info, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => r.blocks.extend(block.take()),
            Event::Text(t) => match (&mut block, &mut heading) {
                (Some((_, body)), _) => body.push_str(&t),
                (None, h) => {
                    if let Some(h) = h {
                        h.push_str(&t);
                    }
                    r.prose.push_str(&t);
                }
            },
            Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => r.html.push(t.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => r.links.push(dest_url.to_string()),
            Event::Start(Tag::List(_)) => r.lists += 1,
            Event::Start(Tag::Table(_)) => r.tables += 1,
            Event::End(_) => r.prose.push('\n'),
            Event::Start(
                t @ (Tag::Image { .. }
                | Tag::BlockQuote(_)
                | Tag::Strikethrough
                | Tag::Emphasis
                | Tag::Strong
                | Tag::FootnoteDefinition(_)),
            ) => r.forbidden.push(format!("{t:?}")),
            e @ (Event::Rule
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)) => r.forbidden.push(format!("{e:?}")),
            _ => {}
        }
    }
    r
}

/// Nothing a reader sees outside code can have come from the model.
#[track_caller]
fn assert_prose_inert(r: &Rendered) {
    // (`@` and autolink starts are broken by an invisible word joiner.)
    for bad in ["@octocat", "a@evil", "://", "www.", "\u{202e}"] {
        assert!(
            !r.prose.contains(bad),
            "{bad:?} is live in the prose:\n{}",
            r.prose
        );
    }
    assert!(!r.headings.iter().any(|h| h.trim() == "Heading"), "{r:?}");
}

#[test]
fn model_text_in_the_pr_comment_never_leaves_its_place() {
    for (changes, details) in [(0, false), (25, true)] {
        let t = tempfile::tempdir().unwrap();
        diff_pair(t.path(), changes);
        let (code, md, err) = run(
            &["diff", "old.c4", "new.c4", "--format", "markdown"],
            t.path(),
        );
        assert_eq!(code, Some(0), "{err}");
        let r = rendered(&md);
        assert_eq!(
            r.headings,
            ["Architecture changes", "View landscape"],
            "only c4c's headings:\n{md}"
        );
        assert_eq!(r.forbidden, Vec::<String>::new(), "{md}");
        assert_eq!(r.links, Vec::<String>::new(), "{md}");
        assert_eq!(
            (r.lists, r.tables),
            (0, 1),
            "only c4c's summary table:\n{md}"
        );
        let expected_html: Vec<String> = if details {
            vec![
                format!("<details><summary>All {} changes</summary>\n", changes + 6),
                "</details>\n".into(),
            ]
        } else {
            Vec::new()
        };
        assert_eq!(r.html, expected_html, "only c4c's own HTML:\n{md}");
        // Two code blocks, where c4c opens and closes them: the whole list,
        // then the diagram.
        let infos: Vec<&str> = r.blocks.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(infos, ["diff", "mermaid"], "{md}");
        let list = &r.blocks[0].1;
        assert_eq!(list.lines().count(), changes + 6, "{list}");
        for line in list.lines() {
            assert!(
                ["+ ", "- ", "~ ", "> "].iter().any(|m| line.starts_with(m)),
                "a line of the list not made by c4c: {line:?}\n{md}"
            );
        }
        assert!(r.blocks[1].1.starts_with("%% c4c"), "{md}");
        assert_prose_inert(&r);
        assert_visible("the list of changes", list);
    }
}

#[test]
fn a_multi_line_value_never_forges_a_line_of_the_text_diff() {
    let t = tempfile::tempdir().unwrap();
    diff_pair(t.path(), 0);
    for colour in ["never", "always"] {
        let (code, out, err) = run(&["diff", "old.c4", "new.c4", "--color", colour], t.path());
        assert_eq!(code, Some(0), "{err}");
        let out = without_colour(&out);
        assert_visible("diff", &out);
        assert_eq!(workflow_command_lines(&out), Vec::<String>::new());
        let (list, views) = out.split_once("\n\naffected views:\n").unwrap();
        assert_eq!(list.lines().count(), 6, "{out}");
        for line in list.lines() {
            assert!(
                ["+ element", "~ element", "~   ", "~ relationship"]
                    .iter()
                    .any(|m| line.starts_with(m)),
                "a forged line: {line:?}\n{out}"
            );
        }
        assert_eq!(views.lines().count(), 1, "{out}");
        assert!(
            out.contains("\\n+ added system Evil\\r::warning::pwned"),
            "{out}"
        );
    }
}

#[test]
fn json_reports_keep_the_exact_text_and_carry_no_raw_hidden_character() {
    let t = tempfile::tempdir().unwrap();
    let old = "model {\n  a = system \"A\"\n}\nviews { defaults off landscape }\n";
    let new = "model {\n  a = system \"A\\u{1b}[2J\\u{9b}31m\\u{202e}\\u{2028}\\u{200b}\"\n}\nviews { defaults off landscape }\n";
    write(t.path(), "old.c4", old);
    write(t.path(), "new.c4", new);
    let (code, out, err) = run(&["diff", "old.c4", "new.c4", "--format", "json"], t.path());
    assert_eq!(code, Some(0), "{err}");
    assert_visible("diff --format json", &out);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["changed_elements"][0]["changes"][0]["new"],
        "A\u{1b}[2J\u{9b}31m\u{202e}\u{2028}\u{200b}"
    );
    let (code, out, err) = run(&["build", "new.c4", "--format", "json"], t.path());
    assert_eq!(code, Some(0), "{err}");
    assert_visible("build --format json", &out);
    assert!(
        out.contains("\\u001b[2J\\u009b31m\\u202e\\u2028\\u200b"),
        "{out}"
    );
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
}

#[test]
fn model_text_in_index_md_never_leaves_its_place() {
    let title = format!("T{MD_ESCAPE}");
    let src = format!(
        "model {{\n  a = system \"A\"\n}}\nviews {{\n  defaults off\n  landscape \"one\" \"{title}\" {{ description \"- item{MD_ESCAPE}\" }}\n  landscape \"two\" \"1. {title}\" {{ description \"    indented{MD_ESCAPE}\" }}\n  landscape \"three\" \"---\" {{ description \"---\" }}\n  landscape \"four\" \"= x\" {{ description \"1) x\" }}\n}}\n"
    );
    let c = c4c::compile_text("m.c4", &src);
    assert_eq!(c.error_count(), 0, "{:?}", c.diagnostics);
    let diagrams: Vec<&c4c::Diagram> = c.diagrams().collect();
    let md = c4c::emit::markdown::index(&diagrams);
    let r = rendered(&md);
    assert_eq!(r.forbidden, Vec::<String>::new(), "{md}");
    assert_eq!(
        (r.lists, r.tables),
        (1, 0),
        "only c4c's table of contents:\n{md}"
    );
    assert_eq!(r.headings.len(), 5, "{:?}\n{md}", r.headings);
    assert_eq!(r.headings[0], "Architecture views");
    assert!(
        r.headings[1].starts_with("T ``` # Heading @"),
        "{:?}",
        r.headings
    );
    assert!(
        r.headings[2].starts_with("1. T ``` # Heading"),
        "{:?}",
        r.headings
    );
    assert_eq!(r.headings[3..], ["---", "= x"]);
    assert_eq!(r.html.len(), 1, "only c4c's comment: {:?}", r.html);
    assert!(
        r.html[0].starts_with("<!-- Generated by c4c."),
        "{:?}",
        r.html
    );
    assert_eq!(
        r.links.len(),
        4,
        "only the table of contents: {:?}",
        r.links
    );
    assert!(r.links.iter().all(|l| l.starts_with('#')), "{:?}", r.links);
    let infos: Vec<&str> = r.blocks.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(infos, ["mermaid"; 4], "{md}");
    assert_prose_inert(&r);
    for description in ["- item", "indented", "---", "1) x"] {
        assert!(
            r.prose
                .lines()
                .any(|l| l.trim() == description || l.starts_with(description)),
            "{description:?} is a paragraph of text:\n{}",
            r.prose
        );
    }
}
