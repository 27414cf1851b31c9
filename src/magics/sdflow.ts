/**
 * %sdflow: the score-difference flow of Weber (2023), arXiv 2304.12906 (src/flow/sd-flow.ts), from a notebook
 * sample or a named data set to another, with a progress bar, small multiples of the particles and the
 * divergence curve inline. An interrupt stops the flow at its next iteration and keeps the particles reached.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import { DATASETS, loadDataset } from "../data";
import { sdFlow, type FlowSnapshot, type SDFlowResult } from "../flow";
import { gridFigure, lineFigure, samplesFigure } from "../plot";
import { defineMagic, MagicContext, MagicError } from "./spec";
import { figureBundle } from "./mime";
import { progressReporter } from "./progress";
import { dataTensorOf } from "./notebook-vars";

/** A standard normal in the plane, the usual source; loadDataset's toys are all targets with structure. */
const GAUSSIAN = "gaussian";
/** At most this many panels in the small multiples, so a small --every does not draw hundreds. */
const MAX_PANELS = 8;

function toyNames(): string[] {
  // Only the 2-D toys: image and file sets are not point clouds the flow can move between.
  return Object.keys(DATASETS).filter((n) => DATASETS[n].kind === "points");
}

interface Resolved { x: tf.Tensor2D; label: string; owned: boolean }

/**
 * A --source/--target value as points [n, d]: an interpolated tensor or dataset, the notebook variable it names,
 * or else a data set drawn here with `n` points (the caller disposes those: `owned`).
 */
function resolvePoints(ctx: MagicContext, flag: string, ref: unknown, n: number, rng: Rng): Resolved {
  if (ref === undefined) throw new MagicError(`%sdflow: ${flag} is required: a notebook variable (tensor [n, 2] or dataset) or a data set name (${GAUSSIAN}, ${toyNames().join(", ")})`);
  let x: tf.Tensor;
  let label: string;
  let owned = false;
  if (typeof ref !== "string") {
    x = dataTensorOf(ref, "sdflow", `${flag} value`);
    label = "(value)";
  } else if (Object.prototype.hasOwnProperty.call(ctx.locals, ref)) {
    x = dataTensorOf(ctx.locals[ref], "sdflow", `${flag} '${ref}'`);
    label = ref;
  } else if (ref === GAUSSIAN) {
    x = rng.normal([n, 2]);
    label = ref;
    owned = true;
  } else if (toyNames().includes(ref)) {
    x = loadDataset(ref, { n, seed: rng.int(2 ** 31) }).x;
    label = ref;
    owned = true;
  } else {
    throw new MagicError(`%sdflow: ${flag} '${ref}' is neither a notebook variable nor a data set (${GAUSSIAN}, ${toyNames().join(", ")})`);
  }
  if (x.rank !== 2 || x.shape[0] < 2) {
    if (owned) x.dispose();
    throw new MagicError(`%sdflow: ${flag} '${label}' must be points [n, d] with n >= 2, got shape [${x.shape}]`);
  }
  return { x: x as tf.Tensor2D, label, owned };
}

/** Evenly spaced frames, first and last always kept. */
function pickFrames(frames: FlowSnapshot[], max: number): FlowSnapshot[] {
  if (frames.length <= max) return frames;
  const idx = new Set(Array.from({ length: max }, (_, k) => Math.round((k * (frames.length - 1)) / (max - 1))));
  return frames.filter((_, i) => idx.has(i));
}

function positive(text: string): number {
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v <= 0) throw new Error(`expected a number > 0, got '${text}'`);
  return v;
}

export const sdflowMagic = defineMagic<SDFlowResult>({
  name: "sdflow",
  summary: "score-difference flow (Weber 2023) from a source sample to a target sample, drawn inline",
  options: [
    { flags: "--source <ref>", description: `particles to move: notebook variable (tensor [n, d] or dataset) or data set name (${GAUSSIAN}, moons, gmm8, ...)` },
    { flags: "--target <ref>", description: "target sample: notebook variable or data set name, as --source" },
    { flags: "--n <n>", description: "points drawn for a --source/--target given as a data set name", kind: "positive-int", default: 500 },
    { flags: "--iterations <k>", description: "flow iterations", kind: "positive-int", default: 200 },
    { flags: "--eta <e>", description: "step size: each step moves eta x (denoised target - denoised source)", kind: positive, default: 0.5 },
    { flags: "--sigma-max <s>", description: "first noise level of the proxies (annealed geometrically)", kind: positive, default: 1 },
    { flags: "--sigma-min <s>", description: "last noise level (default the smaller of 0.05 and --sigma-max)", kind: positive },
    { flags: "--every <k>", description: "keep particles every k iterations for the small multiples (default iterations / 3)", kind: "positive-int" },
    { flags: "--seed <s>", description: "seed for drawn data sets and the sliced-Wasserstein projections (default: from the session rng)", kind: "int" },
    { flags: "--no-plot", description: "do not show the figures" },
  ],
  help:
    "Kernel (empirical) proxies for both laws, sigma annealed from --sigma-max to --sigma-min; the divergence is the " +
    "sliced Wasserstein-2 distance to the target sample per iteration.\n" +
    "Example: %sdflow --source gaussian --target gmm8 --iterations 150 --as flow\n" +
    "The result has particles (tensor [n, d], yours to dispose), trajectory, history ({iter, sigma, sw, move}), steps and stopped.",
  async run({ opts }, ctx) {
    const iterations = opts.iterations as number;
    const sigmaMax = opts.sigmaMax as number;
    const sigmaMin = (opts.sigmaMin as number | undefined) ?? Math.min(0.05, sigmaMax);
    if (sigmaMin > sigmaMax) throw new MagicError(`%sdflow: --sigma-min (${sigmaMin}) must not exceed --sigma-max (${sigmaMax})`);
    const every = (opts.every as number | undefined) ?? Math.max(1, Math.floor(iterations / 3));
    const rng = opts.seed !== undefined ? new Rng(opts.seed as number) : ctx.rng.split();
    const n = opts.n as number;
    const src = resolvePoints(ctx, "--source", opts.source, n, rng.fork(1));
    let tgt: Resolved | undefined;
    try {
      tgt = resolvePoints(ctx, "--target", opts.target, n, rng.fork(2));
      return await flowAndShow(src, tgt, { iterations, eta: opts.eta as number, sigmaMax, sigmaMin, every, rng: rng.fork(3), plot: opts.plot !== false }, ctx);
    } finally {
      if (src.owned) src.x.dispose();
      if (tgt?.owned) tgt.x.dispose();
    }
  },
});

async function flowAndShow(
  src: Resolved, tgt: Resolved, o: { iterations: number; eta: number; sigmaMax: number; sigmaMin: number; every: number; rng: Rng; plot: boolean }, ctx: MagicContext,
): Promise<SDFlowResult> {
  if (src.x.shape[1] !== tgt.x.shape[1]) {
    throw new MagicError(`%sdflow: --source '${src.label}' [${src.x.shape}] and --target '${tgt.label}' [${tgt.x.shape}] must have the same number of columns`);
  }
  const { iterations, sigmaMax } = o;
  const bar = progressReporter(ctx.display, "%sdflow");
  let r: SDFlowResult;
  try {
    r = await sdFlow(src.x, tgt.x, {
      iterations, eta: o.eta, sigmaMax, sigmaMin: o.sigmaMin, keepEvery: o.every, rng: o.rng, signal: ctx.signal,
      onStep: (p) => bar.report({ step: p.step, total: iterations }),
    });
  } catch (e) {
    bar.done("failed");
    // The library's argument errors are one line naming the problem (e.g. a diverging eta): the user's error.
    throw e instanceof Error && !(e instanceof MagicError) && /^sdFlow: argument /.test(e.message) ? new MagicError(`%sdflow: ${e.message}`) : e;
  }
  const last = r.history[r.history.length - 1];
  bar.done(r.stopped ? `interrupted at iteration ${last.iter} of ${iterations}` : "");
  const sw0 = r.history[0].sw, sw1 = last.sw;
  ctx.print(
    `SD flow ${src.label} -> ${tgt.label}: ${r.particles.shape[0]} particles in ${r.particles.shape[1]}-D, ${last.iter} of ${iterations} iterations, ` +
      `sigma ${sigmaMax} -> ${last.sigma.toPrecision(3)}` + (sw0 !== undefined && sw1 !== undefined ? `; sliced W2 ${sw0.toPrecision(4)} -> ${sw1.toPrecision(4)}` : "") +
      (r.stopped ? " (interrupted: the particles are those reached)" : ""),
  );
  if (!o.plot) return r;
  if (r.particles.shape[1] === 2) {
    const panels = pickFrames(r.trajectory, MAX_PANELS).map((f) =>
      samplesFigure(f.points, { reference: tgt.x, title: `iter ${f.iter}, sigma ${f.sigma.toPrecision(3)}`, name: "particles" }));
    ctx.display(figureBundle(gridFigure(panels, { cols: Math.min(4, panels.length), title: `SD flow ${src.label} -> ${tgt.label}` })));
  }
  const hist = r.history.filter((h) => h.sw !== undefined);
  ctx.display(figureBundle(lineFigure(hist.map((h) => h.iter), [{ name: "sliced W2 to target", y: hist.map((h) => h.sw as number) }],
    { title: "SD flow divergence", xLabel: "iteration", yLabel: "sliced W2", logY: true })));
  return r;
}
