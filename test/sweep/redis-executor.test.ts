/**
 * The Redis executor with real parts: redis-server on a free loopback port and two `scorelab worker` processes.
 * A worker SIGKILLed mid-trial loses its job to BullMQ's stalled check and the other worker finishes it; a Redis
 * restart mid-sweep (no persistence: the queue is emptied) is survived by re-adding what is missing; workers refuse
 * modules outside --allow and names outside the registry. Short locks (1 s) keep the re-queue within seconds.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import IORedis from "ioredis";
import { sweep, type SweepOptions, type SweepSpec } from "../../src/sweep";
import { DEFAULT_QUEUE } from "../../src/sweep/connection";
import { redisExecutor } from "../../src/sweep/redis-executor";
import type { TrialOutcome } from "../../src/sweep/run-trial";
import { FIXTURES, RedisServer, alive, startWorkerProcess, stopProcess, waitFor } from "./processes";

const MODULE = path.join(FIXTURES, "trials.js");
const WORKER_ARGS = ["--concurrency", "1", "--allow", FIXTURES, "--lock-ms", "1000", "--stalled-ms", "500"];
let redis: RedisServer;
const workers: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-redis-"));

before(async () => {
  redis = await RedisServer.start();
  workers.push(await startWorkerProcess(redis.url, WORKER_ARGS), await startWorkerProcess(redis.url, WORKER_ARGS));
});

after(async () => {
  await Promise.all(workers.map((w) => stopProcess(w)));
  await redis.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The table without what differs between runs and executors (time, which process, how often started). */
function comparable(rows: Record<string, unknown>[]) {
  return rows.map(({ seconds: _s, worker: _w, attempts: _a, ...r }) => r);
}

/** A sweep on a Redis executor of its own, closed after (an open connection would keep retrying after the test). */
async function onRedis(spec: SweepSpec, out: string, opts: Omit<Parameters<typeof redisExecutor>[0], "url"> = {}, onStep?: SweepOptions["onStep"]) {
  const ex = redisExecutor({ url: redis.url, pollMs: 50, ...opts });
  try {
    return await sweep(spec, { executor: ex, out: path.join(tmp, out), onStep });
  } finally {
    await ex.close();
  }
}

const logLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : []);

test("a worker SIGKILLed mid-trial: its trial is re-queued and finished by the other, every trial stored once, table as local", { timeout: 60_000 }, async () => {
  const log = path.join(tmp, "kill.log");
  const spec: SweepSpec = { fn: "square", module: MODULE, space: { x: [1, 2, 3] }, fixed: { steps: 5, ms: 80, log }, seeds: 2, attempts: 3 };
  const victim = workers[0];
  let killedChild = 0;
  const watcher = setInterval(() => {
    const mine = logLines(log).map((l) => l.split(" ")).find((f) => Number(f[2]) === victim.pid);
    if (mine && !killedChild) {
      killedChild = Number(mine[3]);
      victim.kill("SIGKILL");
    }
  }, 20);
  const r = await onRedis(spec, "kill-redis").finally(() => clearInterval(watcher));
  assert.ok(killedChild > 0, "the victim worker never started a trial");
  assert.deepEqual(r.counts, { ok: 6, failed: 0, stopped: 0, interrupted: 0, cancelled: 0 });
  const rows = r.table.objects();
  // Each trial once, with both its metrics.
  const perTrial = new Map<string, number>();
  for (const row of rows) perTrial.set(row.trial as string, (perTrial.get(row.trial as string) ?? 0) + 1);
  assert.equal(perTrial.size, 6);
  assert.ok([...perTrial.values()].every((n) => n === 2));
  // The killed trial ran twice (two log lines for its x and seed) and was stored from the survivor, attempt 2.
  const starts = logLines(log).map((l) => l.split(" "));
  const killed = starts.find((f) => Number(f[3]) === killedChild)!;
  assert.equal(starts.filter((f) => f[0] === killed[0] && f[1] === killed[1]).length, 2);
  const redone = rows.find((row) => row.x === Number(killed[0]) && row.seed === Number(killed[1]))!;
  assert.equal(redone.attempts, 2);
  assert.match(String(redone.worker), new RegExp(`:${workers[1].pid}$`));
  // The killed worker's child went with it (it exits when its parent's IPC channel closes).
  await waitFor(() => !alive(killedChild), 5000, "the killed worker's child to exit");
  // The same spec on the local executor: the same trials and the same table.
  const local = await sweep(spec, { out: path.join(tmp, "kill-local"), concurrency: 2 });
  assert.deepEqual(comparable(r.table.objects()), comparable(local.table.objects()));
  for (const row of rows.filter((x) => x.metric === "y")) assert.equal(row.value, (row.x as number) ** 2 + row.seed);
  workers[0] = await startWorkerProcess(redis.url, WORKER_ARGS);
});

test("Redis restarted mid-sweep (its data gone): the submitter and workers reconnect and the sweep completes, each trial once", { timeout: 60_000 }, async () => {
  const spec: SweepSpec = { fn: "square", module: MODULE, space: { x: [1, 2, 3, 4] }, fixed: { steps: 4, ms: 100 }, seeds: 2 };
  let restarted: Promise<void> | undefined;
  const lines: string[] = [];
  const r = await onRedis(spec, "restart", { reconcileMs: 300, log: (l) => lines.push(l) }, (rec) => {
    if (!restarted && rec.step >= 1) restarted = redis.stop().then(() => redis.startAgain());
  });
  assert.ok(restarted, "no trial finished before the restart");
  await restarted;
  // The restart emptied the queue while trials were outstanding: they came back only because the submitter re-added them.
  assert.ok(lines.some((l) => /re-adding \d+ trial/.test(l)), `no re-add logged: ${lines.join(" | ")}`);
  assert.equal(r.counts.ok, 8);
  const ids = r.table.objects().filter((x) => x.metric === "y").map((x) => x.trial);
  assert.equal(new Set(ids).size, 8);
  for (const row of r.table.objects().filter((x) => x.metric === "y")) assert.equal(row.value, (row.x as number) ** 2 + row.seed);
});

test("workers refuse a module outside --allow (also through a symbolic link) and a name outside the registry", { timeout: 30_000 }, async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-outside-"));
  const marker = path.join(outside, "ran");
  const file = path.join(outside, "evil.js");
  // A module the submitter can load (it trusts its own user) but no worker may run: running it leaves a marker.
  fs.writeFileSync(file, `exports.evil = { params: ["x"], run: () => { require("fs").writeFileSync(${JSON.stringify(marker)}, "ran"); return { x: 1 }; } };\n`);
  const link = path.join(FIXTURES, "linked-outside.js");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(file, link);
  try {
    for (const module of [file, link]) {
      const r = await onRedis({ fn: "evil", module, space: { x: [1] }, seeds: 1 }, `refuse-${path.basename(module)}`);
      assert.equal(r.counts.failed, 1);
      assert.match(String(r.table.objects()[0].error), /refused module .* not under an allowed folder/);
    }
    // A job forged by hand, naming no registry function.
    const conn = new IORedis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(DEFAULT_QUEUE, { connection: conn });
    try {
      const trial = { id: "forged", index: 0, fn: "child_process.exec", params: { cmd: `touch ${marker}` }, seed: 0, point: "p", attempts: 1, rung: 0 };
      const job = await queue.add("forged", { sweepId: "forged", trial }, { jobId: "forged-job" });
      await waitFor(async () => (await job.isCompleted()) || (await job.isFailed()), 15_000, "the forged job to finish");
      const out = (await queue.getJob("forged-job"))!.returnvalue as TrialOutcome;
      assert.equal(out.status, "failed");
      assert.match(out.error!, /refused 'child_process\.exec': not a library trial/);
    } finally {
      await queue.close();
      conn.disconnect();
    }
    assert.equal(fs.existsSync(marker), false, "a refused module ran");
  } finally {
    fs.rmSync(link, { force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
