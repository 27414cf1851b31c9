/**
 * A CPU-scale reproduction of refinement (Husain, De Bortoli, Nock, arXiv 2603.18817; Kim et al., ICML 2023) on a
 * 2-D two-mode mixture: data 0.5/0.5, a deliberately wrong model (the exact score of the same modes weighted
 * 0.8/0.2), and
 *   "guidance":      a time-conditioned discriminator trained on data vs the model's Euler–Maruyama samples,
 *                    then guided sampling for each w (w = 0 is the base model);
 *   "density-ratio": refinement of the same model as a plain generator by SIR and by rejection;
 *   "capacity":      unconditioned discriminators of growing width at a fixed small n: held-out BCE gap
 *                    (generalization of the discriminator) and the distance of the SIR-refined samples.
 * Distances to held-out data: mode-weight error (share left of x = 0 minus 0.5; the modes are 8 std apart),
 * squared MMD (RBF, median bandwidth) and sliced W2.
 *
 * Layering note: the study builds a results table and figures, so it imports table/ and plot/ (as the other
 * threads' studies do).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkNumber, fail, type Progress } from "../tensor";
import { vpSDE } from "../sde";
import { GaussianMixture } from "../data/gmm";
import { mixtureScore } from "../score/exact";
import { eulerMaruyama } from "../sample/euler-maruyama";
import { mmd2 } from "../metrics/mmd";
import { slicedWasserstein } from "../metrics/wasserstein";
import { ResultsTable, type ResultRow } from "../table";
import { lineFigure, type Figure } from "../plot";
import { mlpDiscriminator } from "./discriminator";
import { trainDiscriminator } from "./train-discriminator";
import { guidedScore } from "./guidance";
import { refineGenerator } from "./refine-generator";

export interface RefineStudyOptions {
  /** Small sizes for tests and previews (about a minute on 2 CPU cores). */
  quick?: boolean;
  /** Default [0, 1, 2]. */
  seeds?: number[];
  /** Guidance weights (default [0, 0.5, 1, 2, 4]). */
  ws?: number[];
  /** Discriminator training steps (default 1500; quick 250). */
  steps?: number;
  /** Discriminator widths of the capacity experiment (default [4, 16, 64, 256]; quick [4, 64]). */
  widths?: number[];
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface RefineStudyResult {
  table: ResultsTable;
  figures: { guidance: Figure; capacity: Figure };
  summary: string;
}

export const STUDY_DATA = { weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] };
export const STUDY_MODEL = { weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] };

function modeWeightError(x: tf.Tensor2D): number {
  const v = x.dataSync();
  let c = 0;
  for (let i = 0; i < v.length; i += 2) if (v[i] < 0) c++;
  return Math.abs(c / Math.max(1, x.shape[0]) - 0.5);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(3)) : String(v));

/**
 * Runs the three experiments over seeds and returns the long results table (columns experiment, model, dataset,
 * seed, metric, value, w, width), figures (error vs w; BCE gap and error vs width) and a summary in words from
 * the measured numbers.
 * @example const { table, summary } = await refineStudy({ quick: true, seeds: [0] });
 */
export async function refineStudy(opts: RefineStudyOptions = {}): Promise<RefineStudyResult> {
  const fn = "refineStudy";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const quick = !!opts.quick;
  const seeds = opts.seeds ?? [0, 1, 2];
  if (!Array.isArray(seeds) || seeds.length === 0) fail(fn, "opts.seeds", "must be a non-empty array of integers");
  seeds.forEach((s, i) => checkNumber(s, `opts.seeds[${i}]`, fn, { integer: true, min: 0 }));
  const ws = opts.ws ?? [0, 0.5, 1, 2, 4];
  if (!Array.isArray(ws) || ws.length === 0) fail(fn, "opts.ws", "must be a non-empty array of guidance weights");
  ws.forEach((w, i) => checkNumber(w, `opts.ws[${i}]`, fn, { min: 0 }));
  const steps = checkNumber(opts.steps ?? (quick ? 250 : 1500), "opts.steps", fn, { integer: true, min: 1 });
  const widths = opts.widths ?? (quick ? [4, 64] : [4, 16, 64, 256]);
  if (!Array.isArray(widths) || widths.length === 0) fail(fn, "opts.widths", "must be a non-empty array of widths");
  widths.forEach((w, i) => checkNumber(w, `opts.widths[${i}]`, fn, { integer: true, min: 1 }));
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") fail(fn, "opts.onProgress", "must be a function");
  const nTrain = quick ? 600 : 2000, nTest = quick ? 400 : 1500, nGen = quick ? 400 : 1500;
  const samplerSteps = quick ? 60 : 200;
  const nCap = 200; // fixed, small: where discriminator capacity can overfit
  const sde = vpSDE();
  const data = new GaussianMixture(STUDY_DATA), model = new GaussianMixture(STUDY_MODEL);
  const modelScore = mixtureScore(sde, model).score;
  const table = new ResultsTable();
  const total = seeds.length * (ws.length + 2 + widths.length);
  let done = 0;
  const tick = (seed: number) => { done++; opts.onProgress?.({ step: done, total, seed }); };
  // A study without all its runs has no verdict: an abort throws an AbortError (src/tensor/long-work.ts).
  const check = () => { if (opts.signal?.aborted) throw abortError(fn, done, total, "run"); };
  const dataset = "two-modes-0.5/0.5";
  const distances = (x: tf.Tensor2D, test: tf.Tensor2D, rng: Rng) => [
    { metric: "mode_weight_error", value: modeWeightError(x) },
    { metric: "mmd2", value: x.shape[0] >= 2 ? mmd2(x, test) : NaN },
    { metric: "sliced_w2", value: x.shape[0] >= 1 ? slicedWasserstein(x, test, { rng, projections: 32 }) : NaN },
  ];
  for (const seed of seeds) {
    const rng = new Rng(1000 + seed);
    const real = data.sample(nTrain, rng.fork(1)), test = data.sample(nTest, rng.fork(2));
    try {
      // Guidance: the discriminator sees the sampler's output, as in DG (not the model mixture's exact draws).
      check();
      const fake = (await eulerMaruyama(modelScore, sde, { n: nTrain, steps: samplerSteps, rng: rng.fork(3), shape: [2], signal: opts.signal })) as tf.Tensor2D;
      const disc = mlpDiscriminator(2, rng.fork(4), { width: 64, depth: 2 });
      try {
        await trainDiscriminator(disc, real, fake, { steps, rng: rng.fork(5), sde, signal: opts.signal });
        for (const w of ws) {
          check();
          const x = (await eulerMaruyama(guidedScore(modelScore, disc, { w }), sde, { n: nGen, steps: samplerSteps, rng: rng.fork(6), shape: [2], signal: opts.signal })) as tf.Tensor2D;
          const run = { experiment: "guidance", model: "exact-score-0.8/0.2", dataset, seed, w, width: 64 };
          table.append(distances(x, test, rng.fork(7)).map((m) => ({ ...run, ...m }) as ResultRow));
          x.dispose();
          tick(seed);
        }
      } finally { disc.dispose(); fake.dispose(); }
      // Density-ratio refinement of the same model as a plain generator.
      for (const method of ["sir", "rejection"] as const) {
        check();
        const r = await refineGenerator(model, real, { rng: rng.fork(8), method, steps, trainSize: nTrain, pool: 2 * nGen, n: nGen, signal: opts.signal });
        const run = { experiment: "density-ratio", model: `${method}-refined`, dataset, seed, w: null, width: 64 };
        const rows = distances(r.x, test, rng.fork(9)).map((m) => ({ ...run, ...m }) as ResultRow);
        rows.push({ ...run, metric: "ess_fraction", value: r.essFraction });
        if (r.acceptanceRate !== undefined) rows.push({ ...run, metric: "acceptance_rate", value: r.acceptanceRate });
        table.append(rows);
        tf.dispose([r.x, r.pool]); r.discriminator.dispose();
        tick(seed);
      }
      // Capacity at fixed n: held-out BCE gap of the discriminator and the refined samples' distance.
      const small = data.sample(nCap, rng.fork(10));
      const freshFake = model.sample(nTest, rng.fork(11));
      try {
        for (const width of widths) {
          check();
          const r = await refineGenerator(model, small, { rng: rng.fork(12 + width), method: "sir", steps, trainSize: nCap, pool: 2 * nGen, n: nGen, discriminator: { width, depth: 2 }, signal: opts.signal });
          // Overfitting shows on the data side (n = 200 rows, seen many times); model draws are unlimited, so
          // both BCEs use the same fresh model draws and the gap is held-out minus seen data.
          const bce = (x: tf.Tensor2D, label: 0 | 1) => tf.tidy(() => {
            const v = r.discriminator.logit(x);
            return tf.mean(tf.softplus(label ? tf.neg(v) : v)).dataSync()[0];
          });
          const fakeTerm = bce(freshFake, 0);
          const seen = bce(small, 1) + fakeTerm, heldOut = bce(test, 1) + fakeTerm;
          const run = { experiment: "capacity", model: `mlp-width-${width}`, dataset, seed, w: null, width, n: nCap };
          const rows = distances(r.x, test, rng.fork(13)).map((m) => ({ ...run, ...m }) as ResultRow);
          rows.push({ ...run, metric: "bce_seen", value: seen }, { ...run, metric: "bce_heldout", value: heldOut }, { ...run, metric: "bce_gap", value: heldOut - seen });
          table.append(rows);
          tf.dispose([r.x, r.pool]); r.discriminator.dispose();
          tick(seed);
        }
      } finally { tf.dispose([small, freshFake]); }
    } finally { tf.dispose([real, test]); }
  }
  const rowsOf = (experiment: string, metric: string) => table.objects().filter((r) => r.experiment === experiment && r.metric === metric);
  const byW = (metric: string) => ws.map((w) => mean(rowsOf("guidance", metric).filter((r) => r.w === w).map((r) => r.value)));
  const byWidth = (metric: string) => widths.map((k) => mean(rowsOf("capacity", metric).filter((r) => r.width === k).map((r) => r.value)));
  const guidance = lineFigure(ws, [
    { name: "mode-weight error", y: byW("mode_weight_error") },
    { name: "sliced W2", y: byW("sliced_w2") },
  ], { title: "Discriminator guidance: distance to data vs w (mean over seeds)", xLabel: "guidance weight w", yLabel: "distance to held-out data" });
  const capacity = lineFigure(widths, [
    { name: "held-out minus seen BCE", y: byWidth("bce_gap") },
    { name: "mode-weight error after SIR", y: byWidth("mode_weight_error") },
  ], { title: `Discriminator capacity at n = ${nCap}`, xLabel: "discriminator width", yLabel: "value", logX: true });
  return { table, figures: { guidance, capacity }, summary: summarize(table, ws, widths, seeds) };
}

function summarize(table: ResultsTable, ws: number[], widths: number[], seeds: number[]): string {
  const rows = table.objects();
  const get = (exp: string, metric: string, pred: (r: ResultRow) => boolean) => rows.filter((r) => r.experiment === exp && r.metric === metric && pred(r));
  const lines: string[] = [];
  const errW = ws.map((w) => mean(get("guidance", "mode_weight_error", (r) => r.w === w).map((r) => r.value)));
  const swW = ws.map((w) => mean(get("guidance", "sliced_w2", (r) => r.w === w).map((r) => r.value)));
  const best = ws[errW.indexOf(Math.min(...errW))];
  lines.push(`Guidance (model weights 0.8/0.2, data 0.5/0.5, ${seeds.length} seed(s)): mode-weight error by w: ${ws.map((w, i) => `w=${w}: ${fmt(errW[i])}`).join(", ")}; sliced W2: ${ws.map((w, i) => `w=${w}: ${fmt(swW[i])}`).join(", ")}.`);
  if (ws.includes(0)) {
    const base = get("guidance", "mode_weight_error", (r) => r.w === 0);
    const at = (w: number) => get("guidance", "mode_weight_error", (r) => r.w === w);
    const improvedAll = ws.includes(1) && seeds.every((s) => (at(1).find((r) => r.seed === s)?.value ?? NaN) < (base.find((r) => r.seed === s)?.value ?? NaN));
    lines.push(`Best w by mode-weight error: ${best} (${Math.abs(best - 1) <= 0.5 ? "near w = 1, as the theory says" : "not near w = 1: this run does not show the claim"}). ` +
      (ws.includes(1) ? `w = 1 beats the unguided model on ${improvedAll ? "every seed" : "not every seed"}.` : ""));
    const big = ws.filter((w) => w > Math.max(1, best));
    if (big.length) {
      const worse = big.every((w) => errW[ws.indexOf(w)] > errW[ws.indexOf(best)]);
      lines.push(`Overshoot: for w in {${big.join(", ")}} the error is ${worse ? "larger than at the best w (over-correction: the guided model swings past the data's weights)" : "not larger than at the best w: no overshoot seen in this run"}.`);
    }
  }
  for (const m of ["sir", "rejection"]) {
    const e = mean(get("density-ratio", "mode_weight_error", (r) => r.model === `${m}-refined`).map((r) => r.value));
    const ess = mean(get("density-ratio", "ess_fraction", (r) => r.model === `${m}-refined`).map((r) => r.value));
    const acc = mean(get("density-ratio", "acceptance_rate", (r) => r.model === `${m}-refined`).map((r) => r.value));
    const base = ws.includes(0) ? errW[ws.indexOf(0)] : NaN;
    lines.push(`Density-ratio refinement by ${m === "sir" ? "SIR" : "rejection"}: mode-weight error ${fmt(e)}${Number.isFinite(base) ? ` against ${fmt(base)} for the base model (${e < base ? "closer to the data" : "not closer"})` : ""}; ESS fraction ${fmt(ess)}${m === "rejection" ? `, acceptance rate ${fmt(acc)}` : ""}.`);
  }
  const gap = widths.map((k) => mean(get("capacity", "bce_gap", (r) => r.width === k).map((r) => r.value)));
  const errK = widths.map((k) => mean(get("capacity", "mode_weight_error", (r) => r.width === k).map((r) => r.value)));
  const gapGrows = gap.length > 1 && gap[gap.length - 1] > gap[0];
  lines.push(`Capacity at fixed n = 200: held-out minus seen BCE by width ${widths.map((k, i) => `${k}: ${fmt(gap[i])}`).join(", ")}; refined mode-weight error ${widths.map((k, i) => `${k}: ${fmt(errK[i])}`).join(", ")}. ` +
    (gap.length > 1 ? `The generalization gap ${gapGrows ? "grows" : "does not grow"} with capacity in this run${gapGrows ? ", in line with a bound that grows with the discriminator class's complexity" : ""}; this is an illustration, not a test of the bound's rate.` : ""));
  return lines.join("\n");
}
