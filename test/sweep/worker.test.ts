/** startWorker in this process against a real redis-server on loopback (started and stopped here). */
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { startWorker, type RunningWorker } from "../../src/sweep/worker";
import type { TrialOutcome } from "../../src/sweep/run-trial";
import { fixtureTrial, MODULE } from "./plan";
import { RedisServer } from "./processes";

let redis: RedisServer;
before(async () => { redis = await RedisServer.start(); });
after(async () => { await redis.dispose(); });

test("a worker runs a queued trial from an allowed folder, names itself in the outcome, and refuses a job that is no trial", { timeout: 60_000 }, async () => {
  const lines: string[] = [];
  const queue = "worker-test";
  let w: RunningWorker | undefined;
  // Connection options, not instances: then the queue and its events own their connections and close them.
  const connection = { host: "127.0.0.1", port: redis.port, maxRetriesPerRequest: null };
  const q = new Queue(queue, { connection });
  const events = new QueueEvents(queue, { connection });
  try {
    w = await startWorker({ url: redis.url, queue, concurrency: 1, allow: [path.dirname(MODULE)], log: (l) => lines.push(l) });
    assert.match(lines.join("\n"), new RegExp(`listening on queue 'worker-test' with 1 child process\\(es\\); modules allowed under: ${path.dirname(MODULE)}`));
    await events.waitUntilReady();
    const t = fixtureTrial("square", { x: 4, steps: 2 }, 1);
    const job = await q.add("trial", { sweepId: "s1", trial: t }, { jobId: `s1-${t.id}` });
    const out = await job.waitUntilFinished(events, 30_000) as TrialOutcome;
    assert.deepEqual([out.status, out.rows[0], out.worker], ["ok", { metric: "y", value: 17 }, w.name]);
    const bad = await q.add("trial", { sweepId: "s1", trial: { id: 1 } });
    await assert.rejects(bad.waitUntilFinished(events, 30_000), /scorelab worker: refused a job that is not a sweep trial/);
  } finally {
    await w?.close();
    await events.close();
    await q.close();
  }
});
