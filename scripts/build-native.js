#!/usr/bin/env node
/*
 * Install step: builds the optional OpenBLAS matmul addon (native/) with npm's own node-gyp against the local
 * Node headers. It never downloads headers and never fails the install: where node-gyp, the headers, a compiler
 * or libopenblas-dev is missing it prints one line and exits 0, and scorelab uses the plain wasm kernels.
 * SCORELAB_BLAS=0 skips the build.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const native = path.join(root, "native");
const note = (msg) => { console.log(`scorelab: OpenBLAS matmul addon not built (${msg}); the wasm kernels will serve.`); process.exit(0); };

function findNodeGyp() {
  const candidates = [];
  // Under `npm install` npm says where it lives; otherwise look beside the node binary's prefix.
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  candidates.push(path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(path.join(prefix, "share", "nodejs", "node-gyp", "bin", "node-gyp.js"));
  try { candidates.push(require.resolve("node-gyp/bin/node-gyp.js")); } catch { /* not a local dependency */ }
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

function main() {
  if (process.env.SCORELAB_BLAS === "0") note("SCORELAB_BLAS=0");
  if (process.platform !== "linux" && process.platform !== "darwin") note(`platform ${process.platform}`);
  const nodedir = process.env.npm_config_nodedir || "/usr";
  if (!fs.existsSync(path.join(nodedir, "include", "node", "node_api.h"))) note(`no Node headers under ${nodedir}/include/node`);
  const gyp = findNodeGyp();
  if (!gyp) note("npm's node-gyp not found");
  const r = spawnSync(process.execPath, [gyp, "rebuild", `--nodedir=${nodedir}`, "--jobs=2"], { cwd: native, encoding: "utf8", timeout: 300000 });
  if (r.status !== 0) {
    const lines = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter((l) => /error|cannot find|not found/i.test(l));
    note(lines[0] ?? (r.error ? r.error.message : `node-gyp exited with ${r.status}`));
  }
  console.log("scorelab: built the OpenBLAS matmul addon (native/build/Release/scorelab_blas.node).");
}

main();
