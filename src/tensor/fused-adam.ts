/**
 * Adam (Kingma & Ba 2015, Alg. 1) with gradient clipping and a weight EMA as one kernel call per training step,
 * on the wasm backend while the OpenBLAS addon is active (src/tensor/blas.ts), and on torch (the same loop in
 * native/torch/ops_fused.cc, where tf.train.adam + clip + EMA cost ~170 dispatches of ~15 us each).
 *
 * Measured here: tf.train.adam issues about 12 kernels per variable, clipping 3 and the EMA 4, i.e. ~150 small
 * dispatches per step for an MLP with 8 weight tensors, a large share of a 10 ms step once matmul is fast. The
 * addon does the same float32 arithmetic as tf.train.adam in one pass per tensor; the kernel writes new tensors
 * (it never overwrites inputs, so clones of the old weights stay valid).
 */
import * as tf from "@tensorflow/tfjs";
import { blasAddon, BlasAddon } from "./blas";
import { checkNumber, fail } from "./validate";
import { torchServes } from "./torch/serves";

const KERNEL = "ScorelabAdamStep";

interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

interface StepAttrs { count: number; ema: boolean; factor: number; lr: number; b1: number; b2: number; eps: number; bc1: number; bc2: number; decay: number }

function offset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const off = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (off === null || off === undefined) throw new Error(`${KERNEL}: a tensor has no wasm memory`);
  return off;
}

let registeredFor: BlasAddon | null = null;

function register(addon: BlasAddon): void {
  if (registeredFor === addon) return;
  if (registeredFor) tf.unregisterKernel(KERNEL, "wasm");
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const backend = b as unknown as WasmBackendLike;
      const a = attrs as unknown as StepAttrs;
      const get = (k: string) => (inputs as Record<string, tf.TensorInfo>)[k];
      const outs: tf.TensorInfo[][] = [[], [], [], []];
      for (let i = 0; i < a.count; i++) {
        const w = get(`w${i}`);
        const make = () => backend.makeOutput(w.shape, "float32");
        const wo = make(), mo = make(), vo = make(), eo = a.ema ? make() : null;
        outs[0].push(wo); outs[1].push(mo); outs[2].push(vo); if (eo) outs[3].push(eo);
        const n = w.shape.reduce((p, q) => p * q, 1);
        // Outputs may grow the wasm memory, which replaces the buffer: read it after allocating.
        addon.adam(backend.wasm.HEAPF32.buffer as ArrayBuffer, n, offset(backend, w), offset(backend, get(`g${i}`)), offset(backend, get(`m${i}`)),
          offset(backend, get(`v${i}`)), offset(backend, wo), offset(backend, mo), offset(backend, vo),
          eo ? offset(backend, get(`e${i}`)) : -1, eo ? offset(backend, eo) : -1, a.factor, a.lr, a.b1, a.b2, a.eps, a.bc1, a.bc2, a.decay);
      }
      return outs.flat();
    },
  });
  registeredFor = addon;
}

const SUM_SQUARES = "ScorelabSumSquares";

/** Whether FusedAdam can run now (wasm with the OpenBLAS addon, or torch). @example if (fusedAdamAvailable()) ... */
export function fusedAdamAvailable(): boolean {
  return (tf.getBackend() === "wasm" && blasAddon() !== null) || (torchServes(KERNEL) && torchServes(SUM_SQUARES));
}

/** The backend FusedAdam runs on now, or fails naming `fn`. */
function activeKind(fn: string): "wasm" | "torch" {
  if (tf.getBackend() === "wasm" && blasAddon() !== null) return "wasm";
  if (torchServes(KERNEL) && torchServes(SUM_SQUARES)) return "torch";
  return fail(fn, "backend", "needs the wasm backend with the OpenBLAS addon active (see blasStatus()) or the torch backend");
}

/**
 * Adam state for `vars` updated by one fused kernel per step. Same defaults and arithmetic as
 * tf.train.adam(lr, beta1, beta2, epsilon); the caller clips by passing the factor min(1, maxNorm / (norm + 1e-6)).
 * @example
 * const opt = new FusedAdam(vars, { lr: 1e-3 });
 * const norm = opt.globalNorm(grads); opt.apply(grads, Math.min(1, 1 / (norm + 1e-6)));
 */
export class FusedAdam {
  private m: tf.Tensor[];
  private v: tf.Tensor[];
  private t = 0;
  private readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(private readonly vars: tf.Variable[], opts: { lr: number; beta1?: number; beta2?: number; epsilon?: number }) {
    const fn = "FusedAdam";
    activeKind(fn);
    if (!Array.isArray(vars) || vars.length === 0 || vars.some((x) => !(x instanceof tf.Variable) || x.dtype !== "float32")) fail(fn, "vars", "must be a non-empty array of float32 variables");
    this.lr = checkNumber(opts.lr, "opts.lr", fn, { gt: 0 });
    this.b1 = checkNumber(opts.beta1 ?? 0.9, "opts.beta1", fn, { min: 0, lt: 1 });
    this.b2 = checkNumber(opts.beta2 ?? 0.999, "opts.beta2", fn, { min: 0, lt: 1 });
    this.eps = checkNumber(opts.epsilon ?? 1e-8, "opts.epsilon", fn, { gt: 0 });
    this.m = vars.map((x) => tf.keep(tf.zerosLike(x)));
    this.v = vars.map((x) => tf.keep(tf.zerosLike(x)));
  }

  /** The global L2 norm of `grads` (accumulated in double), read without creating tensors. */
  globalNorm(grads: tf.Tensor[]): number {
    if (activeKind("FusedAdam.globalNorm") === "torch") {
      // One addon call (summed in double) and one read of its float32 result.
      const inputs = Object.fromEntries(grads.map((g, i) => [`g${i}`, g]));
      const s = tf.engine().runKernel(SUM_SQUARES, inputs as tf.NamedTensorMap) as tf.Tensor;
      const v = s.dataSync()[0];
      s.dispose();
      return Math.sqrt(v);
    }
    const addon = blasAddon()!;
    const backend = tf.backend() as unknown as WasmBackendLike;
    let s = 0;
    for (const g of grads) s += addon!.sumSquares(backend.wasm.HEAPF32.buffer as ArrayBuffer, offset(backend, g), g.size);
    return Math.sqrt(s);
  }

  /**
   * One step with gradient `grads[i] * factor` for `vars[i]`; with `ema`, also ema <- decay ema + (1 - decay) w.
   */
  apply(grads: tf.Tensor[], factor: number, ema?: { vars: tf.Variable[]; decay: number }): void {
    const fn = "FusedAdam.apply";
    const kind = activeKind(fn);
    if (grads.length !== this.vars.length || grads.some((g, i) => !(g instanceof tf.Tensor) || g.dtype !== "float32" || !tf.util.arraysEqual(g.shape, this.vars[i].shape))) {
      fail(fn, "grads", "must match the variables one for one in shape (float32)");
    }
    if (ema && (ema.vars.length !== this.vars.length || ema.vars.some((e, i) => !tf.util.arraysEqual(e.shape, this.vars[i].shape)))) fail(fn, "ema.vars", "must match the variables one for one in shape");
    if (kind === "wasm") register(blasAddon()!);
    this.t += 1;
    const n = this.vars.length;
    const inputs: Record<string, tf.Tensor> = {};
    for (let i = 0; i < n; i++) {
      inputs[`w${i}`] = this.vars[i]; inputs[`g${i}`] = grads[i]; inputs[`m${i}`] = this.m[i]; inputs[`v${i}`] = this.v[i];
      if (ema) inputs[`e${i}`] = ema.vars[i];
    }
    // tf.train.adam keeps beta^t as float32 products of float32 beta; the same rounding here.
    const attrs: StepAttrs = {
      count: n, ema: !!ema, factor, lr: this.lr, b1: this.b1, b2: this.b2, eps: this.eps,
      bc1: 1 - Math.fround(Math.pow(this.b1, this.t)), bc2: 1 - Math.fround(Math.pow(this.b2, this.t)), decay: ema?.decay ?? 0,
    };
    const outs = tf.engine().runKernel(KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    tf.dispose([...this.m, ...this.v]);
    for (let i = 0; i < n; i++) {
      this.vars[i].assign(outs[i]);
      this.m[i] = tf.keep(outs[n + i]);
      this.v[i] = tf.keep(outs[2 * n + i]);
      if (ema) ema.vars[i].assign(outs[3 * n + i]);
    }
    tf.dispose([...outs.slice(0, n), ...outs.slice(3 * n)]);
  }

  /** Frees the moment tensors. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
    this.m = []; this.v = [];
  }
}
