//! Styles: what `styles { … }` and kind declarations say about looks.
//!
//! In: style properties from the syntax tree (validated here: E031).
//! Out: [`Style`] values, declared [`Kind`]s (a base kind, defaults and a
//! style), the ordered rules of [`Styles`], and the effective
//! style of an element (defaults → kind chain → `external` → tags), along with
//! the names of the rules that made it, which become Mermaid class names.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{StyleProp, StyleValue};

use super::kind::{BaseKind, Shape};
use super::theme::{LabelFormat, ViewPart, label_property};
use crate::source::Span;

/// Visual properties; `None` means "not set here".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Style {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stroke: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stroke_width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dotted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bold: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opacity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
    /// The label format of a box or edge of a derived view (see
    /// [`super::theme`]); drawn, not exported.
    #[serde(skip)]
    pub label: Option<LabelFormat>,
}

impl Style {
    /// Overlays `other` on `self`: what `other` sets wins.
    pub fn merge(&mut self, other: &Style) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f.clone(); } )* };
        }
        take!(
            fill,
            stroke,
            color,
            stroke_width,
            dashed,
            dotted,
            bold,
            opacity,
            shape,
            label
        );
    }

    pub fn is_empty(&self) -> bool {
        *self == Style::default()
    }

    /// Built-in C4 colours, used when no theme or style says otherwise.
    pub fn c4_default(base: BaseKind, external: bool) -> Style {
        // Internal: C4's blues, darkest for people, lightest for components
        // (dark text from containers on); external: the same steps in grey.
        // Every text is at least 4.5:1 on its fill (model::palette's tests).
        let (fill, stroke, color) = match (base, external) {
            (BaseKind::Person, false) => ("#08427B", "#052E56", "#fff"),
            (BaseKind::System, false) => ("#1168BD", "#0B4884", "#fff"),
            (BaseKind::Container, false) => ("#438DD5", "#2E6295", "#000"),
            (BaseKind::Component, false) => ("#85BBF0", "#5D82A8", "#000"),
            (BaseKind::Person, true) => ("#4D4D4D", "#333333", "#fff"),
            (BaseKind::System, true) => ("#666666", "#474747", "#fff"),
            (BaseKind::Container, true) => ("#8C8C8C", "#5F5F5F", "#000"),
            (BaseKind::Component, true) => ("#B3B3B3", "#7D7D7D", "#000"),
            (BaseKind::Annotation, _) => ("#FFF8C5", "#9A6700", "#000"),
        };
        Style {
            fill: Some(fill.into()),
            stroke: Some(stroke.into()),
            color: Some(color.into()),
            ..Style::default()
        }
    }
}

/// The property names accepted, for validation and did-you-mean.
pub const ELEMENT_PROPS: &[&str] = &[
    "fill",
    "stroke",
    "color",
    "stroke-width",
    "dashed",
    "dotted",
    "solid",
    "bold",
    "opacity",
    "shape",
];
pub const RELATIONSHIP_PROPS: &[&str] = &[
    "color",
    "stroke",
    "stroke-width",
    "dashed",
    "dotted",
    "solid",
    "bold",
];

/// Builds a [`Style`] from properties, reporting bad names or values (E031).
pub fn style_from_props(
    props: &[StyleProp],
    allowed: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Style {
    style_of(props, allowed, None, diags)
}

/// Builds the [`Style`] of a rule naming `part` (a box or an edge of a
/// derived view, which may also set its `label` format), or of any other
/// target (`None`), reporting bad names or values (E031).
pub fn style_of(
    props: &[StyleProp],
    allowed: &[&str],
    part: Option<ViewPart>,
    diags: &mut Vec<Diagnostic>,
) -> Style {
    let mut s = Style::default();
    for p in props {
        let key = p.key.value.as_str();
        if key == "label" {
            s.label = label_property(p, part, diags).or(s.label);
            continue;
        }
        if !allowed.contains(&key) {
            let mut d = Diagnostic::new(Code::E031, format!("unknown style property `{key}`"))
                .label(p.key.span, "not a style property here");
            // A part of a derived view takes a `label` too.
            let mut names = allowed.to_vec();
            if part.is_some_and(ViewPart::has_label) {
                names.push("label");
            }
            d = match did_you_mean(key, names.iter().copied()) {
                Some(m) => d.hint(format!("did you mean `{m}`?")),
                None => d.hint(format!("style properties: {}", names.join(", "))),
            };
            diags.push(d);
            continue;
        }
        let bad = |diags: &mut Vec<Diagnostic>, what: &str, hint: String| {
            diags.push(
                Diagnostic::new(Code::E031, format!("invalid value for `{key}`: {what}"))
                    .label(p.value_span, "invalid value")
                    .hint(hint),
            );
        };
        match (key, &p.value) {
            ("fill" | "stroke" | "color", v) => match color_value(v) {
                Some(c) => {
                    let slot = match key {
                        "fill" => &mut s.fill,
                        "stroke" => &mut s.stroke,
                        _ => &mut s.color,
                    };
                    *slot = Some(c);
                }
                None => bad(
                    diags,
                    "expected a colour",
                    "write a colour as #RGB, #RRGGBB or a CSS colour name such as `white`".into(),
                ),
            },
            ("stroke-width", StyleValue::Number(n)) => {
                let n = n.trim_end_matches("px");
                s.stroke_width = Some(format!("{n}px"));
            }
            ("stroke-width", _) => bad(
                diags,
                "expected a number",
                "for example `stroke-width 2px`".into(),
            ),
            ("opacity", StyleValue::Number(n))
                if n.parse::<f64>().is_ok_and(|x| (0.0..=1.0).contains(&x)) =>
            {
                s.opacity = Some(n.clone())
            }
            ("opacity", _) => bad(
                diags,
                "expected a number from 0 to 1",
                "for example `opacity 0.6`".into(),
            ),
            ("dashed", StyleValue::Flag(b)) => s.dashed = Some(*b),
            ("dotted", StyleValue::Flag(b)) => s.dotted = Some(*b),
            ("solid", StyleValue::Flag(b)) => {
                s.dashed = Some(!*b);
                s.dotted = Some(!*b);
            }
            ("bold", StyleValue::Flag(b)) => s.bold = Some(*b),
            ("shape", StyleValue::Text(t)) => match Shape::from_name(t) {
                Some(sh) => s.shape = Some(sh),
                None => {
                    let hint = match did_you_mean(t, Shape::NAMES.iter().copied()) {
                        Some(m) => {
                            format!("did you mean `{m}`? shapes: {}", Shape::NAMES.join(", "))
                        }
                        None => format!("shapes: {}", Shape::NAMES.join(", ")),
                    };
                    bad(diags, "unknown shape", hint)
                }
            },
            ("shape", _) => bad(
                diags,
                "expected a shape name",
                format!("shapes: {}", Shape::NAMES.join(", ")),
            ),
            _ => bad(
                diags,
                "unexpected value",
                "see docs/language.md#styles".into(),
            ),
        }
    }
    s
}

/// A colour literal: `#abc`, `#aabbcc`, `#aabbccdd` or a CSS colour name.
fn color_value(v: &StyleValue) -> Option<String> {
    match v {
        StyleValue::Color(c) => {
            let hex = &c[1..];
            matches!(hex.len(), 3 | 4 | 6 | 8).then(|| c.clone())
        }
        StyleValue::Text(t)
            if !t.is_empty() && t.len() <= 32 && t.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            Some(t.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// What a style rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StyleTarget {
    Kind(String),
    Tag(String),
}

impl StyleTarget {
    pub fn name(&self) -> &str {
        match self {
            StyleTarget::Kind(n) | StyleTarget::Tag(n) => n,
        }
    }
}

/// All style rules, in source order (later rules win).
#[derive(Debug, Clone, Default)]
pub struct Styles {
    pub elements: Vec<(StyleTarget, Style)>,
    /// Relationship rules by tag (`async` and `sync` are implicit tags).
    pub relationships: Vec<(String, Style)>,
    /// The rules by target, built on first use: styling an element or an edge
    /// looks only at the rules naming its kinds and tags, not at every rule
    /// (elements × rules was quadratic).
    index: OnceLock<RuleIndex>,
}

/// Positions of the rules in [`Styles`], by what they name, in source order.
#[derive(Debug, Clone, Default)]
struct RuleIndex {
    /// How many rules it was built from (a stale index is not used).
    counts: (usize, usize),
    kinds: HashMap<String, Vec<usize>>,
    tags: HashMap<String, Vec<usize>>,
    relationships: HashMap<String, Vec<usize>>,
}

impl RuleIndex {
    fn build(styles: &Styles) -> RuleIndex {
        let mut index = RuleIndex {
            counts: (styles.elements.len(), styles.relationships.len()),
            ..RuleIndex::default()
        };
        for (i, (target, _)) in styles.elements.iter().enumerate() {
            let map = match target {
                StyleTarget::Kind(_) => &mut index.kinds,
                StyleTarget::Tag(_) => &mut index.tags,
            };
            map.entry(target.name().to_string()).or_default().push(i);
        }
        for (i, (target, _)) in styles.relationships.iter().enumerate() {
            index
                .relationships
                .entry(target.clone())
                .or_default()
                .push(i);
        }
        index
    }
}

impl Styles {
    fn with_index<R>(&self, f: impl FnOnce(&RuleIndex) -> R) -> R {
        let counts = (self.elements.len(), self.relationships.len());
        match self.index.get_or_init(|| RuleIndex::build(self)) {
            index if index.counts == counts => f(index),
            // Rules added after the first use: index them afresh.
            _ => f(&RuleIndex::build(self)),
        }
    }

    /// The `element`/`kind` rules for kind `k`, in source order.
    fn kind_rules(&self, k: &str) -> Vec<&Style> {
        self.with_index(|x| {
            let at = x.kinds.get(k).map_or(&[][..], Vec::as_slice);
            at.iter().map(|i| &self.elements[*i].1).collect()
        })
    }

    /// The `tag` rules for any of `tags`, in source order, with the tag each names.
    fn tag_rules<'a>(&'a self, tags: impl Iterator<Item = &'a str>) -> Vec<(&'a str, &'a Style)> {
        self.with_index(|x| {
            let mut at: Vec<usize> = tags
                .flat_map(|t| x.tags.get(t).map_or(&[][..], Vec::as_slice))
                .copied()
                .collect();
            at.sort_unstable();
            at.dedup();
            at.iter()
                .map(|i| (self.elements[*i].0.name(), &self.elements[*i].1))
                .collect()
        })
    }

    /// The relationship rules naming any of `targets`, in source order.
    fn relationship_rules<'a>(&'a self, targets: impl Iterator<Item = &'a str>) -> Vec<&'a Style> {
        self.with_index(|x| {
            let mut at: Vec<usize> = targets
                .flat_map(|t| x.relationships.get(t).map_or(&[][..], Vec::as_slice))
                .copied()
                .collect();
            at.sort_unstable();
            at.dedup();
            at.iter().map(|i| &self.relationships[*i].1).collect()
        })
    }
}

/// The effective style of an element and a class name naming what made it:
/// built-in C4 colours, then the kind chain (base first; each kind's own style
/// and the `element KIND` rules), then `external`, then the element's tags.
/// The class name is the element's kind, plus `_external`, plus each tag that
/// has a style (`database`, `system_external`, `container_critical`).
/// A text colour no rule or kind sets is black or white, whichever reads
/// better on the fill (so a rule setting only `fill` keeps its text legible).
pub fn element_style(model: &super::Model, id: super::ElementId) -> (Style, String) {
    let e = model.element(id);
    let mut style = Style::c4_default(e.base, false);
    // Kind chain, base kind first.
    let mut chain = Vec::new();
    let mut cur = Some(e.kind.as_str());
    while let Some(k) = cur {
        if chain.contains(&k) || chain.len() > 64 {
            break;
        }
        chain.push(k);
        cur = model.kinds.get(k).and_then(|k| k.extends.as_deref());
    }
    if let Some(base) = chain.last()
        && *base != e.base.keyword()
    {
        chain.push(e.base.keyword());
    }
    // Whether the text colour is the user's (a kind's or a rule's).
    let mut own_color = false;
    for k in chain.iter().rev() {
        if let Some(kind) = model.kinds.get(*k) {
            style.merge(&kind.style);
            own_color |= kind.style.color.is_some();
        }
        for s in model.styles.kind_rules(k) {
            style.merge(s);
            own_color |= s.color.is_some();
        }
    }
    let mut class = e.kind.clone();
    if e.external {
        style.merge(&Style::c4_default(e.base, true));
        own_color = false;
        class.push_str("_external");
        for (_, s) in model.styles.tag_rules(std::iter::once("external")) {
            style.merge(s);
            own_color |= s.color.is_some();
        }
    }
    let tags = e
        .tags
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "external");
    let mut named: HashSet<&str> = HashSet::new();
    for (t, s) in model.styles.tag_rules(tags) {
        style.merge(s);
        own_color |= s.color.is_some();
        if named.insert(t) {
            class.push('_');
            class.push_str(t);
        }
    }
    if !own_color && let Some(text) = style.fill.as_deref().and_then(super::palette::text_on) {
        style.color = Some(text.into());
    }
    (style, class)
}

/// A style built on `base`: the `element NAME` rules for each of
/// `kind_names`, then the rules of `tags`. The class name is `class_base`
/// plus each tag that has a style. Where a rule sets the fill and none the
/// text colour, `base`'s text colour gives way to black or white, whichever
/// reads better.
pub fn named_style(
    model: &super::Model,
    mut style: Style,
    class_base: &str,
    kind_names: &[&str],
    tags: &[String],
) -> (Style, String) {
    // Whether a rule sets the fill, and the text colour.
    let (mut own_fill, mut own_color) = (false, false);
    let base_color = style.color.is_some();
    for k in kind_names {
        for s in model.styles.kind_rules(k) {
            style.merge(s);
            own_fill |= s.fill.is_some();
            own_color |= s.color.is_some();
        }
    }
    let mut class = class_base.to_string();
    // The `_`-separated parts of the class: a tag that is one is not added.
    let mut parts: HashSet<&str> = class_base.split('_').collect();
    for (t, s) in model.styles.tag_rules(tags.iter().map(String::as_str)) {
        style.merge(s);
        own_fill |= s.fill.is_some();
        own_color |= s.color.is_some();
        if !parts.contains(t) {
            class.push('_');
            class.push_str(t);
            parts.extend(t.split('_'));
        }
    }
    // Only a built-in text colour is replaced (class diagrams have none).
    if own_fill
        && !own_color
        && base_color
        && let Some(text) = style.fill.as_deref().and_then(super::palette::text_on)
    {
        style.color = Some(text.into());
    }
    (style, class)
}

/// The effective style of a view edge: rules for `*`, for its arrow kind
/// (`sync`, `async`, `bidirectional`) and for its tags, in source order.
pub fn edge_style(
    model: &super::Model,
    arrow: crate::syntax::ast::Arrow,
    tags: &[String],
) -> Style {
    use crate::syntax::ast::Arrow;
    let implicit = match arrow {
        Arrow::Sync => "sync",
        Arrow::Async => "async",
        Arrow::Both => "bidirectional",
    };
    let mut style = Style::default();
    if arrow == Arrow::Async {
        style.dashed = Some(true);
    }
    let targets = ["*", implicit]
        .into_iter()
        .chain(tags.iter().map(String::as_str));
    for s in model.styles.relationship_rules(targets) {
        style.merge(s);
    }
    style
}

/// The style of a derived view's part before any rule: the theme's colours
/// and label format.
pub fn part_default(part: ViewPart) -> Style {
    let (fill, stroke, color) = match part.colours() {
        Some((f, s, c)) => (Some(f.into()), Some(s.into()), Some(c.into())),
        None => (None, None, None),
    };
    Style {
        fill,
        stroke,
        color,
        label: part.default_label().cloned(),
        ..Style::default()
    }
}

/// The style of a box of a derived view and its class name: the theme's,
/// then the `element NAME` rules, then the rules of `tags`.
pub fn box_style(model: &super::Model, part: ViewPart, tags: &[String]) -> (Style, String) {
    let name = part.name();
    named_style(model, part_default(part), name, &[name], tags)
}

/// The style of an edge of a derived view: the theme's label format, then
/// the rules for `*`, its arrow and `relationship NAME`.
pub fn line_style(model: &super::Model, part: ViewPart, arrow: crate::syntax::ast::Arrow) -> Style {
    let mut style = part_default(part);
    style.merge(&edge_style(model, arrow, &[part.name().to_string()]));
    style
}

/// The style of a flow's numbered step (`flowchart over`): the relationship
/// it follows (its `tags`), set apart from plain edges — a call thick, a
/// reply or an asynchronous step dashed and wider —, then the rules for
/// `relationship step`, which have the last word.
pub fn step_style(
    model: &super::Model,
    arrow: crate::syntax::ast::Arrow,
    tags: &[String],
    dashed: bool,
) -> Style {
    let mut style = edge_style(model, arrow, tags);
    if dashed {
        style.dashed = Some(true);
        style.bold = None;
        style.stroke_width.get_or_insert_with(|| "2px".into());
    } else {
        style.dashed = None;
        style.dotted = None;
        style.bold = Some(true);
    }
    for rule in model
        .styles
        .relationship_rules([ViewPart::Step.name()].into_iter())
    {
        style.merge(rule);
    }
    style
}

/// The lines of a part's label: its style's format (the theme's when the
/// style has none) filled with `values`, in the order of [`ViewPart::slots`].
pub fn label_lines(style: &Style, part: ViewPart, values: &[Option<&str>]) -> Vec<String> {
    match style.label.as_ref().or(part.default_label()) {
        Some(f) => f.fill(values),
        None => Vec::new(),
    }
}

/// A resolved element kind.
#[derive(Debug, Clone)]
pub struct Kind {
    pub name: String,
    /// The kind it extends directly (`None` for the four base kinds).
    pub extends: Option<String>,
    pub base: BaseKind,
    pub description: Option<String>,
    /// Default technology for elements of this kind.
    pub technology: Option<String>,
    /// Style declared with the kind (shape included).
    pub style: Style,
    /// `None` for built-in kinds.
    pub span: Option<Span>,
}

impl Kind {
    pub fn builtin(base: BaseKind) -> Kind {
        Kind {
            name: base.keyword().to_string(),
            extends: None,
            base,
            description: None,
            technology: None,
            style: Style::default(),
            span: None,
        }
    }
}
