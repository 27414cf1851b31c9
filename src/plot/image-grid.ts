/** Image samples (digits, Fashion-MNIST) tiled into one grid, drawn as a single grey-scale heat map. */
import * as tf from "@tensorflow/tfjs";
import { fail, checkNumber, checkPositiveInt } from "../tensor";
import type { Figure } from "./figure";
import { readLabel, readOptions } from "./input";
import { baseLayout } from "./style";

export interface ImageGridOptions {
  /** Images per row (default: ceil(sqrt(n))). */
  cols?: number;
  /** Pixels of background between tiles (default 1). */
  gap?: number;
  /** Value range mapped to black..white (default: min..max over all images). */
  range?: [number, number];
  title?: string;
}

/** Images as a tensor [n,h,w] or [n,h,w,1], or an array of h×w row arrays. */
export type ImagesInput = tf.Tensor | ArrayLike<ArrayLike<ArrayLike<number>>>;

function readImages(v: unknown, fn: string): { n: number; h: number; w: number; px: ArrayLike<number> } {
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) fail(fn, "images", "is a disposed tensor");
    const s = v.shape;
    const ok = s.length === 3 || (s.length === 4 && s[3] === 1);
    if (!ok) fail(fn, "images", `must be a tensor of shape [n,h,w] or [n,h,w,1] (grey-scale), got shape [${s}]`);
    if (s[0] === 0 || s[1] === 0 || s[2] === 0) fail(fn, "images", `must not be empty, got shape [${s}]`);
    return { n: s[0], h: s[1], w: s[2], px: v.dataSync() as Float32Array };
  }
  if (v === null || typeof v !== "object" || typeof (v as { length?: unknown }).length !== "number") {
    fail(fn, "images", `must be a tf.Tensor [n,h,w] or an array of images (arrays of rows), got ${v === null ? "null" : typeof v}`);
  }
  const arr = v as ArrayLike<ArrayLike<ArrayLike<number>>>;
  if (arr.length === 0) fail(fn, "images", "must not be empty (no images)");
  const h = arr[0]?.length ?? 0;
  const w = arr[0]?.[0]?.length ?? 0;
  if (!h || !w) fail(fn, "images", "must hold images with at least one row and one column");
  const px = new Float64Array(arr.length * h * w);
  for (let k = 0; k < arr.length; k++) {
    if (arr[k]?.length !== h) fail(fn, "images", `must hold images of equal size; image ${k} has ${arr[k]?.length} rows, expected ${h}`);
    for (let i = 0; i < h; i++) {
      if (arr[k][i]?.length !== w) fail(fn, "images", `must hold images of equal size; image ${k} row ${i} has ${arr[k][i]?.length} columns, expected ${w}`);
      for (let j = 0; j < w; j++) px[(k * h + i) * w + j] = arr[k][i][j];
    }
  }
  return { n: arr.length, h, w, px };
}

/**
 * Tiles n grey-scale images into a grid. NaN pixels are refused (they would show as holes, hiding a bug).
 * @example imageGridFigure(samples.reshape([16, 28, 28]), { cols: 4, title: "DSM samples" })
 */
export function imageGridFigure(images: ImagesInput, opts: ImageGridOptions = {}): Figure {
  const fn = "imageGridFigure";
  const o = readOptions<ImageGridOptions>(opts, fn);
  const { n, h, w, px } = readImages(images, fn);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < px.length; i++) {
    const v = px[i];
    if (!Number.isFinite(v)) fail(fn, "images", `must hold finite pixel values; pixel ${i} is ${v}`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const cols = o.cols === undefined ? Math.ceil(Math.sqrt(n)) : checkPositiveInt(o.cols, "opts.cols", fn);
  const gap = o.gap === undefined ? 1 : checkNumber(o.gap, "opts.gap", fn, { integer: true, min: 0 });
  if (o.range !== undefined) {
    if (!Array.isArray(o.range) || o.range.length !== 2 || !(o.range[0] < o.range[1])) fail(fn, "opts.range", "must be [lo, hi] with lo < hi");
    [lo, hi] = o.range;
  }
  if (hi === lo) hi = lo + 1;
  const rows = Math.ceil(n / cols);
  const H = rows * h + (rows - 1) * gap;
  const W = cols * w + (cols - 1) * gap;
  // null is transparent in a Plotly heat map, so gaps and empty tiles show the paper colour.
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array<number | null>(W).fill(null));
  for (let k = 0; k < n; k++) {
    const r0 = Math.floor(k / cols) * (h + gap);
    const c0 = (k % cols) * (w + gap);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) z[r0 + i][c0 + j] = px[(k * h + i) * w + j];
  }
  const data = [{ type: "heatmap", z, zmin: lo, zmax: hi, colorscale: "Greys", reversescale: true, showscale: false, hoverinfo: "skip" }];
  const size = Math.min(640, Math.max(240, 24 * Math.max(rows, cols) * Math.ceil(h / 8)));
  const layout = baseLayout(readLabel(o.title, `Images (n = ${n})`, fn, "opts.title"), `column (${w} px per image)`, `row (${h} px per image)`, {
    xaxis: { showticklabels: false, ticks: "", showgrid: false, showline: false, constrain: "domain" },
    yaxis: { showticklabels: false, ticks: "", showgrid: false, showline: false, autorange: "reversed", scaleanchor: "x", scaleratio: 1 },
    width: size + 88,
    height: size + 112,
  });
  return { data, layout };
}
