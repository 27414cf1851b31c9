/**
 * One (n, seed) cell of the digits study (study-digits.ts) and the fixed data split every cell shares, so that the
 * cell runs the same in the study's process and as a sweep trial (trials.ts) that loads the auxiliaries from
 * checkpoints. Every random draw of a cell is seeded from (n, seed) alone: a cell's rows do not depend on where or
 * after what it runs.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";
import { readDigits } from "../data";
import { ScoreNet, mlpScoreNet } from "../score";
import type { ResultRow } from "../table";
import { fuse } from "./fuse";
import { convergedLikelihood } from "../sample/converged-likelihood";
import { trainEarlyStopped } from "../score/early-stopping";
import { cloneScoreNet } from "../score/copy-weights";
import { histogramBitsPerDim } from "./references";
import { recordStop, splitTarget, weightFit } from "./study-common";
import type { FusionCell } from "./seeds-on-sweep";

export const D = 64;
export const LEVELS = 17;
const OFFSET_BITS = Math.log2(LEVELS / 2);
export const BASELINES = ["target-only", "fine-tuned", "pooled"];
/** Likelihood convergence: RK4 steps doubled until the mean bits/dim change by less than this. */
export const LIKELIHOOD_TOL_BPD = 0.01;
const BASE = { experiment: "fusion-digits", dataset: "digits-8x8" };

/** Dequantised, scaled rows of the chosen images: [idx.length, 64]. */
export function imagesToTensor(images: Uint8Array, idx: number[], rng: Rng): tf.Tensor2D {
  const out = new Float32Array(idx.length * D);
  const u = rng.uniformArray(idx.length * D);
  idx.forEach((r, i) => {
    for (let j = 0; j < D; j++) out[i * D + j] = (2 * (images[r * D + j] + u[i * D + j])) / LEVELS - 1;
  });
  return tf.tensor2d(out, [idx.length, D]);
}

/** The fixed split of the bundled digits: auxiliary, pooled, held-out test and target-pool image indices. */
export function digitsSplit(testSize: number) {
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
  const minor = Math.round(groups[0].aux.length / 9);
  const auxIdx = [
    [...groups[0].aux, ...groups[1].aux.slice(0, minor)],
    [...groups[0].aux.slice(0, minor), ...groups[1].aux],
  ];
  const pooledIdx = [...groups[0].aux, ...groups[1].aux];
  const rows = (idx: number[]) => idx.map((r) => set.images.subarray(r * D, (r + 1) * D));
  return { set, testIdx, pool, nMax, auxIdx, pooledIdx, rows };
}

/** What a cell is handed: the split, the trained auxiliaries A, B and the pooled warm start, their bits/dim. */
export interface DigitsCellContext {
  sde: SDE;
  split: ReturnType<typeof digitsSplit>;
  /** Held-out test images (dequantised with Rng(5)). */
  test: tf.Tensor2D;
  /** The auxiliaries' data pooled (dequantised with Rng(203)). */
  pooledData: tf.Tensor2D;
  aux: ScoreNet[];
  pooledNet: ScoreNet;
  auxBpd: number[];
  width: number;
  steps: number;
  tuneSteps: number;
}

/** Held-out bits/dim of 17-level pixels (the dequantization offset added), its ODE steps and whether it converged. */
export async function digitsBpd(score: ScoreFn, sde: SDE, test: tf.Tensor, probeSeed: number, signal?: AbortSignal) {
  const ll = await convergedLikelihood(score, sde, test, { tol: LIKELIHOOD_TOL_BPD, rng: new Rng(probeSeed), signal });
  return { value: ll.bitsPerDim + OFFSET_BITS, steps: ll.steps, converged: ll.converged };
}

export const digitsNet = (sde: SDE, seed: number, width: number) => mlpScoreNet(sde, [D], new Rng(seed), { width, depth: 3 });

/**
 * Runs one cell: n target images drawn at 0.6:0.4 and split 80/20; fused (Liu et al. 2025, eq. 6), best
 * auxiliary, target-only, fine-tuned and pooled (the last three early-stopped on the 20 %), and the histogram.
 */
export async function digitsCell(c: DigitsCellContext, n: number, seed: number, signal?: AbortSignal): Promise<FusionCell> {
  const { set, pool, testIdx, rows: imgRows } = c.split;
  const r = new Rng(1000 * seed + n);
  const n1 = Math.round(0.6 * n);
  const pick = (list: number[], m: number) => Array.from(r.permutation(list.length).slice(0, m), (p) => list[p]);
  const chosen = [...pick(pool[0], n1), ...pick(pool[1], n - n1)];
  const order = Array.from(r.permutation(n), (p) => chosen[p]);
  const { fit } = splitTarget(n);
  const fitIdx = order.slice(0, fit);
  const fitX = imagesToTensor(set.images, fitIdx, r.split());
  const valX = imagesToTensor(set.images, order.slice(fit), r.split());
  const cell = { ...BASE, seed, n };
  const out: FusionCell = { n, seed, rows: [], weights: [], unconverged: 0 };
  // Common random numbers: every model of a cell is scored with the same Hutchinson probes, so its paired
  // differences carry no probe noise; one probe per image moves a model's bits/dim by up to ~0.1 between probe seeds
  // (auxiliary A: 3.950 and 3.859 under two seeds, measured), which a reference scored once would hide.
  const probes = 2000 * seed + n;
  const evaluate = async (score: ScoreFn, model: string, extra: Record<string, string> = {}) => {
    const b = await digitsBpd(score, c.sde, c.test, probes, signal);
    if (!b.converged) out.unconverged++;
    out.rows.push({ ...cell, model, metric: "bpd", value: b.value, ode_steps: b.steps, ...extra });
  };
  try {
    out.rows.push({ ...cell, model: "histogram", metric: "bpd", value: histogramBitsPerDim(imgRows(fitIdx), imgRows(testIdx), { levels: LEVELS }) });
    const fuseOpts = { samples: 2048, names: ["auxiliary-A", "auxiliary-B"] };
    const fused = await fuse(c.aux, fitX, { ...fuseOpts, rng: r.split() });
    out.weights = fused.weights;
    out.fit = await weightFit(fused, c.aux, fitX, fuseOpts, new Rng(6000 * seed + n));
    await evaluate(fused.score, "fused");
    // The auxiliary a practitioner would pick from the target images alone: lower DSM loss on them.
    const best = fused.diagnostics.lossPerModel[0] <= fused.diagnostics.lossPerModel[1] ? 0 : 1;
    await evaluate(c.aux[best].score, "best-auxiliary", { picked: best === 0 ? "A" : "B" });
    const warm = (from: ScoreNet) => () => cloneScoreNet(from);
    const runs: [string, () => ScoreNet, () => tf.Tensor, number, number | undefined][] = [
      ["target-only", () => digitsNet(c.sde, 3000 * seed + n, c.width), () => fitX, c.steps, undefined],
      ["fine-tuned", warm(c.aux[best]), () => fitX, c.tuneSteps, 3e-4],
      ["pooled", warm(c.pooledNet), () => tf.concat([c.pooledData, fitX]), c.tuneSteps, 3e-4],
    ];
    for (const [i, [model, make, dataOf, maxSteps, lr]] of runs.entries()) {
      const m = make();
      const data = dataOf();
      try {
        const es = await trainEarlyStopped(m, data, valX, { maxSteps, lr, rng: new Rng(4000 * seed + 10 * n + i), batchSize: 128, signal });
        recordStop(out, model, es);
        if (signal?.aborted) return out;
        await evaluate(m.score, model);
      } finally {
        m.dispose();
        if (data !== fitX) data.dispose();
      }
    }
  } finally {
    tf.dispose([fitX, valX]);
  }
  return out;
}
