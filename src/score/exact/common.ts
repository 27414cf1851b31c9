/** Shared argument checks of the exact score functions. */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, fail } from "../../tensor";
import { isSDE } from "../../sde/sde";
import type { SDE, ScoreModel } from "../../sde/types";

/** An exact score model: a ScoreModel with no variables and, where closed, the diffused log-density. */
export interface ExactScoreModel extends ScoreModel {
  /** log p_t(x) per row, x [n, d], t [n] -> [n]. */
  logDensity?(x: tf.Tensor, t: tf.Tensor): tf.Tensor1D;
  dispose(): void;
}

export function checkSDE(sde: unknown, fn: string): SDE {
  if (!isSDE(sde)) fail(fn, "sde", "must be an SDE (from vpSDE, veSDE, subVpSDE or makeSDE)");
  return sde as SDE;
}

/** Checks a call (x [n, d], t [n]) of a d-dimensional score function. */
export function checkCall(x: tf.Tensor, t: tf.Tensor, d: number, fn: string): void {
  checkTensor(x, "x", fn);
  checkTensor(t, "t", fn);
  if (x.rank !== 2 || x.shape[1] !== d) fail(fn, "x", `must have shape [n, ${d}], got [${x.shape}]`);
  if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(fn, "t", `must have shape [${x.shape[0]}] (one time per row), got [${t.shape}]`);
}
