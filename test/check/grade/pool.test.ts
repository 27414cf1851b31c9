/** localPool: order and bound (moved from test/check/grade-parts.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { localPool } from "../../../src/check/grade/pool";

test("localPool: results in input order, never more than `concurrency` jobs at once", async () => {
  let running = 0, most = 0;
  const out = await localPool(3)([5, 1, 4, 2, 3, 0, 2], async (ms, i) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, ms * 3));
    running--;
    return i * 10;
  });
  assert.deepEqual(out, [0, 10, 20, 30, 40, 50, 60]);
  assert.equal(most, 3);
  assert.throws(() => localPool(0), /localPool: argument 'concurrency' must be a whole number >= 1/);
});
