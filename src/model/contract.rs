//! API contracts: `api "orders.openapi.yaml"` on a container or component.
//!
//! In: the path written in the model (relative to the model file, confined
//! to the workspace's root directory) and the file's text. Out: a
//! [`Contract`] with the operations of an OpenAPI 3 document (YAML or JSON):
//! method, path, operationId, summary. Problems: E012 the path leaves the
//! root directory, E090 the file is missing or unreadable, E091 it is not an
//! OpenAPI document, E015 its YAML aliases would expand past
//! [`MAX_ALIAS_WORK`] (a "billion laughs") or it nests deeper than
//! [`MAX_YAML_DEPTH`].

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::confine::{self, Escape};
use crate::model::Model;
use crate::source::{SourceMap, Span};

/// Most YAML nodes (plus scalar bytes) that anchors and aliases may copy in
/// one contract, E015. The loader copies an anchored node once and again at
/// each alias: nested aliases would otherwise grow exponentially.
pub const MAX_ALIAS_WORK: u64 = 1_000_000;
/// Deepest nesting of YAML collections in a contract, E015.
pub const MAX_YAML_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    /// As written in the model.
    pub file: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub operations: Vec<Operation>,
    #[serde(skip)]
    pub span: Span,
}

impl Contract {
    pub fn declared(file: String, span: Span) -> Contract {
        Contract {
            file,
            title: None,
            version: None,
            operations: Vec::new(),
            span,
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reads the operations of an OpenAPI document (YAML or JSON) into `contract`.
pub fn load(contract: &mut Contract, text: &str) -> Result<(), Diagnostic> {
    let bad = |why: String| {
        Diagnostic::new(
            Code::E091,
            format!("`{}` is not an OpenAPI document", contract.file),
        )
        .label(contract.span, why)
        .hint("give an OpenAPI 3 file (YAML or JSON) with `openapi:` and `paths:`")
    };
    check_yaml_cost(contract, text)?;
    let docs = yaml_rust2::YamlLoader::load_from_str(text)
        .map_err(|e| bad(format!("cannot parse it: {e}")))?;
    let Some(doc) = docs.into_iter().next() else {
        return Err(bad("the file is empty".into()));
    };
    if doc["openapi"].is_badvalue() && doc["swagger"].is_badvalue() {
        return Err(bad("no `openapi:` version field".into()));
    }
    let str_of = |y: &yaml_rust2::Yaml| y.as_str().map(str::to_string);
    contract.title = str_of(&doc["info"]["title"]);
    contract.version = str_of(&doc["info"]["version"])
        .or_else(|| doc["info"]["version"].as_f64().map(|v| v.to_string()));
    let Some(paths) = doc["paths"].as_hash() else {
        return Err(bad("no `paths:` section".into()));
    };
    contract.operations.clear();
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        let Some(ops) = item.as_hash() else { continue };
        for (method, op) in ops {
            let Some(m) = method.as_str().map(str::to_ascii_lowercase) else {
                continue;
            };
            if !METHODS.contains(&m.as_str()) {
                continue;
            }
            contract.operations.push(Operation {
                method: m.to_ascii_uppercase(),
                path: path.to_string(),
                operation_id: str_of(&op["operationId"]),
                summary: str_of(&op["summary"]),
            });
        }
    }
    Ok(())
}

/// Refuses, before anything is built, a document whose anchors and aliases
/// would copy more than [`MAX_ALIAS_WORK`] nodes and scalar bytes, or whose
/// collections nest deeper than [`MAX_YAML_DEPTH`] (E015). One pass over
/// the parser's events, each node's size computed once. A document that does
/// not parse is left to the loader (E091).
fn check_yaml_cost(contract: &Contract, text: &str) -> Result<(), Diagnostic> {
    use yaml_rust2::parser::{Event, Parser};
    let too_costly = |why: String, hint: &str| {
        Diagnostic::new(
            Code::E015,
            format!("the contract `{}` is too costly to read", contract.file),
        )
        .label(contract.span, why)
        .hint(hint.to_string())
    };
    // Size of each anchored node; of each open collection (anchor, size so far).
    let mut anchors: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut work: u64 = 0;
    let mut parser = Parser::new_from_str(text);
    loop {
        let Ok((event, _)) = parser.next_token() else {
            return Ok(());
        };
        // The size of a node that just ended, and its anchor (0: none).
        let (size, anchor) = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(a, _) | Event::MappingStart(a, _) => {
                if open.len() >= MAX_YAML_DEPTH {
                    return Err(too_costly(
                        format!("collections nested deeper than {MAX_YAML_DEPTH} levels"),
                        "flatten the document: OpenAPI reuses parts with `$ref`",
                    ));
                }
                open.push((a, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((a, size)) => (size, a),
                None => continue,
            },
            Event::Scalar(v, _, a, _) => (1 + v.len() as u64, a),
            Event::Alias(id) => {
                let size = anchors.get(&id).copied().unwrap_or(1);
                work = work.saturating_add(size);
                (size, 0)
            }
            _ => continue,
        };
        if anchor > 0 {
            // The loader keeps a copy of every anchored node.
            anchors.insert(anchor, size);
            work = work.saturating_add(size);
        }
        if work > MAX_ALIAS_WORK {
            return Err(too_costly(
                format!("its anchors and aliases copy more than {MAX_ALIAS_WORK} nodes"),
                "write the document out without YAML anchors and aliases (`&name`, `*name`); \
                 OpenAPI reuses parts with `$ref`",
            ));
        }
        if let Some(parent) = open.last_mut() {
            parent.1 = parent.1.saturating_add(size);
        }
    }
}

/// Reads the OpenAPI contract of every element of `model` that declares one
/// (E012, E090, E091, E015). `root_dir`: the directory no contract may leave.
pub fn read_all(
    model: &mut Model,
    sources: &SourceMap,
    root_dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) {
    let ids: Vec<crate::model::ElementId> = model
        .elements()
        .filter(|e| model.element(*e).contract.is_some())
        .collect();
    for id in ids {
        let Some(contract) = model.graph[id].contract.as_mut() else {
            continue;
        };
        match read_text(contract, sources, root_dir) {
            Ok(text) => {
                if let Err(d) = load(contract, &text) {
                    diags.push(d);
                }
            }
            Err(d) => diags.push(d),
        }
    }
}

/// The text of a contract's file, read only from inside the root directory.
fn read_text(
    contract: &Contract,
    sources: &SourceMap,
    root_dir: Option<&Path>,
) -> Result<String, Diagnostic> {
    let missing = |why: String| {
        Diagnostic::new(
            Code::E090,
            format!("cannot read the contract `{}`", contract.file),
        )
        .label(contract.span, why)
        .hint("the path is relative to the model file that names it")
    };
    let base = sources
        .get(contract.span.file)
        .and_then(|f| f.path.as_ref())
        .and_then(|p| p.parent());
    let Some(base) = base else {
        return Err(missing("models given as text cannot name files".into()));
    };
    let rel = Path::new(&contract.file);
    if rel.has_root() || rel.is_absolute() {
        return Err(missing("absolute paths are not allowed".into()));
    }
    let root = root_dir.unwrap_or(base);
    let leaves = |label: String| {
        Diagnostic::new(
            Code::E012,
            format!("the contract `{}` leaves the root directory", contract.file),
        )
        .label(contract.span, label)
        .hint(format!(
            "contracts must stay inside {}; pass `--root DIR` to widen it",
            crate::load::display_name(root)
        ))
    };
    let path = match confine::resolve(root, base, rel) {
        Ok(p) => p,
        Err(Escape::Climbs) => return Err(leaves("outside the root directory".into())),
        Err(Escape::Link(link)) => {
            return Err(leaves(format!(
                "`{link}` is a symbolic link leading outside the root directory"
            )));
        }
        Err(Escape::Loop(link)) => {
            return Err(missing(format!("symbolic links loop at `{link}`")));
        }
        Err(Escape::Missing(e)) => return Err(missing(e)),
    };
    crate::load::read_text(&path).map_err(|e| missing(e.to_string()))
}
