/**
 * Sampling benchmark: Euler–Maruyama on the reverse VP SDE for 10,000 2-D particles with the exact score of an
 * 8-mode Gaussian mixture (the network-score version is benchmarked with the score networks).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../src/tensor";
import { vpSDE } from "../src/sde";
import { mixtureScore } from "../src/score/exact";
import { eulerMaruyama } from "../src/sample";
import { GaussianMixture } from "../src/data/gmm";
import type { BenchRow } from "./table";

/**
 * Times `steps` Euler–Maruyama steps (500; 50 with quick) on 10,000 particles, one run after a short warm-up.
 * @example const rows = await benchSampling({ quick: true });
 */
export async function benchSampling(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const steps = opts.quick ? 50 : 500;
  const n = 10000;
  const k = 8;
  const gmm = new GaussianMixture({
    weights: new Array(k).fill(1 / k),
    means: Array.from({ length: k }, (_, j) => [4 * Math.cos((2 * Math.PI * j) / k), 4 * Math.sin((2 * Math.PI * j) / k)]),
    covs: Array.from({ length: k }, () => [[0.1, 0], [0, 0.1]]),
  });
  const sde = vpSDE();
  const model = mixtureScore(sde, gmm);
  tf.dispose(await eulerMaruyama(model.score, sde, { n, steps: 5, rng: new Rng(0), shape: [2] }));
  const before = tf.memory().numTensors;
  const t0 = process.hrtime.bigint();
  const x = await eulerMaruyama(model.score, sde, { n, steps, rng: new Rng(1), shape: [2] });
  x.dataSync();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  tf.dispose(x);
  const leaked = tf.memory().numTensors - before;
  return [{
    workload: `${steps} Euler–Maruyama steps, ${n.toLocaleString("en")} 2-D particles, exact ${k}-mode GMM score`,
    scorelab: `${seconds.toFixed(2)} s`,
    note: `${(steps / seconds).toFixed(0)} steps/s${leaked ? `; ${leaked} tensors leaked` : ""}`,
  }];
}
