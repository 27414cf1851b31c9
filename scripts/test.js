#!/usr/bin/env node
/*
 * `npm test` after the build: the whole suite on the torch backend, then the exact-answer tests again on the
 * embedded wasm backend so that the default that installs everywhere stays correct. Exits non-zero if either
 * run fails. Extra arguments are test files or folders under dist/test/ to run instead of the whole suite.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = (p) => path.join(root, "dist", "test", p);
// Tests whose answers are closed forms or exact laws (the wasm run repeats them).
const EXACT = ["sde", "score-exact", "sample", "bounds", "tensor", "data"];

function run(label, backend, targets) {
  console.log(`\n# scorelab tests on ${label} (SCORELAB_BACKEND=${backend})`);
  const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...targets], {
    cwd: root, stdio: "inherit", env: { ...process.env, SCORELAB_BACKEND: backend },
  });
  return r.status === 0;
}

const picked = process.argv.slice(2);
const all = picked.length ? picked.map(dist) : [dist("")];
const okTorch = run("torch", "torch", all);
const okWasm = picked.length ? true : run("wasm (exact-answer subset)", "wasm", EXACT.map(dist));
if (!okTorch || !okWasm) {
  console.error(`\nscorelab tests failed: torch ${okTorch ? "passed" : "FAILED"}, wasm subset ${okWasm ? "passed" : "FAILED"}`);
  process.exit(1);
}
