#!/usr/bin/env node
/*
 * Install step (also `scorelab setup`): builds the native parts with npm's own node-gyp against the local Node
 * headers, never downloading anything and never failing the install. Where a part cannot build it prints one line
 * saying why and how to get it, and scorelab falls back (torch -> wasm; OpenBLAS matmul -> plain wasm kernels).
 *   - native/torch: the `torch` tfjs backend over libtorch (scripts/find-libtorch.js says which libtorch).
 *     SCORELAB_TORCH=0 skips it.
 *   - native/: the OpenBLAS matmul addon for the wasm backend. SCORELAB_BLAS=0 skips it.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { find } = require("./find-libtorch");

const root = path.resolve(__dirname, "..");

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

/** Runs node-gyp in `dir`; returns null on success or the first error line. */
function gyp(dir) {
  if (process.platform !== "linux" && process.platform !== "darwin") return `platform ${process.platform}`;
  const nodedir = process.env.npm_config_nodedir || "/usr";
  if (!fs.existsSync(path.join(nodedir, "include", "node", "node_api.h"))) return `no Node headers under ${nodedir}/include/node`;
  const bin = findNodeGyp();
  if (!bin) return "npm's node-gyp not found";
  const r = spawnSync(process.execPath, [bin, "rebuild", `--nodedir=${nodedir}`, "--jobs=2"], { cwd: dir, encoding: "utf8", timeout: 900000 });
  if (r.status === 0) return null;
  const lines = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter((l) => /error|cannot find|not found/i.test(l));
  return lines[0] ?? (r.error ? r.error.message : `node-gyp exited with ${r.status}`);
}

function buildTorch() {
  if (process.env.SCORELAB_TORCH === "0") return console.log("scorelab: torch backend not built (SCORELAB_TORCH=0); the wasm backend will serve.");
  const found = find();
  if (found.error) {
    return console.log(`scorelab: torch backend not built (${found.error}); the wasm backend will serve. Get it with \`sudo apt-get install libtorch-dev\` or LIBTORCH=/path/to/libtorch, then \`npx scorelab setup\`.`);
  }
  const err = gyp(path.join(root, "native", "torch"));
  if (err) return console.log(`scorelab: torch backend not built against ${found.source} (${err}); the wasm backend will serve.`);
  console.log(`scorelab: built the torch backend against ${found.source}${found.cuda ? " (CUDA)" : " (CPU)"}.`);
}

function buildBlas() {
  if (process.env.SCORELAB_BLAS === "0") return console.log("scorelab: OpenBLAS matmul addon not built (SCORELAB_BLAS=0); the wasm kernels will serve.");
  const err = gyp(path.join(root, "native"));
  if (err) return console.log(`scorelab: OpenBLAS matmul addon not built (${err}); the wasm kernels will serve.`);
  console.log("scorelab: built the OpenBLAS matmul addon (native/build/Release/scorelab_blas.node).");
}

module.exports = { buildTorch, buildBlas };

if (require.main === module) {
  buildTorch();
  buildBlas();
}
