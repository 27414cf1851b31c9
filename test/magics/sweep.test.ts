/** %sweep's bar (shared with the CLI) and the errors it gives before any trial starts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sweepBar, sweepMagic } from "../../src/magics/sweep";
import type { MimeBundle } from "../../src/magics/spec";
import { context, oneLineError, runLine } from "./context";

test("sweepBar: shown once, then updated in place; throttled except the last step; running/failed and the rung in the text", () => {
  const calls: [MimeBundle, string, boolean][] = [];
  const bar = sweepBar((b, id, u) => calls.push([b, id, u]), 60_000);
  bar({ step: 0, total: 4, running: 2, failed: 0 });
  bar({ step: 1, total: 4, running: 2, failed: 1 });
  assert.equal(calls.length, 1, "inside the interval");
  bar({ step: 4, total: 4, running: 0, failed: 1, rung: 1 });
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map(([, , u]) => u), [false, true]);
  assert.equal(calls[0][1], calls[1][1]);
  assert.match(String(calls[0][0]["text/plain"]), /^sweep \[\.{30}\]   0%  0\/4 .*2 running, 0 failed$/);
  assert.match(String(calls[1][0]["text/plain"]), /^sweep \(rung 2\) \[#{30}\] 100%  4\/4 .*0 running, 1 failed$/);
});

test("%sweep: no spec and no --resume, or an unknown variable, is one line", async () => {
  const { ctx } = context({});
  await oneLineError(runLine(sweepMagic, [], ctx), /^%sweep: name the notebook variable holding the spec, e\.g\. %sweep spec, or give --resume DIR$/);
  await oneLineError(runLine(sweepMagic, ["spec"], ctx), /^%sweep: no notebook variable 'spec'$/);
  await oneLineError(runLine(sweepMagic, ["spec", "--executor", "slurm"], ctx), /Allowed choices are local, redis/);
});
