import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checksTable, libraryHas, mdCell, readVerdict, runMainJob } from "../../src/cli/main-job";

test("runMainJob --progress: a status line per cell of the child run, on stderr, cleared before each log line", { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-mainjob-"));
  // A stand-in for one paper notebook: the job runs whatever file of that name the notebooks folder holds.
  const cells = ["%seed 1", "%dataset moons --n 64 --seed 0 --as d", "%train_score --data d --steps 6 --width 8 --depth 1 --batch 32 --no-plot"];
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })) };
  fs.mkdirSync(path.join(dir, "nbs"));
  fs.writeFileSync(path.join(dir, "nbs", "paper-sdflow.ipynb"), JSON.stringify(nb));
  const err: string[] = [];
  const logs: string[] = [];
  const realErr = process.stderr.write;
  process.stderr.write = ((c: string | Uint8Array) => { err.push(String(c)); return true; }) as typeof process.stderr.write;
  try {
    const r = await runMainJob({ only: ["paper-sdflow.ipynb"], notebooksDir: path.join(dir, "nbs"), outDir: path.join(dir, "out"), install: false, exportFigures: false, progress: true, log: (l) => logs.push(l) });
    assert.equal(r.outcomes[0].status, "ok", r.outcomes[0].note);
  } finally {
    process.stderr.write = realErr;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const lines = err.filter((s) => s.startsWith("\r\x1b[2K") && s.length > 5).map((s) => s.slice(5));
  for (const c of [1, 2, 3]) assert.ok(lines.some((l) => l.startsWith(`[1/1] paper-sdflow.ipynb · cell ${c}/3 · `)), `cell ${c} shown: ${lines.join(" | ")}`);
  assert.ok(lines.some((l) => /cell 3\/3 · [\d.]+ s · .*(6\/6|100%)/.test(l)), "the training cell's own progress line");
  assert.equal(err[err.length - 1], "\r\x1b[2K", "the line is cleared at the end");
  assert.match(logs[logs.length - 1], /outputs in/);
  // The child's events travel on fd 3: none of them, and no redraw, reach its stdout/stderr (the failure note's source).
  assert.ok(logs.every((l) => !/"kind"|\x1b\[2K/.test(l)), logs.join("\n"));
});

test("mdCell escapes pipes and folds line breaks, so a value stays in its Markdown cell", () => {
  assert.equal(mdCell("a|b\n\nc\nd"), "a\\|b c d");
});

test("libraryHas: true for a function of lab, false for a value, a missing name or a path through one", () => {
  assert.equal(libraryHas("eulerMaruyama"), true);
  assert.equal(libraryHas("guidance.cfgScore"), true, "a dotted path into a namespace");
  assert.equal(libraryHas("SAMPLERS"), false, "a table, not a function");
  assert.equal(libraryHas("nosuchFunction"), false);
  assert.equal(libraryHas("eulerMaruyama.nothing"), false);
});

test("readVerdict without a displayed verdict says so; checksTable of no checks is no section", () => {
  const nb = { cells: [{ cell_type: "code", metadata: { tags: ["summary"] }, outputs: [{ output_type: "stream" }] }] };
  assert.deepEqual(readVerdict(nb), { claim: "", summary: "", reproduced: "unknown (the summary cell displayed no verdict)", checks: [] });
  assert.deepEqual(checksTable([]), []);
});

test("checksTable: one row per claim, intervals only where there are several seeds, pipes escaped", () => {
  const ci = (mean: number, lo: number, hi: number, n: number) => ({ mean, std: 0, halfWidth: (hi - lo) / 2, lo, hi, n });
  const check = { quantity: "W2 | gap", direction: "below" as const, margin: 0.1, level: 0.95, measured: ci(0.5, 0.25, 0.75, 3), referenceName: "baseline", reference: ci(1, 1, 1, 1), difference: ci(-0.5, -0.75, -0.25, 3), passed: true, text: "" };
  const t = checksTable([{ file: "paper-x.ipynb", paper: "", status: "ok", seconds: 1, claim: "", reproduced: "", summary: "", note: "", checks: [check], figures: [] }]);
  assert.equal(t[0], "## Claims against their references");
  assert.equal(t[t.length - 2], "| paper-x.ipynb | W2 \\| gap | 3 | 0.5000 [0.2500, 0.7500] | baseline: 1.000 | -0.5000 [-0.7500, -0.2500] | below by > 0.1000 | yes |");
  assert.equal(t[t.length - 1], "");
});
