/**
 * The generalization study of Yi, Sun, Li ("On the Generalization of Diffusion Model", arXiv 2305.14712) on a
 * 2-D toy (8 Gaussians on a ring): for training sets of n points, the empirical optimum (exact DSM minimiser on
 * the n points) with deterministic DDIM, an MLP trained by DSM, and the null generators fresh data and true score
 * (seed-run.ts), over seeds. It returns the data and the judging: every claim checked over seeds against its
 * reference in the same run (claims.ts), the findings in words, figures with intervals (figures.ts), and the table.
 *
 * Seeds run in-process by default, or as trials of the sweep executor (`executor: "local"`, child processes; or
 * "redis"): the trial "generalization.seed" (trials.ts) runs generalizationSeed, the same function, so both routes
 * give the same table.
 *
 * Layering note: this file builds the results table and figures, so it imports table/ and plot/ (and, lazily,
 * sweep/), which sit above generalization/ in DESIGN.md's order; the issue asks for them here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { abortError, checkLongWork, checkNumber, fail, type LongWorkOptions, type Progress } from "../tensor";
import { ResultsTable, type ResultRow } from "../table";
import type { ClaimCheckData } from "../studies/claim-check";
import { reproducedFrom, type Reproduced } from "../studies/verdict";
import { checkSizes, defaultSizes, generalizationSeed, type GeneralizationModel, type SeedRunSizes } from "./seed-run";
import { CLAIM, UNTESTED, convergenceLine, generalizationChecks, generalizationFindings, monteCarloLine } from "./claims";
import { generalizationFigures, type GeneralizationFigures } from "./figures";

export interface StudyOptions extends LongWorkOptions, Partial<SeedRunSizes> {
  /** Training-set sizes (default [16, 64, 256, 1024]; quick: [16, 64]). */
  ns?: number[];
  /** Seeds; each draws two training sets of its own (default 0..4; quick 0..2). */
  seeds?: number[];
  /** Small sizes everywhere, for tests and previews. */
  quick?: boolean;
  /** "inline" (default: in this process), or the seeds as sweep trials: "local" (child processes) or "redis" (opts.redis). */
  executor?: "inline" | "local" | "redis";
  /** Child processes of the local executor (default: cores). */
  concurrency?: number;
  redis?: string;
}

export interface StudyResult {
  claim: string;
  /** Each claim against its reference over seeds (claims.ts). */
  checks: ClaimCheckData[];
  reproduced: Reproduced;
  mode: "quick" | "full";
  untested: string[];
  /** What the run measured, in words (means and 95% intervals over seeds, with the null levels). */
  measured: string;
  /** Same as measured (the name of the first version). */
  summary: string;
  /** Per n, how many of the DSM MLP's runs met the convergence rule (convergence.ts) and how many hit the cap still improving. */
  convergence: string;
  /** Per n, the Monte Carlo sample count and standard error of I(L; B) beside the spread over seeds. */
  monteCarlo: string;
  table: ResultsTable;
  figures: GeneralizationFigures;
  ns: number[];
  seeds: number[];
}

const FN = "generalizationStudy";
const num = (x: number) => (x === 0 ? "0" : x.toPrecision(3));

function readOptions(opts: StudyOptions) {
  if (opts === null || typeof opts !== "object") fail(FN, "opts", "must be an options object");
  checkLongWork(opts, FN);
  const quick = !!opts.quick;
  const ns = opts.ns ?? (quick ? [16, 64] : [16, 64, 256, 1024]);
  if (!Array.isArray(ns) || ns.length === 0) fail(FN, "opts.ns", "must be a non-empty array of training-set sizes");
  ns.forEach((n, i) => checkNumber(n, `opts.ns[${i}]`, FN, { integer: true, min: 2 }));
  const seeds = opts.seeds ?? (quick ? [0, 1, 2] : [0, 1, 2, 3, 4]);
  if (!Array.isArray(seeds) || seeds.length === 0) fail(FN, "opts.seeds", "must be a non-empty array of integers");
  seeds.forEach((s, i) => checkNumber(s, `opts.seeds[${i}]`, FN, { integer: true }));
  if (new Set(seeds).size !== seeds.length) fail(FN, "opts.seeds", `must not repeat a seed (a repeated seed is the same replicate twice), got [${seeds}]`);
  if (opts.executor !== undefined && !["inline", "local", "redis"].includes(opts.executor)) fail(FN, "opts.executor", `must be "inline", "local" or "redis", got ${JSON.stringify(opts.executor)}`);
  const d = defaultSizes(quick);
  const sizes = checkSizes({
    models: opts.models ?? d.models, steps: opts.steps ?? d.steps, valSize: opts.valSize ?? d.valSize, evalEvery: opts.evalEvery ?? d.evalEvery, patience: opts.patience ?? d.patience, samples: opts.samples ?? d.samples, testSize: opts.testSize ?? d.testSize,
    samplerSteps: opts.samplerSteps ?? d.samplerSteps, width: opts.width ?? d.width, depth: opts.depth ?? d.depth, denoiseLast: opts.denoiseLast ?? d.denoiseLast,
  }, FN);
  return { quick, ns: [...ns].sort((a, b) => a - b), seeds: [...seeds], sizes, onStep: opts.onStep };
}

async function runInProcess(ns: number[], seeds: number[], sizes: SeedRunSizes, opts: StudyOptions, onStep?: Progress): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const total = ns.length * seeds.length * sizes.models.length;
  let done = 0;
  for (const n of ns) {
    for (const seed of seeds) {
      if (opts.signal?.aborted) throw abortError(FN, done, total, "run"); // no verdict from part of the runs
      rows.push(...await generalizationSeed({ ...sizes, n, seed, signal: opts.signal, onStep: () => onStep?.({ step: ++done, total, n, seed }) }));
    }
  }
  return rows;
}

/** The same seeds as sweep trials; the table is rebuilt with the in-process columns, so both routes compare equal. */
async function runAsSweep(ns: number[], seeds: number[], sizes: SeedRunSizes, opts: StudyOptions, onStep?: Progress): Promise<ResultRow[]> {
  const { sweep } = await import("../sweep");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-generalization-"));
  try {
    const r = await sweep({ name: "generalization", fn: "generalization.seed", space: { n: ns }, fixed: { ...sizes }, seeds, attempts: 1 },
      { executor: opts.executor as "local" | "redis", concurrency: opts.concurrency, redis: opts.redis, out, onStep, signal: opts.signal });
    const all = r.table.objects();
    if (r.stopped) throw abortError(FN, r.counts.ok, ns.length * seeds.length, "trial");
    const bad = all.find((x) => x.status !== "ok");
    if (bad) throw new Error(`${FN}: the trial at n = ${bad.n}, seed ${bad.seed} ended ${bad.status}${bad.error ? `: ${bad.error}` : ""}`);
    return all.map((x) => ({
      experiment: x.experiment, model: x.model, dataset: x.dataset, seed: x.seed, n: x.n as number,
      steps: (x.model as string).endsWith("-mlp") ? sizes.steps : 0, metric: x.metric, value: x.value,
    }));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Runs the study and judges it: `display(lab.verdict(result))` shows the claim, the checks and the verdict.
 * @example const r = await generalizationStudy({ quick: true }); r.checks.map((c) => c.text); r.reproduced;
 */
export async function generalizationStudy(opts: StudyOptions = {}): Promise<StudyResult> {
  const { quick, ns, seeds, sizes, onStep } = readOptions(opts);
  if (opts.signal?.aborted) throw abortError(FN, 0, ns.length * seeds.length, "run");
  const rows = opts.executor && opts.executor !== "inline" ? await runAsSweep(ns, seeds, sizes, opts, onStep) : await runInProcess(ns, seeds, sizes, opts, onStep);
  const table = new ResultsTable(rows);
  const checks = generalizationChecks(rows, ns);
  const failed = checks.filter((c) => !c.passed);
  // A claim that does not hold is said in words next to the numbers, not only in the checks' lines.
  const measured = generalizationFindings(rows, ns, sizes.models, { seeds: seeds.length, quick, steps: sizes.steps, evalEvery: sizes.evalEvery, patience: sizes.patience, samples: sizes.samples }) +
    (failed.length ? `\nNot shown (${failed.length} of ${checks.length} checks): ${failed.map((c) => `${c.quantity} against ${c.referenceName}, difference ${num(c.difference.mean)} [${num(c.difference.lo)}, ${num(c.difference.hi)}], needed ${c.direction} ${num(c.direction === "below" ? -c.margin : c.margin)}`).join("; ")}.` : "");
  return {
    claim: CLAIM, checks, reproduced: checks.length ? reproducedFrom(checks) : "no", mode: quick ? "quick" : "full",
    untested: [...UNTESTED], measured, summary: measured, table,
    convergence: sizes.models.includes("dsm-mlp") ? convergenceLine(rows, ns) : "", monteCarlo: monteCarloLine(rows, ns, sizes.models, sizes.samples),
    figures: generalizationFigures(rows, ns, sizes.models as GeneralizationModel[]), ns, seeds,
  };
}
