import { test } from "node:test";
import assert from "node:assert/strict";
import { median } from "../../src/metrics/median";

test("median: the middle value, the mean of the two middle ones for an even count, NaN for none", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([3, 1, 2, 10]), 2.5);
  assert.equal(median(new Float32Array([0.5, -1])), -0.25);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
  // Numeric order, not the string order of Array.prototype.sort: 10 < 9 as strings.
  assert.equal(median([10, 9, 100]), 10);
  const v = [4, 2, 8, 6];
  median(v);
  assert.deepEqual(v, [4, 2, 8, 6], "the input is not sorted in place");
});
