/**
 * `sweep(spec, opts)`: plans the trials, runs those without a stored result on an executor, writes their records,
 * and gathers the table and the mean ± interval figure. The same spec and seeds give the same trial ids, so a
 * sweep run again (or resumed after its submitter died) runs only what is missing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkLongWork, fail, type LongWorkOptions } from "../tensor";
import type { ResultsTable } from "../table";
import type { Figure } from "../plot";
import { planSweep, stableId, trialsOf, type JsonValue, type SweepSpec, type Trial } from "./spec";
import { resolveTrial } from "./registry";
import { readManifest, readResults, writeManifest, writeTrialRecords, type StoredResult } from "./records";
import { sweepTable } from "./table";
import { sweepFigure } from "./figure";
import { survivors } from "./halving";
import { sweepRecord, type SweepCounts } from "./progress";
import { localExecutor } from "./local-executor";
import type { Executor } from "./executor";
import type { TrialOutcome } from "./run-trial";

export interface SweepOptions extends LongWorkOptions {
  /** "local" (default: child processes, one per core), "redis" (BullMQ jobs for `scorelab worker`), or an executor. */
  executor?: "local" | "redis" | Executor;
  /** redis://[:password@]host:port[/db] or rediss:// for TLS (the redis executor; default $SCORELAB_REDIS). */
  redis?: string;
  /** BullMQ queue name the workers listen on (default "scorelab-trials"). */
  queue?: string;
  /** Local child processes (default: cores). */
  concurrency?: number;
  /** The sweep's folder (default sweeps/<name>-<id> under the working directory). */
  out?: string;
  /** The swept parameter of the figure (default the first in spec.space) and its metric. */
  x?: string;
  metric?: string;
}

export interface SweepResult {
  table: ResultsTable;
  figure: Figure;
  dir: string;
  sweepId: string;
  /** True when an interrupt ended the sweep early; finished results are in the table and on disk. */
  stopped: boolean;
  counts: { ok: number; failed: number; stopped: number; interrupted: number; cancelled: number };
  seconds: number;
}

const FN = "sweep";

function withAbsoluteModule(spec: SweepSpec): SweepSpec {
  if (spec === null || typeof spec !== "object") fail(FN, "spec", "must be an object { fn, space, seeds, ... }");
  return typeof spec.module === "string" && spec.module ? { ...spec, module: path.resolve(spec.module) } : spec;
}

async function makeExecutor(opts: SweepOptions): Promise<{ ex: Executor; own: boolean }> {
  const e = opts.executor ?? "local";
  if (typeof e === "object" && e !== null && typeof e.run === "function") return { ex: e, own: false };
  if (e === "local") return { ex: localExecutor({ concurrency: opts.concurrency }), own: true };
  if (e === "redis") {
    const url = opts.redis ?? process.env.SCORELAB_REDIS;
    if (!url) fail(FN, "opts.redis", "must be a redis:// URL for the redis executor (or set SCORELAB_REDIS)");
    const { redisExecutor } = await import("./redis-executor");
    return { ex: redisExecutor({ url, queue: opts.queue }), own: true };
  }
  return fail(FN, "opts.executor", `must be "local", "redis" or an Executor, got ${String(e)}`);
}

/**
 * Runs a sweep; see SweepSpec for the spec. Returns the table (one row per trial and metric), the figure of the
 * main metric's mean with its 95% Student-t interval against the swept parameter, and the folder of run records.
 * An interrupt (`opts.signal`) cancels queued trials, lets running ones stop (trainers keep what they learned,
 * studies abort), and returns what finished with `stopped: true`.
 * @example
 * const r = await lab.sweep({ fn: "fusion.fusionStudy1D", space: { n: [32, 128] }, fixed: { quick: true }, seeds: 5 });
 * r.table.toHTML(); r.figure;
 */
export async function sweep(spec: SweepSpec, opts: SweepOptions = {}): Promise<SweepResult> {
  const started = Date.now();
  if (opts === null || typeof opts !== "object") fail(FN, "opts", "must be an options object");
  checkLongWork(opts, FN);
  const s = withAbsoluteModule(spec);
  const plan = planSweep(s, (fn, module) => resolveTrial(fn, module, null).params);
  const out = path.resolve(opts.out ?? path.join("sweeps", `${plan.experiment.replace(/[^A-Za-z0-9._-]+/g, "_")}-${stableId(s as unknown as JsonValue, 8)}`));
  const sweepId = stableId({ spec: s as unknown as JsonValue, out });
  writeManifest(out, { sweepId, spec: s, created: new Date().toISOString() });
  const x = opts.x ?? Object.keys(s.space)[0];
  if (!(x in s.space) && !(s.fixed && x in s.fixed)) fail(FN, "opts.x", `'${x}' is not a parameter of the spec`);
  const { ex, own } = await makeExecutor(opts);
  const all: Trial[] = [];
  const results = new Map<string, StoredResult>();
  const counts = { ok: 0, failed: 0, stopped: 0, interrupted: 0, cancelled: 0 };
  try {
    let points = plan.points;
    const rungs = plan.halving ? plan.halving.budgets.length : 1;
    for (let rung = 0; rung < rungs && !opts.signal?.aborted; rung++) {
      const trials = trialsOf(plan, points, rung, all.length);
      all.push(...trials);
      for (const [id, r] of readResults(out, trials)) results.set(id, r);
      const c: SweepCounts = { total: trials.length, ok: 0, failed: 0, stopped: 0, running: 0 };
      for (const t of trials) { const r = results.get(t.id); if (r) c[r.status as "ok" | "failed"]++; }
      const report = () => opts.onStep?.({ ...sweepRecord({ ...c, running: ex.running() }), rung });
      report();
      const todo = trials.filter((t) => !results.has(t.id));
      await ex.run(todo, {
        onStart: report,
        onDone(t: Trial, o: TrialOutcome) {
          writeTrialRecords(out, t, o);
          const { stats: _s, files: _f, env: _e, ...stored } = o;
          results.set(t.id, stored);
          if (o.status === "ok" || o.status === "failed" || o.status === "stopped") c[o.status]++;
          report();
        },
      }, { sweepId, signal: opts.signal });
      if (plan.halving && rung + 1 < rungs) points = survivors(points, trials, results, plan.halving);
    }
  } finally {
    if (own) await ex.close();
  }
  for (const t of all) {
    const r = results.get(t.id);
    counts[(r?.status ?? "cancelled") as keyof typeof counts]++;
  }
  const table = sweepTable(all, results, plan.experiment);
  return {
    table, figure: sweepFigure(table, { x, metric: opts.metric }), dir: out, sweepId,
    stopped: !!opts.signal?.aborted, counts, seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Continues the sweep stored in `dir` (its sweep.json): trials with a result are kept; over Redis, results that
 * workers finished while no submitter was there are collected from the queue; the rest run.
 * @example await resumeSweep("sweeps/fusion-1d-3f2a9c1b", { executor: "redis", redis: "redis://10.0.0.5:6379" })
 */
export async function resumeSweep(dir: string, opts: Omit<SweepOptions, "out"> = {}): Promise<SweepResult> {
  if (typeof dir !== "string" || !fs.existsSync(dir)) fail("resumeSweep", "dir", `must be an existing sweep folder, got ${String(dir)}`);
  const m = readManifest(dir);
  return sweep(m.spec, { ...opts, out: dir });
}
