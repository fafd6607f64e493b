// A smoke test of extension.js without VS Code: `vscode` and
// `vscode-languageclient/node` are replaced by stubs, and `c4c.path` points at
// a fake c4c (a shell script given as argv[2]) that answers `--version`,
// and for `serve` writes the ready line to stderr and waits.
//
//   node editors/vscode/test/smoke.js FAKE_C4C
//
// Checks: activation registers the commands and starts the language client
// with `FAKE_C4C lsp`; "c4c: Open Preview" runs `serve <folder> --port 0` and
// opens the announced URL in the Simple Browser; deactivation stops the
// client and the preview process; a missing executable gives one error
// message naming `c4c.path`. Prints `smoke: ok` and exits 0, or exits 1.
"use strict";
const Module = require("node:module");
const path = require("node:path");
const assert = require("node:assert/strict");

const fake = path.resolve(process.argv[2] || "");
const folder = path.resolve(__dirname, "..");
const log = { commands: {}, executed: [], errors: [], clients: [] };
let exePath = fake;

class LanguageClient {
  constructor(id, name, server, options) {
    this.server = server;
    this.options = options;
    this.running = false;
    log.clients.push(this);
  }
  async start() { this.running = true; }
  async stop() { this.running = false; }
}
const vscode = {
  window: {
    createOutputChannel: () => ({ append() {}, appendLine() {}, dispose() {} }),
    showErrorMessage: async (m) => { log.errors.push(m); return undefined; },
    withProgress: (_o, task) => task(),
    activeTextEditor: undefined,
  },
  workspace: {
    getConfiguration: () => ({ get: (k, d) => (k === "path" ? exePath : d) }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
    createFileSystemWatcher: () => ({ dispose() {} }),
    getWorkspaceFolder: () => undefined,
    workspaceFolders: [{ uri: { scheme: "file", fsPath: folder } }],
  },
  commands: {
    registerCommand: (id, fn) => { log.commands[id] = fn; return { dispose() {} }; },
    executeCommand: async (...args) => { log.executed.push(args); },
  },
  ProgressLocation: { Window: 10 },
};
const stubs = { vscode, "vscode-languageclient/node": { LanguageClient, TransportKind: { stdio: 0 } } };
const load = Module._load;
Module._load = function (request, ...rest) {
  return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : load.call(this, request, ...rest);
};

(async () => {
  const ext = require("../extension.js");
  const ctx = { subscriptions: [] };
  await ext.activate(ctx);
  for (const c of ["c4c.openPreview", "c4c.stopPreview", "c4c.restartServer"]) {
    assert.ok(log.commands[c], `command ${c} registered`);
  }
  assert.equal(log.clients.length, 1, "one language client");
  assert.deepEqual([log.clients[0].server.command, ...log.clients[0].server.args], [fake, "lsp"]);
  assert.ok(log.clients[0].running);

  await log.commands["c4c.openPreview"]();
  assert.deepEqual(log.errors, [], "no error messages");
  const shown = log.executed.find((a) => a[0] === "simpleBrowser.show");
  assert.ok(shown, "the Simple Browser was opened");
  assert.equal(shown[1], "http://127.0.0.1:43210/");

  // The fake records its arguments and pid next to itself.
  const fs = require("node:fs");
  const args = fs.readFileSync(`${fake}.serve-args`, "utf8").trim();
  assert.equal(args, `serve ${folder} --port 0`);
  const pid = Number(fs.readFileSync(`${fake}.serve-pid`, "utf8"));
  process.kill(pid, 0); // running

  await ext.deactivate();
  assert.equal(log.clients[0].running, false, "client stopped");
  await new Promise((r) => setTimeout(r, 300));
  assert.throws(() => process.kill(pid, 0), "preview process stopped");

  exePath = path.join(folder, "no-such-c4c");
  await ext.activate({ subscriptions: [] });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(log.errors.length, 1, "one message for a missing executable");
  assert.match(log.errors[0], /not found.*c4c\.path/s);
  console.log("smoke: ok");
})().catch((e) => {
  console.error(`smoke: FAILED: ${e.stack || e}`);
  process.exit(1);
});
