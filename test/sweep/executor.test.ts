import { test } from "node:test";
import assert from "node:assert/strict";
import { lostOutcome } from "../../src/sweep/executor";
import { fixtureTrial } from "./plan";

test("lostOutcome is a failed outcome with no rows that says how often the process was lost and the attempts limit", () => {
  const t = fixtureTrial("square", { x: 1 }, 0, { attempts: 3 });
  const o = lostOutcome(t, 3, "its process exited (SIGKILL) during the trial", "host:42");
  assert.deepEqual({ ...o, error: undefined }, { id: t.id, status: "failed", rows: [], stats: [], seconds: 0, worker: "host:42", attempts: 3, env: {}, files: {}, error: undefined });
  assert.equal(o.error, "lost its process 3 time(s), the limit of spec.attempts = 3; last: its process exited (SIGKILL) during the trial");
  assert.equal(lostOutcome(t, 1, "x").worker, "?");
});
