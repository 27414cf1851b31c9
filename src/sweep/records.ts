/**
 * Run records on disk. A sweep's folder holds sweep.json (the spec, its id and the planned trials) and one folder
 * per trial under trials/<id>/: config.json (parameters, seed, versions, backend), stats.jsonl (one line per
 * progress record), result.json (status, rows, seconds, worker) and whatever the trial wrote (its checkpoint). The
 * submitter writes all of them, also for trials run by remote workers. result.json is created once (a hard link of
 * a finished temp file, which fails if it exists), so a trial that ran twice is stored once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TrialOutcome } from "./run-trial";
import type { SweepSpec, Trial } from "./spec";

export interface SweepManifest {
  sweepId: string;
  spec: SweepSpec;
  created: string;
}

/** A finished trial as result.json holds it. */
export type StoredResult = Omit<TrialOutcome, "stats" | "files" | "env">;

export function trialDir(out: string, id: string): string {
  return path.join(out, "trials", id);
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Writes sweep.json (or checks that an existing one is the same sweep). */
export function writeManifest(out: string, m: SweepManifest): void {
  fs.mkdirSync(path.join(out, "trials"), { recursive: true });
  const file = path.join(out, "sweep.json");
  if (fs.existsSync(file)) {
    const old = readManifest(out);
    if (old.sweepId !== m.sweepId) throw new Error(`sweep: argument 'opts.out' ${out} holds another sweep (${old.sweepId}, not ${m.sweepId}); pick an empty folder or resume it with its own spec`);
    return;
  }
  writeAtomic(file, JSON.stringify(m, null, 2) + "\n");
}

export function readManifest(out: string): SweepManifest {
  const file = path.join(out, "sweep.json");
  if (!fs.existsSync(file)) throw new Error(`resumeSweep: argument 'dir' ${out} has no sweep.json; it is not a sweep folder`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as SweepManifest;
}

/**
 * Writes a trial's records; returns false (and writes nothing) when its result is already stored. Only finished
 * trials (ok, failed) get a result.json; a stopped or interrupted one keeps its config, stats and files and runs
 * again on resume.
 */
export function writeTrialRecords(out: string, trial: Trial, outcome: TrialOutcome): boolean {
  const dir = trialDir(out, trial.id);
  const result = path.join(dir, "result.json");
  if (fs.existsSync(result)) return false;
  fs.mkdirSync(dir, { recursive: true });
  const config = { id: trial.id, fn: trial.fn, module: trial.module ?? null, params: trial.params, seed: trial.seed, rung: trial.rung, worker: outcome.worker, ...outcome.env };
  writeAtomic(path.join(dir, "config.json"), JSON.stringify(config, null, 2) + "\n");
  writeAtomic(path.join(dir, "stats.jsonl"), outcome.stats.map((r) => JSON.stringify(r)).join("\n") + (outcome.stats.length ? "\n" : ""));
  for (const [rel, b64] of Object.entries(outcome.files)) {
    const file = path.resolve(dir, rel);
    // A path out of the trial folder would let a remote worker write anywhere the submitter can.
    if (!file.startsWith(dir + path.sep)) throw new Error(`sweep: refused file '${rel}' from worker ${outcome.worker}: outside the trial folder`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(b64, "base64"));
  }
  if (outcome.status !== "ok" && outcome.status !== "failed") return true;
  const { stats: _s, files: _f, env: _e, ...stored } = outcome;
  const tmp = `${result}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(stored, null, 2) + "\n");
  try {
    fs.linkSync(tmp, result);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return true;
}

/** The stored result of each trial that has one. */
export function readResults(out: string, trials: Trial[]): Map<string, StoredResult> {
  const got = new Map<string, StoredResult>();
  for (const t of trials) {
    const file = path.join(trialDir(out, t.id), "result.json");
    if (fs.existsSync(file)) got.set(t.id, JSON.parse(fs.readFileSync(file, "utf8")) as StoredResult);
  }
  return got;
}
