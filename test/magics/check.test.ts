/** %check: a notebook function against a classroom check; PASS printed, FAIL as one MagicError line with the hint. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkMagic } from "../../src/magics/check";
import { CHECKS } from "../../src/check/checks";
import { context, oneLineError, runLine } from "./context";

/** The copy rate done right: the fraction of generated points whose nearest training point is much nearer than the second. */
const copyRate = (generated: number[][], train: number[][], ratio: number) => generated.filter((y) => {
  const d = train.map((x) => Math.hypot(...x.map((v, j) => v - y[j]))).sort((a, b) => a - b);
  return d[0] < ratio * d[1];
}).length / generated.length;

test("%check copy-rate on a right function passes and prints PASS; on a wrong one it is one line with the hint", async () => {
  const { ctx, printed } = context({ copyRate, count: (g: number[][], t: number[][], r: number) => copyRate(g, t, r) * g.length });
  const r = await runLine(checkMagic, ["copy-rate", "copyRate", "--seed", "1"], ctx);
  assert.equal(r.passed, true);
  assert.match(printed.join("\n"), /^PASS copy-rate: passed \d+ random cases/);
  await oneLineError(runLine(checkMagic, ["copy-rate", "count"], ctx), /fraction of generated points/);
});

test("%check: unknown check, unknown variable and a non-function each give one line naming what was wrong", async () => {
  const { ctx } = context({ notFn: 3 });
  await oneLineError(runLine(checkMagic, ["nosuch", "notFn"], ctx), new RegExp(`^%check: unknown check 'nosuch'; choose one of ${Object.keys(CHECKS).join(", ")}$`));
  await oneLineError(runLine(checkMagic, ["copy-rate", "absent"], ctx), /^%check: no notebook variable 'absent'; define your function first/);
  await oneLineError(runLine(checkMagic, ["copy-rate", "notFn"], ctx), /^%check: 'notFn' must be a function, got number$/);
});
