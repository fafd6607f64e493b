//! `c4c lsp` driven by a real LSP client: the binary started as an editor
//! starts it, JSON-RPC (Content-Length framed) over its stdin and stdout.
//!
//! In: a temporary workspace of two `.c4` files and an editor session
//! (initialize, open, change, the requests, shutdown, exit). Out: checks
//! on the responses and published diagnostics. Reads wait long (the
//! machine is shared and slow); nothing is timed.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// How long one message may take to arrive: generous, never an assertion.
const PATIENCE: Duration = Duration::from_secs(120);

const MAIN: &str = r#"import "./partners.c4"
specification {
  tag critical "Outage stops sales"
}
model {
  customer = person "Customer" "Buys things"
  shop = system "Shop" "Sells things" {
    api = container "API" "Serves the shop" "Rust" {
      tags "critical"
    }
  }
  customer -> shop.api "Uses"
  shop.api -> pay "Charges"
}
views {
  container shop
}
"#;

const PARTNERS: &str = "model {\n  pay = system \"Payments\"\n}\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    /// Notifications received while waiting for something else.
    seen: Vec<Value>,
    next_id: i64,
}

/// Reads framed messages from the server until its stdout closes.
fn read_messages(out: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        loop {
            let mut len = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    len = v.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; len.unwrap_or(0)];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(v) = serde_json::from_slice::<Value>(&body) else {
                return;
            };
            if tx.send(v).is_err() {
                return;
            }
        }
    });
    rx
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_c4c"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("c4c lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let inbox = read_messages(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            inbox,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.inbox.recv_timeout(PATIENCE).expect("a response");
            if msg["id"] == json!(id) {
                return msg;
            }
            self.seen.push(msg);
        }
    }

    /// The result of a request (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let msg = self.call(method, params);
        assert!(msg.get("error").is_none(), "{method}: {msg}");
        msg["result"].clone()
    }

    /// Waits for diagnostics published for `uri` that satisfy `ok`.
    fn diagnostics(&mut self, uri: &str, ok: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        // The latest already received, if it is the awaited one.
        if let Some(pos) = self.seen.iter().rposition(matches) {
            let m = self.seen.remove(pos);
            let list = m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if ok(&list) {
                return list;
            }
        }
        loop {
            let msg = self.inbox.recv_timeout(PATIENCE).expect("diagnostics");
            if matches(&msg) {
                let list = msg["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if ok(&list) {
                    return list;
                }
            }
        }
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn at(line: u32, character: u32, uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// The (line, column) of the `n`th (0-based) occurrence of `needle`, plus `delta` columns.
fn find(text: &str, needle: &str, n: usize, delta: u32) -> (u32, u32) {
    let off = text
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .expect(needle);
    let line = text[..off].matches('\n').count() as u32;
    let col = (off - text[..off].rfind('\n').map_or(0, |i| i + 1)) as u32;
    (line, col + delta)
}

fn workspace() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::write(root.join("main.c4"), MAIN).expect("write");
    std::fs::write(root.join("partners.c4"), PARTNERS).expect("write");
    let main = uri(&root.join("main.c4"));
    let partners = uri(&root.join("partners.c4"));
    (dir, main, partners)
}

fn initialize(c: &mut Client, root: &Path) -> Value {
    let root = std::fs::canonicalize(root).expect("canonical");
    let r = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    r
}

fn change(c: &mut Client, uri: &str, version: i32, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

fn shutdown(mut c: Client) {
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().expect("exit status");
    assert!(status.success(), "{status:?}");
}

#[test]
fn diagnostics_follow_the_editors_text() {
    let (dir, main, partners) = workspace();
    let mut c = Client::start(dir.path());
    let init = initialize(&mut c, dir.path());
    assert_eq!(init["capabilities"]["definitionProvider"], true);
    assert_eq!(init["capabilities"]["textDocumentSync"], 1);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "c4", "version": 1, "text": MAIN}}),
    );
    c.diagnostics(&main, <[Value]>::is_empty);

    // A typo, typed in a burst of changes: an error at the exact range.
    let typo = MAIN.replace("-> pay ", "-> payy ");
    change(&mut c, &main, 2, &typo.replace("payy", "pa"));
    change(&mut c, &main, 3, &typo);
    let diags = c.diagnostics(&main, |d| !d.is_empty());
    let e = &diags[0];
    assert_eq!(e["code"], "E021", "{e}");
    assert_eq!(e["severity"], 1);
    let (line, col) = find(&typo, "payy", 0, 0);
    assert_eq!(e["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(
        e["range"]["end"],
        json!({"line": line, "character": col + 4})
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `pay`"),
        "{e}"
    );

    // The quick fix the hint offers.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": e["range"], "context": {"diagnostics": []}}),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Replace `payy` with `pay`", "{actions}");
    assert_eq!(fix["edit"]["changes"][&main][0]["newText"], "pay");

    // Fixed: the error disappears.
    change(&mut c, &main, 4, MAIN);
    c.diagnostics(&main, <[Value]>::is_empty);

    // An error in an imported file is published for that file.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": partners, "languageId": "c4", "version": 1, "text": "model {\n  pay = sytem \"Payments\"\n}\n"}}),
    );
    let diags = c.diagnostics(&partners, |d| !d.is_empty());
    assert_eq!(diags[0]["code"], "E024", "{diags:?}");
    shutdown(c);
}

/// A server on a fresh workspace with main.c4 open and checked.
fn session() -> (tempfile::TempDir, Client, String, String) {
    let (dir, main, partners) = workspace();
    let mut c = Client::start(dir.path());
    initialize(&mut c, dir.path());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "c4", "version": 1, "text": MAIN}}),
    );
    c.diagnostics(&main, <[Value]>::is_empty);
    (dir, c, main, partners)
}

#[test]
fn definition_references_and_hover() {
    let (_dir, mut c, main, partners) = session();

    // Definition: `pay` in main.c4 is declared in partners.c4.
    let (l, ch) = find(MAIN, "-> pay", 0, 4);
    let def = c.request("textDocument/definition", at(l, ch, &main));
    assert_eq!(def["uri"], partners, "{def}");
    assert_eq!(def["range"]["start"], json!({"line": 1, "character": 2}));
    // Each segment of a path resolves: `shop` in `shop.api`.
    let (l, ch) = find(MAIN, "shop.api", 0, 1);
    let def = c.request("textDocument/definition", at(l, ch, &main));
    assert_eq!(
        def["range"]["start"],
        json!({"line": 6, "character": 2}),
        "{def}"
    );
    // An import path leads to its file.
    let def = c.request("textDocument/definition", at(0, 10, &main));
    assert_eq!(def["uri"], partners, "{def}");

    // References to `api`: its declaration and both uses.
    let (l, ch) = find(MAIN, "shop.api", 0, 6);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": main}, "position": {"line": l, "character": ch}, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(3), "{refs}");

    // Hover: kind, name, description, technology, tags, views.
    let hover = c.request("textDocument/hover", at(l, ch, &main));
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    for want in [
        "container",
        "API",
        "Serves the shop",
        "Rust",
        "critical",
        "shop-containers",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }

    shutdown(c);
}

#[test]
fn completion_rename_outline_and_formatting() {
    let (_dir, mut c, main, _) = session();
    // Completion in the model block: elements, kinds (with their import).
    let (l, _) = find(MAIN, "  customer -> shop.api", 0, 0);
    let items = c.request("textDocument/completion", at(l, 0, &main));
    let labels: Vec<&str> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    for want in [
        "customer",
        "shop.api",
        "container",
        "database",
        "description",
    ] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    let db = items
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "database");
    assert_eq!(
        db.map(|i| i["additionalTextEdits"][0]["newText"].clone()),
        Some(json!("import \"std/kinds\"\n"))
    );

    // Rename `api` everywhere.
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": main}, "position": {"line": l - 4, "character": 5}, "newName": "backend"}),
    );
    let edits = edit["changes"][&main]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 3, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "backend"));
    let bad = c.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": main}, "position": {"line": l - 4, "character": 5}, "newName": "no way"}),
    );
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("not an identifier"),
        "{bad}"
    );

    // Outline, workspace symbols, semantic tokens.
    let outline = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": main}}),
    );
    let names: Vec<&str> = outline
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["customer", "shop", "shop-containers"], "{outline}");
    assert_eq!(outline[1]["children"][0]["name"], "api");
    let symbols = c.request("workspace/symbol", json!({"query": "API"}));
    assert!(
        symbols
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["name"] == "shop.api"),
        "{symbols}"
    );
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": main}}),
    );
    let data = tokens["data"].as_array().map(Vec::len).unwrap_or(0);
    assert!(data > 0 && data.is_multiple_of(5), "{tokens}");

    // While the text does not parse, the names of the last model are offered;
    // a path replaces all that was typed of it.
    let typing = MAIN.replace("  customer -> shop.api", "  shop.a\n  customer -> shop.api");
    change(&mut c, &main, 2, &typing);
    c.diagnostics(&main, |d| d.iter().any(|d| d["code"] == "E001"));
    let (l, ch) = find(&typing, "  shop.a\n", 0, 8);
    let items = c.request("textDocument/completion", at(l, ch, &main));
    let api = items
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "shop.api");
    let range = api.map(|i| i["textEdit"]["range"].clone());
    assert_eq!(
        range,
        Some(json!({"start": {"line": l, "character": 2}, "end": {"line": l, "character": ch}})),
        "{items}"
    );

    // Formatting: what `c4c fmt` writes.
    let messy = MAIN.replace("  customer = person", "customer   =   person");
    change(&mut c, &main, 3, &messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": main}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        edits[0]["newText"],
        c4c::format::format_source(&messy),
        "{edits}"
    );
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap_or("")
            .contains("\n  customer = person")
    );
    shutdown(c);
}

#[test]
fn bad_requests_get_answers_not_a_crash() {
    let (dir, main, _) = workspace();
    // A file that is not UTF-8: a diagnostic, like any other problem.
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::write(
        root.join("latin1.c4"),
        b"model {\n  caf\xe9 = person \"X\"\n}\n",
    )
    .expect("write");
    let latin1 = uri(&root.join("latin1.c4"));
    let mut c = Client::start(dir.path());
    initialize(&mut c, dir.path());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "c4", "version": 1, "text": MAIN}}),
    );
    let diags = c.diagnostics(&latin1, |d| !d.is_empty());
    assert_eq!(diags[0]["code"], "E002", "{diags:?}");
    // A position far past the end, a file not in the workspace, another scheme.
    for (uri, line) in [
        (main.as_str(), 9999),
        (latin1.as_str(), 1),
        ("file:///nowhere/x.c4", 0),
        ("untitled:Untitled-1", 0),
    ] {
        for method in [
            "textDocument/definition",
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/references",
        ] {
            let mut params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 4_000_000_000u32}});
            if method.ends_with("references") {
                params["context"] = json!({"includeDeclaration": true});
            }
            let r = c.call(method, params);
            assert!(r.get("error").is_none(), "{method} {uri}: {r}");
        }
    }
    // Parameters of the wrong shape, and a method nobody knows.
    let r = c.call("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.call("c4c/unknown", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Text that is not a model at all.
    change(
        &mut c,
        &main,
        2,
        "\u{0}\u{feff}model { a = \"\n}}}} \u{202e}",
    );
    let r = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": main}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(r["result"], json!([]), "{r}");
    shutdown(c);
}

#[test]
fn requests_before_initialize_are_refused_and_garbage_ends_the_server() {
    let (dir, main, _) = workspace();
    let mut c = Client::start(dir.path());
    let r = c.call("textDocument/hover", at(0, 0, &main));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let init = initialize(&mut c, dir.path());
    assert_eq!(init["serverInfo"]["name"], "c4c");
    // A frame that is no JSON: the server stops (exit code 2), it does not hang.
    write!(c.stdin, "Content-Length: 5\r\n\r\nhello").expect("write");
    c.stdin.flush().expect("flush");
    let status = c.child.wait().expect("exit status");
    assert_eq!(status.code(), Some(2));
}
