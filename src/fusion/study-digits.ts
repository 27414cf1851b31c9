/**
 * The image low-data study of ScoreFusion (Liu et al. 2025, Sec. 5.2: EMNIST 7s and 9s, auxiliaries on skewed
 * class mixtures, target another mixture, bits/dim by the probability-flow ODE), at CPU scale on the bundled 8x8
 * digits (1,797 images). Only about 180 images per class exist, so the two "classes" are class groups:
 * G1 = digits 0-4 and G2 = digits 5-9. Auxiliary A is trained on G1:G2 = 0.9:0.1, auxiliary B on 0.1:0.9, the
 * target is 0.6:0.4; auxiliary and target images are disjoint (a 60/40 split of each group), and the test images
 * are disjoint from the target training images.
 *
 * Pixels 0..16 are dequantised with uniform noise and scaled to [-1, 1]: x = 2 (p + u) / 17 - 1. Bits/dim adds
 * log2(17 / 2) per dimension to the continuous density's value, so it reads as bits per pixel of 17-level data.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import { vpSDE } from "../sde";
import type { ScoreModel } from "../sde/types";
import { readDigits } from "../data";
import { mlpScoreNet, trainScore } from "../score";
import { logLikelihood } from "../sample";
import { ResultsTable } from "../table";
import { fuse } from "./fuse";
import { FusionStudyOptions, FusionStudyResult, checkStudyOptions, gapSummary, metricFigure, throwIfAborted } from "./study-common";

export interface DigitsStudyOptions extends FusionStudyOptions {
  /** Held-out target images (default 100, at 0.6:0.4). */
  testSize?: number;
  /** Probability-flow RK4 steps for bits/dim (default 30). */
  likelihoodSteps?: number;
  /** MLP width (default 256). */
  width?: number;
}

const FN = "fusionStudyDigits";
const D = 64;
const OFFSET_BITS = Math.log2(17 / 2);

/** Dequantised, scaled rows of the chosen images: [idx.length, 64]. */
function imagesToTensor(images: Uint8Array, idx: number[], rng: Rng): tf.Tensor2D {
  const out = new Float32Array(idx.length * D);
  const u = rng.uniformArray(idx.length * D);
  idx.forEach((r, i) => {
    for (let j = 0; j < D; j++) out[i * D + j] = (2 * (images[r * D + j] + u[i * D + j])) / 17 - 1;
  });
  return tf.tensor2d(out, [idx.length, D]);
}

/**
 * Runs the digits low-data study; returns a results table (experiment, model, dataset, seed, metric, value, n),
 * the bits/dim-vs-n figure and a summary in words from the measured numbers.
 * @example
 * const { table, summary } = await fusionStudyDigits({ ns: [25, 100, 400], seeds: [0] });
 */
export async function fusionStudyDigits(opts: DigitsStudyOptions = {}): Promise<FusionStudyResult> {
  const quick = !!opts.quick;
  const o = checkStudyOptions(opts, FN, quick
    ? { ns: [25, 50], seeds: [0], steps: 30, auxSteps: 30 }
    : { ns: [25, 50, 100, 200, 400], seeds: [0, 1], steps: 1500, auxSteps: 3000 });
  const testSize = opts.testSize ?? (quick ? 30 : 100);
  const llSteps = opts.likelihoodSteps ?? (quick ? 4 : 30);
  const width = opts.width ?? (quick ? 32 : 256);
  const started = Date.now();
  const sde = vpSDE();
  const set = readDigits();
  const split = new Rng(0);
  const groups = [0, 1].map((g) => {
    const idx: number[] = [];
    for (let i = 0; i < set.n; i++) if ((set.labels[i] >= 5 ? 1 : 0) === g) idx.push(i);
    const perm = split.permutation(idx.length);
    const shuffled = Array.from(perm, (p) => idx[p]);
    const cut = Math.floor(0.6 * shuffled.length);
    return { aux: shuffled.slice(0, cut), target: shuffled.slice(cut) };
  });
  const nTest = [Math.round(0.6 * testSize), testSize - Math.round(0.6 * testSize)];
  const testIdx = [...groups[0].target.slice(0, nTest[0]), ...groups[1].target.slice(0, nTest[1])];
  const pool = [groups[0].target.slice(nTest[0]), groups[1].target.slice(nTest[1])];
  const nMax = Math.min(Math.floor(pool[0].length / 0.6), Math.floor(pool[1].length / 0.4));
  o.ns.forEach((n, i) => { if (n > nMax) throw new Error(`${FN}: argument 'opts.ns[${i}]' must be <= ${nMax} (target images available at 0.6:0.4), got ${n}`); });
  const minor = Math.round(groups[0].aux.length / 9);
  const auxIdx = [
    [...groups[0].aux, ...groups[1].aux.slice(0, minor)],
    [...groups[0].aux.slice(0, minor), ...groups[1].aux],
  ];

  const table = new ResultsTable();
  const weightsOut: FusionStudyResult["weights"] = [];
  const total = o.ns.length * o.seeds.length + 2;
  let done = 0;
  const progress = (msg: string) => opts.onProgress?.(msg, done, total);
  const test = imagesToTensor(set.images, testIdx, new Rng(5));
  const owned: { dispose(): void }[] = [];
  const evaluate = async (score: ScoreModel["score"], model: string, seed: number, n: number | null, rng: Rng) => {
    const ll = await logLikelihood(score, sde, test, { steps: llSteps, divergence: "hutchinson", probes: 1, rng, signal: opts.signal });
    table.append({ experiment: "fusion-digits", model, dataset: "digits-8x8", seed, n, metric: "bpd", value: ll.meanBitsPerDim + OFFSET_BITS });
  };
  try {
    const aux: ScoreModel[] = [];
    for (let k = 0; k < 2; k++) {
      throwIfAborted(opts.signal, FN, done, total);
      progress(`auxiliary ${k === 0 ? "A (0-4 : 5-9 = 0.9 : 0.1)" : "B (0.1 : 0.9)"}`);
      const net = mlpScoreNet(sde, [D], new Rng(100 + k), { width, depth: 3 });
      owned.push(net);
      const data = imagesToTensor(set.images, auxIdx[k], new Rng(200 + k));
      await trainScore(net, data, { steps: o.auxSteps, rng: new Rng(300 + k), batchSize: 128, signal: opts.signal });
      data.dispose();
      aux.push(net);
      await evaluate(net.score, `auxiliary-${k === 0 ? "A" : "B"}`, 0, null, new Rng(400 + k));
      done++;
    }
    for (const n of o.ns) {
      for (const seed of o.seeds) {
        throwIfAborted(opts.signal, FN, done, total);
        progress(`n = ${n}, seed ${seed}`);
        const r = new Rng(1000 * seed + n);
        const n1 = Math.round(0.6 * n);
        const pick = (list: number[], m: number) => Array.from(r.permutation(list.length).slice(0, m), (p) => list[p]);
        const data = imagesToTensor(set.images, [...pick(pool[0], n1), ...pick(pool[1], n - n1)], r.split());
        const fused = await fuse(aux, data, { rng: r.split(), samples: 2048, names: ["auxiliary-A", "auxiliary-B"] });
        weightsOut.push({ n, seed, weights: fused.weights });
        await evaluate(fused.score, "fused", seed, n, new Rng(2000 * seed + n));
        const own = mlpScoreNet(sde, [D], new Rng(3000 * seed + n), { width, depth: 3 });
        await trainScore(own, data, { steps: o.steps, rng: new Rng(4000 * seed + n), batchSize: Math.min(128, n), signal: opts.signal });
        await evaluate(own.score, "target-only", seed, n, new Rng(5000 * seed + n));
        own.dispose();
        data.dispose();
        done++;
      }
    }
  } finally {
    test.dispose();
    owned.forEach((x) => x.dispose());
  }
  opts.onProgress?.("done", total, total);
  const auxValues = ["A", "B"].map((k) => table.objects().find((x) => x.model === `auxiliary-${k}`)!.value);
  const base = metricFigure(table, o.ns, "bpd", ["fused", "target-only"], "Digits fusion study: held-out bits/dim", "bits/dim (17-level pixels)");
  const figure = { ...base, data: [...base.data, ...auxValues.map((v, k) => ({ type: "scatter", mode: "lines", name: `auxiliary-${k === 0 ? "A" : "B"}`, x: o.ns, y: o.ns.map(() => v), line: { dash: "dash", width: 1 } }))] };
  const summary = gapSummary(table, o.ns, [{ metric: "bpd", label: "bits/dim", lowerIsBetter: true }]) +
    ` Auxiliaries alone: ${auxValues.map((v) => v.toFixed(3)).join(" and ")} bits/dim.`;
  return { table, figure, figures: { bpd: figure }, summary, weights: weightsOut, seconds: (Date.now() - started) / 1000 };
}
