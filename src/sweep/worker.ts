/**
 * `scorelab worker`: takes trial jobs from the sweep queue on Redis and runs them in a pool of child processes.
 * It runs only library trials and modules under its `--allow` folders (run-trial.ts resolves them), never code from
 * a job. Its job locks are renewed from this process while the children compute, so the lock lapses only when the
 * worker itself dies; BullMQ's stalled-job check then re-queues the job for another worker, and the trial's
 * `attempts` bound how many times that may happen.
 */
import * as os from "node:os";
import * as path from "node:path";
import { Worker, type Job } from "bullmq";
import { TrialPool, defaultConcurrency } from "./pool";
import { lostOutcome } from "./executor";
import { abortChannel, DEFAULT_QUEUE, quietErrors, redisConnection } from "./connection";
import type { TrialJobData } from "./redis-executor";
import type { TrialOutcome } from "./run-trial";
import type { Trial } from "./spec";

export interface WorkerOptions {
  url: string;
  queue?: string;
  /** Trials at once (child processes; default: cores). */
  concurrency?: number;
  /** Folders whose module trials may run. */
  allow?: string[];
  /** BullMQ lock duration (default 30 s): a dead worker's trial is re-queued after about this plus stalledMs. */
  lockMs?: number;
  /** BullMQ stalled-job check interval (default 30 s). */
  stalledMs?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  name: string;
  close(): Promise<void>;
}

function checkTrial(v: unknown): Trial {
  const t = v as Trial;
  const ok = t !== null && typeof t === "object" && typeof t.id === "string" && typeof t.fn === "string" && Number.isInteger(t.seed) &&
    t.params !== null && typeof t.params === "object" && !Array.isArray(t.params) && Number.isInteger(t.attempts) && (t.module === undefined || typeof t.module === "string");
  if (!ok) throw new Error("scorelab worker: refused a job that is not a sweep trial { id, fn, module?, params, seed, attempts }");
  return t;
}

/**
 * Starts a worker on `url`'s queue; resolves once it listens.
 * @example const w = await startWorker({ url: "redis://127.0.0.1:6379", concurrency: 4, allow: ["./trials"] });
 */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const queue = opts.queue ?? DEFAULT_QUEUE;
  const allow = (opts.allow ?? []).map((d) => path.resolve(d));
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const name = `${os.hostname()}:${process.pid}`;
  const log = opts.log ?? ((l: string) => console.error(`scorelab worker ${name}: ${l}`));
  const pool = new TrialPool(concurrency, allow);
  const running = new Map<string, { sweepId: string; c: AbortController }>();
  const conn = redisConnection(opts.url, "scorelab worker");
  conn.on("error", quietErrors(log));
  const sub = conn.duplicate();
  sub.on("error", quietErrors(log));
  sub.on("message", (_ch: string, sweepId: string) => {
    for (const r of running.values()) if (r.sweepId === sweepId) r.c.abort();
  });
  await sub.subscribe(abortChannel(queue));

  const processor = async (job: Job<TrialJobData>): Promise<TrialOutcome> => {
    const trial = checkTrial(job.data?.trial);
    const started = job.attemptsStarted ?? 1;
    if (started > trial.attempts) return lostOutcome(trial, started - 1, "its worker stopped renewing the job's lock (killed or frozen); BullMQ re-queued it as stalled", name);
    const c = new AbortController();
    running.set(job.id!, { sweepId: job.data.sweepId, c });
    try {
      for (let attempt = started; ; attempt++) {
        const r = await pool.run(trial, { attempt, signal: c.signal, onProgress: (rec) => void job.updateProgress(rec).catch(() => undefined) });
        if ("outcome" in r) return { ...r.outcome, worker: name };
        if (attempt >= trial.attempts || c.signal.aborted) return lostOutcome(trial, attempt, r.lost, name);
      }
    } finally {
      running.delete(job.id!);
    }
  };
  const worker = new Worker<TrialJobData, TrialOutcome>(queue, processor, {
    connection: conn, concurrency, lockDuration: opts.lockMs ?? 30_000, stalledInterval: opts.stalledMs ?? 30_000,
    // The trial's own `attempts` bound re-runs (checked above), so BullMQ never fails a job for stalling.
    maxStalledCount: 1_000_000,
  });
  worker.on("error", quietErrors(log));
  await worker.waitUntilReady();
  log(`listening on queue '${queue}' with ${concurrency} child process(es); modules allowed under: ${allow.join(", ") || "(none: library trials only)"}`);
  return {
    name,
    async close() {
      for (const r of running.values()) r.c.abort();
      await worker.close();
      await pool.close();
      sub.disconnect();
      conn.disconnect();
    },
  };
}
