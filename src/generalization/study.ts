/**
 * The generalization study of Yi, Sun, Li ("On the Generalization of Diffusion Model", arXiv 2305.14712) on a
 * 2-D toy (8 Gaussians on a ring): for training sets of n points, compare
 *   (a) the empirical optimum (exact DSM minimiser on the n points) with deterministic DDIM,
 *   (b) an MLP trained by DSM for a limited number of steps,
 *   (c) an MLP trained with the randomised-gap forward-noise objective (a reconstruction, see
 *       alternative-objective.ts),
 * by memorization rate, nearest-neighbour distance, the DSM train/test gap, MMD to held-out data (sample
 * quality), and, with two or more seeds, the nearest-set mutual information across seeds (each seed draws its
 * own training set; see mutual-information.ts).
 *
 * Layering note: this file builds the results table and figures, so it imports table/ and plot/, which sit above
 * generalization/ in DESIGN.md's order; the issue asks for them here.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkNumber, fail, type Progress } from "../tensor";
import { vpSDE } from "../sde";
import type { SDE, ScoreFn } from "../sde/types";
import { empiricalScore, mlpScoreNet, trainScore } from "../score";
import { ddim } from "../sample/ddim";
import { ringGaussians } from "../data/toys";
import { mmd2 } from "../metrics/mmd";
import { ResultsTable, type ResultRow } from "../table";
import { lineFigure } from "../plot/curves";
import type { Figure } from "../plot/figure";
import { memorization } from "./memorization";
import { dsmGap } from "./gap";
import { nearestSetMutualInformation } from "./mutual-information";
import { trainGapObjective } from "./alternative-objective";

export interface StudyOptions {
  /** Training-set sizes (default [16, 64, 256, 1024]; quick: [8, 32]). */
  ns?: number[];
  /** Seeds; each draws its own training set (default [0, 1]; quick [0]). */
  seeds?: number[];
  /** Optimiser steps for the trained networks (default 3000; quick 150). */
  steps?: number;
  /** Small sizes everywhere, for tests and previews. */
  quick?: boolean;
  /** Samples generated per model (default 1000; quick 128). */
  samples?: number;
  /** DDIM steps (default 100; quick 30). */
  samplerSteps?: number;
  /** MLP width and depth (default 128 x 3; quick 64 x 2). */
  width?: number;
  depth?: number;
  /** Apply the final Tweedie step x0 = (x + s^2 score(x, tMin)) / a to every model's DDIM output (default true):
   *  DDIM stops at tMin, where samples still carry noise of size s(tMin) ~ 0.01, comparable to the spacing of
   *  hundreds of 2-D training points; without it the NN-ratio criterion cannot resolve copies. */
  denoiseLast?: boolean;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface StudyResult {
  table: ResultsTable;
  figures: { memorization: Figure; gap: Figure; nnDistance: Figure };
  summary: string;
}

const MODELS = ["empirical-optimum", "dsm-mlp", "gap-objective-mlp"] as const;
type ModelName = typeof MODELS[number];

function mean(xs: number[]): number { return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN; }

/**
 * Runs the sweep over n and seeds and returns the results table (experiment "generalization", dataset
 * "ring8", metrics memorization_rate, nn_distance_mean, within_1e-3, dsm_train, dsm_test, dsm_gap, mmd2_test,
 * and mi_nearest_set with seed -1 when seeds >= 2), figures of memorization rate, DSM gap and NN distance
 * against n, and a summary in words from the measured numbers.
 * @example const { table, figures, summary } = await generalizationStudy({ quick: true });
 */
export async function generalizationStudy(opts: StudyOptions = {}): Promise<StudyResult> {
  const fn = "generalizationStudy";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const quick = !!opts.quick;
  const ns = opts.ns ?? (quick ? [8, 32] : [16, 64, 256, 1024]);
  if (!Array.isArray(ns) || ns.length === 0) fail(fn, "opts.ns", "must be a non-empty array of training-set sizes");
  ns.forEach((n, i) => checkNumber(n, `opts.ns[${i}]`, fn, { integer: true, min: 2 }));
  const seeds = opts.seeds ?? (quick ? [0] : [0, 1]);
  if (!Array.isArray(seeds) || seeds.length === 0) fail(fn, "opts.seeds", "must be a non-empty array of integers");
  seeds.forEach((s, i) => checkNumber(s, `opts.seeds[${i}]`, fn, { integer: true }));
  const steps = checkNumber(opts.steps ?? (quick ? 150 : 3000), "opts.steps", fn, { integer: true, min: 1 });
  const samples = checkNumber(opts.samples ?? (quick ? 128 : 1000), "opts.samples", fn, { integer: true, min: 2 });
  const samplerSteps = checkNumber(opts.samplerSteps ?? (quick ? 30 : 100), "opts.samplerSteps", fn, { integer: true, min: 1 });
  const width = checkNumber(opts.width ?? (quick ? 64 : 128), "opts.width", fn, { integer: true, min: 1 });
  const depth = checkNumber(opts.depth ?? (quick ? 2 : 3), "opts.depth", fn, { integer: true, min: 1 });
  const sde: SDE = vpSDE();
  const table = new ResultsTable();
  const total = ns.length * seeds.length * MODELS.length;
  let done = 0;
  const nTest = quick ? 128 : 1000;
  for (const n of ns) {
    const bySeed: Record<ModelName, { gen: tf.Tensor2D[]; train: tf.Tensor2D[] }> = {
      "empirical-optimum": { gen: [], train: [] }, "dsm-mlp": { gen: [], train: [] }, "gap-objective-mlp": { gen: [], train: [] },
    };
    try {
      for (const seed of seeds) {
        const dataRng = new Rng(seed * 7919 + n);
        const train = ringGaussians(n, dataRng).x;
        const test = ringGaussians(nTest, dataRng).x;
        try {
          for (const model of MODELS) {
            if (opts.signal?.aborted) throw abortError(fn, done, total, "run"); // no verdict from part of the runs
            const rng = new Rng(seed * 104729 + n * 31 + MODELS.indexOf(model));
            let score: ScoreFn; let release: () => void;
            if (model === "empirical-optimum") {
              const emp = empiricalScore(sde, train as tf.Tensor2D);
              score = emp.score; release = () => emp.dispose();
            } else {
              const net = mlpScoreNet(sde, [2], rng.fork(1), { width, depth });
              if (model === "dsm-mlp") await trainScore(net, train, { steps, rng: rng.fork(2), batchSize: Math.min(256, Math.max(32, n)), signal: opts.signal });
              else await trainGapObjective(net, train, { steps, rng: rng.fork(2), batchSize: Math.min(256, Math.max(32, n)), signal: opts.signal });
              score = net.score; release = () => net.dispose();
            }
            try {
              const raw = (await ddim(score, sde, { n: samples, steps: samplerSteps, rng: rng.fork(3), shape: [2], signal: opts.signal })) as tf.Tensor2D;
              const gen = opts.denoiseLast === false ? raw : tf.tidy(() => {
                const { scale, std } = sde.marginalAt(sde.tMin);
                return tf.div(tf.add(raw, tf.mul(score(raw, tf.fill([samples], sde.tMin)), std * std)), scale) as tf.Tensor2D;
              });
              if (gen !== raw) raw.dispose();
              const mem = memorization(gen, train, { eps: 1e-3 });
              const gap = dsmGap(score, sde, train, test, { bins: 5, repeats: Math.max(1, Math.ceil(256 / n)), rng: rng.fork(4) });
              const run = { experiment: "generalization", model, dataset: "ring8", seed, n, steps: model === "empirical-optimum" ? 0 : steps };
              const rows: ResultRow[] = [
                { ...run, metric: "memorization_rate", value: mem.memorizationRate },
                { ...run, metric: "nn_distance_mean", value: mem.meanNN },
                { ...run, metric: "within_1e-3", value: mem.fractionWithinEps },
                { ...run, metric: "dsm_train", value: gap.meanTrain },
                { ...run, metric: "dsm_test", value: gap.meanTest },
                { ...run, metric: "dsm_gap", value: gap.meanGap },
                { ...run, metric: "mmd2_test", value: mmd2(gen, test as tf.Tensor2D) },
              ];
              table.append(rows);
              bySeed[model].gen.push(gen); bySeed[model].train.push(tf.clone(train) as tf.Tensor2D);
            } finally { release(); }
            done++;
            opts.onProgress?.({ step: done, total, n, seed });
          }
        } finally { tf.dispose([train, test]); }
      }
      if (seeds.length >= 2) {
        for (const model of MODELS) {
          const mi = nearestSetMutualInformation(bySeed[model].gen, bySeed[model].train);
          table.append({ experiment: "generalization", model, dataset: "ring8", seed: -1, n, steps: model === "empirical-optimum" ? 0 : steps, metric: "mi_nearest_set", value: mi.mi });
        }
      }
    } finally {
      for (const m of MODELS) tf.dispose([...bySeed[m].gen, ...bySeed[m].train]);
    }
  }
  const avg = (model: string, metric: string, n: number) => mean(table.objects().filter((r) => r.model === model && r.metric === metric && r.n === n && r.seed >= 0).map((r) => r.value));
  const curve = (metric: string) => MODELS.map((m) => ({ name: m, y: ns.map((n) => avg(m, metric, n)) }));
  const figures = {
    memorization: lineFigure(ns, curve("memorization_rate"), { title: "Memorization rate against training-set size", xLabel: "n (training points)", yLabel: "fraction copied (NN ratio < 1/3)", logX: true }),
    gap: lineFigure(ns, curve("dsm_gap"), { title: "DSM generalization gap (held-out minus training loss)", xLabel: "n (training points)", yLabel: "DSM loss gap", logX: true }),
    nnDistance: lineFigure(ns, curve("nn_distance_mean"), { title: "Mean distance to the nearest training point", xLabel: "n (training points)", yLabel: "distance", logX: true, logY: true }),
  };
  return { table, figures, summary: summarize(ns, avg, steps) };
}

function summarize(ns: number[], avg: (model: string, metric: string, n: number) => number, steps: number): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "n/a");
  const lines: string[] = [];
  const emp = ns.map((n) => avg("empirical-optimum", "memorization_rate", n));
  const dsm = ns.map((n) => avg("dsm-mlp", "memorization_rate", n));
  const alt = ns.map((n) => avg("gap-objective-mlp", "memorization_rate", n));
  lines.push(`Memorization rate by n = ${ns.join(", ")}: empirical optimum ${emp.map(f).join(", ")}; DSM-trained MLP (${steps} steps) ${dsm.map(f).join(", ")}; gap-objective MLP ${alt.map(f).join(", ")}.`);
  const empAll = emp.every((v) => v >= 0.9);
  lines.push(empAll
    ? "The empirical optimum copied at every n (rate >= 0.9), as the paper says."
    : `The empirical optimum did not copy at every n (lowest rate ${f(Math.min(...emp))}): with ${ns[ns.length - 1]} points and this sampler, its samples are not all resolved to single training points.`);
  const first = dsm[0], last = dsm[dsm.length - 1];
  lines.push(ns.length < 2 ? "One n only: no trend in n." : last < first
    ? `The DSM-trained network copied less as n grew (${f(first)} -> ${f(last)}), and less than the empirical optimum at ${dsm.filter((v, i) => v < emp[i]).length} of ${ns.length} sizes.`
    : `The DSM-trained network did not copy less as n grew (${f(first)} -> ${f(last)}).`);
  const diff = mean(alt.map((v, i) => v - dsm[i]));
  lines.push(`The gap objective (a reconstruction from a summary; its optimum over all functions equals DSM's) copied ${diff < 0 ? "less" : "more or as much"} than DSM on average (difference ${f(diff)}); sample quality MMD^2 to held-out data: DSM ${ns.map((n) => f(avg("dsm-mlp", "mmd2_test", n))).join(", ")}, gap objective ${ns.map((n) => f(avg("gap-objective-mlp", "mmd2_test", n))).join(", ")}.`);
  lines.push(`DSM gap (held-out minus training loss): empirical optimum ${ns.map((n) => f(avg("empirical-optimum", "dsm_gap", n))).join(", ")}; DSM MLP ${ns.map((n) => f(avg("dsm-mlp", "dsm_gap", n))).join(", ")}.`);
  return lines.join("\n");
}
