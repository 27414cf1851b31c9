/**
 * The Gaussian Fourier time embedding [sin(2 pi w c), cos(2 pi w c)] (Tancik et al. 2020; Song et al. 2021's noise
 * embedding) as one kernel on the torch backend (native/torch/ops_time_embedding.cc), for src/score/time-embedding.ts.
 *
 * Why: every training and sampling step embeds its times; as tfjs ops that is six dispatches (the 2 pi scaling, the
 * outer product, sin, cos, concat and a reshape) on small tensors, each ~10 us of engine work. The kernel runs the
 * same ATen functions in the same order, so the embedding is the same bit for bit. Elsewhere (wasm, cpu, or an
 * addon built before this kernel) `fourierEmbedKernel` returns null and the caller runs the tfjs ops.
 */
import * as tf from "@tensorflow/tfjs";
import { torchServes } from "./torch/serves";

const KERNEL = "ScorelabFourierEmbed";
let registered = false;

function register(): void {
  if (registered) return;
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ["c", "w"],
    // d/dc of sin(c v) and cos(c v), v = 2 pi w: v cos(c v) and -v sin(c v), summed over the frequencies.
    gradFunc: (dy, saved) => {
      const [c, w] = saved;
      const d = dy as tf.Tensor2D, k = w.shape[1] as number;
      const v = () => tf.mul(w, 2 * Math.PI);
      const col = () => tf.reshape(c, [-1, 1]);
      // d(embedding)/d(argument), contracted with dy: ds cos(c v) - dc sin(c v), [n, k]; both inputs' gradients scale it.
      const inner = () => {
        const arg = tf.mul(col(), v());
        const [ds, dc] = tf.split(d, [k, k], 1);
        return tf.sub(tf.mul(ds, tf.cos(arg)), tf.mul(dc, tf.sin(arg)));
      };
      return {
        c: () => tf.reshape(tf.sum(tf.mul(inner(), v()), 1), c.shape),
        w: () => tf.mul(tf.sum(tf.mul(inner(), col()), 0, true), 2 * Math.PI),
      };
    },
  });
  registered = true;
}

/**
 * c [n] (or [n, 1]) and frequencies w [1, k] -> [sin(2 pi c w), cos(2 pi c w)] [n, 2k] as one kernel, or null where
 * the active backend has no such kernel. Differentiable in c and w.
 * @example const e = fourierEmbedKernel(c, w) ?? slowPath();
 */
export function fourierEmbedKernel(c: tf.Tensor, w: tf.Tensor2D): tf.Tensor2D | null {
  if (c.dtype !== "float32" || w.dtype !== "float32" || w.rank !== 2 || w.shape[0] !== 1 || !torchServes(KERNEL)) return null;
  register();
  return tf.engine().runKernel(KERNEL, { c, w } as unknown as tf.NamedTensorMap) as tf.Tensor2D;
}
