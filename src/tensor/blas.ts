/**
 * Optional OpenBLAS path for the wasm backend (native/scorelab_blas.c, built at install by
 * scripts/build-native.js where libopenblas-dev and a compiler are present).
 *
 * Measured here (PERF-NOTES.md): the wasm BatchMatMul reaches 32 GFLOP/s on one core, OpenBLAS sgemm 213, and
 * a DSM step of the 2-D MLP is almost all matmul. The wasm backend keeps each tensor at a byte offset of one
 * ArrayBuffer (the wasm memory), so the addon runs sgemm on that memory in place: no copies. The products go
 * through the accelerator hook of the patched matmul kernels (matmul-fix.ts), so a case the addon does not take
 * (non-float32, prelu, a bias that is not one row, odd batch broadcasting) still runs the wasm kernel. Bias
 * gradients are column sums that the wasm Sum kernel computes through a transpose; the addon sums a contiguous
 * block of axes directly, so Sum is re-registered the same way.
 * SCORELAB_BLAS=0 keeps the plain wasm kernels; SCORELAB_BLAS_THREADS sets OpenBLAS's threads (default: OpenBLAS's
 * own, one per core). That is what PyTorch gets too: Debian's torch (BLAS_INFO=generic) leaves OpenBLAS at one
 * thread per core even under torch.set_num_threads(1) (measured: openblas_get_num_threads() = 2 in its process),
 * and a 10000x256 by 256x256 product took 13.3 ms here on one thread against 6.9 ms on two and 7.0 ms in torch.
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { setMatmulAccelerator, setWasmTransposeFix, wasmTransposeFixEnabled, MatmulAccelerator } from "./matmul-fix";

/** The addon's functions (see native/scorelab_blas.c for the argument order). */
export interface BlasAddon {
  gemm(buf: ArrayBuffer, batch: number, m: number, n: number, k: number, transA: number, transB: number,
    aOff: number, aStride: number, bOff: number, bStride: number, cOff: number, biasOff: number, act: number, alpha: number): void;
  sumBlock(buf: ArrayBuffer, xOff: number, outOff: number, outer: number, reduce: number, inner: number): void;
  sumSquares(buf: ArrayBuffer, off: number, n: number): number;
  adam(buf: ArrayBuffer, n: number, wOff: number, gOff: number, mOff: number, vOff: number, wOut: number, mOut: number, vOut: number,
    emaOff: number, emaOut: number, factor: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number, decay: number): void;
  im2col3x3(buf: ArrayBuffer, xOff: number, outOff: number, n: number, h: number, w: number, c: number, backward: number): void;
  silu(buf: ArrayBuffer, xOff: number, dyOff: number, outOff: number, n: number): void;
  groupNorm(buf: ArrayBuffer, xOff: number, gammaOff: number, betaOff: number, yOff: number, n: number, hw: number, c: number, groups: number,
    eps: number, dyOff: number, dxOff: number, dgOff: number, dbOff: number): void;
  setThreads(n: number): void;
  getThreads(): number;
}

export interface BlasStatus {
  /** Whether products and sums on the wasm backend go through OpenBLAS now. */
  active: boolean;
  /** Why not, when not active. */
  reason?: string;
  /** OpenBLAS threads, when loaded. */
  threads?: number;
}

interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

type KernelFunc = tf.KernelConfig["kernelFunc"];

const ADDON_PATH = path.join(__dirname, "..", "..", "..", "native", "build", "Release", "scorelab_blas.node");

/** Loads the built addon; null (with the reason) when it is absent or does not load. */
export function loadBlasAddon(file: string = ADDON_PATH): { addon: BlasAddon | null; reason?: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as BlasAddon;
    if (["gemm", "sumBlock", "sumSquares", "adam", "im2col3x3", "silu", "groupNorm", "setThreads", "getThreads"].some((f) => typeof (addon as unknown as Record<string, unknown>)[f] !== "function")) {
      return { addon: null, reason: "addon is out of date (rebuild with node scripts/build-native.js)" };
    }
    return { addon };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { addon: null, reason: /Cannot find module/.test(msg) ? "addon not built (needs libopenblas-dev and a C compiler at install)" : `addon failed to load: ${msg}` };
  }
}

const ACT: Record<string, number> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 };

function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number | null {
  const off = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  return off === null || off === undefined ? null : off;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The accelerator for BatchMatMul and _FusedMatMul; null for the cases left to the wasm kernel. */
function matmulAccelerator(addon: BlasAddon): MatmulAccelerator {
  return (kernel, args) => {
    const backend = args.backend as unknown as WasmBackendLike;
    const inputs = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean; activation?: string; leakyreluAlpha?: number };
    const a = inputs.a!, b = inputs.b!;
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return null;
    let act = 0;
    let bias: tf.TensorInfo | undefined;
    if (kernel === "_FusedMatMul") {
      if (inputs.preluActivationWeights) return null;
      const code = ACT[attrs.activation ?? "linear"];
      if (code === undefined) return null;
      act = code;
      bias = inputs.bias;
    }
    const ta = !!attrs.transposeA, tb = !!attrs.transposeB;
    const ra = a.shape.length, rb = b.shape.length;
    const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = tb ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb || m < 1 || n < 1 || k < 1) return null;
    const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
    const batchA = size(outerA), batchB = size(outerB);
    // Equal batch shapes, or one side a single matrix broadcast over the other; anything else stays in wasm.
    let outer: number[];
    if (sameShape(outerA, outerB)) outer = outerA;
    else if (batchA === 1 && outerA.length <= outerB.length) outer = outerB;
    else if (batchB === 1 && outerB.length <= outerA.length) outer = outerA;
    else return null;
    if (bias && (bias.dtype !== "float32" || size(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) return null;
    const aOff = offsetOf(backend, a), bOff = offsetOf(backend, b);
    const biasOff = bias ? offsetOf(backend, bias) : -1;
    if (aOff === null || bOff === null || biasOff === null) return null;
    const batch = Math.max(batchA, batchB);
    const out = backend.makeOutput([...outer, m, n], "float32");
    // makeOutput may grow the wasm memory, which replaces the buffer: read it afterwards.
    addon.gemm(backend.wasm.HEAPF32.buffer as ArrayBuffer, batch, m, n, k, ta ? 1 : 0, tb ? 1 : 0,
      aOff, batchA === 1 ? 0 : m * k, bOff, batchB === 1 ? 0 : k * n, offsetOf(backend, out)!, biasOff, act, attrs.leakyreluAlpha ?? 0.2);
    return out;
  };
}

/** tf.sum over a contiguous block of axes as one pass; null for the rest. */
function sumKernel(addon: BlasAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as unknown as WasmBackendLike;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== "float32" || x.shape.length === 0 || size(x.shape) === 0) return original(args);
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    if (axes.length === 0 || axes[axes.length - 1] - axes[0] !== axes.length - 1) return original(args);
    const first = axes[0], last = axes[axes.length - 1];
    const outer = size(x.shape.slice(0, first)), reduce = size(x.shape.slice(first, last + 1)), inner = size(x.shape.slice(last + 1));
    const xOff = offsetOf(backend, x);
    if (xOff === null || reduce === 1) return original(args);
    const shape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
    const out = backend.makeOutput(shape, "float32");
    addon.sumBlock(backend.wasm.HEAPF32.buffer as ArrayBuffer, xOff, offsetOf(backend, out)!, outer, reduce, inner);
    return out;
  };
}

let status: BlasStatus = { active: false, reason: "not installed" };
let activeAddon: BlasAddon | null = null;

/** The loaded addon while the OpenBLAS path is active (fused optimiser steps use it too), else null. */
export function blasAddon(): BlasAddon | null {
  return status.active ? activeAddon : null;
}
let sumOriginal: tf.KernelConfig | null = null;

function restoreSum(): void {
  if (!sumOriginal) return;
  tf.unregisterKernel("Sum", "wasm");
  tf.registerKernel(sumOriginal);
  sumOriginal = null;
}

/**
 * Turns the OpenBLAS path on or off for the wasm backend (off restores the wasm kernels). `load` replaces the
 * addon loader (tests use it to simulate a missing addon). SCORELAB_BLAS=0 keeps it off. Returns the status.
 * @example setWasmBlas(false); // time the plain wasm kernels; setWasmBlas(true) to come back
 */
export function setWasmBlas(enabled: boolean, load: () => { addon: BlasAddon | null; reason?: string } = loadBlasAddon): BlasStatus {
  setMatmulAccelerator(null);
  restoreSum();
  activeAddon = null;
  if (!enabled) { status = { active: false, reason: "turned off" }; return blasStatus(); }
  if (process.env.SCORELAB_BLAS === "0") { status = { active: false, reason: "SCORELAB_BLAS=0" }; return blasStatus(); }
  const sum = tf.getKernel("Sum", "wasm");
  if (!sum) { status = { active: false, reason: "wasm backend not loaded" }; return blasStatus(); }
  const { addon, reason } = load();
  if (!addon) { status = { active: false, reason: reason ?? "addon absent" }; return blasStatus(); }
  const threads = Number(process.env.SCORELAB_BLAS_THREADS);
  if (Number.isInteger(threads) && threads >= 1) addon.setThreads(threads);
  // The accelerator lives in the patched matmul kernels.
  if (!wasmTransposeFixEnabled()) setWasmTransposeFix(true);
  setMatmulAccelerator(matmulAccelerator(addon));
  sumOriginal = { kernelName: "Sum", backendName: "wasm", setupFunc: sum.setupFunc, kernelFunc: sum.kernelFunc };
  tf.unregisterKernel("Sum", "wasm");
  tf.registerKernel({ kernelName: "Sum", backendName: "wasm", setupFunc: sum.setupFunc, kernelFunc: sumKernel(addon, sum.kernelFunc) });
  activeAddon = addon;
  status = { active: true, threads: addon.getThreads() };
  return blasStatus();
}

/** Whether the OpenBLAS path is active, and why not. @example if (!blasStatus().active) console.log(blasStatus().reason); */
export function blasStatus(): BlasStatus {
  return { ...status };
}
