//! `c4c serve [PATH…]`: a live preview. Serves the site of the model
//! ([`crate::site`]) over HTTP on the loopback interface, rebuilds when a
//! model file changes, and the page (which long-polls `/state.json`)
//! redraws the views whose text changed; errors show in the page.
//!
//! In: the model paths, `--port`, `--bind`, `--git REV`. Out: one line
//! `c4c: serving http://ADDR:PORT/` on stderr when ready (editors read it),
//! one line per rebuild, and the pages. Nothing is served but the page, its
//! script and style, the bundled Mermaid and the state; a request whose
//! `Host` is not this server's loopback name is refused (a web page cannot
//! read the model through DNS rebinding).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use clap::Args;

use super::term::errln;
use super::{EXIT_USAGE, InputArgs};
use crate::site::State;
use crate::terminal_text::line;

/// The end of `c4c serve --help`.
pub const AFTER_HELP: &str = "Examples:
  c4c serve                         preview every model under . at http://127.0.0.1:4848/
  c4c serve architecture --port 0   any free port (the address is printed)
  c4c serve --git origin/main       also show the pull request's diff against origin/main

Exit codes:
  0  not while serving: it runs until stopped (Ctrl-C)
  2  usage or I/O error (the port is taken, no model found, a bad revision)";

/// How often the model files are looked at.
const POLL: Duration = Duration::from_millis(50);
/// How long a `/state.json?after=N` request waits for a newer state.
const LONG_POLL: Duration = Duration::from_secs(25);
/// Requests handled at once; more are answered 503.
const MAX_REQUESTS: usize = 64;

#[derive(Args, Debug)]
pub struct ServeCommand {
    #[command(flatten)]
    pub input: InputArgs,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 4848)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address shows the
    /// model to the network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Also show the architecture diff against this git revision (as the
    /// pull-request comment draws it)
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
}

/// What the server shares between its threads.
struct Shared {
    /// The current state, its JSON and its page.
    now: Mutex<Served>,
    changed: Condvar,
}

struct Served {
    state: State,
    json: String,
    page: String,
}

/// The old side of `--git`: compiled once.
struct OldSide {
    rev: String,
    compiled: crate::Compilation,
    _dir: tempfile::TempDir,
}

impl ServeCommand {
    pub fn run(self) -> u8 {
        let old = match self.git.as_deref().map(|rev| self.old_side(rev)) {
            Some(Ok(o)) => Some(o),
            Some(Err(code)) => return code,
            None => None,
        };
        let title = super::build::site_title(&self.input.paths);
        // A rebuild parses only the files that changed and writes only the
        // diagrams whose graph changed.
        let mut reuse = crate::Reuse::default();
        let draw = crate::pipeline::Draw::text(crate::Dialect::Flowchart);
        let first = match self.input.compile_reusing(draw, &mut reuse) {
            Ok(c) => c,
            Err(e) => return super::fail(&e),
        };
        let state = self.state_of(&first, &title, None, old.as_ref());
        self.report(&first, Duration::ZERO);
        let mut watched = fingerprint(&self.input.paths, &first);
        let shared = Arc::new(Shared {
            now: Mutex::new(served(state)),
            changed: Condvar::new(),
        });
        let addr = SocketAddr::new(self.bind, self.port);
        let server = match tiny_http::Server::http(addr) {
            Ok(s) => s,
            Err(e) => {
                errln!("c4c: cannot listen on {addr}: {}", line(&e.to_string()));
                errln!(
                    "c4c: hint: choose another port with `--port N` (`--port 0`: any free port)"
                );
                return EXIT_USAGE;
            }
        };
        let Some(bound) = server.server_addr().to_ip() else {
            return super::fail(&crate::Error::Internal("listening on a socket"));
        };
        errln!("c4c: serving http://{bound}/");
        let hosts = Arc::new(allowed_hosts(bound));
        let busy = Arc::new(AtomicUsize::new(0));
        {
            let shared = Arc::clone(&shared);
            let hosts = Arc::clone(&hosts);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    if busy.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
                        busy.fetch_sub(1, Ordering::SeqCst);
                        let _ = request.respond(text_response(503, "busy"));
                        continue;
                    }
                    let (shared, hosts, busy) =
                        (Arc::clone(&shared), Arc::clone(&hosts), Arc::clone(&busy));
                    std::thread::spawn(move || {
                        handle(request, &shared, &hosts);
                        busy.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            });
        }
        // Watch the model files; rebuild on a change.
        loop {
            std::thread::sleep(POLL);
            let compiled_sources = {
                let now = fingerprint_paths(&self.input.paths, &watched.1);
                if now == watched.0 {
                    continue;
                }
                now
            };
            let started = Instant::now();
            let previous = shared.now.lock().map(|s| s.state.clone()).ok();
            let next = match self.input.compile_reusing(draw, &mut reuse) {
                Ok(c) => {
                    self.report(&c, started.elapsed());
                    let mut s = self.state_of(&c, &title, previous.as_ref(), old.as_ref());
                    watched = (compiled_sources, source_paths(&c));
                    s.version = previous.as_ref().map_or(0, |p| p.version) + 1;
                    s
                }
                Err(e) => {
                    errln!("c4c: {e}");
                    watched.0 = compiled_sources;
                    let mut s = previous.clone().unwrap_or_default();
                    s.version += 1;
                    s.stale = true;
                    s.errors = 1;
                    s.diagnostics = vec![crate::site::SiteDiagnostic {
                        severity: "error",
                        code: String::new(),
                        message: e.to_string(),
                        location: None,
                        text: e.to_string(),
                    }];
                    s
                }
            };
            let page = served(next);
            if let Ok(mut now) = shared.now.lock() {
                *now = page;
                shared.changed.notify_all();
            }
            errln!(
                "c4c: page updated {} ms after the change was seen",
                started.elapsed().as_millis()
            );
        }
    }

    /// The page's state for a compilation (with the diff when `--git`).
    fn state_of(
        &self,
        c: &crate::Compilation,
        title: &str,
        previous: Option<&State>,
        old: Option<&OldSide>,
    ) -> State {
        let mut s = crate::site::state(c, title, previous);
        s.live = true;
        if let Some(old) = old
            && c.error_count() == 0
        {
            s.diff = Some(crate::site::diff(
                &old.rev,
                &old.compiled.compiled,
                &c.compiled,
            ));
        }
        s
    }

    /// One line per build on stderr.
    fn report(&self, c: &crate::Compilation, took: Duration) {
        let views: usize = c.compiled.iter().map(|w| w.views.len()).sum();
        errln!(
            "c4c: built {views} views in {} ms: {} errors, {} warnings",
            took.as_millis(),
            c.error_count(),
            c.warning_count()
        );
    }

    /// The `--git` side: exported from git into a temporary folder and
    /// compiled; `Err` with the exit code (the problem printed).
    fn old_side(&self, rev: &str) -> Result<OldSide, u8> {
        let dir = tempfile::tempdir().map_err(|_| super::fail(&crate::Error::TempDir))?;
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let paths = crate::diff::git::export(&cwd, rev, &self.input.paths, dir.path())
            .map_err(|e| super::fail(&e))?;
        let compiled = if paths.is_empty() {
            crate::compile_text("(none)", "")
        } else {
            crate::compile(&paths, &crate::LoadOptions::default()).map_err(|e| super::fail(&e))?
        };
        if compiled.error_count() > 0 {
            errln!("c4c: the model at {} has errors", line(rev));
            return Err(EXIT_USAGE);
        }
        Ok(OldSide {
            rev: rev.to_string(),
            compiled,
            _dir: dir,
        })
    }
}

fn served(state: State) -> Served {
    Served {
        json: crate::site::script_json(&state),
        page: crate::site::page(&state),
        state,
    }
}

/// The `Host` values a request may carry: this server's address and, on a
/// loopback address, `localhost`. `None`: any (listening beyond loopback).
fn allowed_hosts(bound: SocketAddr) -> Option<Vec<String>> {
    if !bound.ip().is_loopback() {
        return None;
    }
    let port = bound.port();
    Some(vec![
        bound.to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ])
}

/// What the watcher compares: each model file's (path, modified, length).
type Fingerprint = Vec<(PathBuf, Option<SystemTime>, u64)>;

/// The files a compilation read from disk (imports anywhere in the root).
fn source_paths(c: &crate::Compilation) -> Vec<PathBuf> {
    c.sources
        .files()
        .filter_map(|(_, f)| f.path.clone())
        .collect()
}

fn fingerprint(paths: &[PathBuf], c: &crate::Compilation) -> (Fingerprint, Vec<PathBuf>) {
    let sources = source_paths(c);
    (fingerprint_paths(paths, &sources), sources)
}

/// The model files under `paths` (folders walked as the loader walks them)
/// and the files last read, with their times and lengths.
fn fingerprint_paths(paths: &[PathBuf], sources: &[PathBuf]) -> Fingerprint {
    let mut files: Vec<PathBuf> = sources.to_vec();
    for p in paths {
        if p.is_dir() {
            walk(p, 0, &mut files);
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(u64::MAX, |m| m.len());
            (f, modified, len)
        })
        .collect()
}

/// Model files in `dir`, skipping what the loader skips (hidden entries,
/// `node_modules`, `target`); symbolic links to folders are not followed.
fn walk(dir: &std::path::Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') || text == "node_modules" || text == "target" {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, depth + 1, out),
            Ok(_) if crate::source::is_model_file(&path) => out.push(path),
            _ => {}
        }
    }
}

/// Headers from ASCII constants (one that does not form is left out).
fn headers(pairs: &[(&str, &str)]) -> Vec<tiny_http::Header> {
    pairs
        .iter()
        .filter_map(|(k, v)| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok())
        .collect()
}

fn text_response(code: u16, text: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_string(text).with_status_code(code);
    for h in headers(&[("Content-Type", "text/plain; charset=utf-8")]) {
        r.add_header(h);
    }
    r
}

/// The page's content security policy: its own script, style and data
/// only (Mermaid puts its styles inline in the SVG).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

/// Answers one request.
fn handle(request: tiny_http::Request, shared: &Shared, hosts: &Option<Vec<String>>) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    if let Some(allowed) = hosts
        && !host.as_ref().is_some_and(|h| allowed.contains(h))
    {
        let _ = request.respond(text_response(
            403,
            "this server answers only to its own address",
        ));
        return;
    }
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        let _ = request.respond(text_response(405, "only GET"));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let gzip = request
        .headers()
        .iter()
        .any(|h| h.field.equiv("Accept-Encoding") && h.value.as_str().contains("gzip"));
    let (body, kind, gzipped): (Vec<u8>, &str, bool) = match path {
        "/" | "/index.html" => {
            let page = shared
                .now
                .lock()
                .map(|s| s.page.clone())
                .unwrap_or_default();
            (page.into_bytes(), "text/html; charset=utf-8", false)
        }
        "/c4c-site.js" => (
            crate::site::APP_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
            false,
        ),
        "/c4c-site.css" => (
            crate::site::STYLE_CSS.as_bytes().to_vec(),
            "text/css; charset=utf-8",
            false,
        ),
        "/mermaid.min.js" if gzip => (
            crate::site::mermaid_js_gz().to_vec(),
            "text/javascript; charset=utf-8",
            true,
        ),
        "/mermaid.min.js" => (
            crate::site::mermaid_js().as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
            false,
        ),
        "/state.json" => (
            state_after(shared, query).into_bytes(),
            "application/json",
            false,
        ),
        _ => {
            let _ = request.respond(text_response(404, "not found"));
            return;
        }
    };
    let mut response = tiny_http::Response::from_data(body);
    let mut pairs = vec![
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", CSP),
    ];
    if gzipped {
        pairs.push(("Content-Encoding", "gzip"));
    }
    for h in headers(&pairs) {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

/// `/state.json?after=N`: the state once its version is not `N` (waiting
/// up to [`LONG_POLL`]); at once without `after`.
fn state_after(shared: &Shared, query: &str) -> String {
    let after: Option<u64> = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("after="))
        .and_then(|n| n.parse().ok());
    let Ok(mut now) = shared.now.lock() else {
        return "{}".into();
    };
    if let Some(after) = after {
        let deadline = Instant::now() + LONG_POLL;
        while now.state.version == after {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            now = match shared.changed.wait_timeout(now, left) {
                Ok((guard, _)) => guard,
                Err(_) => return "{}".into(),
            };
        }
    }
    now.json.clone()
}
