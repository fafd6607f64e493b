//! `c4c lsp`: the Language Server Protocol over stdin/stdout.
//!
//! In: JSON-RPC messages from an editor (Content-Length framed, on stdin).
//! Out: responses and `publishDiagnostics` notifications on stdout; stderr
//! only for a broken connection. The transport is rust-analyzer's
//! `lsp-server` (synchronous: one thread reads, one writes, this loop
//! answers in order — c4c compiles a workspace in milliseconds, so there is
//! nothing to gain from an async runtime), the messages are `lsp-types`.
//!
//! The workspace is the folder the editor opened (`rootUri` or its first
//! workspace folder), else the folder of the first file opened. Every
//! change is an overlay on the files on disk ([`crate::LoadOptions::overlay`]):
//! the loader reads an open file's unsaved text, under the same confinement
//! as any file. A burst of changes is checked once, after [`QUIET`] without
//! another; a request first waits for nothing but checks pending changes,
//! so its answer is about the text the editor shows. The queries are
//! [`crate::ide`]'s.

mod requests;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    InitializeParams, PublishDiagnosticsParams, Uri,
};

use super::term::errln;
use super::{EXIT_OK, EXIT_USAGE};
use crate::ide::{self, Analysis};

/// How long the text must stay unchanged before it is checked again.
pub const QUIET: Duration = Duration::from_millis(100);

pub const AFTER_HELP: &str = "Examples:
  c4c lsp                          serve the editor that started it (stdin/stdout)

The editor starts it; see docs/lsp.md for what it answers and docs/editors.md
for each editor's set-up.

Exit codes:
  0  the editor asked it to shut down and exit
  2  the connection broke (stdin closed without `exit`, or a message was no JSON-RPC)";

#[derive(Args, Debug)]
pub struct LspCommand {}

impl LspCommand {
    pub fn run(self) -> u8 {
        match serve() {
            Ok(()) => EXIT_OK,
            Err(e) => {
                errln!("c4c lsp: {}", crate::terminal_text::line(&e));
                EXIT_USAGE
            }
        }
    }
}

/// Runs the server until the editor sends `shutdown` and `exit`.
fn serve() -> Result<(), String> {
    let (conn, io) = Connection::stdio();
    let result = match initialize(&conn) {
        Ok(params) => Server::new(workspace_root(&params)).main_loop(&conn),
        Err(e) => Err(e),
    };
    drop(conn);
    // The reader ends with the editor's input; its error says what was wrong.
    io.join().map_err(|e| e.to_string())?;
    result
}

/// Waits for `initialize` and answers it with the capabilities. Requests
/// before it get ServerNotInitialized, notifications are dropped, as the
/// protocol says; `exit` or the end of the input ends the server.
fn initialize(conn: &Connection) -> Result<InitializeParams, String> {
    use lsp_types::request::{Initialize, Request as _};
    loop {
        let msg = conn
            .receiver
            .recv()
            .map_err(|_| "the editor closed the connection before `initialize`".to_string())?;
        match msg {
            Message::Request(req) if req.method == Initialize::METHOD => {
                let params = serde_json::from_value(req.params).unwrap_or_default();
                let result = lsp_types::InitializeResult {
                    capabilities: requests::capabilities(),
                    server_info: Some(lsp_types::ServerInfo {
                        name: "c4c".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                    }),
                };
                send(conn, Response::new_ok(req.id, result).into());
                return Ok(params);
            }
            Message::Request(req) => send(
                conn,
                Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                )
                .into(),
            ),
            Message::Notification(n) if n.method == lsp_types::notification::Exit::METHOD => {
                return Err("`exit` before `initialize`".into());
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

/// The folder the editor opened, as a real path.
#[allow(deprecated)] // `root_uri` is how older editors say it
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())?;
    std::fs::canonicalize(ide::uri::to_path(uri)?).ok()
}

/// The real path of a document (its folder's real path and its name when
/// the file is not on disk yet).
pub fn real_path(uri: &Uri) -> Option<PathBuf> {
    let p = ide::uri::to_path(uri)?;
    std::fs::canonicalize(&p).ok().or_else(|| {
        let dir = std::fs::canonicalize(p.parent()?).ok()?;
        Some(dir.join(p.file_name()?))
    })
}

struct Server {
    root: Option<PathBuf>,
    /// Open documents' texts, by real path.
    open: HashMap<PathBuf, String>,
    analysis: Analysis,
    /// The last analysis with a model, while the current has none (a
    /// syntax error): completion still offers its names.
    last_model: Option<Analysis>,
    /// When the text last changed, if it has not been checked since.
    changed: Option<Instant>,
    /// The files diagnostics were last published for (to clear them).
    published: HashSet<PathBuf>,
    /// What the last check parsed: an edit parses only the files it changed.
    reuse: crate::Reuse,
}

impl Server {
    fn new(root: Option<PathBuf>) -> Server {
        Server {
            root,
            open: HashMap::new(),
            analysis: Analysis::default(),
            last_model: None,
            changed: None,
            published: HashSet::new(),
            reuse: crate::Reuse::default(),
        }
    }

    fn main_loop(&mut self, conn: &Connection) -> Result<(), String> {
        loop {
            let msg = match self.changed {
                Some(at) => {
                    let wait = QUIET.saturating_sub(at.elapsed());
                    match conn.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => {
                            return Err("the editor closed the connection".into());
                        }
                    }
                }
                None => match conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Err("the editor closed the connection".into()),
                },
            };
            match msg {
                None => self.check(conn),
                Some(Message::Request(req)) => {
                    if conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                    if self.changed.is_some() {
                        self.check(conn);
                    }
                    let resp = self.answer(req);
                    send(conn, resp.into());
                }
                Some(Message::Notification(n)) => {
                    if n.method == lsp_types::notification::Exit::METHOD {
                        return Err("`exit` before `shutdown`".into());
                    }
                    self.notified(n);
                }
                Some(Message::Response(_)) => {}
            }
        }
    }

    /// Answers a request; a panic inside becomes an internal error.
    fn answer(&self, req: lsp_server::Request) -> Response {
        let id = req.id.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| requests::answer(self, req)))
            .unwrap_or_else(|_| {
                Response::new_err(
                    id,
                    lsp_server::ErrorCode::InternalError as i32,
                    "internal error".into(),
                )
            })
    }

    fn notified(&mut self, n: Notification) {
        use lsp_types::notification::{
            DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
        };
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params)
                    && let Some(path) = real_path(&p.text_document.uri)
                {
                    if self.root.is_none() {
                        self.root = path.parent().map(Path::to_path_buf);
                    }
                    self.open.insert(path, p.text_document.text);
                    self.changed = Some(Instant::now());
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params)
                    && let Some(path) = real_path(&p.text_document.uri)
                    && let Some(last) = p.content_changes.into_iter().next_back()
                {
                    // Full sync (the capability says so): the last change is the text.
                    self.open.insert(path, last.text);
                    self.changed = Some(Instant::now());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && let Some(path) = real_path(&p.text_document.uri)
                {
                    self.open.remove(&path);
                    self.changed = Some(Instant::now());
                }
            }
            DidSaveTextDocument::METHOD => self.changed = Some(Instant::now()),
            _ => {}
        }
    }

    /// Compiles the workspace with the open documents over the disk, and
    /// publishes every file's diagnostics (clearing those now clean).
    fn check(&mut self, conn: &Connection) {
        self.changed = None;
        let fresh = Analysis::new(compile(self.root.as_deref(), &self.open, &mut self.reuse));
        let old = std::mem::replace(&mut self.analysis, fresh);
        // What is no longer needed is freed after the diagnostics are sent
        // (freeing a large compilation takes a noticeable while).
        let garbage = if !self.analysis.comp.compiled.is_empty() {
            (Some(old), self.last_model.take())
        } else if !old.comp.compiled.is_empty() {
            (self.last_model.replace(old), None)
        } else {
            (Some(old), None)
        };
        let mut published = ide::diagnostics::all(&self.analysis);
        // Those in no file: shown on every open document.
        for path in self.open.keys() {
            let entry = published.by_file.entry(path.clone()).or_default();
            entry.extend(published.unplaced.iter().cloned());
        }
        let now: HashSet<PathBuf> = published.by_file.keys().cloned().collect();
        for gone in self.published.difference(&now) {
            publish(conn, gone, Vec::new());
        }
        for (path, diags) in published.by_file {
            publish(conn, &path, diags);
        }
        self.published = now;
        drop(garbage);
    }
}

/// The workspace compiled: the root folder, and open files outside it;
/// files unchanged since the compilation that filled `reuse` are not
/// parsed again.
pub fn compile(
    root: Option<&Path>,
    open: &HashMap<PathBuf, String>,
    reuse: &mut crate::Reuse,
) -> crate::Compilation {
    let mut paths: Vec<PathBuf> = root.map(Path::to_path_buf).into_iter().collect();
    paths.extend(
        open.keys()
            .filter(|p| crate::source::is_model_file(p))
            .filter(|p| root.is_none_or(|r| !p.starts_with(r)))
            // A file never saved is read once it exists (a missing path
            // given to the loader would fail the whole check).
            .filter(|p| p.is_file())
            .cloned(),
    );
    let opts = crate::LoadOptions {
        root_dir: root.map(Path::to_path_buf),
        overlay: open.clone(),
    };
    if paths.is_empty() {
        return crate::Compilation::default();
    }
    // Diagnostics only: the diagrams are measured (W003), not kept.
    crate::pipeline::compile_reusing(&paths, &opts, (crate::pipeline::Draw::size(), None), reuse)
        .unwrap_or_default()
}

fn publish(conn: &Connection, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
    let Some(uri) = ide::uri::from_path(path) else {
        return;
    };
    let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
    let n = Notification::new(
        lsp_types::notification::PublishDiagnostics::METHOD.into(),
        params,
    );
    send(conn, n.into());
}

fn send(conn: &Connection, msg: Message) {
    // The writer thread is gone only when the editor is: the loop ends on
    // the next receive.
    let _ = conn.sender.send(msg);
}
