//! The requests `c4c lsp` answers, and the capabilities it announces.
//!
//! In: one request (method and JSON parameters) and the server's current
//! analysis. Out: its response: the [`crate::ide`] query's result as JSON,
//! `null` for a position or file the workspace does not know, InvalidParams
//! for parameters that do not parse, RequestFailed for a refused rename,
//! MethodNotFound for any other method.

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _, SemanticTokensFullRequest,
    WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, MarkupContent, MarkupKind, OneOf, Position,
    PrepareRenameResponse, ReferenceParams, RenameOptions, RenameParams, SemanticTokens,
    SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions, SemanticTokensParams,
    SemanticTokensResult, SemanticTokensServerCapabilities, ServerCapabilities,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
    WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Server, real_path};
use crate::ide::{actions, complete, navigate, tokens};
use crate::source::FileId;

/// What the server announces in `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: tokens::LEGEND.to_vec(),
                    token_modifiers: Vec::new(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

fn ok(id: lsp_server::RequestId, value: impl Serialize) -> Response {
    Response::new_ok(id, value)
}

fn params<P: DeserializeOwned>(req: &Request) -> Result<P, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Response::new_err(
            req.id.clone(),
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}

impl Server {
    /// The file and byte offset of a position, if the workspace has the file.
    fn at(&self, uri: &Uri, pos: Position) -> Option<(FileId, usize)> {
        let file = self.file(uri)?;
        Some((file, self.analysis.offset(file, pos)))
    }

    fn file(&self, uri: &Uri) -> Option<FileId> {
        self.analysis.file(&real_path(uri)?)
    }

    /// A document's text: the editor's if it is open, else as last read.
    fn text(&self, uri: &Uri) -> Option<String> {
        let path = real_path(uri)?;
        self.open.get(&path).cloned().or_else(|| {
            let f = self.analysis.file(&path)?;
            Some(self.analysis.text(f).to_string())
        })
    }

    /// The analysis to take names from: the current one if it got as far
    /// as a model, else the last that did.
    fn names(&self) -> &crate::ide::Analysis {
        match &self.last_model {
            Some(last) if self.analysis.comp.compiled.is_empty() => last,
            _ => &self.analysis,
        }
    }
}

/// A position request's file and offset, or `null` as the answer.
fn position(server: &Server, p: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
    server.at(&p.text_document.uri, p.position)
}

/// Answers one request.
pub fn answer(server: &Server, req: Request) -> Response {
    match dispatch(server, &req) {
        Ok(r) | Err(r) => r,
    }
}

fn dispatch(server: &Server, req: &Request) -> Result<Response, Response> {
    let a = &server.analysis;
    let id = req.id.clone();
    Ok(match req.method.as_str() {
        GotoDefinition::METHOD => {
            let p: GotoDefinitionParams = params(req)?;
            let found = position(server, &p.text_document_position_params)
                .and_then(|(f, o)| navigate::definition(a, f, o));
            ok(id, found.map(GotoDefinitionResponse::Scalar))
        }
        References::METHOD => {
            let p: ReferenceParams = params(req)?;
            let found = position(server, &p.text_document_position)
                .map(|(f, o)| navigate::references(a, f, o));
            ok(id, found)
        }
        HoverRequest::METHOD => {
            let p: HoverParams = params(req)?;
            let found = position(server, &p.text_document_position_params).and_then(|(f, o)| {
                let (text, bytes) = navigate::hover(a, f, o)?;
                Some(Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: text,
                    }),
                    range: Some(a.range(f, bytes)),
                })
            });
            ok(id, found)
        }
        Completion::METHOD => {
            let p: CompletionParams = params(req)?;
            let doc = &p.text_document_position;
            let found = server.text(&doc.text_document.uri).map(|text| {
                let offset = crate::ide::to_offset(&text, doc.position);
                CompletionResponse::Array(complete::complete(&text, offset, server.names()))
            });
            ok(id, found)
        }
        PrepareRenameRequest::METHOD => {
            let p: TextDocumentPositionParams = params(req)?;
            let found = position(server, &p).and_then(|(f, o)| {
                let bytes = navigate::rename_range(a, f, o)?;
                Some(PrepareRenameResponse::Range(a.range(f, bytes)))
            });
            ok(id, found)
        }
        Rename::METHOD => {
            let p: RenameParams = params(req)?;
            let Some((f, o)) = position(server, &p.text_document_position) else {
                return Ok(ok(id, None::<WorkspaceEdit>));
            };
            match navigate::rename(a, f, o, &p.new_name) {
                Ok(changes) => ok(
                    id,
                    WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    },
                ),
                Err(e) => Response::new_err(id, ErrorCode::RequestFailed as i32, e.to_string()),
            }
        }
        Formatting::METHOD => {
            let p: DocumentFormattingParams = params(req)?;
            let text = server.text(&p.text_document.uri);
            let edits = text.map(|t| actions::format(&t).into_iter().collect::<Vec<_>>());
            ok(id, edits)
        }
        DocumentSymbolRequest::METHOD => {
            let p: DocumentSymbolParams = params(req)?;
            let found = server
                .file(&p.text_document.uri)
                .map(|f| DocumentSymbolResponse::Nested(navigate::document_symbols(a, f)));
            ok(id, found)
        }
        WorkspaceSymbolRequest::METHOD => {
            let p: WorkspaceSymbolParams = params(req)?;
            let found = navigate::workspace_symbols(a, &p.query);
            ok(id, WorkspaceSymbolResponse::Flat(found))
        }
        SemanticTokensFullRequest::METHOD => {
            let p: SemanticTokensParams = params(req)?;
            let found = server.file(&p.text_document.uri).map(|f| {
                SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: tokens::semantic_tokens(a, f),
                })
            });
            ok(id, found)
        }
        CodeActionRequest::METHOD => {
            let p: CodeActionParams = params(req)?;
            let found = server.file(&p.text_document.uri).map(|f| {
                let start = a.offset(f, p.range.start);
                let end = a.offset(f, p.range.end);
                actions::code_actions(a, f, start..end.max(start))
                    .into_iter()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect::<Vec<_>>()
            });
            ok(id, found)
        }
        _ => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            format!("unknown method {}", req.method),
        ),
    })
}
