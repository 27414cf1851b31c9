// Training curves (src/plot/training.ts): the loss with its bias-corrected EMA, and the generalization gap.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot/training";
import { ROLE_COLORS } from "../../src/plot/style";

test("ema is bias-corrected: a constant series stays constant, and matches the closed form", () => {
  assert.deepEqual(p.smoothCurve([2, 2, 2], 0.9), [2, 2, 2]);
  // Second value: (0.9·0.1·1 + 0.1·3) / (1 − 0.81) = 0.39 / 0.19.
  const e = p.smoothCurve([1, 3], 0.9);
  assert.ok(Math.abs(e[1] - 0.39 / 0.19) < 1e-12);
});

test("trainingCurveFigure draws the raw loss and its EMA against steps; the gap figure draws train and test on log n", () => {
  const f = p.trainingCurveFigure([4, 2, 1], { steps: [10, 20, 30], emaDecay: 0.5 });
  const [raw, ema] = f.data;
  assert.deepEqual([raw.name, ema.name], ["loss", "EMA (decay 0.5)"]);
  assert.deepEqual([raw.x, raw.y], [[10, 20, 30], [4, 2, 1]]);
  assert.deepEqual(ema.y, p.smoothCurve([4, 2, 1], 0.5));
  assert.equal((ema.line as { color: string }).color, ROLE_COLORS.ema);
  const g = p.generalizationGapFigure([10, 100], { train: [0.5, 0.9], test: [2, 1] });
  assert.equal((g.layout.xaxis as { type: string }).type, "log");
  assert.deepEqual(g.data.slice(0, 2).map((t) => t.y), [[0.5, 0.9], [2, 1]]);
  assert.equal(p.trainingCurveFigure([1, 2], { emaDecay: 0 }).data.length, 1, "decay 0 hides the EMA");
  assert.throws(() => p.trainingCurveFigure([1], { emaDecay: 1 }), /trainingCurveFigure: argument 'opts.emaDecay' must be < 1/);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.trainingCurveFigure([1, 2], { steps: [0, 1, 2] }), /trainingCurveFigure: argument 'loss' must have the same length as 'opts.steps' \(3\), got 2/],
    [() => p.trainingCurveFigure([1, Infinity]), /trainingCurveFigure: argument 'loss' must hold finite numbers/],
    [() => p.generalizationGapFigure([1, 2], { train: [1, 2], test: [1] }), /generalizationGapFigure: argument 'losses.test' must have the same length as 'x'/],
    [() => p.generalizationGapFigure([0, 2], { train: [1, 2], test: [1, 2] }), /generalizationGapFigure: argument 'x' must be positive/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});
