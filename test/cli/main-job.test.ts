import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runMainJob } from "../../src/cli/main-job";

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
