/** In-process fixtures of the magic tests: a recording MagicContext, one magic line through the real parser and run. */
import assert from "node:assert/strict";
import { Rng } from "../../src/tensor/rng";
import { parseMagicArgs } from "../../src/magics/parse";
import type { MagicContext, MagicSpec, MimeBundle } from "../../src/magics/spec";

/** A MagicContext that records what the magic prints and displays. */
export function context(locals: Record<string, unknown>, signal = new AbortController().signal) {
  const printed: string[] = [];
  const shown: MimeBundle[] = [];
  const ctx: MagicContext = { rng: new Rng(7), setRng() {}, print: (t) => printed.push(t), display: (b) => shown.push(b), signal, locals };
  return { ctx, printed, shown };
}

/** The Plotly bundles among displayed ones. */
export const plotlyBundles = (shown: MimeBundle[]) => shown.filter((b) => "application/vnd.plotly.v1+json" in b) as { "application/vnd.plotly.v1+json": { layout: { title?: { text?: string } } } }[];

/** Runs one magic line through the real parser and the spec's run. */
export async function runLine<R>(spec: MagicSpec<R>, argv: string[], ctx: MagicContext): Promise<R> {
  return spec.run(parseMagicArgs(spec as MagicSpec, argv), ctx);
}

/** Every error is a single line that names the magic. */
export async function oneLineError(p: Promise<unknown> | (() => unknown), pattern: RegExp): Promise<void> {
  let err: unknown;
  try { await (typeof p === "function" ? p() : p); } catch (e) { err = e; }
  assert.ok(err instanceof Error, `expected an error matching ${pattern}`);
  assert.equal(err.name, "MagicError", err.message);
  assert.match(err.message, pattern);
  assert.ok(!err.message.includes("\n"), `multi-line error: ${err.message}`);
}
