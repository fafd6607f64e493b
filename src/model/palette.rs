//! The default colours c4c draws with that no kind or derived-view part owns,
//! and the contrast they are held to.
//!
//! In: colour literals (`#rgb`, `#rrggbb`, with or without alpha).
//! Out: the frame colours (boundaries, groups), the edge colour and the diff marks as
//! [`Colours`]; [`contrast`], the WCAG 2 contrast ratio of two colours, and
//! [`text_on`], the text colour (black or white) that reads best on a fill.
//! The kinds' colours live in `model::style` (`Style::c4_default`), the
//! derived views' parts in `model::theme`, the accessible theme in
//! `stdlib/theme/accessible.c4`; the tests here hold every one of them to
//! WCAG AA: text ≥ 4.5:1 on its fill, frame strokes ≥ 3:1 on a white page
//! and on GitHub's dark page ([`DARK_PAGE`]).

/// A fill, a stroke and a text colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colours {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub text: &'static str,
}

/// GitHub's dark-mode page background, under every diagram a dark-mode
/// reader sees.
pub const DARK_PAGE: &str = "#0d1117";

/// A boundary's frame (dashed). Its title sits on its fill: no text colour
/// reads at 4.5:1 both on white and on [`DARK_PAGE`] (the best grey reaches
/// 4.3:1), so frames are filled; the mid-grey stroke shows on both pages.
pub const BOUNDARY: Colours = Colours {
    fill: "#F6F8FA",
    stroke: "#808080",
    text: "#24292F",
};

/// A group's frame (dotted): white, so that it stands out inside a boundary.
pub const GROUP: Colours = Colours {
    fill: "#FFFFFF",
    stroke: "#808080",
    text: "#24292F",
};

/// The panel behind a sequence diagram's messages (a frame's fill: Mermaid
/// draws messages on the page in its theme's colours otherwise), the
/// messages' lines (stroke) and text.
pub const SEQUENCE: Colours = Colours {
    fill: BOUNDARY.fill,
    stroke: "#57606A",
    text: BOUNDARY.text,
};

/// The line of an edge no rule colours (flowcharts): it shows at 3:1 on
/// both pages and on every frame's fill.
pub const EDGE: &str = "#808080";

/// `c4c diff`: an added element (green); its stroke also draws the added
/// edges (diff strokes show at 3:1 on both pages).
pub const ADDED: Colours = Colours {
    fill: "#4AC26B",
    stroke: "#1A7F37",
    text: "#000",
};

/// `c4c diff`: a changed or moved element (yellow); its stroke, the edges.
pub const CHANGED: Colours = Colours {
    fill: "#FFD33D",
    stroke: "#9A6700",
    text: "#000",
};

/// `c4c diff`: a removed element (pale red, red dashed border and text)
/// and a removed edge (red).
pub const REMOVED: Colours = Colours {
    fill: "#FFEBE9",
    stroke: "#CF222E",
    text: "#CF222E",
};

/// The sRGB channels of `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa` (alpha
/// ignored); `None` for anything else (a colour name, `none`).
pub fn rgb(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    let digit = |i: usize| hex.get(i..=i).and_then(|d| u8::from_str_radix(d, 16).ok());
    match hex.len() {
        3 | 4 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 | 8 => Some([
            digit(0)? * 16 + digit(1)?,
            digit(2)? * 16 + digit(3)?,
            digit(4)? * 16 + digit(5)?,
        ]),
        _ => None,
    }
}

/// The relative luminance of a colour (WCAG 2).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The WCAG 2 contrast ratio of two colours (1 to 21), if both are hex
/// literals.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(rgb(a)?), luminance(rgb(b)?));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// Black or white, whichever reads better on `fill` (a hex literal).
pub fn text_on(fill: &str) -> Option<&'static str> {
    let black = contrast(fill, "#000")?;
    let white = contrast(fill, "#fff")?;
    Some(if black >= white { "#000" } else { "#fff" })
}

#[cfg(test)]
mod tests;
