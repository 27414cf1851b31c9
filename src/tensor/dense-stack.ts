/**
 * A stack of dense layers as one kernel each way on the torch backend (native/torch/ops_dense_stack.cc).
 *
 * Why: the score MLP of the paper studies is small (width 128, batches of 128), so a training step was most of
 * all tfjs engine work — about 200 kernel calls, of which the stack's products, activations and their gradients
 * were some forty. As one forward kernel that also returns the pre-activations, and one backward kernel, they
 * are two. Elsewhere (wasm, cpu, or an addon built before this kernel) `denseStackKernel` returns null and the
 * caller runs the tfjs ops.
 */
import * as tf from "@tensorflow/tfjs";
import { torchServes } from "./torch/serves";

const FORWARD = "ScorelabDenseStack";
const BACKWARD = "ScorelabDenseStackGrad";
export const DENSE_STACK_ACTIVATIONS = ["silu", "relu", "tanh", "elu"] as const;
export type DenseStackActivation = (typeof DENSE_STACK_ACTIVATIONS)[number];

// tfjs saves the outputs flagged here for the gradient: all but the first (the stack's output itself), for any
// depth up to this many layers.
const MAX_OUTPUTS = 64;
let registered = false;

interface TrackedTensor extends tf.Tensor { kept: boolean }

/**
 * tfjs calls one gradient function per input, each inside its own tidy, but the weights' gradients come out of one
 * kernel. The first weight asked for runs it and keeps the others alive (tf.keep) until asked for; each is then
 * handed back to tfjs's scopes (kept cleared, tracked again) so that a caller's tidy frees it as it would any
 * gradient. Gradients no one asks for (a subset of weights on the path) are freed once the backward pass is over.
 */
function weightGradients(run: () => tf.Tensor[]): (j: number) => tf.Tensor {
  let grads: TrackedTensor[] | null = null;
  const handed = new Set<number>();
  return (j) => {
    if (!grads) {
      grads = run() as TrackedTensor[];
      grads.forEach((g) => tf.keep(g));
      queueMicrotask(() => grads!.forEach((g, k) => { if (!handed.has(k)) g.dispose(); }));
    }
    const g = grads[j];
    handed.add(j);
    g.kept = false;
    // Engine.track is private in tfjs's types but is the method tidy itself uses to adopt a tensor.
    (tf.engine() as unknown as { track(t: tf.Tensor): void }).track(g);
    return g;
  };
}

function register(): void {
  if (registered) return;
  tf.registerGradient({
    kernelName: FORWARD,
    saveAllInputs: true,
    outputsToSave: [false, ...new Array<boolean>(MAX_OUTPUTS - 1).fill(true)],
    gradFunc: (dys, saved, attrs) => {
      const dy = (dys as tf.Tensor[])[0];
      const a = attrs as unknown as { depth: number; activation: string };
      const inputs = 2 * (a.depth + 1) + 1;
      const args = [dy, ...saved];
      const call = (mode: "input" | "weights") => tf.engine().runKernel(BACKWARD, args as unknown as tf.NamedTensorMap, { ...a, mode } as unknown as tf.NamedAttrMap);
      const weight = weightGradients(() => call("weights") as tf.Tensor[]);
      const grads: (() => tf.Tensor)[] = [() => call("input") as tf.Tensor];
      for (let j = 1; j < inputs; j++) grads.push(() => weight(j - 1));
      return grads as unknown as Record<string, () => tf.Tensor>;
    },
  });
  registered = true;
}

/**
 * h [n, k] through `depth` dense layers with activation `act` and a linear output layer (weights [W0, b0, W1, b1,
 * ...]) as one kernel, or null where the active backend has no such kernel. Differentiable in h and every weight.
 * @example const out = denseStackKernel(h, weights, 3, "silu") ?? slowPath();
 */
export function denseStackKernel(h: tf.Tensor2D, w: tf.Tensor[], depth: number, act: string): tf.Tensor2D | null {
  if (!(DENSE_STACK_ACTIVATIONS as readonly string[]).includes(act) || depth < 1 || depth + 1 > MAX_OUTPUTS) return null;
  if (h.dtype !== "float32" || h.rank !== 2 || !torchServes(FORWARD) || !torchServes(BACKWARD)) return null;
  register();
  // Weights past the stack's (a label embedding, say) are the caller's own.
  const outs = tf.engine().runKernel(FORWARD, [h, ...w.slice(0, 2 * (depth + 1))] as unknown as tf.NamedTensorMap, { depth, activation: act } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  // The pre-activations are saved for the gradient (as shared storage); the caller's tidy frees these handles.
  return outs[0] as tf.Tensor2D;
}
