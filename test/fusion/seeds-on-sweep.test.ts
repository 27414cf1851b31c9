import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ResultRow } from "../../src/table";
import { CELL_FILE, checkExecutor, writeCell, type FusionCell } from "../../src/fusion/seeds-on-sweep";

test("writeCell writes the whole cell and returns its rows without undefined columns", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fusion-cell-"));
  try {
    // A row with an unset optional column (as the studies build them): JSON and the sweep's rows have no undefined.
    const row = { experiment: "e", model: "fused", dataset: "d", seed: 2, metric: "bpd", value: 3.5 } as ResultRow;
    (row as Record<string, unknown>).picked = undefined;
    const cell: FusionCell = { n: 25, seed: 2, rows: [row], weights: [0.3, 0.7], unconverged: 0, stoppedBy: { "target-only": "cap" } };
    const rows = writeCell(dir, cell);
    assert.deepEqual(rows, [{ experiment: "e", model: "fused", dataset: "d", seed: 2, metric: "bpd", value: 3.5 }]);
    const back = JSON.parse(fs.readFileSync(path.join(dir, CELL_FILE), "utf8"));
    assert.deepEqual(back.stoppedBy, { "target-only": "cap" });
    assert.deepEqual(back.weights, [0.3, 0.7]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("checkExecutor takes inline (the default) or local and names anything else", () => {
  assert.equal(checkExecutor(undefined, "f"), "inline");
  assert.equal(checkExecutor("local", "f"), "local");
  assert.throws(() => checkExecutor("redis", "f"), /f: argument 'opts.executor' must be "inline" or "local", got "redis"/);
});
