/** %check: runs a classroom check (src/check) on a notebook function and prints PASS or FAIL with a hint. */
import { CHECKS, CheckFailure, runCheck, type CheckResult } from "../check";
import { defineMagic, MagicError } from "./spec";

export const checkMagic = defineMagic<CheckResult>({
  name: "check",
  summary: "test an assignment function against exact answers on random inputs (dsm-loss, em-step, copy-rate)",
  options: [{ flags: "--seed <s>", description: "seed of the random cases", kind: "int" }],
  args: [
    { name: "check", description: `the check: ${Object.keys(CHECKS).join(", ")}`, required: true },
    { name: "fn", description: "the notebook variable holding your function, or {fn}", required: true },
  ],
  help: "Example: %check dsm-loss dsmLoss\nA failing check raises an error in the cell (so graders count it) whose message names the first wrong case and the likely mistake.",
  async run({ args, opts }, ctx) {
    const name = args[0] as string;
    if (!Object.prototype.hasOwnProperty.call(CHECKS, name)) throw new MagicError(`%check: unknown check '${name}'; choose one of ${Object.keys(CHECKS).join(", ")}`);
    let fn = args[1];
    if (typeof fn === "string") {
      if (!(fn in ctx.locals)) throw new MagicError(`%check: no notebook variable '${fn}'; define your function first (run its cell)`);
      fn = ctx.locals[fn];
    }
    if (typeof fn !== "function") throw new MagicError(`%check: '${String(args[1])}' must be a function, got ${typeof fn}`);
    try {
      return runCheck(name, fn, { seed: opts.seed as number | undefined, print: (l) => ctx.print(l) });
    } catch (e) {
      // The hint is the whole message: show it as a one-line error, not a stack.
      if (e instanceof CheckFailure) throw new MagicError(e.message);
      throw e;
    }
  },
});
