import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sweep } from "../../src/sweep/sweep";
import { survivors } from "../../src/sweep/halving";
import type { StoredResult } from "../../src/sweep/records";
import type { Trial } from "../../src/sweep/spec";

const MODULE = path.join(__dirname, "fixtures", "trials.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-halving-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("successive halving keeps the best third per rung by the mean metric, at growing budgets", { timeout: 30_000 }, async () => {
  const r = await sweep({
    fn: "budgeted", module: MODULE, space: { x: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, seeds: 2,
    halving: { metric: "loss", budgetParam: "budget", budgets: [1, 3, 9], eta: 3 },
  }, { out: path.join(tmp, "d"), concurrency: 2 });
  const rows = r.table.objects();
  const xs = (rung: number) => [...new Set(rows.filter((x) => x.rung === rung).map((x) => x.x))];
  assert.deepEqual([xs(0), xs(1), xs(2)], [[0, 1, 2, 3, 4, 5, 6, 7, 8], [2, 3, 4], [3]]);
  assert.deepEqual([...new Set(rows.filter((x) => x.rung === 2).map((x) => x.budget))], [9]);
  // loss = |x - 3| + 10 / budget + 0.01 seed, exactly.
  for (const x of rows) assert.ok(Math.abs((x.value as number) - (Math.abs((x.x as number) - 3) + 10 / (x.budget as number) + 0.01 * x.seed)) < 1e-12);
});

test("survivors: the ceil(k / eta) best points by their seeds' mean, in plan order; a point with no finished value ranks last", () => {
  const points = [{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }];
  const trials: Trial[] = points.flatMap((p, i) => [0, 1].map((seed) => ({ id: `p${i}s${seed}`, index: 2 * i + seed, fn: "f", params: p, seed, point: `p${i}`, attempts: 1, rung: 0 })));
  // Mean loss per point: 5, 1, 3, (failed), 2; ties broken by plan order.
  const loss: Record<string, number[]> = { p0: [4, 6], p1: [0, 2], p2: [3, 3], p4: [2, 2] };
  const results = new Map<string, StoredResult>(trials.map((t) => [t.id, t.point === "p3"
    ? { id: t.id, status: "failed", rows: [], seconds: 0, worker: "w", attempts: 1, error: "boom" }
    : { id: t.id, status: "ok", rows: [{ metric: "loss", value: loss[t.point][t.seed] }, { metric: "other", value: -100 }], seconds: 0, worker: "w", attempts: 1 }]));
  const h = { metric: "loss", mode: "min" as const, budgetParam: "b", budgets: [1, 2], eta: 2 };
  assert.deepEqual(survivors(points, trials, results, h), [{ x: 1 }, { x: 2 }, { x: 4 }]);
  assert.deepEqual(survivors(points, trials, results, { ...h, eta: 5 }), [{ x: 1 }]);
  // mode max: the largest mean wins, and the failed point still ranks last.
  assert.deepEqual(survivors(points, trials, results, { ...h, mode: "max", eta: 3 }), [{ x: 0 }, { x: 2 }]);
  // eta larger than the rung keeps one point, never none.
  assert.deepEqual(survivors(points, trials, results, { ...h, eta: 100 }), [{ x: 1 }]);
});
