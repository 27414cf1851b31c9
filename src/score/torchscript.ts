/**
 * TorchScript score networks (a module saved with torch.jit.save) as score functions. The module runs inside the
 * torch backend's libtorch on the backend's own tensors (native/torch/jit.cc): no copy in or out, same device.
 *
 * The module is called as forward(x, t): x [n, ...] (NCHW for images), t [n] the SDE time as scorelab's samplers
 * pass it. Its output, shaped like x, is read by `parameterisation`, with x_t = a(t) x_0 + s(t) eps:
 *   "eps"   predicted noise:           score = -eps / s
 *   "x0"    predicted clean data:      score = (a x0 - x) / s^2
 *   "v"     v = a eps - s x0 (Salimans & Ho 2022): eps = (s x + a v) / (a^2 + s^2), score = -eps / s
 *   "score" the score itself
 * Gradients do not flow through the module (tfjs's tape has no gradient for it; asking for one throws): samplers,
 * fusion and guidance only evaluate scores. Likelihoods that differentiate the score need a scorelab network.
 */
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import { fail } from "../tensor";
import { isSDE } from "../sde/sde";
import type { SDE, ScoreFn } from "../sde/types";
import type { TorchBackend } from "../tensor/torch/backend";

export type Parameterisation = "eps" | "x0" | "v" | "score";
export const PARAMETERISATIONS: Parameterisation[] = ["eps", "x0", "v", "score"];

export interface TorchScriptOptions {
  parameterisation: Parameterisation;
  /** The SDE the module was trained under (its marginals turn the output into a score). */
  sde: SDE;
  /** One sample's shape as scorelab holds it: [d], [H, W] or channels-last [H, W, C]. */
  inputShape: number[];
  /** For [H, W, C] shapes: "nchw" (default) transposes to the module's channels-first layout and back. */
  layout?: "nchw" | "nhwc";
}

/**
 * A loaded TorchScript score network as a ScoreModel: `score` is the ScoreFn for samplers, fusion and guidance
 * (a plain object like ScoreNet, so magics and fusion that take models take it too).
 */
export interface TorchScriptModel {
  readonly file: string;
  readonly sde: SDE;
  readonly shape: number[];
  readonly parameterisation: Parameterisation;
  readonly score: ScoreFn;
  readonly variables: tf.Variable[];
  /** Frees the module; later calls throw. */
  dispose(): void;
}

const KERNEL = "ScorelabTorchScript";
let registered = false;

function register(): void {
  if (registered) return;
  tf.registerKernel({
    kernelName: KERNEL, backendName: "torch",
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const backend = b as unknown as TorchBackend;
      const { x, t } = inputs as Record<string, tf.TensorInfo>;
      const r = backend.addon.jitForward((attrs as { module: number }).module, Int32Array.of(backend.handleOf(x), backend.handleOf(t)));
      const outs: tf.TensorInfo[] = [];
      for (let k = 1, j = 0; j < r[0]; j++) { const rank = r[k + 2]; outs.push(backend.info(r[k], r[k + 1], r.slice(k + 3, k + 3 + rank))); k += 3 + rank; }
      // Only the first output is the network's; extras (a tuple return) are freed.
      outs.slice(1).forEach((o) => backend.disposeData(o.dataId, true));
      if (!outs.length) throw new Error("the module returned no tensor");
      return outs[0];
    },
  });
  registered = true;
}

const needsTorch = (file: string) => new Error(`loadTorchScript: ${file}: TorchScript needs the torch backend, and the active backend is ${tf.getBackend()} (install Debian's libtorch-dev and run with SCORELAB_BACKEND=torch)`);

/**
 * Loads a TorchScript module as a score model whose `score` is a ScoreFn. Checks the file, loads it on the backend's device and runs it
 * once on zeros to check that its output is shaped like its input; any failure is one Error naming the file.
 * @example const s = await loadTorchScript("eps.pt", { parameterisation: "eps", sde: vpSDE(), inputShape: [2] });
 *          const x = await eulerMaruyama(s.score, s.sde, { n: 100, steps: 200, rng, shape: s.shape });
 */
export async function loadTorchScript(file: string, opts: TorchScriptOptions): Promise<TorchScriptModel> {
  const fn = "loadTorchScript";
  if (typeof file !== "string" || !file) fail(fn, "file", "must be the path of a torch.jit.save file");
  if (!opts || !PARAMETERISATIONS.includes(opts.parameterisation)) fail(fn, "opts.parameterisation", `is required: one of ${PARAMETERISATIONS.join(", ")} (what the module's output is), got ${JSON.stringify(opts?.parameterisation)}`);
  if (!isSDE(opts.sde)) fail(fn, "opts.sde", "is required: the SDE the module was trained under");
  const shape = opts.inputShape;
  if (!Array.isArray(shape) || !shape.length || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(fn, "opts.inputShape", `must be one sample's shape (positive integers), got ${JSON.stringify(shape)}`);
  const layout = opts.layout ?? "nchw";
  if (layout !== "nchw" && layout !== "nhwc") fail(fn, "opts.layout", `must be "nchw" or "nhwc", got ${JSON.stringify(layout)}`);
  if (tf.getBackend() !== "torch") throw needsTorch(file);
  const st = await fs.stat(file).catch(() => null);
  if (!st?.isFile()) throw new Error(`${fn}: ${file} does not exist or is not a file`);
  const backend = tf.backend() as unknown as TorchBackend;
  let module: number;
  try { module = backend.addon.jitLoad(file); } catch (e) { throw new Error(`${fn}: ${(e as Error).message}`); }
  register();
  const { sde, parameterisation } = opts;
  const transpose = layout === "nchw" && shape.length === 3;
  let freed = false;

  const forward = (x: tf.Tensor, t: tf.Tensor): tf.Tensor => {
    if (freed) throw new Error(`${fn}: ${file}: the module was disposed`);
    if (tf.getBackend() !== "torch") throw needsTorch(file);
    const xin = transpose ? tf.transpose(x, [0, 3, 1, 2]) : x;
    const out = tf.engine().runKernel(KERNEL, { x: xin, t }, { module } as unknown as tf.NamedAttrMap) as tf.Tensor;
    if (out.shape.length !== xin.shape.length || out.shape.some((d, i) => d !== xin.shape[i])) {
      throw new Error(`${fn}: ${file}: the module's output has shape [${out.shape}] for an input of shape [${xin.shape}]; a score network returns its input's shape`);
    }
    return transpose ? tf.transpose(out, [0, 2, 3, 1]) : out;
  };

  const score: ScoreFn = (x, t) => tf.tidy(() => {
    const want = [x.shape[0], ...shape];
    if (x.shape.length !== want.length || x.shape.some((d, i) => d !== want[i])) fail(fn, "x", `must have shape [n, ${shape}] (the inputShape given at load), got [${x.shape}]`);
    if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(fn, "t", `must have shape [${x.shape[0]}], got [${t.shape}]`);
    const out = forward(x, t);
    if (parameterisation === "score") return out;
    const { scale, std } = sde.marginal(t);
    const row = [x.shape[0], ...shape.map(() => 1)];
    const a = tf.reshape(scale, row), s = tf.reshape(std, row);
    if (parameterisation === "eps") return tf.div(tf.neg(out), s);
    if (parameterisation === "x0") return tf.div(tf.sub(tf.mul(a, out), x), tf.square(s));
    const eps = tf.div(tf.add(tf.mul(s, x), tf.mul(a, out)), tf.add(tf.square(a), tf.square(s)));
    return tf.div(tf.neg(eps), s);
  });

  // One call on zeros: a module that cannot take this input, or answers in another shape, fails here, not mid-sampling.
  try {
    tf.tidy(() => { score(tf.zeros([2, ...shape]), tf.fill([2], 0.5 * (sde.tMin + sde.T))); });
  } catch (e) {
    backend.addon.jitFree(module);
    const msg = (e as Error).message;
    throw new Error(msg.startsWith(`${fn}: ${file}`) ? msg : `${fn}: ${file}: the module fails on an input of shape [2, ${transpose ? [shape[2], shape[0], shape[1]] : shape}] and t [2]: ${msg}`);
  }
  return {
    file, sde, shape: [...shape], parameterisation, score, variables: [],
    dispose: () => { if (!freed) { freed = true; backend.addon.jitFree(module); } },
  };
}
