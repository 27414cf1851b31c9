/**
 * 3x3 'same' patches (im2col) for convolutions written as one matMul (src/score/unet.ts).
 *
 * Measured here (U-Net on 28x28, batch 32, wasm): built from pad + nine slices + concat, the backward pass
 * splits the concat along the channel axis (wasm SplitV) and pads each slice gradient: 5.8 s of an 8.6 s step.
 * With the OpenBLAS addon active (src/tensor/blas.ts) the patches and their gradient (col2im) are one native
 * pass each; elsewhere the tfjs ops run.
 */
import * as tf from "@tensorflow/tfjs";
import { blasAddon } from "./blas";
import { checkRank, checkTensor } from "./validate";

const FORWARD = "ScorelabIm2col3x3";
const BACKWARD = "ScorelabCol2im3x3";

interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

let registered = false;

function kernel(backward: boolean): tf.KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const backend = b as unknown as WasmBackendLike;
    const addon = blasAddon();
    if (!addon) throw new Error(`${backward ? BACKWARD : FORWARD}: the OpenBLAS addon is not active`);
    const x = (inputs as { x: tf.TensorInfo }).x;
    const [n, h, w, c] = (attrs as unknown as { shape: number[] }).shape;
    const out = backend.makeOutput(backward ? [n, h, w, c] : [n * h * w, 9 * c], "float32");
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset!;
    addon.im2col3x3(backend.wasm.HEAPF32.buffer as ArrayBuffer, off(x), off(out), n, h, w, c, backward ? 1 : 0);
    return out;
  };
}

function register(): void {
  if (registered) return;
  tf.registerKernel({ kernelName: FORWARD, backendName: "wasm", kernelFunc: kernel(false) });
  tf.registerKernel({ kernelName: BACKWARD, backendName: "wasm", kernelFunc: kernel(true) });
  tf.registerGradient({
    kernelName: FORWARD,
    gradFunc: (dy, _saved, attrs) => ({
      x: () => tf.engine().runKernel(BACKWARD, { x: dy as tf.Tensor }, attrs as tf.NamedAttrMap) as tf.Tensor,
    }),
  });
  registered = true;
}

/** The tfjs-ops version: pad, nine shifted slices, concat. */
function im2colOps(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const cols: tf.Tensor4D[] = [];
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) cols.push(tf.slice(padded, [0, dy, dx, 0], [n, h, w, c]));
    return tf.reshape(tf.concat(cols, 3), [n * h * w, 9 * c]) as tf.Tensor2D;
  });
}

/**
 * x [n, h, w, c] -> [n h w, 9 c]: row (b, y, x) holds the 3x3 neighbourhood of pixel (y, x), ordered (dy, dx, c),
 * zero outside the image. Differentiable. `useNative = false` forces the tfjs-ops path (tests compare the two).
 * @example const cols = im2col3x3(tf.zeros([2, 8, 8, 4])); // [128, 36]
 */
export function im2col3x3(x: tf.Tensor4D, useNative = true): tf.Tensor2D {
  checkTensor(x, "x", "im2col3x3");
  checkRank(x, 4, "x", "im2col3x3");
  const native = useNative && x.dtype === "float32" && x.size > 0 && tf.getBackend() === "wasm" && blasAddon() !== null;
  if (!native) return im2colOps(x);
  register();
  return tf.engine().runKernel(FORWARD, { x }, { shape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
