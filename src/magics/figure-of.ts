/**
 * Which figure shows a value: the display choice shared by %plot, %dataset and %sample. Points in the plane get
 * a scatter, images a grid, a series a curve, a trained model its loss curve; figures and tables show as they are.
 */
import * as tf from "@tensorflow/tfjs";
import { imageGridFigure, isFigure, lineFigure, samplesFigure, trainingCurveFigure, type Figure, type HtmlTable } from "../plot";
import { MagicError } from "./spec";
import { typeName } from "./notebook-vars";

export const PLOT_KINDS = ["auto", "scatter", "images", "curve", "training", "figure", "table"] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

export interface FigureOfOptions {
  title?: string;
  /** Training points drawn behind a scatter. */
  training?: tf.Tensor;
  /** At most this many images in a grid (default 64). */
  maxImages?: number;
  /** At most this many points in a scatter (default: all). */
  maxPoints?: number;
}

function tensorOf(v: unknown): tf.Tensor | undefined {
  if (v instanceof tf.Tensor) return v;
  if (v !== null && typeof v === "object" && (v as { x?: unknown }).x instanceof tf.Tensor) return (v as { x: tf.Tensor }).x;
  return undefined;
}

/** Whether a tensor holds one-channel images: [n,h,w], [n,1,h,w] or [n,h,w,1] (h, w > 2, so [n,2] rows are not). */
export function isImageTensor(t: tf.Tensor): boolean {
  const s = t.shape;
  if (s.length === 3) return s[1] > 2 && s[2] > 2;
  if (s.length === 4) return (s[1] === 1 && s[2] > 2 && s[3] > 2) || (s[3] === 1 && s[1] > 2 && s[2] > 2);
  return false;
}

function isPoints(t: tf.Tensor): boolean {
  return t.rank === 2 && t.shape[1] === 2;
}

function isNumberArray(v: unknown): v is number[] {
  return (Array.isArray(v) || ArrayBuffer.isView(v)) && (v as ArrayLike<unknown>).length > 0 && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === "number");
}

function historyOf(v: unknown): number[] | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const o = v as { training?: { history?: unknown }; history?: unknown };
  const h = o.training?.history ?? o.history;
  return isNumberArray(h) ? Array.from(h) : undefined;
}

function isTable(v: unknown): v is HtmlTable {
  const o = v as Record<string, unknown> | null;
  return o !== null && typeof o === "object" && typeof o.toHTML === "function" && typeof o.numRows === "function" && typeof o.numCols === "function";
}

/** The first `max` rows of a tensor (a new tensor the caller disposes), or the tensor itself when it is short. */
function head(t: tf.Tensor, max: number | undefined): tf.Tensor {
  return max !== undefined && t.shape[0] > max ? tf.slice(t, 0, max) : t;
}

function imagesFigure(t: tf.Tensor, o: FigureOfOptions): Figure {
  const n = Math.min(t.shape[0], o.maxImages ?? 64);
  const [h, w] = (t.rank === 4 && t.shape[1] === 1 ? [t.shape[2], t.shape[3]] : [t.shape[1], t.shape[2]]) as number[];
  const grid = tf.tidy(() => tf.reshape(tf.slice(t, 0, n), [n, h, w]));
  try {
    return imageGridFigure(grid, { title: o.title ?? `${n} of ${t.shape[0]} images (${h}×${w})` });
  } finally {
    grid.dispose();
  }
}

function scatterFigure(t: tf.Tensor, o: FigureOfOptions): Figure {
  const pts = head(t, o.maxPoints);
  const train = o.training && !o.training.isDisposed && isPoints(o.training) ? head(o.training, o.maxPoints) : undefined;
  try {
    return samplesFigure(pts, { title: o.title, training: train, name: "points" });
  } finally {
    if (pts !== t) pts.dispose();
    if (train && train !== o.training) train.dispose();
  }
}

/**
 * The figure (or table) for `value` under `kind` ("auto" picks by shape). Throws a MagicError naming `magic`
 * and `what` when the value cannot be shown that way.
 * @example figureOf(samples, "auto", { title: "VP samples" }, "plot", "'x'") // a scatter for [n, 2]
 */
export function figureOf(value: unknown, kind: PlotKind, opts: FigureOfOptions, magic: string, what: string): Figure | HtmlTable {
  const bad = (expected: string): never => { throw new MagicError(`%${magic}: ${what} cannot be shown as ${kind}: expected ${expected}, got ${typeName(value)}`); };
  const t = tensorOf(value);
  if (t?.isDisposed) throw new MagicError(`%${magic}: ${what} is a disposed tensor`);
  switch (kind) {
    case "figure": return isFigure(value) ? value : bad("a figure { data, layout }");
    case "table": return isTable(value) ? value : bad("a ResultsTable or an arquero table");
    case "scatter":
      if (t && isPoints(t)) return scatterFigure(t, opts);
      if (Array.isArray(value) && value.length > 0 && value.every((r) => isNumberArray(r) && r.length === 2)) return samplesFigure(value as number[][], { title: opts.title });
      return bad("points, a tensor [n, 2]");
    case "images": return t && isImageTensor(t) ? imagesFigure(t, opts) : bad("images, a tensor [n, h, w], [n, 1, h, w] or [n, h, w, 1]");
    case "training": {
      const h = historyOf(value);
      return h ? trainingCurveFigure(h, { title: opts.title }) : bad("a model trained by %train_score or a record with a loss history");
    }
    case "curve": {
      if (isNumberArray(value)) return lineFigure(undefined, [{ name: "value", y: value, x: Array.from(value as ArrayLike<number>, (_, i) => i) }], { title: opts.title ?? "Curve", xLabel: "index", yLabel: "value" });
      if (t && (t.rank === 1 || (t.rank === 2 && t.shape[1] === 1))) {
        const y = Array.from(t.dataSync());
        return lineFigure(undefined, [{ name: "value", y, x: y.map((_, i) => i) }], { title: opts.title ?? "Curve", xLabel: "index", yLabel: "value" });
      }
      return bad("a number[] or a rank-1 tensor");
    }
    case "auto": {
      if (isFigure(value) || isTable(value)) return value;
      if (historyOf(value)) return figureOf(value, "training", opts, magic, what);
      if (t && isPoints(t)) return scatterFigure(t, opts);
      if (t && isImageTensor(t)) return imagesFigure(t, opts);
      if (isNumberArray(value) || (t && t.rank === 1)) return figureOf(value, "curve", opts, magic, what);
      if (Array.isArray(value) && value.length > 0 && value.every((r) => isNumberArray(r) && r.length === 2)) return figureOf(value, "scatter", opts, magic, what);
      throw new MagicError(`%${magic}: no plot for ${what} (${typeName(value)}); expected a tensor [n, 2], images, a number[], a trained model, a figure or a table`);
    }
  }
  throw new MagicError(`%${magic}: --kind must be one of ${PLOT_KINDS.join(", ")}, got '${String(kind)}'`);
}
