/**
 * The convergence rule of the generalization study's trained network (issue 23: "metrics are held-out and
 * converged"). The network is trained by DSM (Song et al. 2021, eq. 7) with early stopping on a held-out
 * validation DSM loss (src/score/early-stopping.ts), and its run is read afterwards from the validation history.
 *
 * Which "converged". This paper is about memorization (Yi, Sun, Li, arXiv 2305.14712, Sec. 3): the training loss's
 * minimiser is the empirical optimum, which copies, so "trained until the training loss stops falling" would
 * measure how close SGD gets to copying, not the network a practitioner keeps. The study's notion is the
 * held-out one: the network has converged when its validation DSM loss (fresh draws of the true law, never
 * trained on) has stopped improving. A run meets the rule in one of two ways:
 *   - "stopped": early stopping fired (`patience` evaluations in a row without a new best), before the cap;
 *   - "plateau": it reached the step cap, and its best validation loss improved by less than `relTol` (relative)
 *     over the last `patience` evaluations;
 * otherwise it is "improving" (still learning at the cap): reported, never hidden.
 */
import { checkNumber, fail } from "../tensor";
import { tailDrop } from "../score/early-stopping";

export type ConvergenceOutcome = "stopped" | "plateau" | "improving";

/** The rule's settings: the same `patience` early stopping uses, and the plateau's relative tolerance. */
export interface ConvergenceRule {
  /** Evaluations without a new best that end training (and the plateau's window). */
  patience: number;
  /** Largest relative improvement of the best validation loss over the last window that counts as a plateau. */
  relTol: number;
}

/** The study's plateau tolerance: 1% of the validation loss over the last `patience` evaluations. */
export const PLATEAU_REL_TOL = 0.01;

/**
 * Classifies one training run from its validation history (evaluations in step order, step 0 first).
 * @example trainingConvergence([{ step: 0, loss: 2 }, { step: 50, loss: 1 }, { step: 100, loss: 1.1 }], { stepsRun: 100, maxSteps: 500, patience: 1, relTol: 0.01 }) // "stopped"
 */
export function trainingConvergence(history: { step: number; loss: number }[], o: ConvergenceRule & { stepsRun: number; maxSteps: number }): ConvergenceOutcome {
  const fn = "trainingConvergence";
  if (!Array.isArray(history) || history.length === 0) fail(fn, "history", "must be a non-empty array of { step, loss } (step 0 first)");
  history.forEach((h, i) => {
    if (!h || !Number.isFinite(h.step) || !Number.isFinite(h.loss)) fail(fn, `history[${i}]`, `must be { step, loss } with finite numbers, got ${JSON.stringify(h)}`);
    if (i > 0 && h.step <= history[i - 1].step) fail(fn, `history[${i}].step`, `must be above the previous step ${history[i - 1].step}, got ${h.step}`);
  });
  const patience = checkNumber(o.patience, "opts.patience", fn, { integer: true, min: 1 });
  const relTol = checkNumber(o.relTol, "opts.relTol", fn, { min: 0 });
  const maxSteps = checkNumber(o.maxSteps, "opts.maxSteps", fn, { integer: true, min: 1 });
  const stepsRun = checkNumber(o.stepsRun, "opts.stepsRun", fn, { integer: true, min: 0 });
  if (stepsRun > maxSteps) fail(fn, "opts.stepsRun", `must be at most opts.maxSteps = ${maxSteps}, got ${stepsRun}`);
  let best = 0;
  history.forEach((h, i) => { if (h.loss < history[best].loss) best = i; });
  if (stepsRun < maxSteps && history.length - 1 - best >= patience) return "stopped";
  // Fewer evaluations than a window: nothing to call a plateau.
  if (history.length <= patience) return "improving";
  // The relative fall of the best validation loss over the last window: early stopping's own measure of it.
  return tailDrop(history, patience) < relTol ? "plateau" : "improving";
}
