/**
 * Runs one trial where it lands (a local child process or a remote worker's child): resolves the function under
 * the allow rules, runs it in a scratch folder, and returns everything the submitter records: the metric rows, every
 * progress record, the files the trial wrote (its checkpoint), the status and the error. Nothing here throws: a
 * refused, failing or aborted trial is an outcome too.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAbortError, type ProgressRecord } from "../tensor";
import { ResultsTable } from "../table";
import { resolveTrial, type TrialOutput, type TrialRow } from "./registry";
import type { Trial, JsonValue } from "./spec";

/** ok: finished; stopped: a trainer stopped on interrupt and returned what it had; interrupted: aborted without a
 * result; failed: threw, was refused, or lost its worker more often than its attempts allow. */
export type TrialStatus = "ok" | "failed" | "stopped" | "interrupted";

export interface TrialOutcome {
  id: string;
  status: TrialStatus;
  rows: TrialRow[];
  /** Every progress record the trial reported, in order (stats.jsonl). */
  stats: ProgressRecord[];
  seconds: number;
  /** host:pid of the process that ran it. */
  worker: string;
  error?: string;
  /** Times the trial was started (more than 1 when a worker died under it). */
  attempts: number;
  /** Versions and backend of the process that ran it (config.json). */
  env: Record<string, string>;
  /** Files the trial wrote, by path relative to its folder, base64. */
  files: Record<string, string>;
}

/** Files a trial may hand back (a checkpoint of a small network); larger output stays on the worker. */
const MAX_FILE_BYTES = 64 * 2 ** 20;
const MAX_STATS = 100_000;

export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

function envInfo(): Record<string, string> {
  const env: Record<string, string> = { node: process.version, scorelab: require("../../../package.json").version as string };
  try {
    const { backendInfo, describeBackend } = require("../tensor") as typeof import("../tensor");
    const b = backendInfo();
    env.tfjs = b.version;
    env.backend = describeBackend(b);
  } catch {
    env.backend = "none (the trial used no tensors)";
  }
  return env;
}

/** Rows of whatever shape a trial returned, checked; throws naming the trial when the shape is wrong. */
export function outputRows(out: TrialOutput, fn: string): TrialRow[] {
  const bad = (why: string): never => {
    throw new Error(`${fn}: the trial returned ${why}; expected metrics by name { loss: 0.1 }, rows [{ metric, value }], a ResultsTable or { table }`);
  };
  if (out instanceof ResultsTable) return out.objects().map(({ seed: _s, ...r }) => r as TrialRow);
  if (out !== null && typeof out === "object" && !Array.isArray(out) && (out as { table?: unknown }).table instanceof ResultsTable) {
    return outputRows((out as { table: ResultsTable }).table, fn);
  }
  if (Array.isArray(out)) {
    return out.map((r, i) => {
      if (r === null || typeof r !== "object" || typeof r.metric !== "string" || !r.metric || typeof r.value !== "number") bad(`row ${i} without a metric name and a numeric value`);
      return { ...r };
    });
  }
  if (out === null || typeof out !== "object") bad(String(out === null ? "null" : typeof out));
  return Object.entries(out as Record<string, unknown>).map(([metric, value]) => {
    if (typeof value !== "number") bad(`metric '${metric}' = ${JSON.stringify(value)}, not a number`);
    return { metric, value: value as number };
  });
}

function collectFiles(dir: string, base = dir, out: Record<string, string> = {}, budget = { left: MAX_FILE_BYTES }): Record<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collectFiles(p, base, out, budget);
    else if (e.isFile()) {
      const size = fs.statSync(p).size;
      if (size > budget.left) throw new Error(`the trial wrote more than ${MAX_FILE_BYTES / 2 ** 20} MiB of files; write large output elsewhere`);
      budget.left -= size;
      out[path.relative(base, p)] = fs.readFileSync(p).toString("base64");
    }
  }
  return out;
}

export interface ExecuteOptions {
  /** Folders whose modules may run (null: any, for the user's own local sweep). */
  allow: string[] | null;
  signal?: AbortSignal;
  onStep?: (rec: ProgressRecord) => void;
  /** Start count of this trial (from the queue), 1 the first time. */
  attempt?: number;
}

/**
 * Runs `trial` and returns its outcome; never throws.
 * @example const out = await executeTrial(trial, { allow: ["/srv/trials"] }); out.status
 */
export async function executeTrial(trial: Trial, opts: ExecuteOptions): Promise<TrialOutcome> {
  const t0 = Date.now();
  const stats: ProgressRecord[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scorelab-trial-${trial.id}-`));
  const base = { id: trial.id, stats, worker: workerName(), attempts: opts.attempt ?? 1 };
  const done = (status: TrialStatus, rows: TrialRow[], error?: string, files: Record<string, string> = {}): TrialOutcome =>
    ({ ...base, status, rows, error, files, seconds: (Date.now() - t0) / 1000, env: envInfo() });
  try {
    const def = resolveTrial(trial.fn, trial.module, opts.allow);
    const unknown = Object.keys(trial.params).filter((k) => !def.params.includes(k));
    if (unknown.length) return done("failed", [], `refused: '${trial.fn}' takes no parameter ${unknown.join(", ")}`);
    const onStep = (rec: ProgressRecord) => {
      if (stats.length < MAX_STATS) stats.push({ ...rec });
      opts.onStep?.(rec);
    };
    const out = await def.run(JSON.parse(JSON.stringify(trial.params)) as Record<string, JsonValue>, { seed: trial.seed, dir, onStep, signal: opts.signal });
    const rows = outputRows(out, trial.fn);
    return done(opts.signal?.aborted ? "stopped" : "ok", rows, undefined, collectFiles(dir));
  } catch (e) {
    if (isAbortError(e)) return done("interrupted", [], (e as Error).message);
    return done("failed", [], e instanceof Error ? e.message : String(e));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
