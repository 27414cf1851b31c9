#!/usr/bin/env node
/*
 * `npm test` after the build: the whole suite on the torch backend, then the exact-answer tests again on the
 * embedded wasm backend so that the default that installs everywhere stays correct. Exits non-zero if either
 * run fails. Extra arguments are test files or folders under dist/test/ to run instead of the whole suite.
 *
 * The module tests (one small process each, most of their time spent loading) run two at a time; the tests that
 * start kernels, browsers, servers, process pools or the main job, or that bound times and kill processes, run one
 * at a time as before, so that their bounds mean what they say.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = (p) => path.join(root, "dist", "test", p);
// Tests whose answers are closed forms or exact laws (the wasm run repeats them).
const EXACT = ["sde", "score/exact", "sample", "bounds", "tensor", "data", "linalg"];
// Folders (and repository-level files) of dist/test whose tests run one at a time.
const SERIAL = ["browser", "reliability", "notebooks", "kernel", "check", "sweep", "cli", "package.test.js"];

/** Every *.test.js below dir whose TypeScript source still exists (tsc never deletes the output of a removed test). */
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    if (!e.name.endsWith(".test.js")) return [];
    const source = path.join(root, path.relative(path.join(root, "dist"), p)).replace(/\.js$/, ".ts");
    if (fs.existsSync(source)) return [p];
    console.log(`# skipping ${path.relative(root, p)}: compiled from a test that no longer exists`);
    return [];
  });
}

function run(label, backend, targets, concurrency = 1) {
  console.log(`\n# scorelab tests on ${label} (SCORELAB_BACKEND=${backend}, ${concurrency} at a time)`);
  const r = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, ...targets], {
    cwd: root, stdio: "inherit", env: { ...process.env, SCORELAB_BACKEND: backend },
  });
  return r.status === 0;
}

const picked = process.argv.slice(2);
let okTorch;
if (picked.length) okTorch = run("torch", "torch", picked.map(dist));
else {
  const serial = (f) => SERIAL.includes(path.relative(dist(""), f).split(path.sep)[0]);
  const files = testFiles(dist(""));
  const okModules = run("torch, module tests", "torch", files.filter((f) => !serial(f)), 2);
  const okSerial = run("torch, whole-system tests", "torch", files.filter(serial));
  okTorch = okModules && okSerial;
}
const okWasm = picked.length ? true : run("wasm (exact-answer subset)", "wasm", EXACT.flatMap((d) => testFiles(dist(d))), 2);
if (!okTorch || !okWasm) {
  console.error(`\nscorelab tests failed: torch ${okTorch ? "passed" : "FAILED"}, wasm subset ${okWasm ? "passed" : "FAILED"}`);
  process.exit(1);
}
