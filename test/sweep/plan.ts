// Trials of the fixture module built by hand, for the tests that drive one part of the sweep (pool, executor,
// run-trial, records, table) without planning a whole sweep. Not a test file itself.
import * as path from "node:path";
import type { JsonValue, Trial } from "../../src/sweep/spec";

export const MODULE = path.join(__dirname, "fixtures", "trials.js");

/** A trial of the fixture module's `fn` (square, boom, budgeted) with `params` and `seed`. */
export function fixtureTrial(fn: string, params: Record<string, JsonValue>, seed = 0, extra: Partial<Trial> = {}): Trial {
  const id = `${fn}-${Object.values(params).join("-")}-s${seed}`;
  return { id, index: 0, fn, module: MODULE, params, seed, point: `${fn}-${Object.values(params).join("-")}`, attempts: 1, rung: 0, ...extra };
}
