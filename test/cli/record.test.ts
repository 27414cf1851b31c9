// `scorelab record` (src/cli/record.ts): a main job's run is kept with its date and backend, and the README's
// results block is written from it, checks included; a bad output folder or README changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recordRun, recordRuns, README_BEGIN, README_END } from "../../src/cli/record";
import type { MainJobSummary } from "../../src/cli/main-job";
import { checkClaim } from "../../src/studies";

function fakeRun(dir: string): MainJobSummary {
  const check = checkClaim({ quantity: "fused bits/dim below uniform", values: [3.3, 3.4, 3.2, 3.3, 3.5], reference: { name: "uniform log2 17", value: Math.log2(17) }, direction: "below" });
  const s: MainJobSummary = {
    started: "2026-12-01T16:00:00.000Z", finished: "2026-12-01T16:20:00.000Z", mode: "full", backend: { id: "torch", description: "tfjs 4.22.0 backend torch on CPU" }, seconds: 1200,
    outcomes: [{ file: "paper-fusion.ipynb", paper: "p", status: "ok", seconds: 500, claim: "c", reproduced: "partly", summary: "fused 3.3 | target 9.3", note: "", checks: [check], notebook: "paper-fusion/paper-fusion.ipynb", figures: [] }],
  };
  fs.mkdirSync(path.join(dir, "paper-fusion"), { recursive: true });
  fs.writeFileSync(path.join(dir, "paper-fusion", "paper-fusion.ipynb"), '{"cells": []}');
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(s));
  fs.writeFileSync(path.join(dir, "summary.md"), "# s\n");
  return s;
}

test("a run is kept under its date, backend and mode, and the README block is rewritten from it", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-record-"));
  try {
    fakeRun(path.join(root, "out"));
    const readme = path.join(root, "README.md");
    fs.writeFileSync(readme, `intro\n${README_BEGIN}\nold numbers\n${README_END}\nafter\n`);
    const kept = recordRun(path.join(root, "out"), { runsDir: path.join(root, "runs"), readme });
    assert.equal(path.basename(kept), "2026-12-01-torch-full");
    assert.ok(fs.existsSync(path.join(kept, "paper-fusion.ipynb")) && fs.existsSync(path.join(kept, "summary.json")));
    const text = fs.readFileSync(readme, "utf8");
    assert.ok(text.startsWith(`intro\n${README_BEGIN}\n`) && text.endsWith(`${README_END}\nafter\n`));
    assert.doesNotMatch(text, /old numbers/);
    assert.match(text, /- 2026-12-01 16:00 UTC to 2026-12-01 16:20 UTC, full mode, paper-fusion\.ipynb: tfjs 4\.22\.0 backend torch on CPU/);
    assert.match(text, /\[runs\/2026-12-01-torch-full\/\]\(runs\/2026-12-01-torch-full\/\)/);
    assert.match(text, /\| paper-fusion\.ipynb \| Liu, Ye, Blanchet, Si[^|]*\| partly \| 500 \| fused 3\.3 \\\| target 9\.3 \|/);
    assert.match(text, /\| paper-fusion\.ipynb \| fused bits\/dim below uniform \| 5 \| 3\.340 \[[0-9.]+, [0-9.]+\] \| uniform log2 17: 4\.087 \| -0\.747\d* \[/);
    // Twice in a row gives the same README: the block is replaced, not appended.
    recordRun(path.join(root, "out"), { runsDir: path.join(root, "runs"), readme });
    assert.equal(fs.readFileSync(readme, "utf8"), text);
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});

test("runs notebook by notebook give one table, the later run of a notebook winning", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-record-"));
  try {
    const s1 = fakeRun(path.join(root, "a"));
    const s2 = { ...s1, started: "2026-12-01T17:00:00.000Z", outcomes: [{ ...s1.outcomes[0], reproduced: "no", seconds: 640 }, { ...s1.outcomes[0], file: "paper-sdflow.ipynb", notebook: undefined, reproduced: "yes", seconds: 30, checks: [] }] };
    fs.mkdirSync(path.join(root, "b", "paper-fusion"), { recursive: true });
    fs.writeFileSync(path.join(root, "b", "paper-fusion", "paper-fusion.ipynb"), "{}");
    fs.writeFileSync(path.join(root, "b", "summary.json"), JSON.stringify(s2));
    const readme = path.join(root, "README.md");
    fs.writeFileSync(readme, `${README_BEGIN}\n${README_END}\n`);
    const kept = recordRuns([path.join(root, "b"), path.join(root, "a")], { runsDir: path.join(root, "runs"), readme });
    assert.deepEqual(kept.map((k) => path.basename(k)), ["2026-12-01-torch-full-b", "2026-12-01-torch-full-a"]);
    const text = fs.readFileSync(readme, "utf8");
    assert.match(text, /\| paper-fusion\.ipynb \|[^\n]*\| no \| 640 \|/);
    assert.doesNotMatch(text, /\| partly \| 500 \|/);
    assert.ok(text.indexOf("paper-fusion.ipynb |") < text.indexOf("paper-sdflow.ipynb |"), "rows in the main job's order");
    assert.match(text, /The 2 notebooks took 670 s in all\./);
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});

test("a run of several notebooks at once says so, with its wall time, and the summed seconds say they are summed", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-record-"));
  try {
    const s = fakeRun(path.join(root, "out"));
    fs.writeFileSync(path.join(root, "out", "summary.json"), JSON.stringify({ ...s, seconds: 321.4, jobs: 2, threadsPerChild: 1 }));
    const readme = path.join(root, "README.md");
    fs.writeFileSync(readme, `${README_BEGIN}\n${README_END}\n`);
    recordRun(path.join(root, "out"), { runsDir: path.join(root, "runs"), readme });
    const text = fs.readFileSync(readme, "utf8");
    assert.match(text, /backend torch on CPU, 2 notebooks at once with 1 thread each, 321 s wall; kept in/);
    assert.match(text, /The 1 notebook took 500 s in all \(each notebook's own time, summed; some ran at once/);
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});

test("no summary, no markers or a missing notebook: one clear error, nothing written", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-record-"));
  try {
    assert.throws(() => recordRun(path.join(root, "nowhere")), /recordRun: argument 'outDir' must be a main job's output folder/);
    fakeRun(path.join(root, "out"));
    const readme = path.join(root, "README.md");
    fs.writeFileSync(readme, "no block here\n");
    assert.throws(() => recordRun(path.join(root, "out"), { runsDir: path.join(root, "runs"), readme }), /has no results block/);
    assert.equal(fs.readFileSync(readme, "utf8"), "no block here\n");
    assert.ok(!fs.existsSync(path.join(root, "runs")));
    fs.rmSync(path.join(root, "out", "paper-fusion"), { recursive: true });
    assert.throws(() => recordRun(path.join(root, "out"), { runsDir: path.join(root, "runs") }), /named in summary\.json but missing/);
    assert.ok(!fs.existsSync(path.join(root, "runs")));
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
});
