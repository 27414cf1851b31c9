/**
 * The exact score of an empirical distribution (1/m) sum_j delta_{y_j} diffused by an SDE:
 * p_t = (1/m) sum_j N(a y_j, s^2 I), score (a sum_j w_j y_j - x) / s^2, w = softmax_j(-|x - a y_j|^2 / (2 s^2)),
 * and the posterior mean (Tweedie) E[x_0 | x_t = x] = sum_j w_j y_j. This is the minimiser of the DSM loss on
 * the training set, which memorizes (Yi, Sun, Li 2023, "On the Generalization of Diffusion Model", Sec. 3).
 *
 * Computed stably: |x|^2 is common to every j and drops out of the softmax, so the logits are
 * (a x.y_j - a^2 |y_j|^2 / 2) / s^2; the softmax-weighted sum is accumulated over chunks of the data with a
 * running maximum (online log-sum-exp), and over blocks of rows, so a 10k x 10k evaluation never holds more than
 * `maxElements` logits at once.
 */
import * as tf from "@tensorflow/tfjs";
import { checkFiniteTensor, checkNumber, checkTensor, fail } from "../../tensor";
import { ExactScoreModel, checkCall, checkSDE } from "./common";
import type { SDE } from "../../sde/types";

export interface EmpiricalOptions {
  /** Training points per chunk (default 2048). */
  chunk?: number;
  /** Most logits held at once, rows x chunk (default 2^22, 16 MB). */
  maxElements?: number;
}

/** E[x_0 | x_t] under the empirical distribution, with its data. */
export interface EmpiricalDenoiser {
  sde: SDE;
  /** x [n, d], t [n] -> E[x_0 | x_t = x], [n, d]. */
  denoise(x: tf.Tensor, t: tf.Tensor): tf.Tensor2D;
  /** Frees the copy of the data. */
  dispose(): void;
}

interface Chunk { YT: tf.Tensor2D; Y: tf.Tensor2D; yy: tf.Tensor2D }

function prepare(sde: SDE, data: tf.Tensor2D, opts: EmpiricalOptions, fn: string) {
  checkSDE(sde, fn);
  checkTensor(data, "data", fn);
  if (data.rank !== 2 || data.shape[0] < 1 || data.shape[1] < 1) fail(fn, "data", `must be a non-empty rank-2 tensor [m, d], got shape [${data.shape}]`);
  checkFiniteTensor(data, "data", fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const chunk = checkNumber(opts.chunk ?? 2048, "chunk", fn, { integer: true, min: 1 });
  const maxElements = checkNumber(opts.maxElements ?? 1 << 22, "maxElements", fn, { integer: true, min: 1 });
  const [m, d] = data.shape;
  const chunks: Chunk[] = [];
  for (let start = 0; start < m; start += chunk) {
    const size = Math.min(chunk, m - start);
    chunks.push(tf.tidy(() => {
      const Y = tf.slice(data, [start, 0], [size, d]);
      return { Y: tf.clone(Y) as tf.Tensor2D, YT: tf.transpose(Y) as tf.Tensor2D, yy: tf.reshape(tf.sum(tf.square(Y), 1), [1, size]) as tf.Tensor2D };
    }));
  }
  const rowsPerBlock = Math.max(1, Math.floor(maxElements / Math.min(chunk, m)));
  let disposed = false;

  /** sum_j w_j y_j for rows x [r, d] with per-row a, s^2 ([r, 1]). Disposes its intermediates chunk by chunk. */
  const block = (x: tf.Tensor2D, a: tf.Tensor2D, s2: tf.Tensor2D): tf.Tensor2D => {
    const r = x.shape[0];
    // Row factors folded in once, so each chunk costs one product and one broadcast subtraction on [r, c].
    const [xs, coef] = tf.tidy(() => [tf.mul(x, tf.div(a, s2)), tf.div(tf.mul(0.5, tf.square(a)), s2)]);
    let M: tf.Tensor2D = tf.fill([r, 1], -Infinity) as tf.Tensor2D;
    let S: tf.Tensor2D = tf.zeros([r, 1]);
    let W: tf.Tensor2D = tf.zeros([r, d]);
    for (const c of chunks) {
      const next = tf.tidy(() => {
        const logits = tf.sub(tf.matMul(xs, c.YT), tf.mul(coef, c.yy));
        const M2 = tf.maximum(M, tf.max(logits, 1, true));
        const decay = tf.exp(tf.sub(M, M2));
        const e = tf.exp(tf.sub(logits, M2));
        const S2 = tf.add(tf.mul(S, decay), tf.sum(e, 1, true));
        const W2 = tf.add(tf.mul(W, decay), tf.matMul(e, c.Y));
        return [M2, S2, W2] as tf.Tensor2D[];
      });
      tf.dispose([M, S, W]);
      [M, S, W] = next;
    }
    const out = tf.div(W, S) as tf.Tensor2D;
    tf.dispose([M, S, W, xs, coef]);
    return out;
  };

  /** Posterior mean for x [n, d]: a, s^2 from the SDE, rows processed in blocks. */
  const posteriorMean = (x: tf.Tensor, t: tf.Tensor, f: string): { mean: tf.Tensor2D; a: tf.Tensor2D; s2: tf.Tensor2D } => {
    if (disposed) fail(f, "model", "was disposed");
    checkCall(x, t, d, f);
    const n = x.shape[0];
    const { a, s2 } = tf.tidy(() => {
      const { scale, std } = sde.marginal(t);
      return { a: tf.reshape(scale, [n, 1]) as tf.Tensor2D, s2: tf.reshape(tf.square(std), [n, 1]) as tf.Tensor2D };
    });
    if (n <= rowsPerBlock) return { mean: block(x as tf.Tensor2D, a, s2), a, s2 };
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += rowsPerBlock) {
      const size = Math.min(rowsPerBlock, n - start);
      const [xb, ab, sb] = tf.tidy(() => [tf.slice(x, [start, 0], [size, d]), tf.slice(a, [start, 0], [size, 1]), tf.slice(s2, [start, 0], [size, 1])] as tf.Tensor2D[]);
      parts.push(block(xb, ab, sb));
      tf.dispose([xb, ab, sb]);
    }
    const mean = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return { mean, a, s2 };
  };
  const dispose = () => {
    if (disposed) return;
    for (const c of chunks) tf.dispose([c.Y, c.YT, c.yy]);
    disposed = true;
  };
  return { d, posteriorMean, dispose };
}

/**
 * Exact score model of the empirical distribution of `data` ([m, d]) diffused by `sde`. Returns an
 * ExactScoreModel (score, variables [], dispose() frees its copy of the data) that also has `denoise`.
 * @example const m = empiricalScore(vpSDE(), train); const s = m.score(x, t); m.dispose();
 */
export function empiricalScore(sde: SDE, data: tf.Tensor2D, opts: EmpiricalOptions = {}): ExactScoreModel & Pick<EmpiricalDenoiser, "denoise"> {
  const core = prepare(sde, data, opts, "empiricalScore");
  return {
    sde,
    variables: [],
    score(x, t) {
      const { mean, a, s2 } = core.posteriorMean(x, t, "empiricalScore.score");
      const out = tf.tidy(() => tf.div(tf.sub(tf.mul(a, mean), x), s2));
      tf.dispose([mean, a, s2]);
      return out;
    },
    denoise(x, t) {
      const { mean, a, s2 } = core.posteriorMean(x, t, "empiricalScore.denoise");
      tf.dispose([a, s2]);
      return mean;
    },
    dispose: core.dispose,
  };
}

/**
 * The empirical optimal denoiser E[x_0 | x_t] (the posterior mean under the empirical distribution of `data`).
 * Returns an EmpiricalDenoiser ({ sde, denoise(x, t), dispose() }).
 * @example const D = empiricalDenoiser(vpSDE(), train); const x0 = D.denoise(x, t); D.dispose();
 */
export function empiricalDenoiser(sde: SDE, data: tf.Tensor2D, opts: EmpiricalOptions = {}): EmpiricalDenoiser {
  const core = prepare(sde, data, opts, "empiricalDenoiser");
  return {
    sde,
    denoise(x, t) {
      const { mean, a, s2 } = core.posteriorMean(x, t, "empiricalDenoiser.denoise");
      tf.dispose([a, s2]);
      return mean;
    },
    dispose: core.dispose,
  };
}
