/**
 * Transposed matmul fix for the wasm backend.
 *
 * Measured here (tfjs 4.22, wasm, SIMD): tf.matMul with transposeA or transposeB set runs 7-13x slower than an
 * explicit transpose followed by a plain product (512x256 by 256x256: 24-47 ms against 3.5 ms). The backward
 * pass of every dense layer hits that case. We re-register the wasm BatchMatMul and _FusedMatMul kernels so that
 * a transposed operand is first transposed by the wasm Transpose kernel and then multiplied plainly.
 */
import * as tf from "@tensorflow/tfjs";

type KernelFunc = tf.KernelConfig["kernelFunc"];
const PATCHED = new Set<string>();

/**
 * A faster product tried before the transpose fix (src/tensor/blas.ts installs one): returns the output, or null
 * for a case it does not handle, which then takes the fixed wasm path.
 */
export type MatmulAccelerator = (kernel: "BatchMatMul" | "_FusedMatMul", args: Parameters<KernelFunc>[0]) => tf.TensorInfo | null;
let accelerator: MatmulAccelerator | null = null;

/** Sets (or with null removes) the accelerator the patched kernels try first. @example setMatmulAccelerator(null); */
export function setMatmulAccelerator(fn: MatmulAccelerator | null): void {
  accelerator = fn;
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 1], perm[rank - 2]] = [perm[rank - 2], perm[rank - 1]];
  return perm;
}

function wrap(name: string, original: KernelFunc, transposeFunc: KernelFunc): KernelFunc {
  return (args) => {
    if (accelerator) {
      const out = accelerator(name as "BatchMatMul" | "_FusedMatMul", args);
      if (out) return out;
    }
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const backend = args.backend as tf.KernelBackend;
    const inputs = { ...args.inputs } as Record<string, tf.TensorInfo>;
    const temps: tf.TensorInfo[] = [];
    const flip = (key: "a" | "b") => {
      const x = inputs[key];
      const t = transposeFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
      temps.push(t);
      inputs[key] = t;
    };
    if (attrs.transposeA) flip("a");
    if (attrs.transposeB) flip("b");
    try {
      return original({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Installs the fix on the wasm backend's matmul kernels. Idempotent. Returns the kernel names patched.
 * `enabled = false` restores the original kernels (used by the benchmark and the equality test).
 */
export function setWasmTransposeFix(enabled: boolean): string[] {
  const names = ["BatchMatMul", "_FusedMatMul"];
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!transpose) return [];
  const done: string[] = [];
  for (const name of names) {
    const current = tf.getKernel(name, "wasm") as (tf.KernelConfig & { original?: KernelFunc }) | undefined;
    if (!current) continue;
    const isPatched = PATCHED.has(name);
    if (enabled === isPatched) { done.push(name); continue; }
    const original = isPatched ? current.original! : current.kernelFunc;
    tf.unregisterKernel(name, "wasm");
    const config: tf.KernelConfig & { original?: KernelFunc } = enabled
      ? { ...current, kernelFunc: wrap(name, original, transpose.kernelFunc), original }
      : { kernelName: name, backendName: "wasm", setupFunc: current.setupFunc, kernelFunc: original };
    tf.registerKernel(config);
    if (enabled) PATCHED.add(name); else PATCHED.delete(name);
    done.push(name);
  }
  return done;
}

/** Whether the transposed-matmul fix is currently installed. */
export function wasmTransposeFixEnabled(): boolean {
  return PATCHED.has("BatchMatMul");
}
