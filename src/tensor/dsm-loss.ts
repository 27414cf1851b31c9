/**
 * The element-wise ends of the denoising score matching loss (Vincent 2011; Song et al. 2021, eq. 7), for
 * src/score/dsm-loss.ts: the perturbed sample x_t = a(t) x_0 + s(t) eps (the SDE's marginal, Song et al. 2021,
 * eq. 29) and the mean squared error E[w ||F - F*||^2] of the network's output.
 *
 * Why: on the torch backend each is one kernel each way (native/torch/ops_dsm.cc) where the tfjs ops are 17
 * dispatches per training step, each ~10 us of engine work around ~1 us of ATen on these small tensors. The kernels
 * run the same ATen functions in the same order as the ops, so the numbers are the same. Elsewhere (wasm, cpu, or
 * an addon built before these kernels) the tfjs ops run.
 */
import * as tf from "@tensorflow/tfjs";
import { torchServes } from "./torch/serves";
import { checkTensor, fail } from "./validate";

const PERTURB = "ScorelabDsmPerturb";
const SQUARED = "ScorelabDsmSquaredError";
const SQUARED_GRAD = "ScorelabDsmSquaredErrorGrad";
let registered = false;

/** [n, ...] -> [n, 1, ..., 1]: the shape a per-row factor broadcasts from. */
const rowShape = (x: tf.Tensor): number[] => [x.shape[0], ...x.shape.slice(1).map(() => 1)];

/** Reduces g to `shape` over the axes it was broadcast along (the rule of tfjs's own Multiply gradient). */
function unbroadcast(g: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, g.shape);
  return axes.length ? tf.reshape(tf.sum(g, axes), shape) : g;
}

function register(): void {
  if (registered) return;
  tf.registerGradient({
    kernelName: PERTURB,
    inputsToSave: ["x0", "eps", "a", "s"],
    gradFunc: (dy, saved) => {
      const [x0, eps, a, s] = saved;
      const d = dy as tf.Tensor, row = rowShape(x0);
      return {
        x0: () => tf.mul(d, tf.reshape(a, row)),
        eps: () => tf.mul(d, tf.reshape(s, row)),
        a: () => tf.reshape(unbroadcast(tf.mul(d, x0), row), a.shape),
        s: () => tf.reshape(unbroadcast(tf.mul(d, eps), row), s.shape),
      };
    },
  });
  tf.registerGradient({
    kernelName: SQUARED,
    saveAllInputs: true,
    gradFunc: (dy, saved) => {
      const [f, target, w] = saved;
      const dF = () => tf.engine().runKernel(SQUARED_GRAD, [dy as tf.Tensor, ...saved] as unknown as tf.NamedTensorMap) as tf.Tensor;
      const grads: (() => tf.Tensor)[] = [dF, () => tf.neg(dF())];
      // The weight is a function of t alone in the loss; its gradient is here for completeness.
      if (w) grads.push(() => unbroadcast(tf.mul(tf.div(dy as tf.Tensor, f.size), tf.square(tf.sub(f, target))), w.shape));
      return grads as unknown as Record<string, () => tf.Tensor>;
    },
  });
  registered = true;
}

/**
 * x_t = x0 a + eps s with per-row factors a, s [n] (the marginal's mean scale and std at each row's time) for
 * x0, eps [n, ...]. Differentiable in all four. `native: false` forces the tfjs ops (for tests).
 * @example const xt = dsmPerturb(x0, eps, scale, std);
 */
export function dsmPerturb(x0: tf.Tensor, eps: tf.Tensor, a: tf.Tensor, s: tf.Tensor, native = true): tf.Tensor {
  const fn = "dsmPerturb";
  checkTensor(x0, "x0", fn); checkTensor(eps, "eps", fn); checkTensor(a, "a", fn); checkTensor(s, "s", fn);
  if (!tf.util.arraysEqual(x0.shape, eps.shape)) fail(fn, "eps", `must be shaped like x0 [${x0.shape}], got [${eps.shape}]`);
  if (x0.rank < 1) fail(fn, "x0", "must have a batch axis (rank >= 1)");
  for (const [name, f] of [["a", a], ["s", s]] as const) {
    if (f.size !== x0.shape[0]) fail(fn, name, `must hold one factor per row (${x0.shape[0]}), got shape [${f.shape}]`);
  }
  if (native && x0.dtype === "float32" && torchServes(PERTURB)) {
    register();
    return tf.engine().runKernel(PERTURB, { x0, eps, a, s } as unknown as tf.NamedTensorMap) as tf.Tensor;
  }
  return tf.tidy(() => {
    const row = rowShape(x0);
    return tf.add(tf.mul(x0, tf.reshape(a, row)), tf.mul(eps, tf.reshape(s, row)));
  });
}

/**
 * mean((F - target)^2 [* w]) over every element, a scalar; w (optional) broadcasts against F (a per-row weight
 * [n, 1, ...] or F's shape). Differentiable in all three. `native: false` forces the tfjs ops (for tests).
 * @example const loss = dsmSquaredError(F, eps); // the eps-prediction loss of Ho et al. 2020
 */
export function dsmSquaredError(F: tf.Tensor, target: tf.Tensor, w?: tf.Tensor, native = true): tf.Scalar {
  const fn = "dsmSquaredError";
  checkTensor(F, "F", fn); checkTensor(target, "target", fn);
  if (!tf.util.arraysEqual(F.shape, target.shape)) fail(fn, "target", `must be shaped like F [${F.shape}], got [${target.shape}]`);
  if (w !== undefined) {
    checkTensor(w, "w", fn);
    const ok = w.rank <= F.rank && w.shape.every((d, i) => d === 1 || d === F.shape[F.rank - w.rank + i]);
    if (!ok) fail(fn, "w", `must broadcast against F [${F.shape}], got [${w.shape}]`);
  }
  if (native && F.dtype === "float32" && torchServes(SQUARED) && torchServes(SQUARED_GRAD)) {
    register();
    const inputs = w ? [F, target, w] : [F, target];
    return tf.engine().runKernel(SQUARED, inputs as unknown as tf.NamedTensorMap) as tf.Scalar;
  }
  return tf.tidy(() => {
    const err = tf.square(tf.sub(F, target));
    return tf.mean(w ? tf.mul(err, w) : err) as tf.Scalar;
  });
}
