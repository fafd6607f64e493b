//! Elements: `model { … }` statements → elements and groups in the graph.
//!
//! In: the statements of `model` blocks and `extend` bodies, with the
//! enclosing element and group.
//! Out: elements (kind, identity, nesting checked) and groups added to the
//! graph; relationships and `extend`s queued for later; E020, E023, E024,
//! E028 and the size limits (E032, E058, E059) on the way.

use super::*;

impl<'a> Resolver<'_, 'a> {
    pub(super) fn walk(&mut self, stmts: &'a [Stmt], ctx: Ctx) {
        for stmt in stmts {
            match stmt {
                Stmt::Element(e) => self.element(e, ctx),
                Stmt::Group { title, body, span } => {
                    let gid = GroupId(self.m.groups.len() as u32);
                    self.m.groups.push(Group {
                        title: title.value.clone(),
                        element: ctx.this,
                        parent: ctx.group,
                        span: *span,
                        order: self.order,
                    });
                    self.order += 1;
                    self.walk(
                        body,
                        Ctx {
                            this: ctx.this,
                            group: Some(gid),
                            in_group: true,
                        },
                    );
                }
                Stmt::Extend { target, body, .. } => {
                    self.extends.push((target, body, ctx.this));
                }
                Stmt::Relationship(r) => self.rels.push((r, ctx.this)),
                other => self.element_property(other, ctx),
            }
        }
    }

    /// The queued `extend` blocks, walked in the element they name; an
    /// `extend` may add elements that later `extend`s target.
    pub(super) fn walk_extends(&mut self) {
        let mut guard = 0;
        while !self.extends.is_empty() && guard < 10_000 {
            guard += 1;
            let pending = std::mem::take(&mut self.extends);
            for (target, body, scope) in pending {
                match self.lookup(target, scope) {
                    Ok(id) => self.walk(
                        body,
                        Ctx {
                            this: Some(id),
                            group: None,
                            in_group: false,
                        },
                    ),
                    Err(_) if self.dropped.covers(target) => self.dropped.add_body(body),
                    Err(d) => self.diags.push(d),
                }
            }
        }
    }

    /// `description`, `technology`, … inside an element block.
    pub(super) fn element_property(&mut self, stmt: &Stmt, ctx: Ctx) {
        let Some(this) = ctx.this.filter(|_| !ctx.in_group) else {
            let what = stmt.keyword();
            if is_deployment_stmt(stmt) {
                self.deployment_only(stmt);
                return;
            }
            let place = if ctx.in_group {
                "a group"
            } else {
                "the model's top level"
            };
            self.diags.push(
                Diagnostic::new(Code::E028, format!("`{what}` is not allowed in {place}"))
                    .label(stmt.span(), "only allowed inside an element's block")
                    .hint(format!("move it into the block of the element it describes: `x = system \"X\" {{ {what} … }}`")),
            );
            return;
        };
        let e = &mut self.m.graph[this];
        match stmt {
            Stmt::Description(t, _) => e.description = non_empty(&t.value),
            Stmt::Technology(t, _) => e.technology = non_empty(&t.value),
            Stmt::Url(t, _) => e.url = non_empty(&t.value),
            Stmt::External(_) => e.external = true,
            Stmt::Tags(tags, _) => push_tags(&mut e.tags, tags),
            Stmt::Properties(props, _) => {
                for (k, v) in props {
                    e.properties.insert(k.value.clone(), v.value.clone());
                }
            }
            Stmt::Api(file, span) => {
                if matches!(e.base, BaseKind::Container | BaseKind::Component) {
                    e.contract = Some(crate::model::contract::Contract::declared(
                        file.value.clone(),
                        *span,
                    ));
                } else {
                    let base = e.base.keyword();
                    self.diags.push(
                        Diagnostic::new(
                            Code::E028,
                            format!("a {base} cannot have an `api` contract"),
                        )
                        .label(*span, "only containers and components serve APIs")
                        .hint("move `api \"…\"` into the container (or component) that serves it"),
                    );
                }
            }
            Stmt::Step(_, span) => self.diags.push(
                Diagnostic::new(Code::E028, "`step` belongs in a relationship's block")
                    .label(*span, "not on an element")
                    .hint("number a relationship: `a -> b \"Publishes\" { step 1 }`"),
            ),
            other => self.deployment_only(other),
        }
    }

    /// E028 for `instance`, `replicas`, `expand`, `role`, `version` in a model.
    pub(super) fn deployment_only(&mut self, stmt: &Stmt) {
        self.diags.push(
            Diagnostic::new(Code::E028, format!("`{}` belongs in a `deployment` block", stmt.keyword()))
                .label(stmt.span(), "not allowed in a model")
                .hint("place containers with `deployment NAME { n = node \"Node\" { instance shop.api { replicas 3 } } }`"),
        );
    }

    /// `id = kind "Name" "Description" "Technology" "tags" { … }`: checked
    /// step by step (kind, identity, nesting, limits, duplicates), then added
    /// to the graph and its block walked.
    pub(super) fn element(&mut self, e: &'a ast::ElementStmt, ctx: Ctx) {
        let Some((kind_key, base)) = self.element_kind(e) else {
            return;
        };
        // Positional strings: name, description, technology, tags.
        if e.strings.len() > 4 {
            self.diags.push(
                Diagnostic::new(Code::E028, "too many strings after the kind")
                    .label(e.strings[4].span, "unexpected")
                    .hint("positional strings are: name, description, technology, tags; use the block form for more"),
            );
        }
        let name = e.strings.first().and_then(|s| non_empty(&s.value));
        let Some((id, id_span)) = self.element_id(e, name.as_deref()) else {
            return;
        };
        self.check_nesting(e, base, ctx);
        // E032, E058, E059: what is left out keeps nothing inside it either.
        let explicit = e.id.is_some();
        if !limits::check_element(&self.m, ctx.this, &id, id_span, explicit, self.diags) {
            self.dropped.add(id, e.body.as_deref().unwrap_or_default());
            return;
        }
        if self.is_duplicate(e, ctx, &id, id_span) {
            return;
        }
        let path = match ctx.this {
            Some(p) => format!("{}.{}", self.m.graph[p].path, id),
            None => id.clone(),
        };
        let technology = e
            .strings
            .get(2)
            .and_then(|s| non_empty(&s.value))
            .or_else(|| self.m.kind_technology(&kind_key).map(str::to_string));
        let mut tags = Vec::new();
        if let Some(t) = e.strings.get(3) {
            push_tags(&mut tags, std::slice::from_ref(t));
        }
        let element = Element {
            id: id.clone(),
            path,
            kind: kind_key,
            base,
            name: name.unwrap_or_else(|| id.clone()),
            description: e
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.is_empty()),
            technology: technology.filter(|s| !s.is_empty()),
            tags,
            properties: IndexMap::new(),
            url: None,
            external: e.external,
            parent: ctx.this,
            group: ctx.group,
            children: Vec::new(),
            span: e.span,
            id_span,
            order: self.order,
            contract: None,
        };
        let idx = self.add_element(element, ctx);
        if let Some(body) = &e.body {
            let inside = Ctx {
                this: Some(idx),
                group: None,
                in_group: false,
            };
            self.walk(body, inside);
        }
    }

    /// The kind an element is declared with, as (kind name, base kind);
    /// `None` (E024, with a hint at the stdlib's kinds) when there is none.
    fn element_kind(&mut self, e: &ast::ElementStmt) -> Option<(String, BaseKind)> {
        let kind_name = e.kind.value.as_str();
        if let Some(k) = self.m.kinds.get(kind_name) {
            return Some((k.name.clone(), k.base));
        }
        if let Some(b) = BaseKind::from_keyword(kind_name) {
            return Some((b.keyword().to_string(), b));
        }
        let cands: Vec<&str> = self
            .m
            .kinds
            .keys()
            .map(String::as_str)
            .chain(STMT_KEYWORDS.iter().copied())
            .collect();
        let mut d = Diagnostic::new(Code::E024, format!("unknown element kind `{kind_name}`"))
            .label(e.kind.span, "not a kind");
        let std_kinds = crate::load::stdlib_kinds();
        let in_std = std_kinds
            .iter()
            .find(|k| **k == kind_name)
            .copied()
            .or_else(|| {
                did_you_mean(kind_name, std_kinds.iter().copied())
                    .and_then(|m| std_kinds.iter().find(|k| **k == m).copied())
            });
        d = match (in_std, did_you_mean(kind_name, cands)) {
            (_, Some(s)) => d.hint(format!("did you mean `{s}`?")),
            (Some(k), None) => d.hint(format!("`{k}` is declared in the stdlib: add `import \"std/kinds\"` (or `std/theme/accessible`)")),
            (None, None) => d.hint("kinds are person, system, container, component, and those declared with `specification { kind … }` (import \"std/kinds\" for database, queue, cache…)"),
        };
        self.diags.push(d);
        None
    }

    /// The element's identifier and where it is written: explicit, or derived
    /// from its name; `None` for `this` (E020) or neither (E028).
    fn element_id(&mut self, e: &ast::ElementStmt, name: Option<&str>) -> Option<(String, Span)> {
        let kind_name = e.kind.value.as_str();
        match (&e.id, name) {
            (Some(id), _) if id.value == "this" => {
                self.diags.push(
                    Diagnostic::new(Code::E020, "`this` cannot be an identifier")
                        .label(id.span, "reserved")
                        .hint("`this` means the enclosing element in relationships; choose another identifier"),
                );
                None
            }
            (Some(id), _) => Some((id.value.clone(), id.span)),
            (None, Some(n)) => Some((limits::derived_id(n), e.kind.span)),
            (None, None) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::E028,
                        format!("a {kind_name} needs a name or an identifier"),
                    )
                    .label(e.span, "neither an identifier nor a name")
                    .hint(format!("write `id = {kind_name} \"Name\"`")),
                );
                None
            }
        }
    }

    /// E023 when an element is not where its base kind belongs (annotations
    /// go anywhere).
    fn check_nesting(&mut self, e: &ast::ElementStmt, base: BaseKind, ctx: Ctx) {
        let kind_name = e.kind.value.as_str();
        let parent_base = ctx.this.map(|p| self.m.graph[p].base);
        if base == BaseKind::Annotation || parent_base == base.parent() {
            return;
        }
        let msg = match (base.parent(), parent_base) {
            (None, Some(pb)) => format!("a {} cannot be inside a {}", kind_name, pb.keyword()),
            (Some(want), None) => {
                format!("a {} must be inside a {}", kind_name, want.keyword())
            }
            (Some(want), Some(pb)) => format!(
                "a {} must be inside a {}, not a {}",
                kind_name,
                want.keyword(),
                pb.keyword()
            ),
            (None, None) => String::new(),
        };
        let hint = match base {
            BaseKind::Person | BaseKind::System => "people and systems go at the model's top level (or in a top-level group)".to_string(),
            BaseKind::Container => "declare containers inside a system's block: `shop = system \"Shop\" { api = container \"API\" }`".to_string(),
            BaseKind::Component => "declare components inside a container's block: `api = container \"API\" { orders = component \"Orders\" }`".to_string(),
            BaseKind::Annotation => String::new(),
        };
        self.diags.push(
            Diagnostic::new(Code::E023, msg)
                .label(e.kind.span, "wrong place for this kind")
                .hint(hint),
        );
    }

    /// Whether the enclosing element already has a child `id` (E020).
    fn is_duplicate(&mut self, e: &ast::ElementStmt, ctx: Ctx, id: &str, id_span: Span) -> bool {
        let Some(prev) = self.children.get(&ChildOf(ctx.this, id)) else {
            return false;
        };
        let kind_name = e.kind.value.as_str();
        let prev_span = self.m.graph[*prev].id_span;
        let derived = e.id.is_none();
        let mut d = Diagnostic::new(Code::E020, format!("duplicate identifier `{id}`"))
            .label(
                id_span,
                if derived {
                    "identifier derived from the name is taken"
                } else {
                    "declared again here"
                },
            )
            .secondary(prev_span, "first declared here");
        d = d.hint(if derived {
            format!("give this element its own identifier: `other_{id} = {kind_name} \"…\"`")
        } else {
            "rename one of them, or use `extend` to add to the existing element".to_string()
        });
        self.diags.push(d);
        true
    }

    /// Adds a checked element to the graph and to the name tables.
    fn add_element(&mut self, element: Element, ctx: Ctx) -> ElementId {
        let (id, path) = (element.id.clone(), element.path.clone());
        self.order += 1;
        let idx = self.m.graph.add_node(element);
        match ctx.this {
            Some(p) => self.m.graph[p].children.push(idx),
            None => self.m.roots.push(idx),
        }
        self.children.insert((ctx.this, id.clone()), idx);
        self.names_len += id.len() + path.len();
        self.short.entry(id).or_default().push(idx);
        self.m.by_path.insert(path, idx);
        idx
    }
}
