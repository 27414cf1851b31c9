/**
 * How magics read their inputs from the notebook: a flag's value is either the name of a notebook variable
 * (`--data moons`) or, through `{expr}` interpolation, the value itself (`--data {ds.x}`). Errors are one line
 * and name the magic and the flag.
 */
import * as tf from "@tensorflow/tfjs";
import { MagicContext, MagicError } from "./spec";

/**
 * The value a flag refers to: the notebook variable it names, or the interpolated value.
 * @example const data = notebookValue(ctx, "train_score", "--data", opts.data);
 */
export function notebookValue(ctx: MagicContext, magic: string, flag: string, ref: unknown): unknown {
  if (ref === undefined) throw new MagicError(`%${magic}: ${flag} is required (the name of a notebook variable)`);
  if (typeof ref !== "string") return ref;
  if (!/^[A-Za-z_$][\w$]*$/.test(ref)) throw new MagicError(`%${magic}: ${flag} expects a variable name, got '${ref}'`);
  if (!Object.prototype.hasOwnProperty.call(ctx.locals, ref)) throw new MagicError(`%${magic}: ${flag} '${ref}' is not a notebook variable`);
  return ctx.locals[ref];
}

/** A short name of a value's type for error messages. @example typeName(tf.zeros([2])) // "tensor [2]" */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof tf.Tensor) return v.isDisposed ? "disposed tensor" : `tensor [${v.shape}]`;
  if (Array.isArray(v)) return `array of ${v.length}`;
  if (typeof v === "object") {
    const o = v as { name?: unknown; x?: unknown; constructor?: { name?: string } };
    if (o.x instanceof tf.Tensor && typeof o.name === "string") return `dataset '${o.name}' [${o.x.shape}]`;
    const ctor = o.constructor?.name;
    return ctor && ctor !== "Object" ? `${ctor} object` : "object";
  }
  return typeof v;
}

/**
 * The data tensor of a value: a tensor, or a dataset/record with a tensor `.x` (what %dataset binds).
 * @example const x = dataTensorOf(ctx.locals.moons, "train_score", "--data 'moons'");
 */
export function dataTensorOf(v: unknown, magic: string, what: string): tf.Tensor {
  const t = v instanceof tf.Tensor ? v : v !== null && typeof v === "object" && (v as { x?: unknown }).x instanceof tf.Tensor ? (v as { x: tf.Tensor }).x : undefined;
  if (!t) throw new MagicError(`%${magic}: ${what} must be a tensor [n, ...] or a dataset from %dataset, got ${typeName(v)}`);
  if (t.isDisposed) throw new MagicError(`%${magic}: ${what} is a disposed tensor`);
  return t;
}
