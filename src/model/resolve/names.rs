//! Names: a reference (`a.b`, `this`, a short identifier) → an element.
//!
//! In: a path as written and the element whose block it is in.
//! Out: the element it names — nearest scope first, then a unique short
//! identifier anywhere — or E021 (with a "did you mean", within the model's
//! suggestion budget), E022 (ambiguous) or E029 (`this` outside an element).

use super::*;

impl<'a> Resolver<'_, 'a> {
    /// Resolves a reference from the scope of `scope` (the enclosing element):
    /// nearest enclosing scope first, then an unambiguous short name anywhere.
    pub(super) fn lookup(
        &self,
        path: &PathRef,
        scope: Option<ElementId>,
    ) -> Result<ElementId, Diagnostic> {
        let mut segs = path.segments.iter();
        let Some(first) = segs.next() else {
            return Err(Diagnostic::new(Code::E021, "empty reference").label(path.span, "here"));
        };
        let mut found = if first == "this" {
            match scope {
                Some(s) => Some(s),
                None => {
                    return Err(Diagnostic::new(Code::E029, "`this` outside an element")
                        .label(path.span, "no enclosing element")
                        .hint("`this` means the element whose block you are in"));
                }
            }
        } else {
            let mut cur = scope;
            let mut hit = None;
            loop {
                if let Some(c) = self.children.get(&ChildOf(cur, first)) {
                    hit = Some(*c);
                    break;
                }
                match cur {
                    Some(c) => cur = self.m.graph[c].parent,
                    None => break,
                }
            }
            hit
        };
        if found.is_none() {
            match self.short.get(first).map(Vec::as_slice) {
                Some([one]) => found = Some(*one),
                Some(many) if many.len() > 1 => {
                    let mut paths: Vec<&str> = many
                        .iter()
                        .map(|i| self.m.graph[*i].path.as_str())
                        .collect();
                    paths.sort();
                    let shown: Vec<String> =
                        paths.iter().take(8).map(|p| format!("`{p}`")).collect();
                    let more = if paths.len() > 8 {
                        format!(" and {} more", paths.len() - 8)
                    } else {
                        String::new()
                    };
                    return Err(
                        Diagnostic::new(Code::E022, format!("`{first}` is ambiguous"))
                            .label(
                                path.span,
                                format!("{} elements are called `{first}`", paths.len()),
                            )
                            .note(format!("candidates: {}{more}", shown.join(", ")))
                            .hint(format!("write the full identifier, e.g. `{}`", paths[0])),
                    );
                }
                _ => {
                    let mut d =
                        Diagnostic::new(Code::E021, format!("unknown element `{}`", path.dotted()))
                            .label(path.span, "not defined");
                    d = match self.suggest(&path.dotted()) {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint("declare it in a `model` block, or check the spelling"),
                    };
                    return Err(d);
                }
            }
        }
        let mut cur = found.unwrap_or(NodeIndex::new(0));
        let mut walked = vec![first.clone()];
        for seg in segs {
            match self.children.get(&ChildOf(Some(cur), seg)) {
                Some(c) => cur = *c,
                None => {
                    let parent = &self.m.graph[cur];
                    let kids: Vec<&str> = parent
                        .children
                        .iter()
                        .map(|c| self.m.graph[*c].id.as_str())
                        .collect();
                    let mut d =
                        Diagnostic::new(Code::E021, format!("unknown element `{}`", path.dotted()))
                            .label(
                                path.span,
                                format!("`{}` has no child `{seg}`", walked.join(".")),
                            );
                    d = match did_you_mean(seg, kids.iter().copied()) {
                        Some(s) => d.hint(format!("did you mean `{}.{s}`?", parent.path)),
                        None if kids.is_empty() => {
                            d.hint(format!("`{}` has no children", parent.path))
                        }
                        None => d.hint(format!("its children are: {}", kids.join(", "))),
                    };
                    return Err(d);
                }
            }
            walked.push(seg.clone());
        }
        self.refs.borrow_mut().push(Reference {
            span: path.span,
            target: cur,
        });
        Ok(cur)
    }

    /// The name an unknown reference may have meant. Comparing it with every
    /// name costs their length times its own: past a budget for the whole
    /// model ([`limits::SUGGEST_BUDGET`]), there is no suggestion.
    pub(super) fn suggest(&self, dotted: &str) -> Option<String> {
        let names = self.m.by_path.keys().chain(self.short.keys());
        self.guess(dotted, self.names_len, names.map(String::as_str))
    }

    /// [`did_you_mean`] from `names` (`len` long in all), within the budget.
    pub(super) fn guess<'n>(
        &self,
        needle: &str,
        len: usize,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Option<String> {
        let cost = needle.len().saturating_mul(len);
        let left = self.suggest_left.get();
        self.suggest_left.set(left.saturating_sub(cost));
        (cost <= left).then(|| did_you_mean(needle, names))?
    }
}
