//! `c4c serve` and `c4c build --format html`: the page in real headless
//! Chromium (tools/mermaid-check/site-check.mjs: every view renders with
//! the bundled Mermaid, clicking an element lists the views that show it,
//! an edit updates the page, an error appears and disappears, the diff of
//! `--git` renders, a static site makes no network request), and the
//! server's own rules over plain HTTP (loopback only, its own `Host`, GET).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::{c4c, git, root, text};

/// A running `c4c serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `c4c serve ARGS --port 0` in `dir` and waits for the line that
/// says where it listens.
fn serve(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_c4c"))
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("c4c serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    let url = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("c4c serve ended before serving:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(url) = line.strip_prefix("c4c: serving ") {
            break url.to_string();
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

/// A copy of the bundled shop example in a temporary folder.
fn shop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["shop.c4", "partners.c4"] {
        std::fs::copy(root().join("examples/shop").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn site_check(args: &[&OsStr]) {
    if let Some((ok, report)) = crate::mermaid::run_site_check(args) {
        assert!(ok, "{report}");
        // The figures (update latencies), past the harness's capture.
        let _ = writeln!(std::io::stderr(), "site-check: {}", report.trim());
    }
}

#[test]
fn serve_renders_every_view_follows_edits_and_shows_errors() {
    let dir = shop();
    let model = dir.path().join("shop.c4");
    let original = std::fs::read_to_string(&model).unwrap();
    let server = serve(dir.path(), &["."]);
    let added = original.replacen(
        "model {",
        "model {\n  fraud = external system \"Fraud Check\" \"Scores orders\"\n  shop -> fraud \"Asks for a score\"\n",
        1,
    );
    let broken = format!("{original}\nmodel {{ oops = system \"Broken\n");
    let steps = serde_json::json!([
        {"write": {"path": model, "text": added}, "expect": {"errors": false, "contains": "Fraud Check"}},
        {"write": {"path": model, "text": broken}, "expect": {"errors": true, "code": "E00"}},
        {"write": {"path": model, "text": original}, "expect": {"errors": false}},
    ]);
    let steps_file = dir.path().join("steps.json");
    std::fs::write(&steps_file, steps.to_string()).unwrap();
    site_check(&[
        OsStr::new(&server.url),
        OsStr::new("--steps"),
        steps_file.as_os_str(),
    ]);
}

/// `c4c build --format html` of `input` into a new temporary folder.
fn site(input: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = c4c(
        &[
            "build",
            input,
            "--format",
            "html",
            "-o",
            out.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    out
}

#[test]
fn the_static_site_renders_offline() {
    for example in ["examples/shop", "examples/seeds"] {
        let out = site(example);
        let mut names: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "c4c-site.css",
                "c4c-site.js",
                "index.html",
                "mermaid.min.js"
            ]
        );
        let url = format!("file://{}/index.html", out.path().display());
        site_check(&[OsStr::new(&url), OsStr::new("--offline")]);
    }
}

/// The page of a small model, as data: the state the script shows.
#[test]
fn the_page_of_a_small_model() {
    let out = site("tests/cases/basic.c4");
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let page = page.replace(env!("CARGO_PKG_VERSION"), "VERSION");
    insta::assert_snapshot!(page);
}

#[test]
fn serve_git_shows_the_highlighted_diff() {
    let dir = shop();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    let model = dir.path().join("shop.c4");
    let changed = std::fs::read_to_string(&model).unwrap().replacen(
        "model {",
        "model {\n  auditor = person \"Auditor\" \"Reviews orders\"\n  auditor -> shop \"Audits\"\n",
        1,
    );
    std::fs::write(&model, changed).unwrap();
    let server = serve(dir.path(), &[".", "--git", "HEAD"]);
    site_check(&[OsStr::new(&server.url), OsStr::new("--diff")]);
}

/// One HTTP/1.1 request to the server: (status line, headers and body).
fn request(url: &str, raw: &str) -> String {
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    s.write_all(raw.replace("ADDR", &addr).as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    text(&out)
}

#[test]
fn serve_answers_only_its_own_host_only_get_and_only_its_files() {
    let dir = shop();
    let server = serve(dir.path(), &["."]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "loopback by default: {}",
        server.url
    );
    let get = |path: &str, host: &str| {
        request(
            &server.url,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    let page = get("/", "ADDR");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("Content-Security-Policy: default-src 'none'"),
        "{page}"
    );
    assert!(page.contains("<script id=\"c4c-state\" type=\"application/json\">"));
    // A page elsewhere pointing a name of its own at 127.0.0.1 (DNS
    // rebinding) cannot read the model.
    let rebound = get("/state.json", "attacker.example:80");
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    assert!(!rebound.contains("Online Shop"));
    let local = get("/state.json", "localhost:1");
    assert!(local.starts_with("HTTP/1.1 403"), "another port: {local}");
    // Nothing but the site's own files.
    for path in ["/shop.c4", "/../shop.c4", "/%2e%2e/shop.c4", "/etc/passwd"] {
        let r = get(path, "ADDR");
        assert!(r.starts_with("HTTP/1.1 404"), "{path}: {r}");
    }
    let post = request(
        &server.url,
        "POST /state.json HTTP/1.1\r\nHost: ADDR\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    // The bundled Mermaid, gzipped for a browser that takes it.
    let js = request(
        &server.url,
        "GET /mermaid.min.js HTTP/1.1\r\nHost: ADDR\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    );
    assert!(
        js.contains("Content-Encoding: gzip"),
        "{}",
        &js[..300.min(js.len())]
    );
}

#[test]
fn serve_says_when_the_port_is_taken() {
    let dir = shop();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = c4c(&["serve", ".", "--port", &port], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cannot listen on") && err.contains("--port 0"),
        "{err}"
    );
}
