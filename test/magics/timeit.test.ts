/** %timeit: -n runs per repeat, -r repeats, the best repeat; stops at an interrupt with what it measured. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { timeitMagic } from "../../src/magics/timeit";
import { context } from "./context";

test("%timeit -n 3 -r 2 runs the body 6 times and reports the best repeat", async () => {
  const { ctx, printed, shown } = context({});
  let calls = 0;
  const r = await timeitMagic.run({ opts: { number: 3, repeat: 2, progress: true }, args: [], body: async () => { calls++; } }, ctx);
  assert.equal(calls, 6);
  assert.equal(r.runs, 6);
  assert.equal(r.repeatsMs.length, 2);
  assert.equal(r.bestMs, Math.min(...r.repeatsMs));
  assert.equal(r.interrupted, false);
  assert.match(printed[0], /per loop \(mean ± std\. dev\. of 2 runs, 3 loops each\); best /);
  assert.match(String(shown[shown.length - 1]["text/plain"]), /^%timeit \[#{30}\] 100%  6\/6/);
});

test("%timeit stops at an aborted signal: no repeat, NaN best, the interruption printed; -q prints no summary", async () => {
  const ac = new AbortController();
  ac.abort();
  const { ctx, printed } = context({}, ac.signal);
  const r = await timeitMagic.run({ opts: { number: 4, repeat: 5, quiet: true }, args: [], body: async () => {} }, ctx);
  assert.deepEqual([r.runs, r.repeatsMs, r.interrupted], [0, [], true]);
  assert.ok(Number.isNaN(r.bestMs));
  assert.deepEqual(printed, ["%timeit interrupted after 0 of 20 runs (0 complete repeats)"]);
  await assert.rejects(timeitMagic.run({ opts: { repeat: 1 }, args: [] }, ctx), /^Error: %timeit: no code$/);
});
