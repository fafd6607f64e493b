//! Styles: `element "Tag" { … }` and `relationship "Tag" { … }` rules.
//!
//! In: the statements of a `styles` block inside `views`. Out: rules of the
//! output's `styles { }`: the built-in tags become c4c's kinds (`Person` →
//! `kind person`, `Element` → one rule per kind, `Relationship` →
//! `relationship *`), other tags stay tags. Properties: background → fill,
//! color, stroke, strokeWidth/thickness → stroke-width, border/style →
//! solid/dashed/dotted, opacity (percent) → opacity (fraction), shape →
//! the nearest c4c shape; the rest is reported and kept as a comment.

use super::tree::Stmt;
use super::{Code, Tx, q};

/// A Structurizr shape's nearest c4c shape, and whether it is exact.
fn shape(s: &str) -> (&'static str, bool) {
    match s.to_ascii_lowercase().as_str() {
        "box" => ("box", true),
        "roundedbox" => ("rounded", true),
        "circle" => ("circle", true),
        "ellipse" => ("circle", false),
        "hexagon" => ("hexagon", true),
        "diamond" => ("diamond", true),
        "cylinder" => ("cylinder", true),
        "bucket" => ("cylinder", false),
        "pipe" => ("queue", false),
        "person" => ("person", true),
        "robot" => ("person", false),
        _ => ("rounded", false),
    }
}

/// Whether c4c reads `s` as a colour.
fn is_colour(s: &str) -> bool {
    match s.strip_prefix('#') {
        Some(hex) => {
            matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()),
    }
}

impl Tx {
    /// The rules of a `styles` block.
    pub(super) fn styles_block(&mut self, stmts: &[Stmt]) {
        let mut out = std::mem::take(&mut self.styles);
        for s in stmts {
            match s.keyword().as_str() {
                "" => self.comment(s, &mut out),
                "element" => self.style(s, false, &mut out),
                "relationship" => self.style(s, true, &mut out),
                _ => self.keep(Code::I001, s, "no c4c equivalent in styles", &mut out),
            }
        }
        self.styles = out;
    }

    /// The c4c targets of a Structurizr style's tag (none: no element has it).
    fn targets(&mut self, tag: &str, relationship: bool) -> Vec<String> {
        if relationship {
            return match tag {
                "Relationship" => vec!["relationship *".into()],
                t if self.rel_tags.contains(t) => vec![format!("relationship {}", q(t))],
                t if self.deploy_rel_tags.contains(t) && super::ident(t) == t => {
                    // Only deployment relationships have it: declared, so
                    // that c4c accepts it as a style target.
                    let decl = format!("tag {t}");
                    if self.declared_tags.insert(decl.clone()) {
                        self.spec.push(decl);
                    }
                    vec![format!("relationship {}", q(t))]
                }
                _ => Vec::new(),
            };
        }
        match tag {
            "Element" => ["person", "system", "container", "component"]
                .iter()
                .map(|k| format!("kind {k}"))
                .collect(),
            "Person" => vec!["kind person".into()],
            "Software System" => vec!["kind system".into()],
            "Container" => vec!["kind container".into()],
            "Component" => vec!["kind component".into()],
            "Deployment Node" => vec!["element node".into()],
            "Infrastructure Node" => vec!["element infra".into()],
            t if self.element_tags.contains(t) => vec![format!("tag {}", q(t))],
            _ => Vec::new(),
        }
    }

    /// One rule.
    fn style(&mut self, s: &Stmt, relationship: bool, out: &mut Vec<String>) {
        let tag = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
        let targets = self.targets(&tag, relationship);
        if targets.is_empty() {
            let what = if relationship {
                "relationship"
            } else {
                "element"
            };
            return self.keep(
                Code::I002,
                s,
                &format!("no {what} has this tag: the rule would style nothing"),
                out,
            );
        }
        let mut body = Vec::new();
        for p in s.block.as_deref().unwrap_or_default() {
            self.property(p, relationship, &mut body);
        }
        for t in targets {
            // A rule always has a block, empty or not.
            out.push(format!("{t} {{"));
            out.extend(body.iter().cloned());
            out.push("}".into());
            self.counts.styles += 1;
        }
    }

    /// One style property.
    fn property(&mut self, p: &Stmt, relationship: bool, body: &mut Vec<String>) {
        if p.comment.is_some() {
            return self.comment(p, body);
        }
        let v = p.words.get(1).map(|w| self.text(w)).unwrap_or_default();
        let colour = |name: &str| is_colour(&v).then(|| format!("{name} {v}"));
        let line = match (p.keyword().as_str(), relationship) {
            ("background", false) => colour("fill"),
            ("color" | "colour", _) => colour("color"),
            ("stroke", false) => colour("stroke"),
            ("strokewidth", false) | ("thickness", true) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=20).contains(n))
                .map(|n| format!("stroke-width {n}")),
            ("border", false) | ("style", true) => match v.to_ascii_lowercase().as_str() {
                f @ ("solid" | "dashed" | "dotted") => Some(f.to_string()),
                _ => None,
            },
            ("dashed", true) => match v.as_str() {
                "true" => Some("dashed".into()),
                "false" => Some("solid".into()),
                _ => None,
            },
            ("opacity", false) => v
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 100)
                .map(|n| format!("opacity {}", f64::from(n) / 100.0)),
            ("shape", false) => {
                let (c4, exact) = shape(&v);
                if !exact {
                    self.keep(
                        Code::I002,
                        p,
                        &format!("drawn as `{c4}`, the nearest c4c shape"),
                        body,
                    );
                }
                Some(format!("shape {c4}"))
            }
            _ => {
                return self.keep(
                    Code::I001,
                    p,
                    "no c4c equivalent for this style property",
                    body,
                );
            }
        };
        match line {
            Some(l) => body.push(l),
            None => self.keep(Code::I002, p, "a value c4c does not read; left out", body),
        }
    }
}
