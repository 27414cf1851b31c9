import { test } from "node:test";
import assert from "node:assert/strict";
import { sweepNote, sweepRecord } from "../../src/sweep/progress";

test("sweepRecord counts finished trials (ok, failed, stopped) as steps of the total; sweepNote says what runs and failed", () => {
  const rec = sweepRecord({ total: 10, ok: 4, failed: 1, stopped: 2, running: 3 });
  assert.deepEqual(rec, { step: 7, total: 10, ok: 4, failed: 1, running: 3 });
  assert.equal(sweepNote(rec), "3 running, 1 failed");
  assert.equal(sweepNote({ step: 0, total: 1 }), "0 running, 0 failed");
});
