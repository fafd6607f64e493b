//! API contracts: `api "orders.openapi.yaml"` on a container or component.
//!
//! In: the path written in the model (relative to the model file) and the
//! file's text. Out: a [`Contract`] with the operations of an OpenAPI 3
//! document (YAML or JSON): method, path, operationId, summary. Problems:
//! E090 the file is missing or unreadable, E091 it is not an OpenAPI document.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::Span;

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
        Diagnostic::error(
            "E091",
            format!("`{}` is not an OpenAPI document", contract.file),
        )
        .label(contract.span, why)
        .hint("give an OpenAPI 3 file (YAML or JSON) with `openapi:` and `paths:`")
    };
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
