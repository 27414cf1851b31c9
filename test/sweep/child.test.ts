import { test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as path from "node:path";
import type { ChildRequest } from "../../src/sweep/child";
import type { TrialOutcome } from "../../src/sweep/run-trial";
import { fixtureTrial } from "./plan";
import { waitFor } from "./processes";

const CHILD = path.join(__dirname, "..", "..", "src", "sweep", "child.js");
type Msg = { type: string; id?: string; rec?: { step: number; total: number }; outcome?: TrialOutcome };

test("a trial child says ready, runs what it is sent, stops a trial on abort, and exits when its parent disconnects", { timeout: 30_000 }, async () => {
  const child = fork(CHILD, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const got: Msg[] = [];
  child.on("message", (m: Msg) => got.push(m));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await waitFor(() => got.some((m) => m.type === "ready"), 15_000, "the child to be ready");
    const t = fixtureTrial("square", { x: 2, steps: 3 }, 1);
    child.send({ type: "run", trial: t, allow: null, attempt: 1 } satisfies ChildRequest);
    await waitFor(() => got.some((m) => m.type === "done"), 15_000, "the first trial");
    const done = got.find((m) => m.type === "done")!.outcome!;
    assert.deepEqual([done.id, done.status, done.rows[0]], [t.id, "ok", { metric: "y", value: 5 }]);
    // Progress is throttled to one record per 200 ms, but the last step always goes up.
    const progress = got.filter((m) => m.type === "progress");
    assert.ok(progress.every((m) => m.id === t.id) && progress.at(-1)!.rec!.step === 3);
    // A long trial (100 steps of 20 ms) stopped by an abort: it keeps y and reports how far it got.
    const long = fixtureTrial("square", { x: 3, steps: 100, ms: 20 });
    child.send({ type: "run", trial: long, allow: null, attempt: 1 } satisfies ChildRequest);
    await waitFor(() => got.some((m) => m.type === "progress" && m.id === long.id), 15_000, "the long trial to start");
    child.send({ type: "abort", id: long.id } satisfies ChildRequest);
    await waitFor(() => got.filter((m) => m.type === "done").length === 2, 15_000, "the stopped trial");
    const stopped = got.filter((m) => m.type === "done")[1].outcome!;
    assert.equal(stopped.status, "stopped");
    assert.ok(stopped.rows[1].value < 100, `ran ${stopped.rows[1].value} of 100 steps`);
  } finally {
    child.disconnect();
  }
  assert.equal(await exited, 0, "the child exits by itself once its parent is gone");
});
