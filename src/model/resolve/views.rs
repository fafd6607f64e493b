//! View definitions: one view of a `views { … }` block → a [`ViewDef`].
//!
//! In: the resolver, with elements, deployments and meshes already resolved.
//! Out: a view definition, and E041–E043 (subjects, keys, statements) and
//! W005 (a selector matching nothing) on the way; `defaults.rs` gathers them
//! (E040) and lays them over the default views.

use super::deployment_views::hosts_unseen;
use super::*;
use crate::model::deployment::NodeDraw;

impl<'a> Resolver<'_, 'a> {
    // ------------------------------------------------------------ views

    /// The subject of a context, container or component view: a system
    /// (a container for a component view), or E041.
    fn view_subject(&mut self, def: &ast::ViewDef) -> Option<ElementId> {
        let Some(sp) = &def.subject else {
            let want = if def.kind == ViewKind::Component {
                "container"
            } else {
                "system"
            };
            self.diags.push(
                Diagnostic::new(
                    Code::E041,
                    format!("a {} view needs a subject", def.kind.keyword()),
                )
                .label(def.kind_span, format!("which {want}?"))
                .hint(format!(
                    "write `{} <{want} identifier>`",
                    def.kind.keyword()
                )),
            );
            return None;
        };
        match self.lookup(sp, None) {
            Ok(id) => {
                let base = self.m.graph[id].base;
                let want = if def.kind == ViewKind::Component {
                    BaseKind::Container
                } else {
                    BaseKind::System
                };
                if base != want {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E041,
                            format!(
                                "a {} view is of a {}, not a {}",
                                def.kind.keyword(),
                                want.keyword(),
                                base.keyword()
                            ),
                        )
                        .label(sp.span, format!("this is a {}", base.keyword()))
                        .hint(match def.kind {
                            ViewKind::Component => "component views show the inside of a container",
                            ViewKind::Container => {
                                "container views show the inside of a software system"
                            }
                            _ => "context views are drawn around a software system",
                        }),
                    );
                    return None;
                }
                Some(id)
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    pub(super) fn view(&mut self, def: &ast::ViewDef) -> Option<ViewDef> {
        let mut strings = def.strings.iter();
        let mut subject = None;
        let key_text: Option<Text>;
        if matches!(def.kind, ViewKind::Landscape | ViewKind::Custom) {
            key_text = match &def.subject {
                Some(p) => Some(Text {
                    value: p.dotted(),
                    span: p.span,
                }),
                None => strings.next().cloned(),
            };
        } else if def.kind == ViewKind::Deployment {
            return self.deployment_view(def);
        } else if matches!(
            def.kind,
            ViewKind::Mesh | ViewKind::Cdn | ViewKind::Code | ViewKind::States | ViewKind::Dynamic
        ) {
            return self.mesh_view(def);
        } else {
            subject = Some(self.view_subject(def)?);
            key_text = strings.next().cloned();
        }
        let mut title_text = strings.next().cloned();
        if let Some(extra) = strings.next() {
            self.diags.push(
                Diagnostic::new(Code::E043, "too many strings in the view declaration")
                    .label(extra.span, "unexpected")
                    .hint("write `KIND [SUBJECT] [\"key\"] [\"title\"]`, and a description inside the block"),
            );
        }
        let key = match &key_text {
            Some(t) => {
                if let Err(why) = check_view_key(&t.value) {
                    let mut d =
                        Diagnostic::new(Code::E042, format!("invalid view key `{}`", t.value))
                            .label(t.span, why);
                    d = if t.value.contains(' ') && title_text.is_none() {
                        d.hint("the first string is the view's key (its file name); to set a title, write `title \"…\"` in the view's block")
                    } else {
                        d.hint("a key may use letters, digits, `-`, `_` and `.` (at most 100 characters)")
                    };
                    self.diags.push(d);
                    return None;
                }
                t.value.clone()
            }
            None => unnamed_key(def.kind, subject.map(|s| self.m.graph[s].path.as_str())),
        };
        let mut view = ViewDef {
            key,
            title: String::new(),
            description: None,
            direction: None,
            span: def.span,
            derived_key: key_text.is_none(),
            of: ViewOf::Static(StaticDef {
                // Only the static kinds get here.
                kind: StaticKind::of(def.kind).unwrap_or(StaticKind::Landscape),
                subject,
                include: Vec::new(),
                exclude: Vec::new(),
                subject_draw: SubjectDraw::Boundary,
                boundaries: crate::model::Boundaries::All,
                split: None,
                collapse: crate::model::Collapse::None,
            }),
        };
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for stmt in &def.body {
            match stmt {
                ViewStmt::Flowchart { span, .. } => self.diags.push(flowchart_elsewhere(*span)),
                ViewStmt::Nodes { span, .. } => self.diags.push(nodes_elsewhere(*span)),
                ViewStmt::Include(exprs) => {
                    for e in exprs {
                        if let Some(s) = self.selection(e) {
                            include.push(s);
                        }
                    }
                }
                ViewStmt::Exclude(exprs) => {
                    for e in exprs {
                        match self.selection(e) {
                            Some(Selection::Default) => self.diags.push(
                                Diagnostic::new(
                                    Code::E043,
                                    "`exclude *` would leave the view empty",
                                )
                                .label(e.span(), "excludes everything")
                                .hint("exclude specific elements, tags or relationships"),
                            ),
                            Some(s) => exclude.push(s),
                            None => {}
                        }
                    }
                }
                ViewStmt::Subject(..)
                | ViewStmt::Boundaries(..)
                | ViewStmt::Split(_)
                | ViewStmt::Collapse(..) => self.set_frames(&mut view.of, stmt),
                ViewStmt::Direction(d, _) => view.direction = Some(*d),
                ViewStmt::Title(t) => title_text = Some(t.clone()),
                ViewStmt::Description(t) => view.description = Some(t.value.clone()),
            }
        }
        if include.is_empty() {
            include.push(Selection::Default);
        }
        if let ViewOf::Static(st) = &mut view.of {
            st.include = include;
            st.exclude = exclude;
        }
        view.title = match title_text {
            Some(t) => t.value,
            None => match subject {
                Some(s) => default_title(def.kind, &self.m.graph[s].name),
                None => default_title(def.kind, ""),
            },
        };
        Some(view)
    }

    /// `mesh NAME` / `cdn NAME` `["key" ["title"]] { direction … title … }`
    pub(super) fn mesh_view(&mut self, def: &ast::ViewDef) -> Option<ViewDef> {
        let kind = def.kind;
        let word = kind.keyword();
        let (names, titles): (Vec<String>, Vec<String>) = match kind {
            ViewKind::Cdn => self
                .m
                .cdns
                .iter()
                .map(|m| (m.name.clone(), m.title.clone()))
                .unzip(),
            ViewKind::Code => self
                .m
                .code
                .iter()
                .map(|c| (self.m.graph[c.element].path.clone(), c.title.clone()))
                .unzip(),
            ViewKind::States => self
                .m
                .state_machines
                .iter()
                .map(|m| (m.name.clone(), m.title.clone()))
                .unzip(),
            ViewKind::Dynamic => self
                .m
                .dynamics
                .iter()
                .map(|m| (m.name.clone(), m.title.clone()))
                .unzip(),
            _ => self
                .m
                .meshes
                .iter()
                .map(|m| (m.name.clone(), m.title.clone()))
                .unzip(),
        };
        let name = def.subject.as_ref().map(|p| p.dotted()).unwrap_or_default();
        let Some(index) = names.iter().position(|m| *m == name) else {
            let mut d = Diagnostic::new(Code::E041, format!("no {word} `{name}`")).label(
                def.subject
                    .as_ref()
                    .map(|p| p.span)
                    .unwrap_or(def.kind_span),
                "not declared",
            );
            d = match did_you_mean(&name, names.iter().map(String::as_str)) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(match kind {
                    ViewKind::Mesh | ViewKind::Cdn => {
                        format!("declare it with `{word} NAME in ENVIRONMENT {{ … }}`")
                    }
                    ViewKind::Code => {
                        "declare it with `code ELEMENT { … }`; the view names the element".into()
                    }
                    _ => format!("declare it with `{word} NAME {{ … }}`"),
                }),
            };
            self.diags.push(d);
            return None;
        };
        let hint = (
            format!("a {word} view is computed from its declaration"),
            format!("change the `{word}` declaration instead"),
        );
        self.derived_view(
            def,
            kind,
            &name,
            index,
            None,
            None,
            default_title(kind, &titles[index]),
            hint,
        )
    }

    /// The view of something declared elsewhere (an environment, a mesh, a CDN,
    /// code, a state machine, a dynamic block): its key and title strings and
    /// its block (`direction`, `title`, `description`, `flowchart` for dynamic
    /// views, `nodes` and `include`/`exclude` for deployment views);
    /// elsewhere `include`/`exclude` do not apply (E043, with `hint`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn derived_view(
        &mut self,
        def: &ast::ViewDef,
        kind: ViewKind,
        name: &str,
        index: usize,
        subject: Option<ElementId>,
        description: Option<String>,
        fallback_title: String,
        hint: (String, String),
    ) -> Option<ViewDef> {
        let mut strings = def.strings.iter();
        let key_text = strings.next();
        let mut title = strings.next().map(|t| t.value.clone());
        let key = match key_text {
            Some(t) => {
                if let Err(why) = check_view_key(&t.value) {
                    self.diags.push(
                        Diagnostic::new(Code::E042, format!("invalid view key `{}`", t.value))
                            .label(t.span, why)
                            .hint("a key may use letters, digits, `-`, `_` and `.` (at most 100 characters)"),
                    );
                    return None;
                }
                t.value.clone()
            }
            None => derived_key(kind, name),
        };
        let mut view = ViewDef {
            key,
            title: String::new(),
            description,
            direction: None,
            span: def.span,
            derived_key: key_text.is_none(),
            of: derived_of(kind, index, subject),
        };
        for stmt in &def.body {
            match stmt {
                ViewStmt::Flowchart { span, .. } if kind != ViewKind::Dynamic => {
                    self.diags.push(flowchart_elsewhere(*span))
                }
                // `over "KEY"` is settled once every view is known
                // (`over.rs`): until then, a plain flowchart.
                ViewStmt::Flowchart { .. } => {
                    if let ViewOf::Dynamic { form, .. } = &mut view.of {
                        *form = DynamicForm::Flowchart;
                    }
                }
                ViewStmt::Nodes {
                    boxes, hosts, span, ..
                } => match &mut view.of {
                    ViewOf::Deployment { options, env, .. } => {
                        options.nodes = if *boxes {
                            NodeDraw::Box
                        } else {
                            NodeDraw::Frame
                        };
                        options.hosts = *hosts;
                        if *hosts {
                            self.diags
                                .extend(hosts_unseen(&self.m, *env, *boxes, *span));
                        }
                    }
                    _ => self.diags.push(nodes_elsewhere(*span)),
                },
                ViewStmt::Subject(_, span) => self.diags.push(subject_elsewhere(*span)),
                ViewStmt::Boundaries(_, span) => self.diags.push(boundaries_elsewhere(*span)),
                ViewStmt::Split(span) => self.diags.push(frames::frames_elsewhere(*span, "split")),
                ViewStmt::Collapse(names, span) => match &mut view.of {
                    ViewOf::Deployment { options, .. } => {
                        options.collapse = self.deployment_collapse(index, names.as_deref());
                        options.collapse_span = Some(*span);
                    }
                    _ => self.diags.push(frames::frames_elsewhere(*span, "collapse")),
                },
                ViewStmt::Direction(d, _) => view.direction = Some(*d),
                ViewStmt::Title(t) => title = Some(t.value.clone()),
                ViewStmt::Description(t) => view.description = Some(t.value.clone()),
                ViewStmt::Include(e) | ViewStmt::Exclude(e) if kind == ViewKind::Deployment => {
                    let include = matches!(stmt, ViewStmt::Include(_));
                    self.deployment_selections(&mut view.of, index, e, include);
                }
                ViewStmt::Include(e) | ViewStmt::Exclude(e) => {
                    if let Some(first) = e.first() {
                        self.diags.push(
                            Diagnostic::new(Code::E043, hint.0.clone())
                                .label(first.span(), "include/exclude not supported here")
                                .hint(hint.1.clone()),
                        );
                    }
                }
            }
        }
        view.title = title.unwrap_or(fallback_title);
        Some(view)
    }

    pub(super) fn selector(&mut self, s: &Selector, any_for_wildcard: bool) -> Option<Selection> {
        match s {
            Selector::Wildcard(_) => Some(if any_for_wildcard {
                Selection::Any
            } else {
                Selection::Default
            }),
            Selector::Path { path, star, .. } => match self.lookup(path, None) {
                Ok(id) => Some(Selection::of_element(id, *star)),
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            },
        }
    }

    pub(super) fn selection(&mut self, e: &ViewExpr) -> Option<Selection> {
        match e {
            ViewExpr::Element(s) => self.selector(s, false),
            ViewExpr::Tag(t) => {
                if t.value != "external" && !self.m.tag_in_use(&t.value) {
                    let tags = self.m.tagged.keys().map(String::as_str);
                    let guess = self.guess(&t.value, self.tags_len, tags);
                    let mut d = Diagnostic::new(
                        Code::W005,
                        format!("no element has the tag `{}`", t.value),
                    )
                    .label(t.span, "selects nothing");
                    d = match guess {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint("tag elements with `tags \"name\"` in their block"),
                    };
                    self.diags.push(d);
                }
                Some(Selection::Tag(t.value.clone()))
            }
            ViewExpr::Kind(k) => {
                if self.m.kinds.contains_key(&k.value) {
                    Some(Selection::Kind(k.value.clone()))
                } else {
                    let mut d =
                        Diagnostic::new(Code::E024, format!("unknown element kind `{}`", k.value))
                            .label(k.span, "not a kind");
                    if let Some(s) = did_you_mean(&k.value, self.m.kinds.keys().map(String::as_str))
                    {
                        d = d.hint(format!("did you mean `{s}`?"));
                    }
                    self.diags.push(d);
                    None
                }
            }
            ViewExpr::Relationship {
                from, arrow, to, ..
            } => {
                let f = self.selector(from, true)?;
                let t = self.selector(to, true)?;
                Some(Selection::Relationships(Box::new(f), *arrow, Box::new(t)))
            }
        }
    }
}

/// E043 for `flowchart` in a static view.
fn flowchart_elsewhere(span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::E043,
        "only a dynamic view can be drawn as a flowchart",
    )
    .label(span, "not for this view")
    .hint("remove `flowchart`")
}

/// The key of a static view written without one: derived from its subject,
/// else `custom` or `landscape` (a custom view must not take the landscape's).
fn unnamed_key(kind: ViewKind, subject: Option<&str>) -> String {
    match subject {
        Some(path) => derived_key(kind, path),
        None if kind == ViewKind::Custom => "custom".to_string(),
        None => "landscape".to_string(),
    }
}

/// `subject box|boundary|both` and `boundaries subject|all` in a component
/// or container view; E043 in any other.
pub(super) fn set_subject_option(of: &mut ViewOf, stmt: &ViewStmt) -> Result<(), Diagnostic> {
    let st = match of {
        ViewOf::Static(st) if matches!(st.kind, StaticKind::Component | StaticKind::Container) => {
            Some(st)
        }
        _ => None,
    };
    match (stmt, st) {
        (ViewStmt::Subject(draw, _), Some(st)) => st.subject_draw = *draw,
        (ViewStmt::Boundaries(which, _), Some(st)) => st.boundaries = *which,
        (ViewStmt::Boundaries(_, span), None) => return Err(boundaries_elsewhere(*span)),
        (ViewStmt::Subject(_, span), None) => return Err(subject_elsewhere(*span)),
        _ => {}
    }
    Ok(())
}

/// E043 for `subject box|boundary|both` in a view without a container or
/// system of its own to draw.
fn subject_elsewhere(span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::E043,
        "only a component or container view chooses how its subject is drawn",
    )
    .label(span, "not for this view")
    .hint("remove `subject …`, or write it in a `component CONTAINER` or `container SYSTEM` view")
}

/// E043 for `nodes box|frame` in a view other than a deployment view.
fn nodes_elsewhere(span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::E043,
        "only a deployment view chooses how its nodes are drawn",
    )
    .label(span, "not for this view")
    .hint("remove `nodes …`, or write it in a `deployment ENV` view")
}

/// The key of a view nobody named: `shop-context`, `shop-api-components`.
///
/// The key is a file name, so a long path (identifiers nest up to 64 deep,
/// 128 characters each) is cut to 80 characters and made unique again with a
/// hash of the whole path: the key stays within [`check_view_key`]'s limit.
pub fn derived_key(kind: ViewKind, path: &str) -> String {
    let mut p = path.replace('.', "-");
    if p.len() > 80 {
        // FNV-1a: stable across runs and platforms (unlike std's hasher).
        let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        let mut cut = 80;
        while !p.is_char_boundary(cut) {
            cut -= 1;
        }
        p = format!(
            "{}-{:08x}",
            p[..cut].trim_end_matches(['-', '_']),
            hash as u32
        );
    }
    match kind {
        ViewKind::Landscape => "landscape".into(),
        ViewKind::Custom => "custom".into(),
        ViewKind::Context => format!("{p}-context"),
        ViewKind::Container => format!("{p}-containers"),
        ViewKind::Component => format!("{p}-components"),
        ViewKind::Deployment => format!("{p}-deployment"),
        ViewKind::Mesh => format!("{p}-mesh"),
        ViewKind::Cdn => format!("{p}-cdn"),
        ViewKind::Code => format!("{p}-code"),
        ViewKind::States => format!("{p}-states"),
        ViewKind::Dynamic => format!("{p}-dynamic"),
    }
}

pub(super) fn default_title(kind: ViewKind, name: &str) -> String {
    match kind {
        ViewKind::Landscape => "System Landscape".into(),
        ViewKind::Custom => "Custom view".into(),
        ViewKind::Context => format!("System Context: {name}"),
        ViewKind::Container => format!("Containers: {name}"),
        ViewKind::Component => format!("Components: {name}"),
        ViewKind::Deployment => format!("Deployment: {name}"),
        ViewKind::Mesh => format!("Service Mesh: {name}"),
        ViewKind::Cdn => format!("CDN: {name}"),
        ViewKind::Code => name.to_string(),
        ViewKind::States => format!("State machine: {name}"),
        ViewKind::Dynamic => name.to_string(),
    }
}

/// View keys become file names: keep them portable and inside the output directory.
pub fn check_view_key(key: &str) -> Result<(), &'static str> {
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "index",
    ];
    if key.is_empty() {
        return Err("a key cannot be empty");
    }
    if key.len() > 100 {
        return Err("longer than 100 characters");
    }
    // `_` too: identifiers may start with one, and derived keys start with an identifier.
    if !key.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return Err("must start with an ASCII letter, digit or `_`");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err("only ASCII letters and digits, `-`, `_` and `.` are allowed");
    }
    if key.contains("..") {
        return Err("`..` is not allowed");
    }
    let stem = key.split('.').next().unwrap_or(key).to_ascii_lowercase();
    if RESERVED.contains(&stem.as_str()) {
        return Err("reserved file name");
    }
    Ok(())
}

/// What a view of something declared elsewhere shows: `index` into the
/// model's vector for `kind` (`subject`: a deployment view's `of SYSTEM`).
pub(super) fn derived_of(kind: ViewKind, index: usize, subject: Option<ElementId>) -> ViewOf {
    match kind {
        ViewKind::Deployment => ViewOf::Deployment {
            env: EnvId::new(index),
            system: subject,
            options: Default::default(),
        },
        ViewKind::Cdn => ViewOf::Cdn(CdnId::new(index)),
        ViewKind::Code => ViewOf::Code(CodeId::new(index)),
        ViewKind::States => ViewOf::States(MachineId::new(index)),
        ViewKind::Dynamic => ViewOf::Dynamic {
            id: DynamicId::new(index),
            form: DynamicForm::Sequence,
        },
        _ => ViewOf::Mesh(MeshId::new(index)),
    }
}

/// E043 for `boundaries subject|all` in a view without a subject framed
/// around its parts.
fn boundaries_elsewhere(span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::E043,
        "only a component or container view chooses which boundaries it draws",
    )
    .label(span, "not for this view")
    .hint(
        "remove `boundaries …`, or write it in a `component CONTAINER` or `container SYSTEM` view",
    )
}
