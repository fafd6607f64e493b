//! Code view generator: a [`Code`] block → Mermaid `classDiagram` text.
//!
//! In: the model and one code block. Out: one `class` per class with its
//! annotations (`<<interface>>`, `<<enumeration>>` for enums), attributes as
//! `+Type name`, methods as `+name(Params) Return`, generics in Mermaid's
//! `~T~` form; relations with their arrow, cardinalities and label; styles from
//! `element class|interface|enum` and tag rules as one `style` line per class
//! (Mermaid 11 draws no `classDef` colour in a class diagram).

use indexmap::IndexMap;

use super::escape::{self, IdMap};
use super::wrap;
use crate::model::Model;
use crate::model::code::{Code, base_name};
use crate::model::style::{Style, named_style};
use crate::syntax::ast::{ClassDecl, Direction, Member};
use crate::view::View;

fn member_line(class_kind: &str, m: &Member) -> String {
    let vis = m.visibility.map(String::from).unwrap_or_default();
    let cls = m.classifier.map(String::from).unwrap_or_default();
    let name = escape::class_text(&m.name.value);
    match &m.params {
        Some(params) => {
            let ps: Vec<String> = params
                .iter()
                .map(|p| match &p.name {
                    Some(n) => format!("{} {}", escape::class_text(&p.ty), escape::class_text(n)),
                    None => escape::class_text(&p.ty),
                })
                .collect();
            let ret =
                m.ty.as_deref()
                    .map(|t| format!(" {}", escape::class_text(t)))
                    .unwrap_or_default();
            format!("{vis}{name}({}){cls}{ret}", ps.join(", "))
        }
        None if class_kind == "enum" && vis.is_empty() && m.ty.is_none() => name,
        None => match &m.ty {
            Some(t) => format!("{vis}{} {name}{cls}", escape::class_text(t)),
            None => format!("{vis}{name}{cls}"),
        },
    }
}

fn annotations(c: &ClassDecl) -> Vec<String> {
    let mut out: Vec<String> = c
        .annotations
        .iter()
        .map(|a| {
            escape::class_text(
                a.value
                    .trim_start_matches("<<")
                    .trim_end_matches(">>")
                    .trim(),
            )
        })
        .collect();
    let implied = match c.kind.value.as_str() {
        "interface" => Some("interface"),
        "enum" => Some("enumeration"),
        "abstract" => Some("abstract"),
        _ => None,
    };
    if let Some(i) = implied
        && !out.iter().any(|a| {
            a.eq_ignore_ascii_case(i) || (i == "enumeration" && a.eq_ignore_ascii_case("enum"))
        })
    {
        out.insert(0, i.to_string());
    }
    out
}

/// Renders a code view.
pub fn render(model: &Model, def: &View, code: &Code) -> String {
    let mut ids = IdMap::new();
    let mut id_of: IndexMap<String, String> = IndexMap::new();
    for c in &code.classes {
        let base = base_name(&c.name.value).to_string();
        let id = ids.id(&base);
        id_of.insert(base, id);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "%% c4c · view {} · {}\n",
        escape::comment(&def.key),
        escape::comment(&def.title)
    ));
    out.push_str(&wrap::class_init());
    out.push('\n');
    out.push_str("classDiagram\n");
    out.push_str(&format!(
        "  direction {}\n",
        def.direction.unwrap_or(Direction::TB).as_str()
    ));
    let mut styles: IndexMap<String, (Style, Vec<String>)> = IndexMap::new();
    for c in &code.classes {
        let base = base_name(&c.name.value);
        let id = id_of.get(base).cloned().unwrap_or_default();
        let generic = c.name.value.strip_prefix(base).unwrap_or("");
        let generic = if generic.is_empty() {
            String::new()
        } else {
            escape::class_text(generic)
        };
        // A blank label (`[" "]`) fails to render: the class name is shown instead.
        let shown = c
            .label
            .as_ref()
            .map(|l| escape::label(&l.value).trim().to_string())
            .filter(|l| !l.is_empty());
        let label = match (shown, id == base) {
            (Some(l), _) => format!("[\"{l}\"]"),
            (None, false) => format!("[\"{}\"]", escape::nonempty_label(base)),
            (None, true) => String::new(),
        };
        out.push_str(&format!("  class {id}{generic}{label} {{\n"));
        for a in annotations(c) {
            out.push_str(&format!("    <<{a}>>\n"));
        }
        for m in &c.members {
            out.push_str(&format!("    {}\n", member_line(&c.kind.value, m)));
        }
        out.push_str("  }\n");
        let tags: Vec<String> = c.tags.iter().map(|t| t.value.clone()).collect();
        let (style, class) = named_style(
            model,
            Style::default(),
            &c.kind.value,
            &[c.kind.value.as_str()],
            &tags,
        );
        if !style.is_empty() {
            styles
                .entry(class)
                .or_insert_with(|| (style, Vec::new()))
                .1
                .push(id);
        }
    }
    for r in &code.relations {
        let (Some(from), Some(to)) = (id_of.get(&r.from.value), id_of.get(&r.to.value)) else {
            continue;
        };
        let card = |c: &Option<crate::syntax::ast::Text>| {
            c.as_ref()
                .map(|t| format!(" \"{}\"", escape::nonempty_label(&t.value)))
                .unwrap_or_default()
        };
        let label = r
            .label
            .as_ref()
            .map(|l| format!(" : {}", escape::class_label(&l.value)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {from}{} {} {}{to}{label}\n",
            card(&r.from_card),
            r.arrow.value,
            card(&r.to_card).trim_start().to_string() + if r.to_card.is_some() { " " } else { "" }
        ));
    }
    // Mermaid 11 ignores `classDef` + `cssClass` in class diagrams (the
    // class is set, no rule is written); `style` is applied to each class.
    for (style, members) in styles.values() {
        let css = super::flowchart::class_css(style);
        for id in members {
            out.push_str(&format!("  style {id} {css}\n"));
        }
    }
    out
}
