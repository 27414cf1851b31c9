/// <reference types="node" preserve="true" />
/**
 * What notebook cells call: the kernel rewrites `%name args` into `await magic$("name", [args])` and preloads
 * these names. The reference above brings Node's types (console, process, …) into cells even when the
 * notebook's folder has no node_modules.
 */
import * as tf from "@tensorflow/tfjs";
import { MagicError, MimeBundle } from "../src/magics/spec";
import { MagicName, MagicResult, findMagic } from "../src/magics/registry";
import { parseMagicArgs, magicHelp } from "../src/magics/parse";
import { clearHostOutput, sessionLocals, withMagicContext } from "./magic-session";
import { mimeBundleOf, plainText } from "../src/magics/mime";
import { isFigure, staticFigureBundle, STATIC_FORMATS, type Figure, type StaticFormat } from "../src/plot";

/**
 * Runs magic `name` with argument tokens (strings, or values interpolated from `{expr}`) and an optional body.
 * @example const rng = await magic$("seed", ["42"]);
 */
export async function magic$<K extends MagicName>(name: K, argv: unknown[], body?: () => Promise<unknown>): Promise<MagicResult<K>> {
  const spec = findMagic(name);
  if (!spec) throw new MagicError(`unknown magic %${String(name)}; %lsmagic lists them`);
  if (!Array.isArray(argv)) throw new MagicError(`magic$(): argument 'argv' must be an array`);
  const parsed = parseMagicArgs(spec, argv);
  return withMagicContext(async (ctx) => {
    try {
      return (await spec.run({ ...parsed, body }, ctx)) as MagicResult<K>;
    } catch (e) {
      if (e instanceof MagicError) throw e;
      // Library errors already name the function and argument; keep them one line under the magic's name.
      const msg = e instanceof Error ? e.message : String(e);
      const err = new MagicError(`%${spec.name}: ${msg.split("\n")[0]}`);
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
  });
}

// How far the result and the notebook's variables are searched for tensors: results are shallow records
// (Dataset, { samples, history }, arrays of snapshots); deeper structures are left alone rather than walked.
const MAX_DEPTH = 4;
const MAX_ITEMS = 100_000;

/** Something that holds trainable state (a score model, a discriminator, a layers model): never disposed. */
function isModelLike(v: object): boolean {
  if (v instanceof tf.LayersModel) return true;
  // A ScoreModel always has a `variables` array, even when empty (exact or fused scores).
  try {
    if (Array.isArray((v as { variables?: unknown }).variables)) return true;
    return Object.values(v).some((x) => x instanceof tf.Variable);
  } catch {
    return true;
  }
}

/** Calls `visit` on each tensor reachable from `root` through arrays and objects, up to MAX_DEPTH. */
function walkTensors(root: unknown, visit: (t: tf.Tensor) => void, skipModels: boolean): void {
  const seen = new Set<object>();
  const go = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (v instanceof tf.Tensor) { visit(v); return; }
    if (depth >= MAX_DEPTH || ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set || v instanceof Promise) return;
    if (skipModels && isModelLike(v)) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && i < MAX_ITEMS; i++) if (typeof v[i] === "object") go(v[i], depth + 1);
      return;
    }
    let n = 0;
    for (const k of Object.keys(v)) {
      if (++n > MAX_ITEMS) break;
      let x: unknown;
      try { x = (v as Record<string, unknown>)[k]; } catch { continue; }
      go(x, depth + 1);
    }
  };
  go(root, 0);
}

/**
 * Disposes the tensors in a discarded magic result that the magic made itself (id above `firstFreshId`), that
 * are not variables nor inside a model, and that no notebook variable reaches. Returns how many it disposed.
 */
function disposeFresh(result: unknown, firstFreshId: number, locals: Record<string, unknown>): number {
  const fresh: tf.Tensor[] = [];
  walkTensors(result, (t) => { if (t.id > firstFreshId && !(t instanceof tf.Variable) && !t.isDisposed) fresh.push(t); }, true);
  if (fresh.length === 0) return 0;
  const held = new Set<number>();
  walkTensors(locals, (t) => held.add(t.id), false);
  let n = 0;
  for (const t of new Set(fresh)) if (!held.has(t.id)) { t.dispose(); n++; }
  return n;
}

/**
 * What an unbound magic line (no `--as`) becomes: runs the magic like magic$ and then disposes the tensors of
 * its result that the magic created and nothing else reaches, so a long session does not grow
 * tf.memory().numTensors. Magics that run notebook code (%time, %timeit) and specs with `keepUnboundResult`
 * keep their result.
 * @example await magicDiscard$("sample", ["--model", "model", "--n", "10"]);
 */
export async function magicDiscard$<K extends MagicName>(name: K, argv: unknown[], body?: () => Promise<unknown>): Promise<void> {
  const spec = findMagic(name);
  // Tensor ids only grow: everything the magic makes gets an id above this probe's.
  const probe = tf.scalar(0);
  const firstFreshId = probe.id;
  probe.dispose();
  const result = await magic$(name, argv, body);
  if (!spec || spec.body || spec.keepUnboundResult) return;
  disposeFresh(result, firstFreshId, sessionLocals());
}

/** `%name?`: prints the help generated from the magic's parser. */
export function magicHelp$(name: string): void {
  const spec = findMagic(name);
  if (!spec) throw new MagicError(`unknown magic %${name}; %lsmagic lists them`);
  withMagicContext(async (ctx) => ctx.print(magicHelp(spec))).catch((e) => reportOutputError(`%${name}?`, e));
}

export interface DisplayOptions {
  /** Add a still image of a figure (true: SVG), rendered by headless Chromium; display then returns a Promise. */
  static?: boolean | StaticFormat;
}

/**
 * Shows a value richly in the current cell: figures as Plotly, tables as HTML, PNG bytes as images, else text.
 * With `{ static: "svg" | "png" | true }` a figure also carries a still image (for GitHub and nbviewer); await it.
 * @example display(lab.lineFigure(undefined, [{ name: "loss", y: losses }]))
 * @example await display(fig, { static: "png" })
 */
export function display(value: unknown): void;
export function display(value: unknown, opts: DisplayOptions): Promise<void>;
export function display(value: unknown, opts?: DisplayOptions): void | Promise<void> {
  if (opts !== undefined) {
    if (opts === null || typeof opts !== "object") throw new Error("display(): argument 'opts' must be an options object { static }");
    const st = opts.static;
    if (st !== undefined && typeof st !== "boolean" && !STATIC_FORMATS.includes(st)) {
      throw new Error(`display(): argument 'opts.static' must be true, false, "svg" or "png", got ${JSON.stringify(st)}`);
    }
    if (st && !isFigure(value)) throw new Error("display(): argument 'opts.static' needs a figure { data, layout } as 'value'");
    if (st) {
      const format: StaticFormat = st === true ? "svg" : st;
      return withMagicContext(async (ctx) => ctx.display(await staticFigureBundle(value as Figure, { format })));
    }
  }
  const bundle: MimeBundle = mimeBundleOf(value) ?? { "text/plain": typeof value === "string" ? value : plainText(value) };
  // display() returns at once (cells call it without await): a host that fails to write must not become an
  // unhandled rejection, so the failure is reported on stderr, where the cell shows it.
  withMagicContext(async (ctx) => ctx.display(bundle)).catch((e) => reportOutputError("display", e));
  return opts === undefined ? undefined : Promise.resolve();
}

/**
 * Clears the cell's output, as IPython's clear_output: at once, or with `wait` only when the next output arrives
 * (no flicker for a frame redrawn in a loop).
 * @example for (const f of frames) { clearOutput(true); display(f); }
 */
export function clearOutput(wait = false): void {
  if (typeof wait !== "boolean") throw new Error(`clearOutput(): argument 'wait' must be a boolean, got ${typeof wait}`);
  clearHostOutput(wait);
}

function reportOutputError(fn: string, e: unknown): void {
  console.error(`${fn}(): could not write the output: ${e instanceof Error ? e.message : String(e)}`);
}
