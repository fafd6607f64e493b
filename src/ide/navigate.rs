//! Navigation: definition, references, hover, rename, outline, symbols.
//!
//! In: an [`Analysis`] and a position (file, byte offset). Out: editor
//! locations of a symbol's declaration and uses, a Markdown hover (an
//! element's kind, name, description, technology, tags and the views that
//! show it; a kind's base and description; a tag's description and use),
//! rename edits across files (refused for the stdlib and for names that are
//! no identifier), the outline of a file (elements nested as declared, views,
//! deployment environments) and the workspace's symbols matching a query.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind, TextEdit, Uri};

use super::symbol::{self, Symbol};
use super::{Analysis, uri};
use crate::model::{BaseKind, ElementId, Model};
use crate::source::{FileId, Span};
use crate::syntax::lexer::TokenKind;

/// Where the symbol at `offset` is declared.
pub fn definition(a: &Analysis, file: FileId, offset: usize) -> Option<Location> {
    let (sym, _) = symbol::at(a, file, offset)?;
    match &sym {
        Symbol::Element(path) => a.models().find_map(|c| {
            let e = c.model.element(c.model.find(path)?);
            a.location(e.id_span)
        }),
        Symbol::Kind(name) => a.models().find_map(|c| {
            let span = c.model.kinds.get(name)?.span?;
            a.location(name_in(a, span, name))
        }),
        Symbol::Tag(_) => {
            // The `tag NAME ["description"]` of a specification (a style's
            // `tag NAME {` opens a block), else the first use.
            let all = symbol::occurrences(a, &sym);
            let declared = all.iter().find(|(f, r)| {
                let text = a.text(*f);
                let before = text[..r.start].trim_end();
                let keyword = before.ends_with("tag")
                    && !before[..before.len() - 3]
                        .ends_with(|c: char| c.is_alphanumeric() || c == '_');
                keyword && !text[r.end..].trim_start().starts_with('{')
            });
            let (f, r) = declared.or(all.first())?;
            a.location(Span::new(*f, r.start, r.end))
        }
        Symbol::Import(spec) => {
            let path = import_target(a, file, spec)?;
            let uri = uri::from_path(&path)?;
            Some(Location::new(uri, lsp_types::Range::default()))
        }
    }
}

/// The word `name` inside `span` (a declaration), else the whole span.
fn name_in(a: &Analysis, span: Span, name: &str) -> Span {
    let text = a.text(span.file);
    symbol::significant(text)
        .into_iter()
        .filter(|t| t.start >= span.start as usize && t.end <= span.end as usize)
        .find(|t| t.kind == TokenKind::Word && t.text(text) == name)
        .map_or(span, |t| Span::new(span.file, t.start, t.end))
}

/// The file an import names, among those the workspace loaded.
fn import_target(a: &Analysis, from: FileId, spec: &str) -> Option<PathBuf> {
    let dir = a.path(from)?.parent()?;
    let joined = normalize(&dir.join(spec));
    let candidates = [
        joined.clone(),
        joined.with_extension("c4"),
        joined.with_extension("c4c"),
    ];
    candidates.into_iter().find(|p| a.file(p).is_some())
}

/// Folds `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Every place the symbol at `offset` is written (its declaration included).
pub fn references(a: &Analysis, file: FileId, offset: usize) -> Vec<Location> {
    let Some((sym, _)) = symbol::at(a, file, offset) else {
        return Vec::new();
    };
    symbol::occurrences(a, &sym)
        .into_iter()
        .filter_map(|(f, r)| a.location(Span::new(f, r.start, r.end)))
        .collect()
}

/// Why a rename is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing that can be renamed at the position.
    NothingThere,
    /// The new name is no identifier.
    BadName(String),
    /// The symbol is declared in the stdlib or built in.
    NotOurs(String),
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NothingThere => write!(f, "nothing to rename here"),
            RenameError::BadName(n) => write!(f, "`{n}` is not an identifier"),
            RenameError::NotOurs(n) => {
                write!(f, "`{n}` is built in or declared in the stdlib")
            }
        }
    }
}

/// The bytes a rename at `offset` would change (for `prepareRename`).
pub fn rename_range(a: &Analysis, file: FileId, offset: usize) -> Option<std::ops::Range<usize>> {
    match symbol::at(a, file, offset)? {
        (Symbol::Import(_), _) => None,
        (_, bytes) => Some(bytes),
    }
}

/// The edits renaming the symbol at `offset` to `new_name`, by file.
pub fn rename(
    a: &Analysis,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<HashMap<Uri, Vec<TextEdit>>, RenameError> {
    let (sym, _) = symbol::at(a, file, offset).ok_or(RenameError::NothingThere)?;
    let valid = new_name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && new_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid || new_name == "this" {
        return Err(RenameError::BadName(new_name.to_string()));
    }
    let ours = match &sym {
        Symbol::Element(_) | Symbol::Tag(_) => true,
        Symbol::Kind(k) => a.models().any(|c| {
            c.model
                .kinds
                .get(k)
                .and_then(|k| k.span)
                .is_some_and(|s| a.path(s.file).is_some())
        }),
        Symbol::Import(_) => return Err(RenameError::NothingThere),
    };
    let all = symbol::occurrences(a, &sym);
    if !ours || all.iter().any(|(f, _)| a.path(*f).is_none()) {
        let shown = match sym {
            Symbol::Element(n) | Symbol::Kind(n) | Symbol::Tag(n) | Symbol::Import(n) => n,
        };
        return Err(RenameError::NotOurs(shown));
    }
    let mut edits: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (f, r) in all {
        let Some(uri) = a.path(f).and_then(uri::from_path) else {
            continue;
        };
        edits
            .entry(uri)
            .or_default()
            .push(TextEdit::new(a.range(f, r), new_name.to_string()));
    }
    Ok(edits)
}

/// The hover text (Markdown) for the symbol at `offset`, and its bytes.
pub fn hover(
    a: &Analysis,
    file: FileId,
    offset: usize,
) -> Option<(String, std::ops::Range<usize>)> {
    let (sym, bytes) = symbol::at(a, file, offset)?;
    let text = match &sym {
        Symbol::Element(path) => a.models().find_map(|c| {
            let id = c.model.find(path)?;
            Some(element_hover(&c.model, id, &c.views))
        })?,
        Symbol::Kind(name) => a.models().find_map(|c| {
            let k = c.model.kinds.get(name)?;
            let mut s = format!("**kind** {}", code(&k.name));
            if let Some(ext) = &k.extends {
                s.push_str(&format!(" extends {}", code(ext)));
            }
            s.push_str(&format!("\n\nbase: {}", k.base.label(false)));
            if let Some(d) = &k.description {
                s.push_str(&format!("\n\n{}", md(d)));
            }
            Some(s)
        })?,
        Symbol::Tag(name) => a.models().find_map(|c| {
            let m = &c.model;
            if !m.tag_in_use(name) {
                return None;
            }
            let mut s = format!("**tag** {}", code(name));
            if let Some(Some(d)) = m.declared_tags.get(name) {
                s.push_str(&format!("\n\n{}", md(d)));
            }
            s.push_str(&format!("\n\n{} element(s)", m.tagged(name).len()));
            Some(s)
        })?,
        Symbol::Import(spec) => format!("**import** {}", code(spec)),
    };
    Some((text, bytes))
}

/// Text from a model, safe inside Markdown: the characters Markdown gives a
/// meaning to are escaped, so a description cannot inject links or HTML.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()<>#+-.!|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text from a model as a Markdown code span: fenced by more backticks
/// than it holds in a row (inside a span nothing else is special), on one line.
pub fn code(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in one_line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {one_line} {fence}")
    } else {
        format!("{fence}{one_line}{fence}")
    }
}

fn element_hover(m: &Model, id: ElementId, views: &[crate::view::View]) -> String {
    let e = m.element(id);
    let mut s = format!("**{}** {} — {}", md(&e.kind), code(&e.path), md(&e.name));
    if let Some(t) = e
        .technology
        .as_deref()
        .or_else(|| m.kind_technology(&e.kind))
    {
        s.push_str(&format!("\n\ntechnology: {}", md(t)));
    }
    if let Some(d) = &e.description {
        s.push_str(&format!("\n\n{}", md(d)));
    }
    if !e.tags.is_empty() {
        let tags: Vec<String> = e.tags.iter().map(|t| code(t)).collect();
        s.push_str(&format!("\n\ntags: {}", tags.join(", ")));
    }
    let shown: Vec<String> = views
        .iter()
        .filter(|v| v.nodes().contains(&id) || v.boundaries().contains(&id))
        .map(|v| code(&v.key))
        .collect();
    if shown.is_empty() {
        s.push_str("\n\nshown in no view");
    } else {
        s.push_str(&format!("\n\nshown in: {}", shown.join(", ")));
    }
    s
}

fn element_symbol_kind(base: BaseKind) -> SymbolKind {
    match base {
        BaseKind::Person => SymbolKind::OBJECT,
        BaseKind::System => SymbolKind::MODULE,
        BaseKind::Container => SymbolKind::CLASS,
        _ => SymbolKind::FIELD,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
fn doc_symbol(
    a: &Analysis,
    name: String,
    detail: String,
    kind: SymbolKind,
    span: Span,
    sel: Span,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.is_empty() { "?".into() } else { name },
        detail: Some(detail),
        kind,
        tags: None,
        deprecated: None,
        range: a.range(span.file, span.range()),
        selection_range: a.range(sel.file, sel.range()),
        children: None,
    }
}

/// The outline of `file`: its elements (nested as declared), views and
/// deployment environments, in source order.
pub fn document_symbols(a: &Analysis, file: FileId) -> Vec<DocumentSymbol> {
    let Some(c) = a.models().find(|c| {
        let m = &c.model;
        m.elements().any(|e| m.element(e).span.file == file)
            || m.views.iter().any(|v| v.span.file == file)
            || m.deployments.iter().any(|d| d.span.file == file)
    }) else {
        return Vec::new();
    };
    let m = &c.model;
    // Children before parents (reverse index order) so each is built once.
    let mut built: BTreeMap<ElementId, DocumentSymbol> = BTreeMap::new();
    let mine: Vec<ElementId> = m
        .elements()
        .filter(|e| m.element(*e).span.file == file)
        .collect();
    for id in mine.iter().rev() {
        let e = m.element(*id);
        let mut s = doc_symbol(
            a,
            e.id.clone(),
            format!("{} {}", e.kind, e.name),
            element_symbol_kind(e.base),
            e.span,
            e.id_span,
        );
        let kids: Vec<DocumentSymbol> = e.children.iter().filter_map(|k| built.remove(k)).collect();
        if !kids.is_empty() {
            s.children = Some(kids);
        }
        built.insert(*id, s);
    }
    let mut out: Vec<(u32, DocumentSymbol)> = built
        .into_iter()
        .map(|(id, s)| (m.element(id).span.start, s))
        .collect();
    // A default view has the span of an element or environment: it is no
    // declaration of its own.
    let taken: std::collections::HashSet<Span> = m
        .elements()
        .map(|e| m.element(e).span)
        .chain(m.deployments.iter().map(|d| d.span))
        .collect();
    let written = |v: &&crate::model::ViewDef| v.span.file == file && !taken.contains(&v.span);
    for v in m.views.iter().filter(written) {
        out.push((
            v.span.start,
            doc_symbol(
                a,
                v.key.clone(),
                format!("{} view", v.kind().keyword()),
                SymbolKind::INTERFACE,
                v.span,
                v.span,
            ),
        ));
    }
    for d in m.deployments.iter().filter(|d| d.span.file == file) {
        let mut env = doc_symbol(
            a,
            d.name.clone(),
            "deployment".into(),
            SymbolKind::NAMESPACE,
            d.span,
            d.span,
        );
        env.children = Some(deployment_items(a, m, d));
        out.push((d.span.start, env));
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, s)| s).collect()
}

/// The nodes, infrastructure and instances of an environment, nested as
/// declared (built children first, so no recursion).
fn deployment_items(
    a: &Analysis,
    m: &Model,
    d: &crate::model::deployment::Deployment,
) -> Vec<DocumentSymbol> {
    use crate::model::deployment::DeplKind;
    let mut built: BTreeMap<usize, DocumentSymbol> = BTreeMap::new();
    for (i, item) in d.items.iter().enumerate().rev() {
        let (what, kind) = match item.kind {
            DeplKind::Node => ("node".to_string(), SymbolKind::PACKAGE),
            DeplKind::Infra => ("infra".to_string(), SymbolKind::PACKAGE),
            DeplKind::Instance(e) => (
                format!("instance of {}", m.element(e).path),
                SymbolKind::OBJECT,
            ),
        };
        let mut s = doc_symbol(a, item.id.clone(), what, kind, item.span, item.id_span);
        let kids: Vec<DocumentSymbol> = item
            .children
            .iter()
            .filter_map(|k| built.remove(k))
            .collect();
        if !kids.is_empty() {
            s.children = Some(kids);
        }
        built.insert(i, s);
    }
    d.roots.iter().filter_map(|i| built.remove(i)).collect()
}

/// Every element and view whose path, name or key contains `query`
/// (case-insensitive), at most 1,000.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be written out
pub fn workspace_symbols(a: &Analysis, query: &str) -> Vec<SymbolInformation> {
    let q = query.to_lowercase();
    let hit = |s: &str| s.to_lowercase().contains(&q);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let info = |name: String, kind, loc, container| SymbolInformation {
        name,
        kind,
        tags: None,
        deprecated: None,
        location: loc,
        container_name: container,
    };
    for c in a.models() {
        let m = &c.model;
        for id in m.elements() {
            let e = m.element(id);
            if !(hit(&e.path) || hit(&e.name)) || !seen.insert((e.path.clone(), 0)) {
                continue;
            }
            if let Some(loc) = a.location(e.id_span) {
                let parent = e.parent.map(|p| m.element(p).path.clone());
                out.push(info(
                    e.path.clone(),
                    element_symbol_kind(e.base),
                    loc,
                    parent,
                ));
            }
        }
        for v in &m.views {
            if hit(&v.key)
                && seen.insert((v.key.clone(), 1))
                && let Some(loc) = a.location(v.span)
            {
                out.push(info(v.key.clone(), SymbolKind::INTERFACE, loc, None));
            }
        }
    }
    out.truncate(1000);
    out
}
