//! Deployment items: nodes, infrastructure nodes and instances.
//!
//! In: the statements of one `deployment` block, with the environment built
//! so far and its index of identifiers and names.
//! Out: [`DeplItem`]s added to the environment's tree (with their
//! description, technology, tags, properties, replicas and `expand`), its
//! relationships queued for later; E020, E028, E050–E052, E059 and W007 on
//! the way.

use indexmap::IndexMap;

use super::{DeplItem, DeplKind, Deployment, MAX_REPLICAS, NodeShape};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::index::ItemIndex;
use crate::model::{BaseKind, ElementId, Model, Shape};
use crate::source::Span;
use crate::syntax::ast::{self, PathRef, Stmt, Text};

/// The statements a deployment allows, for messages.
const ALLOWED: &str = "`node`, `infra`, `instance`, relationships, and in their blocks description, technology, tags, url, properties, replicas, expand, role, version and (for a node) shape";

/// Builds one environment's items from its block's statements.
pub(super) struct Builder<'a, 'd> {
    pub(super) model: &'a Model,
    pub(super) d: &'d mut Deployment,
    pub(super) env: usize,
    pub(super) lookup: &'a dyn Fn(&PathRef) -> Result<ElementId, Diagnostic>,
    pub(super) diags: &'d mut Vec<Diagnostic>,
    pub(super) pending: &'d mut Vec<(usize, &'a ast::RelStmt, Option<usize>)>,
    pub(super) index: &'d mut ItemIndex,
}

impl<'a> Builder<'a, '_> {
    pub(super) fn walk(&mut self, stmts: &'a [Stmt], parent: Option<usize>) {
        for stmt in stmts {
            match stmt {
                Stmt::Element(e) => self.element(e, parent),
                Stmt::Instance(i) => self.instance(i, parent),
                Stmt::Relationship(r) => self.pending.push((self.env, r, parent)),
                other => self.property(other, parent),
            }
        }
    }

    fn add(&mut self, mut item: DeplItem) -> Option<usize> {
        item.path = self.path_of(item.parent, &item.id, item.id_span)?;
        let key = (item.parent, item.id.clone());
        if let Some(prev) = self.index.ids.get(&key) {
            let prev_span = self.d.items[*prev].id_span;
            self.diags.push(
                Diagnostic::new(Code::E020, format!("duplicate identifier `{}` in this node", item.id))
                    .label(item.id_span, "declared again here")
                    .secondary(prev_span, "first declared here")
                    .hint("give each node, infrastructure node and instance its own identifier (`id = instance …`)"),
            );
            return None;
        }
        let named = self.index.named(item.parent, &item.name);
        if let Some(twin) = named.iter().find(|s| self.d.items[**s].name == item.name) {
            let twin_span = self.d.items[*twin].id_span;
            self.diags.push(
                Diagnostic::new(Code::W007, format!("two items named `{}` in one node", item.name))
                    .label(item.id_span, "same name as a sibling")
                    .secondary(twin_span, "this one")
                    .hint("readers cannot tell them apart: name them differently, or use `replicas N` and `expand`"),
            );
        }
        let idx = self.d.items.len();
        match item.parent {
            Some(p) => self.d.items[p].children.push(idx),
            None => self.d.roots.push(idx),
        }
        self.index.insert(item.parent, key.1, &item.name, idx);
        self.d.items.push(item);
        Some(idx)
    }

    /// `env.node.item`; `None` (E059) when too long to keep.
    fn path_of(&mut self, parent: Option<usize>, id: &str, id_span: Span) -> Option<String> {
        let path = match parent {
            Some(p) => format!("{}.{id}", self.d.items[p].path),
            None => format!("{}.{id}", self.d.name),
        };
        let checked = crate::model::limits::check_item_path(&path, id_span);
        checked.map(|()| path).map_err(|d| self.diags.push(d)).ok()
    }

    fn element(&mut self, e: &'a ast::ElementStmt, parent: Option<usize>) {
        let kind = match e.kind.value.as_str() {
            "node" | "deploymentNode" => DeplKind::Node,
            "infra" | "infrastructureNode" => DeplKind::Infra,
            other => {
                let mut d = Diagnostic::new(
                    Code::E028,
                    format!("`{other}` is not allowed in a deployment"),
                )
                .label(e.kind.span, "not a deployment item");
                d = match did_you_mean(other, ["node", "infra", "instance"]) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!(
                        "a deployment holds {ALLOWED}; declare model elements in `model` and place them with `instance`"
                    )),
                };
                self.diags.push(d);
                return;
            }
        };
        if parent.is_some_and(|p| self.d.items[p].kind != DeplKind::Node) {
            self.diags.push(
                Diagnostic::new(Code::E028, "only a `node` can contain other items")
                    .label(e.kind.span, "inside an infrastructure node or instance")
                    .hint("move it into a `node` block"),
            );
            return;
        }
        let name = e
            .strings
            .first()
            .map(|s| s.value.clone())
            .filter(|s| !s.trim().is_empty());
        let (id, id_span) = match (&e.id, &name) {
            (Some(id), _) => (id.value.clone(), id.span),
            (None, Some(n)) => (crate::model::limits::derived_id(n), e.kind.span),
            (None, None) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::E028,
                        format!("a {} needs a name or an identifier", e.kind.value),
                    )
                    .label(e.span, "neither an identifier nor a name")
                    .hint(format!("write `id = {} \"Name\"`", e.kind.value)),
                );
                return;
            }
        };
        let item = DeplItem {
            path: String::new(), // set by `add`
            name: name.unwrap_or_else(|| id.clone()),
            id,
            kind,
            description: e
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            technology: e
                .strings
                .get(2)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            tags: split_tags(e.strings.get(3)),
            properties: IndexMap::new(),
            replicas: 1,
            expand: None,
            parent,
            children: Vec::new(),
            span: e.span,
            id_span,
            shape: None,
        };
        if let Some(idx) = self.add(item)
            && let Some(body) = &e.body
        {
            self.walk(body, Some(idx));
        }
    }

    fn instance(&mut self, i: &'a ast::InstanceStmt, parent: Option<usize>) {
        if parent.is_some_and(|p| self.d.items[p].kind != DeplKind::Node) {
            self.diags.push(
                Diagnostic::new(
                    Code::E028,
                    "an instance must be in a `node`, not in another item",
                )
                .label(i.span, "misplaced")
                .hint("move it into a `node` block"),
            );
            return;
        }
        let element = match (self.lookup)(&i.element) {
            Ok(e) => e,
            Err(mut d) => {
                d.code = Code::E050;
                d.message = format!("instance of an unknown element: {}", d.message);
                self.diags.push(d);
                return;
            }
        };
        let el = self.model.element(element);
        if el.base == BaseKind::Person {
            self.diags.push(
                Diagnostic::new(Code::E051, format!("`{}` is a person and cannot be deployed", el.path))
                    .label(i.element.span, "a person")
                    .hint("deploy containers (or systems); refer to people directly in deployment relationships"),
            );
            return;
        }
        let id = match &i.id {
            Some(id) => id.value.clone(),
            None => el.id.clone(),
        };
        let id_span = i.id.as_ref().map(|t| t.span).unwrap_or(i.element.span);
        let item = DeplItem {
            path: String::new(), // set by `add`
            id,
            kind: DeplKind::Instance(element),
            name: i
                .strings
                .first()
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| el.name.clone()),
            description: i
                .strings
                .get(1)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty()),
            technology: i
                .strings
                .get(2)
                .map(|s| s.value.clone())
                .filter(|s| !s.trim().is_empty())
                .or_else(|| el.technology.clone()),
            tags: split_tags(i.strings.get(3)),
            properties: IndexMap::new(),
            replicas: 1,
            expand: None,
            parent,
            children: Vec::new(),
            span: i.span,
            id_span,
            shape: None,
        };
        if let Some(idx) = self.add(item)
            && let Some(body) = &i.body
        {
            self.walk(body, Some(idx));
        }
    }

    /// Statements that describe the enclosing item (or, at the top level, the environment).
    fn property(&mut self, stmt: &Stmt, parent: Option<usize>) {
        let Some(p) = parent else {
            match stmt {
                Stmt::Description(t, _) => {
                    self.d.description = Some(t.value.clone()).filter(|s| !s.is_empty())
                }
                other => self.diags.push(
                    Diagnostic::new(
                        Code::E028,
                        format!(
                            "`{}` is not allowed at the top of a deployment",
                            other.keyword()
                        ),
                    )
                    .label(other.span(), "not allowed here")
                    .hint(format!("a deployment holds {ALLOWED}")),
                ),
            }
            return;
        };
        let item = &mut self.d.items[p];
        match stmt {
            Stmt::Description(t, _) => {
                item.description = Some(t.value.clone()).filter(|s| !s.is_empty())
            }
            Stmt::Technology(t, _) => {
                item.technology = Some(t.value.clone()).filter(|s| !s.is_empty())
            }
            Stmt::Url(t, _) => {
                item.properties.insert("url".into(), t.value.clone());
            }
            Stmt::Tags(tags, _) => {
                // Repeats are dropped once the environment is read (`dedup_tags`).
                for t in tags {
                    for part in t.value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        item.tags.push(part.to_string());
                    }
                }
            }
            Stmt::Properties(props, _) => {
                for (k, v) in props {
                    item.properties.insert(k.value.clone(), v.value.clone());
                }
            }
            Stmt::Attr(k, v, _) => {
                item.properties.insert(k.value.clone(), v.value.clone());
            }
            Stmt::Replicas(n, span) => match n.value.parse::<i64>() {
                Ok(v) if v >= 1 && v <= i64::from(MAX_REPLICAS) => item.replicas = v as u32,
                _ => self.diags.push(
                    Diagnostic::new(
                        Code::E052,
                        format!("`{}` is not a valid number of replicas", n.value),
                    )
                    .label(n.span, "not a positive whole number")
                    .note(format!("in `{}`", self.d.items[p].path))
                    .hint(format!(
                        "write a whole number from 1 to {MAX_REPLICAS}: `replicas 3`"
                    ))
                    .secondary(*span, "here"),
                ),
            },
            Stmt::Expand(template, _) => {
                item.expand = Some(template.as_ref().map(|t| t.value.clone()))
            }
            Stmt::Shape(name, span) => shape(item, name, *span, self.diags),
            other => self.diags.push(
                Diagnostic::new(
                    Code::E028,
                    format!("`{}` is not allowed in a deployment item", other.keyword()),
                )
                .label(other.span(), "not allowed here")
                .hint(format!("a deployment holds {ALLOWED}")),
            ),
        }
    }
}

/// `shape frame|box|NAME` in a node's block (E028 in any other item's,
/// E031 for a name that is no shape).
fn shape(item: &mut DeplItem, name: &Text, span: Span, diags: &mut Vec<Diagnostic>) {
    if item.kind != DeplKind::Node {
        diags.push(
            Diagnostic::new(Code::E028, "`shape` is for deployment nodes")
                .label(span, "not a node")
                .note(format!("`{}` is an instance or infrastructure node", item.path))
                .hint("style instances and infrastructure nodes with `styles { element infra { shape … } }` or a tag"),
        );
        return;
    }
    if name.value.eq_ignore_ascii_case("frame") {
        item.shape = Some(NodeShape::Frame);
        return;
    }
    match Shape::from_name(&name.value) {
        Some(s) => item.shape = Some(NodeShape::Box(s)),
        None => diags.push(
            Diagnostic::new(Code::E031, format!("`{}` is not a node shape", name.value))
                .label(name.span, "not `frame`, `box` or a shape")
                .hint("write `shape frame` (around what it holds), `shape box`, or a box shape such as `shape rounded`, `shape cylinder`"),
        ),
    }
}

fn split_tags(t: Option<&Text>) -> Vec<String> {
    t.map(|t| {
        t.value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}
