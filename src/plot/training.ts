/** Training curves: the raw loss, its exponential moving average, and the train/test generalization gap. */
import type { Figure } from "./figure";
import { lineTraces, type Series } from "./curves";
import { checkSameLength, readLabel, readOptions, readVector, type VectorInput } from "./input";
import { checkNumber, fail } from "../tensor";
import { baseLayout, ROLE_COLORS } from "./style";

/**
 * Bias-corrected exponential moving average (Adam-style correction, Kingma & Ba 2015, Alg. 1), so the first
 * values are not pulled towards 0.
 * @example smoothCurve([1, 1, 1], 0.9) // [1, 1, 1]
 */
export function smoothCurve(values: ArrayLike<number>, decay: number): number[] {
  checkNumber(decay, "decay", "smoothCurve", { min: 0, lt: 1 });
  const out: number[] = [];
  let m = 0;
  let w = 1;
  for (let i = 0; i < values.length; i++) {
    m = decay * m + (1 - decay) * values[i];
    w *= decay;
    out.push(m / (1 - w));
  }
  return out;
}

export interface TrainingCurveOptions {
  /** Step of each loss value (default 0, 1, 2, …). */
  steps?: VectorInput;
  /** EMA decay for the smoothed curve (default 0.98; 0 hides it). */
  emaDecay?: number;
  /** Extra curves on the same axes (e.g. a validation loss with its own x). */
  extra?: Series[];
  logY?: boolean;
  title?: string;
  yLabel?: string;
}

/**
 * Loss per step with its EMA.
 * @example trainingCurveFigure(losses, { emaDecay: 0.99, title: "DSM, VP-SDE" })
 */
export function trainingCurveFigure(loss: VectorInput, opts: TrainingCurveOptions = {}): Figure {
  const fn = "trainingCurveFigure";
  const o = readOptions<TrainingCurveOptions>(opts, fn);
  const y = readVector(loss, fn, "loss");
  const x = o.steps === undefined ? y.map((_, i) => i) : readVector(o.steps, fn, "opts.steps");
  checkSameLength(fn, { "opts.steps": x, loss: y });
  const decay = o.emaDecay === undefined ? 0.98 : checkNumber(o.emaDecay, "opts.emaDecay", fn, { min: 0, lt: 1 });
  const data = [{ type: "scatter", mode: "lines", name: "loss", x, y, line: { color: ROLE_COLORS.samples, width: 1 }, opacity: decay > 0 ? 0.45 : 1 }] as Record<string, unknown>[];
  if (decay > 0) data.push({ type: "scatter", mode: "lines", name: `EMA (decay ${decay})`, x, y: smoothCurve(y, decay), line: { color: ROLE_COLORS.ema, width: 2.5 } });
  if (o.extra !== undefined) {
    const extra = lineTraces(fn, undefined, o.extra, "opts.extra");
    extra.forEach((t, i) => ((t.line as Record<string, unknown>).color = ["#009E73", "#CC79A7", "#56B4E9"][i % 3]));
    data.push(...extra);
  }
  const layout = baseLayout(readLabel(o.title, "Training loss", fn, "opts.title"), "step (optimizer updates)", readLabel(o.yLabel, "loss", fn, "opts.yLabel"), {
    yaxis: o.logY ? { type: "log" } : {},
  });
  return { data, layout };
}

export interface GapFigureOptions {
  /** What x counts: "n" (training-set size, log axis) or "step" (default "n"). */
  against?: "n" | "step";
  title?: string;
  yLabel?: string;
  /** Also draw test − train on a second y axis (default true). */
  showGap?: boolean;
}

/**
 * Train and test loss against training-set size or step, with their difference (the generalization gap).
 * @example generalizationGapFigure([100, 1000], { train: [0.8, 0.9], test: [1.4, 1.0] })
 */
export function generalizationGapFigure(x: VectorInput, losses: { train: VectorInput; test: VectorInput }, opts: GapFigureOptions = {}): Figure {
  const fn = "generalizationGapFigure";
  const o = readOptions<GapFigureOptions>(opts, fn);
  if (losses === null || typeof losses !== "object") fail(fn, "losses", "must be an object { train, test }");
  const xs = readVector(x, fn, "x");
  const train = readVector(losses.train, fn, "losses.train");
  const test = readVector(losses.test, fn, "losses.test");
  checkSameLength(fn, { x: xs, "losses.train": train, "losses.test": test });
  const against = o.against ?? "n";
  if (against !== "n" && against !== "step") fail(fn, "opts.against", `must be "n" or "step", got ${String(against)}`);
  if (against === "n" && xs.some((v) => v <= 0)) fail(fn, "x", "must be positive when against = \"n\" (drawn on a log axis)");
  const data: Record<string, unknown>[] = [
    { type: "scatter", mode: "lines+markers", name: "train", x: xs, y: train, line: { color: ROLE_COLORS.training, width: 2 } },
    { type: "scatter", mode: "lines+markers", name: "test", x: xs, y: test, line: { color: ROLE_COLORS.test, width: 2 } },
  ];
  const showGap = o.showGap ?? true;
  if (showGap) {
    data.push({ type: "scatter", mode: "lines", name: "gap (test − train)", x: xs, y: test.map((t, i) => t - train[i]), yaxis: "y2", line: { color: "#777777", width: 1.5, dash: "dot" } });
  }
  const layout = baseLayout(
    readLabel(o.title, "Generalization gap", fn, "opts.title"),
    against === "n" ? "n (training examples)" : "step (optimizer updates)",
    readLabel(o.yLabel, "DSM loss", fn, "opts.yLabel"),
    {
      xaxis: against === "n" ? { type: "log" } : {},
      ...(showGap ? { yaxis2: { title: { text: "gap (test − train)" }, overlaying: "y", side: "right", showgrid: false, zeroline: true }, margin: { l: 64, r: 72, t: 56, b: 56 } } : {}),
      legend: { x: 1, xanchor: "right", y: 1, bgcolor: "rgba(255,255,255,0.7)" },
    },
  );
  return { data, layout };
}
