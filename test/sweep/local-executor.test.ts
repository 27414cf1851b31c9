import { test } from "node:test";
import assert from "node:assert/strict";
import type { TrialOutcome } from "../../src/sweep/run-trial";
import type { Trial } from "../../src/sweep/spec";
import { localExecutor } from "../../src/sweep/local-executor";
import { fixtureTrial } from "./plan";

test("the local executor runs every trial once through its hooks, in as many lanes as children; an abort cancels the queue", { timeout: 30_000 }, async () => {
  const ex = localExecutor({ concurrency: 2 });
  try {
    assert.equal(ex.name, "local");
    const trials = [1, 2, 3].map((x) => fixtureTrial("square", { x }, 0));
    const started: string[] = [], done = new Map<string, TrialOutcome>();
    let most = 0;
    await ex.run(trials, {
      onStart: (t: Trial) => { started.push(t.id); most = Math.max(most, ex.running()); },
      onDone: (t: Trial, o: TrialOutcome) => done.set(t.id, o),
    }, { sweepId: "s" });
    assert.deepEqual(started.sort(), trials.map((t) => t.id).sort());
    assert.deepEqual(trials.map((t) => done.get(t.id)!.rows[0].value), [1, 4, 9]);
    assert.ok(most >= 1 && most <= 2, `running at most 2, saw ${most}`);
    assert.equal(ex.running(), 0);
    // Aborted before the start: no trial is handed to a child, none gets an outcome.
    const ac = new AbortController();
    ac.abort();
    const late: string[] = [];
    await ex.run(trials, { onDone: (t) => late.push(t.id) }, { sweepId: "s", signal: ac.signal });
    assert.deepEqual(late, []);
  } finally { await ex.close(); }
});
