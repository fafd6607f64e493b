//! Kinds: `specification { kind … tag … }` → the model's kinds and declared tags.
//!
//! In: every `specification` block of the workspace.
//! Out: `Model::kinds` (the base kinds plus each declared kind, resolved to a
//! base kind, with its style merged over its parents') and
//! `Model::declared_tags`; E027 for a reserved, repeated, baseless, cyclic or
//! unknown kind on the way.

use super::*;

impl<'a> Resolver<'_, 'a> {
    /// The base kinds, then every declared kind and tag.
    pub(super) fn kinds(&mut self, ws: &Workspace) {
        for base in [
            BaseKind::Person,
            BaseKind::System,
            BaseKind::Container,
            BaseKind::Component,
            BaseKind::Annotation,
        ] {
            self.m
                .kinds
                .insert(base.keyword().to_string(), Kind::builtin(base));
        }
        let defs = self.kind_declarations(ws);
        for (name, def) in &defs {
            let base = self.kind_base(&defs, name, def);
            let style = self.kind_style(&defs, def);
            self.m.kinds.insert(
                name.clone(),
                Kind {
                    name: name.clone(),
                    extends: def.extends.as_ref().map(|e| e.value.clone()),
                    base: base.unwrap_or(BaseKind::Container),
                    description: def.description.as_ref().map(|d| d.value.clone()),
                    technology: def.technology.as_ref().map(|t| t.value.clone()),
                    style,
                    span: Some(def.name.span),
                },
            );
        }
    }

    /// Every `kind` declaration that may be kept, by name; the declared tags
    /// go straight into the model.
    fn kind_declarations<'w>(&mut self, ws: &'w Workspace) -> Defs<'w> {
        let mut defs: Defs = IndexMap::new();
        for (_, file) in &ws.files {
            for item in &file.items {
                let ast::TopItem::Specification(items) = item else {
                    continue;
                };
                for spec in items {
                    match spec {
                        ast::SpecItem::Kind(k) => {
                            if self.kind_name_is_free(&defs, k) {
                                defs.insert(k.name.value.clone(), k);
                            }
                        }
                        ast::SpecItem::Tag {
                            name, description, ..
                        } => {
                            self.m.declared_tags.insert(
                                name.value.clone(),
                                description.as_ref().map(|d| d.value.clone()),
                            );
                        }
                    }
                }
            }
        }
        defs
    }

    /// Whether `k` may be declared: E027 for a keyword, a built-in kind or a
    /// name declared before.
    fn kind_name_is_free(&mut self, defs: &Defs, k: &ast::KindDef) -> bool {
        let name = &k.name.value;
        let d = if STMT_KEYWORDS.contains(&name.as_str()) || name == "this" {
            Diagnostic::new(
                Code::E027,
                format!("`{name}` is a keyword and cannot name a kind"),
            )
            .label(k.name.span, "reserved word")
            .hint(format!("choose another name, such as `{name}_node`"))
        } else if BaseKind::from_keyword(name).is_some() {
            Diagnostic::new(Code::E027, format!("`{name}` is a built-in kind"))
                .label(k.name.span, "cannot be redeclared")
                .hint("declare a new kind that extends it instead")
        } else if let Some(prev) = defs.get(name) {
            Diagnostic::new(Code::E027, format!("kind `{name}` declared twice"))
                .label(k.name.span, "declared again here")
                .secondary(prev.name.span, "first declared here")
                .hint("remove one declaration (the stdlib's `std/kinds` may already declare it)")
        } else {
            return true;
        };
        self.diags.push(d);
        false
    }

    /// The base kind `def`'s chain of `extends` ends in; `None` (E027) when
    /// it extends nothing, itself or an unknown kind.
    fn kind_base(&mut self, defs: &Defs, name: &str, def: &ast::KindDef) -> Option<BaseKind> {
        let mut chain: Vec<&str> = vec![name];
        let mut cur = def;
        loop {
            let Some(ext) = &cur.extends else {
                self.diags.push(
                    Diagnostic::new(Code::E027, format!("kind `{}` extends nothing", cur.name.value))
                        .label(cur.name.span, "needs a base kind")
                        .hint(format!(
                            "write `kind {} extends container` (or person, system, component, another kind)",
                            cur.name.value
                        )),
                );
                return None;
            };
            if let Some(b) = BaseKind::from_keyword(&ext.value) {
                return Some(b);
            }
            if chain.contains(&ext.value.as_str()) {
                self.diags.push(
                    Diagnostic::new(Code::E027, format!("kind `{name}` extends itself"))
                        .label(
                            def.extends
                                .as_ref()
                                .map(|e| e.span)
                                .unwrap_or(def.name.span),
                            "the chain from here comes back to this kind",
                        )
                        .note(format!("chain: {} → {}", chain.join(" → "), ext.value)),
                );
                return None;
            }
            let Some(next) = defs.get(&ext.value) else {
                let cands: Vec<&str> = defs
                    .keys()
                    .map(String::as_str)
                    .chain(["person", "system", "container", "component"])
                    .collect();
                let mut d = Diagnostic::new(
                    Code::E027,
                    format!(
                        "kind `{}` extends unknown kind `{}`",
                        cur.name.value, ext.value
                    ),
                )
                .label(ext.span, "unknown kind");
                if let Some(s) = did_you_mean(&ext.value, cands) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                return None;
            };
            chain.push(&next.name.value);
            cur = next;
        }
    }

    /// `def`'s own style (E031 for a bad property) over its parent kinds',
    /// the farthest first.
    fn kind_style(&mut self, defs: &Defs, def: &ast::KindDef) -> Style {
        let style = style_from_props(&def.style, ELEMENT_PROPS, self.diags);
        let Some(parent) = def.extends.as_ref().and_then(|e| defs.get(&e.value)) else {
            return style;
        };
        let mut inherited = Style::default();
        // The parents' own problems are reported with them.
        let mut sink = Vec::new();
        let mut p = Some(*parent);
        let mut chain = Vec::new();
        while let Some(k) = p {
            if chain.contains(&k.name.value) || chain.len() > 64 {
                break;
            }
            chain.push(k.name.value.clone());
            p = k.extends.as_ref().and_then(|e| defs.get(&e.value)).copied();
        }
        for kname in chain.iter().rev() {
            if let Some(k) = defs.get(kname) {
                inherited.merge(&style_from_props(&k.style, ELEMENT_PROPS, &mut sink));
            }
        }
        inherited.merge(&style);
        inherited
    }
}

/// Declared kinds by name, in declaration order.
type Defs<'w> = IndexMap<String, &'w ast::KindDef>;
