/** %%time: runs the cell body once, prints its wall time and returns it with the body's value. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { timeMagic } from "../../src/magics/time";
import { context } from "./context";

test("%%time returns the body's value and a wall time at least as long as the body took", async () => {
  const { ctx, printed } = context({});
  let runs = 0;
  const r = await timeMagic.run({ opts: {}, args: [], body: async () => { runs++; await new Promise((res) => setTimeout(res, 30)); return "v"; } }, ctx);
  assert.equal(runs, 1);
  assert.equal(r.value, "v");
  // setTimeout waits at least 30 ms (Node may fire up to 1 ms early by its clock); the loop adds little on top.
  assert.ok(r.wallMs >= 29 && r.wallMs < 5000, `${r.wallMs} ms`);
  assert.equal(printed.length, 1);
  assert.match(printed[0], /^Wall time: \d+\.\d{2} ms$/);
});

test("%%time prints the time even when the body throws, and the error goes on", async () => {
  const { ctx, printed } = context({});
  await assert.rejects(timeMagic.run({ opts: {}, args: [], body: async () => { throw new Error("boom"); } }, ctx), /boom/);
  assert.match(printed[0], /^Wall time: /);
});
