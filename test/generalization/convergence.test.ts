import { test } from "node:test";
import assert from "node:assert/strict";
import { PLATEAU_REL_TOL, trainingConvergence } from "../../src/generalization/convergence";

const hist = (losses: number[], every = 100) => losses.map((loss, i) => ({ step: i * every, loss }));

test("trainingConvergence: stopped before the cap, plateau at the cap, still improving at the cap", () => {
  const rule = { patience: 2, relTol: PLATEAU_REL_TOL };
  // Best at step 200, two evaluations without a new best, ended at 400 of 1000: early stopping fired.
  assert.equal(trainingConvergence(hist([5, 3, 2, 2.1, 2.05]), { ...rule, stepsRun: 400, maxSteps: 1000 }), "stopped");
  // At the cap: the best before the last two evaluations is 2.000, the best overall 1.990: 0.5% < 1%, a plateau.
  assert.equal(trainingConvergence(hist([5, 3, 2, 1.995, 1.99]), { ...rule, stepsRun: 400, maxSteps: 400 }), "plateau");
  // At the cap, 2.000 -> 1.970 over the window: 1.5% >= 1%, still improving.
  assert.equal(trainingConvergence(hist([5, 3, 2, 1.98, 1.97]), { ...rule, stepsRun: 400, maxSteps: 400 }), "improving");
  // Patience firing exactly at the cap: no improvement at all over the window counts as a plateau.
  assert.equal(trainingConvergence(hist([5, 2, 2.1, 2.2]), { ...rule, stepsRun: 300, maxSteps: 300 }), "plateau");
  // Fewer evaluations than a window (one evaluation, the start): nothing shows a plateau.
  assert.equal(trainingConvergence(hist([5]), { ...rule, stepsRun: 50, maxSteps: 50 }), "improving");
});

test("trainingConvergence names the argument it rejects", () => {
  const o = { patience: 2, relTol: 0.01, stepsRun: 100, maxSteps: 100 };
  assert.throws(() => trainingConvergence([], o), /trainingConvergence: argument 'history' must be a non-empty array/);
  assert.throws(() => trainingConvergence(hist([1, 2]).reverse(), o), /trainingConvergence: argument 'history\[1\]\.step' must be above/);
  assert.throws(() => trainingConvergence(hist([1, NaN]), o), /trainingConvergence: argument 'history\[1\]'/);
  assert.throws(() => trainingConvergence(hist([1, 2]), { ...o, stepsRun: 200 }), /trainingConvergence: argument 'opts.stepsRun' must be at most/);
  assert.throws(() => trainingConvergence(hist([1, 2]), { ...o, patience: 0 }), /trainingConvergence: argument 'opts.patience'/);
});
