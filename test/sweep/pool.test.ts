import { test } from "node:test";
import assert from "node:assert/strict";
import * as os from "node:os";
import { TrialPool, childExecArgv, defaultConcurrency } from "../../src/sweep/pool";
import { availableCores } from "../../src/tensor/cores";
import { fixtureTrial } from "./plan";

test("trial children keep the parent's node flags but never its -e/-p code or the test runner's flags", () => {
  assert.deepEqual(childExecArgv(["--max-old-space-size=512", "-e", "require('x')", "--test-concurrency=1", "--print=1", "--enable-source-maps"]), ["--max-old-space-size=512", "--enable-source-maps"]);
});

test("a pool runs trials in its children, relays progress, and refuses a size that is not a positive integer", { timeout: 30_000 }, async () => {
  assert.equal(defaultConcurrency(), typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
  assert.throws(() => new TrialPool(0, null), /TrialPool: argument 'size' must be a positive integer, got 0/);
  assert.throws(() => new TrialPool(1.5, null), /TrialPool: argument 'size' must be a positive integer, got 1.5/);
  const pool = new TrialPool(1, null);
  try {
    const seen: number[] = [];
    const r = await pool.run(fixtureTrial("square", { x: 3, steps: 2 }, 1), { attempt: 2, onProgress: (rec) => seen.push(rec.step) });
    assert.ok("outcome" in r);
    assert.equal(r.outcome.status, "ok");
    assert.equal(r.outcome.attempts, 2);
    assert.deepEqual(r.outcome.rows, [{ metric: "y", value: 10 }, { metric: "steps_done", value: 2 }]);
    // The child sends at most one record per 200 ms, but always the last one.
    assert.equal(seen.at(-1), 2);
    assert.equal(pool.running(), 0);
    // The same child takes the next trial: its worker name (host:pid) is the same.
    const again = await pool.run(fixtureTrial("square", { x: 1 }, 0));
    assert.ok("outcome" in again && again.outcome.worker === r.outcome.worker);
  } finally { await pool.close(); }
  await assert.rejects(pool.run(fixtureTrial("square", { x: 1 })), /TrialPool: closed/);
});

test("children share the cores: floor(cores / size) intra-op threads each, at least one; SCORELAB_THREADS passes as set", { timeout: 30_000 }, async () => {
  const saved = process.env.SCORELAB_THREADS;
  const threadsOfAChild = async () => {
    const pool = new TrialPool(2, null);
    try {
      const r = await pool.run(fixtureTrial("threads", {}));
      assert.ok("outcome" in r && r.outcome.status === "ok");
      return r.outcome.rows;
    } finally { await pool.close(); }
  };
  try {
    delete process.env.SCORELAB_THREADS;
    assert.deepEqual(await threadsOfAChild(), [{ metric: "threads", value: Math.max(1, Math.floor(availableCores() / 2)) }]);
    process.env.SCORELAB_THREADS = "3";
    assert.deepEqual(await threadsOfAChild(), [{ metric: "threads", value: 3 }], "SCORELAB_THREADS passes as set");
  } finally {
    if (saved !== undefined) process.env.SCORELAB_THREADS = saved;
    else delete process.env.SCORELAB_THREADS;
  }
});
