// The c4c extension for VS Code (plain JavaScript, no build step).
//
// In: the settings `c4c.path` (the c4c executable, default `c4c` on PATH),
// `c4c.lsp.enable` and `c4c.trace.server`. Out: a language client that runs
// `c4c lsp` over stdio for every c4c file, and the command "c4c: Open
// Preview", which runs `c4c serve <workspace folder> --port 0`, waits for the
// one line it writes to stderr when ready (`c4c: serving
// http://127.0.0.1:PORT/`) and opens that URL in VS Code's Simple Browser.
// The preview process is stopped when the extension deactivates (or with
// "c4c: Stop Preview Server"). A missing executable gives one clear message
// with a button to the setting.
"use strict";

const vscode = require("vscode");
const { spawn, execFile } = require("node:child_process");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** How long `c4c serve` may take to announce its URL. */
const SERVE_TIMEOUT_MS = 20000;
/** The announcement: a loopback URL only, nothing else is opened. */
const SERVING = /^c4c: serving (http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost):\d+\/\S*)\s*$/;

let client = null;
let output = null;
/** The running preview: { proc, folder, url }. */
let preview = null;

function exe() {
  const p = vscode.workspace.getConfiguration("c4c").get("path");
  return typeof p === "string" && p.trim() !== "" ? p.trim() : "c4c";
}

/** Says that the executable cannot be run, once per failure, with a way out. */
async function missing(err) {
  const detail = err && err.code === "ENOENT" ? "was not found" : `could not be run (${err && err.message})`;
  const pick = await vscode.window.showErrorMessage(
    `c4c: the executable \`${exe()}\` ${detail}. Install c4c (cargo install --path . in its repository, ` +
      `or a release binary) and put it on PATH, or set "c4c.path" to its absolute path.`,
    "Open Settings"
  );
  if (pick === "Open Settings") {
    vscode.commands.executeCommand("workbench.action.openSettings", "c4c.path");
  }
}

/** Resolves when `c4c --version` runs, rejects with the spawn error otherwise. */
function probe() {
  return new Promise((resolve, reject) => {
    execFile(exe(), ["--version"], { timeout: 10000 }, (err) => (err ? reject(err) : resolve()));
  });
}

async function startClient() {
  if (!vscode.workspace.getConfiguration("c4c").get("lsp.enable", true)) return;
  try {
    await probe();
  } catch (err) {
    missing(err);
    return;
  }
  const serverOptions = { command: exe(), args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "c4c" }, { scheme: "untitled", language: "c4c" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{c4,c4c}") },
    outputChannel: output,
  };
  client = new LanguageClient("c4c", "c4c language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = null;
    vscode.window.showErrorMessage(`c4c: the language server (\`${exe()} lsp\`) did not start: ${err.message}`);
  }
}

async function stopClient() {
  const c = client;
  client = null;
  if (c) {
    try {
      await c.stop();
    } catch (_) {
      // Already gone.
    }
  }
}

function stopPreview() {
  if (preview && preview.proc.exitCode === null) preview.proc.kill();
  preview = null;
}

/** The workspace folder of the active editor, else the only/first one. */
function currentFolder() {
  const doc = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document;
  const own = doc && vscode.workspace.getWorkspaceFolder(doc.uri);
  if (own) return own;
  const all = vscode.workspace.workspaceFolders || [];
  return all.length > 0 ? all[0] : null;
}

/** Starts `c4c serve FOLDER --port 0` and resolves with the URL it announces. */
function serve(folder) {
  return new Promise((resolve, reject) => {
    const proc = spawn(exe(), ["serve", folder, "--port", "0"], {
      cwd: folder,
      stdio: ["ignore", "ignore", "pipe"],
    });
    preview = { proc, folder, url: null };
    let said = "";
    let pending = "";
    const timer = setTimeout(() => {
      reject(new Error(`\`c4c serve\` did not announce its address within ${SERVE_TIMEOUT_MS / 1000} s`));
      if (preview && preview.proc === proc) stopPreview();
    }, SERVE_TIMEOUT_MS);
    proc.on("error", (err) => {
      clearTimeout(timer);
      if (preview && preview.proc === proc) preview = null;
      reject(err);
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      if (preview && preview.proc === proc) preview = null;
      reject(new Error(`\`c4c serve\` exited (code ${code}):\n${said.slice(-2000)}`));
    });
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk) => {
      output.append(chunk);
      if (preview && preview.url) return;
      said += chunk;
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop();
      for (const line of lines) {
        const m = SERVING.exec(line);
        if (m && preview && preview.proc === proc) {
          clearTimeout(timer);
          preview.url = m[1];
          resolve(m[1]);
          return;
        }
      }
    });
  });
}

async function openPreview() {
  const folder = currentFolder();
  if (!folder || folder.uri.scheme !== "file") {
    vscode.window.showErrorMessage("c4c: open a folder (a local workspace) to preview its models.");
    return;
  }
  const path = folder.uri.fsPath;
  if (!(preview && preview.folder === path && preview.url)) {
    stopPreview();
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: "c4c: starting the preview" },
        () => serve(path)
      );
    } catch (err) {
      if (err && (err.code === "ENOENT" || err.code === "EACCES")) missing(err);
      else vscode.window.showErrorMessage(`c4c: the preview did not start: ${err.message}`);
      return;
    }
  }
  await vscode.commands.executeCommand("simpleBrowser.show", preview.url);
}

async function activate(context) {
  output = vscode.window.createOutputChannel("c4c");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("c4c.openPreview", openPreview),
    vscode.commands.registerCommand("c4c.stopPreview", stopPreview),
    vscode.commands.registerCommand("c4c.restartServer", async () => {
      await stopClient();
      await startClient();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("c4c.path") || e.affectsConfiguration("c4c.lsp.enable")) {
        stopPreview();
        await stopClient();
        await startClient();
      }
    }),
    { dispose: stopPreview }
  );
  await startClient();
}

async function deactivate() {
  stopPreview();
  await stopClient();
}

module.exports = { activate, deactivate };
