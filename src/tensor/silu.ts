/**
 * SiLU x sigmoid(x) (Elfwing et al. 2018) as one kernel, with its gradient as one kernel, on the wasm backend
 * while the OpenBLAS addon is active (src/tensor/blas.ts).
 *
 * Measured here (W1 training step, wasm): written as tf.mul(x, tf.sigmoid(x)) the activation costs a Sigmoid
 * and a Multiply forward and three more Multiplies backward per layer, each a pass over a 512 x 256 tensor and
 * a kernel dispatch; fused it is one pass each way. On the torch backend the same two kernels are ATen's silu and
 * silu_backward (native/torch/ops_fused.cc). Elsewhere the tfjs ops run.
 */
import * as tf from "@tensorflow/tfjs";
import { blasAddon } from "./blas";
import { checkTensor } from "./validate";
import { torchServes } from "./torch/serves";

const FORWARD = "ScorelabSilu";
const BACKWARD = "ScorelabSiluGrad";

interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

let registered = false;

function register(): void {
  if (registered) return;
  const run = (x: tf.TensorInfo, dy: tf.TensorInfo | null, b: tf.KernelBackend): tf.TensorInfo => {
    const backend = b as unknown as WasmBackendLike;
    const addon = blasAddon();
    if (!addon) throw new Error(`${FORWARD}: the OpenBLAS addon is not active`);
    const out = backend.makeOutput(x.shape, "float32");
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset!;
    addon.silu(backend.wasm.HEAPF32.buffer as ArrayBuffer, off(x), dy ? off(dy) : -1, off(out), tf.util.sizeFromShape(x.shape));
    return out;
  };
  tf.registerKernel({ kernelName: FORWARD, backendName: "wasm", kernelFunc: ({ inputs, backend }) => run((inputs as { x: tf.TensorInfo }).x, null, backend as tf.KernelBackend) });
  tf.registerKernel({
    kernelName: BACKWARD, backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => { const i = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }; return run(i.x, i.dy, backend as tf.KernelBackend); },
  });
  tf.registerGradient({
    kernelName: FORWARD,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => ({ x: () => tf.engine().runKernel(BACKWARD, { x: saved[0], dy: dy as tf.Tensor }) as tf.Tensor }),
  });
  registered = true;
}

/**
 * x sigmoid(x), elementwise; differentiable. `useNative = false` forces the tfjs-ops path.
 * @example silu(tf.tensor1d([-1, 0, 2])).print(); // [-0.2689, 0, 1.7616]
 */
export function silu<T extends tf.Tensor>(x: T, useNative = true): T {
  checkTensor(x, "x", "silu");
  const native = useNative && x.dtype === "float32" && x.size > 0 && ((tf.getBackend() === "wasm" && blasAddon() !== null) || torchServes(FORWARD));
  if (!native) return tf.tidy(() => tf.mul(x, tf.sigmoid(x))) as T;
  register();
  return tf.engine().runKernel(FORWARD, { x }) as T;
}
