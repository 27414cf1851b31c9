/**
 * The Redis executor: trials become BullMQ jobs (id `<sweepId>-<trialId>`, so adding one twice is a no-op) on a
 * queue that `scorelab worker` processes on any machine take them from. The submitter polls finished jobs, records
 * each once and removes it. It checks that its outstanding jobs still exist and re-adds lost ones: after a Redis
 * restart without persistence, the queue is empty but the sweep knows what it still needs. A worker killed
 * mid-trial stops renewing its job's lock; BullMQ's stalled-job check puts the job back in the queue.
 */
import { Queue, type Job } from "bullmq";
import type IORedis from "ioredis";
import { abortChannel, DEFAULT_QUEUE, quietErrors, redisConnection } from "./connection";
import type { Executor, ExecutorHooks, RunContext } from "./executor";
import type { TrialOutcome } from "./run-trial";
import type { Trial } from "./spec";

export interface RedisExecutorOptions {
  url: string;
  queue?: string;
  /** How often finished jobs are collected (default 100 ms). */
  pollMs?: number;
  /** How often the outstanding jobs are checked for existence (default 1 s). */
  reconcileMs?: number;
  /** After an interrupt, how long running trials may take to stop (default 60 s). */
  graceMs?: number;
  log?: (line: string) => void;
}

/** What a job carries: names and JSON, never code. */
export interface TrialJobData { sweepId: string; trial: Trial }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function failedOutcome(job: Job<TrialJobData>): TrialOutcome {
  return {
    id: job.data.trial.id, status: "failed", rows: [], stats: [], seconds: 0, worker: "?", attempts: job.attemptsStarted ?? 0,
    env: {}, files: {}, error: job.failedReason || "the job failed without a reason",
  };
}

/** @example await sweep(spec, { executor: redisExecutor({ url: "redis://127.0.0.1:6379" }) }) */
export function redisExecutor(opts: RedisExecutorOptions): Executor {
  const name = opts.queue ?? DEFAULT_QUEUE;
  const conn: IORedis = redisConnection(opts.url, "redisExecutor");
  const log = opts.log ?? ((l: string) => console.error(`scorelab sweep: ${l}`));
  conn.on("error", quietErrors(log));
  let reconnected = false;
  let everReady = false;
  conn.on("ready", () => {
    if (everReady) reconnected = true;
    everReady = true;
  });
  const queue = new Queue<TrialJobData>(name, { connection: conn });
  queue.on("error", quietErrors(log));
  let active = 0;
  const pollMs = opts.pollMs ?? 100, reconcileMs = opts.reconcileMs ?? 1000, graceMs = opts.graceMs ?? 60_000;

  return {
    name: "redis",
    async run(trials: Trial[], hooks: ExecutorHooks, { sweepId, signal }: RunContext) {
      const jobId = (t: Trial) => `${sweepId}-${t.id}`;
      const outstanding = new Map(trials.map((t) => [jobId(t), t]));
      const add = (list: Trial[]) => queue.addBulk(list.map((t) => ({
        name: t.fn, data: { sweepId, trial: t }, opts: { jobId: jobId(t), removeOnComplete: false, removeOnFail: false },
      })));
      await add(trials);
      let lastCheck = Date.now(), abortedAt = 0;
      while (outstanding.size > 0) {
        if (signal?.aborted && !abortedAt) {
          abortedAt = Date.now();
          // Queued trials are cancelled; running ones are asked to stop and their outcomes still collected.
          for (const id of outstanding.keys()) {
            const state = await queue.getJobState(id);
            if (state !== "active" && state !== "completed" && state !== "failed") {
              await queue.remove(id);
              outstanding.delete(id);
            }
          }
          await conn.publish(abortChannel(name), sweepId);
        }
        if (abortedAt && Date.now() - abortedAt > graceMs) break;
        for (const state of ["completed", "failed"] as const) {
          const jobs = (await queue.getJobs([state], 0, 499, true)) as Job<TrialJobData>[];
          for (const job of jobs) {
            if (!job || job.data?.sweepId !== sweepId) continue;
            const t = outstanding.get(job.id!);
            if (t) {
              outstanding.delete(job.id!);
              hooks.onDone(t, state === "completed" ? (job.returnvalue as TrialOutcome) : failedOutcome(job));
            }
            await job.remove();
          }
        }
        if (!abortedAt && outstanding.size && (reconnected || Date.now() - lastCheck >= reconcileMs)) {
          reconnected = false;
          lastCheck = Date.now();
          const ids = [...outstanding.keys()];
          const exists = (await conn.pipeline(ids.map((id) => ["exists", queue.toKey(id)])).exec()) ?? [];
          const lost = ids.filter((_, i) => exists[i]?.[1] === 0).map((id) => outstanding.get(id)!);
          if (lost.length) {
            log(`re-adding ${lost.length} trial(s) the queue no longer holds (Redis restarted?)`);
            await add(lost);
          }
        }
        active = outstanding.size ? await queue.getActiveCount() : 0;
        if (outstanding.size) await sleep(pollMs);
      }
      active = 0;
    },
    running: () => active,
    async close() {
      await queue.close();
      conn.disconnect();
    },
  };
}
