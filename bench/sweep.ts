/**
 * Per-trial overhead of a sweep: trials/s for a trivial trial (1,000 trials, 4 child processes) on the local pool
 * and through Redis (a redis-server started on a free loopback port, one `scorelab worker --concurrency 4`), and the
 * wall time of the sweep notebook's study (5 seeds x 2 target sizes, quick) on 1 and 2 worker processes (one child each).
 * Joins `npm run bench` as the "sweep" section when this file is built (bench/run.ts's optionalSection).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sweep, type SweepSpec } from "../src/sweep";
import { redisExecutor } from "../src/sweep/redis-executor";
import { RedisServer, startWorkerProcess, stopProcess } from "../test/sweep/processes";
import type { BenchRow } from "./table";

const TRIVIAL = path.join(__dirname, "..", "test", "sweep", "fixtures", "trials.js");

async function timed(spec: SweepSpec, opts: Parameters<typeof sweep>[1]): Promise<number> {
  const t0 = Date.now();
  const r = await sweep(spec, opts);
  // Every trial must come back ok (a study's table has many rows per metric, so count trials, not rows).
  const notOk = r.counts.failed + r.counts.stopped + r.counts.interrupted + r.counts.cancelled;
  if (notOk > 0 || r.counts.ok === 0) throw new Error(`bench sweep: ${r.counts.ok} trial(s) ok, ${notOk} not`);
  return (Date.now() - t0) / 1000;
}

/** @example printTable(await benchSweep({ quick: true })) */
export async function benchSweep(opts: { quick: boolean }): Promise<BenchRow[]> {
  const n = opts.quick ? 200 : 1000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-bench-sweep-"));
  const trivial: SweepSpec = { fn: "square", module: TRIVIAL, space: { x: Array.from({ length: n }, (_, i) => i) }, seeds: 1 };
  const rows: BenchRow[] = [];
  const redis = await RedisServer.start();
  const workers = [];
  try {
    const local = await timed(trivial, { out: path.join(tmp, "local"), concurrency: 4 });
    workers.push(await startWorkerProcess(redis.url, ["--concurrency", "4", "--allow", path.dirname(TRIVIAL)]));
    const ex = redisExecutor({ url: redis.url, pollMs: 20 });
    const remote = await timed(trivial, { out: path.join(tmp, "redis"), executor: ex }).finally(() => ex.close());
    rows.push({ workload: `sweep: ${n} trivial trials, 4 processes`, scorelab: `local ${(n / local).toFixed(0)} trials/s`, baseline: `redis ${(n / remote).toFixed(0)} trials/s`, ratio: `${(remote / local).toFixed(2)}x`, note: "redis: 1 worker x 4 children; ratio is redis time / local time" });
    const study: SweepSpec = { fn: "fusion.fusionStudy1D", space: { n: [32, 256] }, fixed: { quick: true }, seeds: 5 };
    for (const k of [1, 2]) {
      await Promise.all(workers.splice(0).map((w) => stopProcess(w)));
      for (let i = 0; i < k; i++) workers.push(await startWorkerProcess(redis.url, ["--concurrency", "1"]));
      const exk = redisExecutor({ url: redis.url });
      const s = await timed(study, { out: path.join(tmp, `study-${k}`), executor: exk }).finally(() => exk.close());
      rows.push({ workload: `sweep notebook study (10 trials), ${k} worker process(es)`, scorelab: `${s.toFixed(1)} s`, note: "fusion.fusionStudy1D quick, 5 seeds x n in {32, 256}, over Redis" });
    }
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await redis.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
