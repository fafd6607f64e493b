//! `split frames` and `collapse …` in a static view's block.
//!
//! In: the statement as written. Out: the view definition's `split` and
//! `collapse` fields, or E043 (in a view of another kind) and E045 (a name
//! that is no element or group of the model, with a "did you mean").

use super::*;

impl Resolver<'_, '_> {
    /// `split frames` or `collapse …` in a static view's block (and
    /// `subject …`, `boundaries …`: [`views::set_subject_option`]).
    pub(super) fn set_frames(&mut self, of: &mut ViewOf, stmt: &ViewStmt) {
        if let ViewStmt::Subject(..) | ViewStmt::Boundaries(..) = stmt {
            if let Err(d) = views::set_subject_option(of, stmt) {
                self.diags.push(d);
            }
            return;
        }
        let ViewOf::Static(st) = of else {
            return;
        };
        match stmt {
            ViewStmt::Split(span) => st.split = Some(*span),
            ViewStmt::Collapse(names, span) => st.collapse = self.collapse(names.as_deref(), *span),
            _ => {}
        }
    }

    /// `collapse frames` or `collapse NAME, …`: each name an element (drawn
    /// as a boundary where the view frames it) or the title of a group
    /// (or its identifier-like form: `back_office` for "Back office").
    pub(super) fn collapse(&mut self, names: Option<&[Text]>, span: Span) -> Collapse {
        let Some(names) = names else {
            return Collapse::Frames(span);
        };
        let mut frames = Vec::with_capacity(names.len());
        if self.group_names.is_none() {
            let mut by_name: HashMap<String, String> = HashMap::new();
            // A title wins over another group's slug.
            for g in &self.m.groups {
                by_name
                    .entry(slug(&g.title))
                    .or_insert_with(|| g.title.clone());
            }
            for g in &self.m.groups {
                by_name.insert(g.title.clone(), g.title.clone());
            }
            self.group_names = Some(by_name);
        }
        for n in names {
            if let Some(title) = self.group_names.as_ref().and_then(|m| m.get(&n.value)) {
                frames.push(FrameRef::Group(title.clone()));
                continue;
            }
            let path = PathRef {
                segments: n.value.split('.').map(str::to_string).collect(),
                index: None,
                span: n.span,
            };
            let plain = n.value.split('.').all(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            });
            match plain.then(|| self.lookup(&path, None)) {
                Some(Ok(e)) => frames.push(FrameRef::Element(e)),
                Some(Err(d)) if d.code == Code::E022 => self.diags.push(d),
                _ => self.diags.push(self.unknown_frame(n)),
            }
        }
        Collapse::Named(frames, span)
    }

    /// E045 for a `collapse` name that is no element or group.
    fn unknown_frame(&self, n: &Text) -> Diagnostic {
        let titles: Vec<&str> = self.m.groups.iter().map(|g| g.title.as_str()).collect();
        let guess = self
            .guess(&n.value, titles.len(), titles.iter().copied())
            .or_else(|| self.suggest(&n.value));
        let d = Diagnostic::new(
            Code::E045,
            format!(
                "`collapse` names `{}`: no element or group has that name",
                n.value
            ),
        )
        .label(n.span, "not an element or group");
        match guess {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(
                "name an element the view draws as a boundary (`shop.api`) or a group by its title (`\"Back office\"`); `collapse frames` collapses every frame `split frames` would draw apart",
            ),
        }
    }
}

/// E043 for `split frames` or `collapse` in a view that is not a
/// landscape, context, container, component or custom view.
pub(super) fn frames_elsewhere(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E043,
        format!("only a landscape, context, container, component or custom view can use `{what}`"),
    )
    .label(span, "not in this kind of view")
    .hint(format!(
        "remove `{what} …`, or write it in the block of a static view"
    ))
}
