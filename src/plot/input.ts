/**
 * Reading builder inputs: plain arrays, typed arrays or tf.Tensors become plain numbers, checked at the door.
 * Tensors are read back with dataSync and never disposed here (they belong to the caller); nothing here
 * creates a tensor, so there is nothing of ours to dispose.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";

/** A 1-D series: numbers, a typed array, or a rank-1 tensor (or [n,1]). */
export type VectorInput = ArrayLike<number> | tf.Tensor;
/** n points in the plane: [[x,y],…] or a tensor of shape [n,2]. */
export type PointsInput = ArrayLike<ArrayLike<number>> | tf.Tensor;
/** A rectangular matrix: rows of numbers or a rank-2 tensor. */
export type MatrixInput = ArrayLike<ArrayLike<number>> | tf.Tensor;

interface ReadOpts {
  /** Allow an empty series (default false). */
  allowEmpty?: boolean;
  /** Allow NaN/±Infinity (default false). Used where a gap in a curve is meaningful. */
  allowNonFinite?: boolean;
}

function tensorData(x: tf.Tensor, fn: string, arg: string): { values: Float32Array | Int32Array | Uint8Array; shape: number[] } {
  if (x.isDisposed) fail(fn, arg, "is a disposed tensor");
  if (x.dtype === "string" || x.dtype === "complex64") fail(fn, arg, `must be a numeric tensor, got dtype ${x.dtype}`);
  return { values: x.dataSync() as Float32Array | Int32Array | Uint8Array, shape: x.shape };
}

function checkValues(values: ArrayLike<number>, fn: string, arg: string, opts: ReadOpts, what = "values"): void {
  if (!opts.allowEmpty && values.length === 0) fail(fn, arg, `must not be empty (no ${what})`);
  if (opts.allowNonFinite) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      fail(fn, arg, `must hold finite numbers; entry ${i} is ${String(v)} (NaN or infinite coordinates cannot be drawn)`);
    }
  }
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { length?: unknown }).length === "number";
}

/**
 * Reads a 1-D series.
 * @example readVector([1, 2, 3], "trainingCurveFigure", "loss") // [1, 2, 3]
 */
export function readVector(v: unknown, fn: string, arg: string, opts: ReadOpts = {}): number[] {
  let out: number[];
  if (v instanceof tf.Tensor) {
    const { values, shape } = tensorData(v, fn, arg);
    const ok = shape.length === 1 || (shape.length === 2 && shape[1] === 1);
    if (!ok) fail(fn, arg, `must be a rank-1 tensor (or shape [n,1]), got shape [${shape}]`);
    out = Array.from(values);
  } else if (isArrayLike(v) && typeof v !== "string") {
    out = Array.from(v as ArrayLike<number>);
    for (let i = 0; i < out.length; i++) {
      if (typeof out[i] !== "number") fail(fn, arg, `must be an array of numbers; entry ${i} is ${typeof out[i]}`);
    }
  } else {
    fail(fn, arg, `must be an array of numbers or a tf.Tensor, got ${v === null ? "null" : typeof v}`);
  }
  checkValues(out, fn, arg, opts);
  return out;
}

/**
 * Reads a rectangular matrix as rows.
 * @example readMatrix([[1, 2], [3, 4]], "densityFigure", "z")
 */
export function readMatrix(v: unknown, fn: string, arg: string, opts: ReadOpts & { cols?: number } = {}): number[][] {
  let rows: number[][];
  if (v instanceof tf.Tensor) {
    const { values, shape } = tensorData(v, fn, arg);
    if (shape.length !== 2) fail(fn, arg, `must be a rank-2 tensor, got shape [${shape}]`);
    const [n, m] = shape;
    rows = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(values.subarray(i * m, (i + 1) * m)));
  } else if (isArrayLike(v) && typeof v !== "string") {
    rows = [];
    const arr = v as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) {
      const r = arr[i];
      if (!isArrayLike(r)) fail(fn, arg, `must be an array of rows (arrays of numbers); row ${i} is ${r === null ? "null" : typeof r}`);
      rows.push(Array.from(r as ArrayLike<number>));
    }
  } else {
    fail(fn, arg, `must be an array of rows or a rank-2 tf.Tensor, got ${v === null ? "null" : typeof v}`);
  }
  if (!opts.allowEmpty && (rows.length === 0 || rows[0].length === 0)) fail(fn, arg, "must not be empty (no rows)");
  const m = opts.cols ?? rows[0]?.length ?? 0;
  rows.forEach((r, i) => {
    if (r.length !== m) fail(fn, arg, `must have ${m} columns in every row; row ${i} has ${r.length}`);
    for (let j = 0; j < r.length; j++) {
      if (typeof r[j] !== "number") fail(fn, arg, `must hold numbers; entry [${i}][${j}] is ${typeof r[j]}`);
      if (!opts.allowNonFinite && !Number.isFinite(r[j])) {
        fail(fn, arg, `must hold finite numbers; entry [${i}][${j}] is ${r[j]} (NaN or infinite coordinates cannot be drawn)`);
      }
    }
  });
  return rows;
}

/**
 * Reads n points in the plane into separate coordinate arrays.
 * @example readPoints([[0, 1], [2, 3]], "samplesFigure", "samples") // { x: [0, 2], y: [1, 3] }
 */
export function readPoints(v: unknown, fn: string, arg: string, opts: ReadOpts = {}): { x: number[]; y: number[] } {
  if (v instanceof tf.Tensor && (v.rank !== 2 || v.shape[1] !== 2)) {
    fail(fn, arg, `must be a tensor of shape [n,2] (2-D points), got shape [${v.shape}]`);
  }
  const rows = readMatrix(v, fn, arg, { ...opts, cols: 2 });
  return { x: rows.map((r) => r[0]), y: rows.map((r) => r[1]) };
}

/** Throws unless every named series has the same length as the first. */
export function checkSameLength(fn: string, series: Record<string, { length: number }>): void {
  const names = Object.keys(series);
  if (names.length === 0) return;
  const n0 = series[names[0]].length;
  for (const name of names.slice(1)) {
    const n = series[name].length;
    if (n !== n0) fail(fn, name, `must have the same length as '${names[0]}' (${n0}), got ${n}`);
  }
}

/** Checks a string option (title, label); returns it or the default. */
export function readLabel(v: unknown, fallback: string, fn: string, arg: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== "string") fail(fn, arg, `must be a string, got ${v === null ? "null" : typeof v}`);
  return v as string;
}

/** Checks that `opts` is an object (or undefined) so builders can destructure it safely. */
export function readOptions<T extends object>(opts: unknown, fn: string, arg = "opts"): Partial<T> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) fail(fn, arg, "must be an options object");
  return opts as Partial<T>;
}
