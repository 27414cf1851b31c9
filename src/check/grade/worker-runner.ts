/**
 * Grading on sweep workers (`scorelab worker`, src/sweep/worker.ts): each prepared submission becomes one job of the
 * registry's `check.gradeNotebook` trial on the sweep queue, and the worker that takes it runs the notebook under the
 * same sandbox and limits as the local path (worker-trial.ts). What travels is the prepared notebook (locked cells
 * already restored here), the limits, the backend and the assignment's data files as bytes; never the source
 * notebook, and never code for the worker itself. Calls made in the same tick go out as one batch on one Redis
 * executor, so a class costs one poll loop, not one per student.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { redisExecutor } from "../../sweep/redis-executor";
import { GRADE_TRIAL } from "../../sweep/library-trials";
import type { TrialOutcome } from "../../sweep/run-trial";
import type { JsonValue, Trial } from "../../sweep/spec";
import type { SubmissionRun, SubmissionRunner } from "./run-submission";
import { decodeRun, MAX_JOB_FILE_BYTES } from "./worker-trial";

export interface WorkerRunnerOptions {
  /** redis://[:password@]host:port[/db] or rediss:// for TLS: the Redis the workers listen on. */
  url: string;
  /** The workers' queue (default the sweep's, "scorelab-trials"). */
  queue?: string;
  /** Times a submission may be started when its worker dies under it (default 2). */
  attempts?: number;
  /** How often finished jobs are collected (default 100 ms). */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface WorkerRunner {
  /** Runs one prepared notebook as a job; same contract as runSubmission. */
  run: SubmissionRunner;
  close(): Promise<void>;
}

interface Pending { params: Record<string, JsonValue>; signal?: AbortSignal; resolve(r: SubmissionRun): void; reject(e: Error): void }

/** Files and folders as { relative path: base64 }, under their base names as runSubmission copies them. */
function packFiles(files: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let total = 0;
  const add = (p: string, rel: string) => {
    if (fs.statSync(p).isDirectory()) {
      for (const e of fs.readdirSync(p)) add(path.join(p, e), path.join(rel, e));
      return;
    }
    const bytes = fs.readFileSync(p);
    total += bytes.length;
    if (total > MAX_JOB_FILE_BYTES) throw new Error(`workerRunner: the assignment's files exceed ${MAX_JOB_FILE_BYTES / 2 ** 20} MiB, the most a grading job carries; install large data on the workers instead`);
    out[rel] = bytes.toString("base64");
  };
  for (const f of files) add(f, path.basename(f));
  return out;
}

/** The run in a finished job, or why there is none. */
function runOf(outcome: TrialOutcome): SubmissionRun {
  const row = outcome.rows[0] as { run?: unknown } | undefined;
  if ((outcome.status === "ok" || outcome.status === "stopped") && row?.run !== undefined) return decodeRun(row.run, "workerRunner");
  throw new Error(`the worker ${outcome.worker} did not grade it (${outcome.status}): ${outcome.error ?? "no result"}`);
}

/**
 * A runner whose submissions run on the sweep workers at `url`; close it after the grading run.
 * @example const w = workerRunner({ url: "redis://127.0.0.1:6379" }); await gradeSubmissions(dir, { ..., runner: w.run }); await w.close();
 */
export function workerRunner(opts: WorkerRunnerOptions): WorkerRunner {
  const ex = redisExecutor({ url: opts.url, queue: opts.queue, pollMs: opts.pollMs, log: opts.log });
  const attempts = opts.attempts ?? 2;
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`workerRunner: argument 'attempts' must be a whole number >= 1, got ${String(attempts)}`);
  const runId = randomBytes(6).toString("hex");
  const packed = new Map<string, Record<string, string>>();
  let pending: Pending[] = [];
  let batches = 0;
  const running = new Set<Promise<void>>();

  const flush = () => {
    const batch = pending;
    pending = [];
    const trials: Trial[] = batch.map((b, i) => ({ id: `s${i}`, index: i, fn: GRADE_TRIAL, params: b.params, seed: 0, point: `s${i}`, attempts, rung: 0 }));
    const settled = new Set<number>();
    const settle = (i: number, f: () => void) => {
      if (!settled.has(i)) { settled.add(i); f(); }
    };
    const done = ex.run(trials, {
      onDone: (t, outcome) => settle(t.index, () => {
        try { batch[t.index].resolve(runOf(outcome)); } catch (e) { batch[t.index].reject(e as Error); }
      }),
    }, { sweepId: `grade-${runId}-${++batches}`, signal: batch[0].signal })
      .then(() => batch.forEach((b, i) => settle(i, () => b.reject(new Error("no result came back from the workers (the grading run was aborted)")))))
      .catch((e: Error) => batch.forEach((b, i) => settle(i, () => b.reject(e))))
      .finally(() => running.delete(done));
    running.add(done);
  };

  const run: SubmissionRunner = (nb, fileName, o) => {
    if (o.sandbox === false || o.allowRead?.length) return Promise.reject(new Error("workerRunner: submissions on workers always run sandboxed with no extra read paths"));
    let files: Record<string, string>;
    try {
      const key = (o.files ?? []).join("\0");
      files = packed.get(key) ?? packFiles(o.files ?? []);
      packed.set(key, files);
    } catch (e) { return Promise.reject(e); }
    const params: Record<string, JsonValue> = { notebook: nb as unknown as JsonValue, fileName, limits: { ...o.limits }, files, ...(o.backend ? { backend: o.backend } : {}) };
    return new Promise<SubmissionRun>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ params, signal: o.signal, resolve, reject });
    });
  };

  return {
    run,
    async close() {
      await Promise.allSettled([...running]);
      await ex.close();
    },
  };
}
