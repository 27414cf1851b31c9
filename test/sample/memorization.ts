/** The empirical-optimal-score memorization setting shared by the heun and ddim tests (not a test file). */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { vpSDE } from "../../src/sde/sde";
import type { SDE } from "../../src/sde/types";
import { empiricalScore } from "../../src/score/exact";

/** 16 training points of N(0, I) in the plane and their empirical optimal score under the VP SDE. */
export async function memorizationSetting(): Promise<{ sde: SDE; data: tf.Tensor2D; m: ReturnType<typeof empiricalScore> }> {
  await initBackend();
  const sde = vpSDE();
  const data = new Rng(21).normal([16, 2]) as tf.Tensor2D;
  return { sde, data, m: empiricalScore(sde, data) };
}


export /** Distance from each sample to its nearest training point. */
function nearest(x: tf.Tensor, data: tf.Tensor): number[] {
  const xs = x.arraySync() as number[][], ys = data.arraySync() as number[][];
  return xs.map((p) => Math.min(...ys.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1]))));
}
