//! The page of the site: an askama template (`templates/site.html`) with
//! the [`State`] inside as JSON, and its script and style.
//!
//! In: a [`State`]. Out: the HTML text. The title is HTML-escaped by the
//! template; the state is JSON in a `<script type="application/json">`
//! with `<`, `>` and `&` written as `\u` escapes, so no value can end the
//! element or start markup.

use askama::Template;

use super::State;

/// The page's script.
pub const APP_JS: &str = include_str!("app.js");
/// The page's style.
pub const STYLE_CSS: &str = include_str!("style.css");

#[derive(Template)]
#[template(path = "site.html", escape = "html")]
struct Page<'a> {
    title: &'a str,
    version: &'a str,
    state_json: String,
}

/// The state as JSON that is safe inside a `<script>` element.
pub fn script_json(state: &State) -> String {
    let json = serde_json::to_string(state).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML page showing `state`.
pub fn page(state: &State) -> String {
    let title = crate::terminal_text::line(&state.title);
    Page {
        title: &title,
        version: env!("CARGO_PKG_VERSION"),
        state_json: script_json(state),
    }
    .render()
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_can_end_the_script_element() {
        let state = State {
            title: "</script><script>alert(1)</script> & <b>".into(),
            ..State::default()
        };
        let html = page(&state);
        assert_eq!(html.matches("</script>").count(), 3, "{html}");
        assert!(
            html.contains("<h1>&#60;/script&#62;") || html.contains("<h1>&lt;/script&gt;"),
            "{html}"
        );
        let json = script_json(&state);
        assert!(!json.contains('<') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["title"], state.title);
    }
}
