/**
 * Shared fixtures of the magic tests that go through a kernel executor: cells with every output captured, and a
 * session holding a small trained model. (In-process fixtures, which load no kernel, are in ./context.ts.)
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { CellError, CellSink, KernelExecutor } from "../../kernel/executor";
import { sharedSession } from "../kernel/session";
import { PLOTLY_MIME } from "../../src/plot/mime";
import type { MimeBundle } from "../../src/magics/spec";

export interface Captured { out: string; displays: { bundle: MimeBundle; id?: string; update?: boolean }[]; errors: CellError[] }

export function capture(): { sink: CellSink; got: Captured } {
  const got: Captured = { out: "", displays: [], errors: [] };
  const sink: CellSink = {
    stream: (_n, t) => { got.out += t; },
    display: (bundle, id, update) => got.displays.push({ bundle, id, update }),
    result: () => {},
    error: (e) => got.errors.push(e),
  };
  return { sink, got };
}

/** Runs a cell that must succeed; returns everything it printed and displayed. */
export async function run(ex: KernelExecutor, code: string): Promise<Captured> {
  const { sink, got } = capture();
  const err = await ex.execute(code, sink);
  assert.equal(err, null, `${code}: ${err?.evalue}`);
  return got;
}

export const figures = (c: Captured) => c.displays.filter((d) => d.bundle[PLOTLY_MIME] !== undefined);
export const traces = (d: { bundle: MimeBundle }) => (d.bundle[PLOTLY_MIME] as { data: { name?: string; x?: number[] }[] }).data;

/** The lines of the training-data fixture: `kept` (a variable later cells check), 256 moons, a 30-step model. */
export const KEPT = "let kept = 41;";
export const MOONS = "%dataset moons --n 256 --seed 1 --as moons";
export const MODEL = "%train_score --data moons --steps 30 --width 32 --depth 2 --batch 64 --seed 0 --as model";

/** A file's shared executor that has run `lines` once (a preload costs seconds). Call at the top of a test file. */
export const sessionWith = (...lines: string[]) => sharedSession(async (ex) => { for (const l of lines) await run(ex, l); });

/** Each line fails with one single-line error matching its pattern, leaks no tensors, and `kept` survives. */
export async function oneLineErrors(ex: KernelExecutor, cases: [string, RegExp][]): Promise<void> {
  for (const [line, re] of cases) {
    const { sink, got } = capture();
    const before = tf.memory().numTensors;
    const err = await ex.execute(line, sink);
    assert.ok(err, `no error for ${line}`);
    assert.equal(got.errors.length, 1, line);
    assert.ok(!err.evalue.includes("\n"), `multi-line error for ${line}: ${err.evalue}`);
    assert.match(err.evalue, re, line);
    assert.equal(tf.memory().numTensors, before, `${line} leaks tensors`);
  }
  const { sink } = capture();
  assert.equal(await ex.execute("kept + 1", sink), null);
  assert.equal(ex.locals.kept, 41);
}
