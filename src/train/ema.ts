/**
 * Exponential moving average of weights (Polyak & Juditsky 1992; used for sampling by Song & Ermon 2020 and Ho
 * et al. 2020). The decay warms up as min(decay, (1 + k) / (10 + k)) at update k (TensorFlow's
 * ExponentialMovingAverage with num_updates), so a short run is not dominated by the initial weights.
 */
import * as tf from "@tensorflow/tfjs";

/** The decay used at update number k (0-based). @example emaDecayAt(0.999, 0); // 0.1 */
export function emaDecayAt(decay: number, k: number): number {
  return Math.min(decay, (1 + k) / (10 + k));
}

/** ema <- d ema + (1 - d) w for each pair, in place. @example updateEma(model.ema, model.variables, 0.99); */
export function updateEma(ema: tf.Variable[], weights: tf.Tensor[], d: number): void {
  tf.tidy(() => {
    ema.forEach((e, i) => e.assign(tf.add(tf.mul(e, d), tf.mul(weights[i], 1 - d))));
  });
}
