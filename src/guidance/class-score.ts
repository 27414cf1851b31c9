/** Conditional scores of a class-conditional ScoreNet (src/score/labels.ts) as plain ScoreFns. */
import { fail } from "../tensor";
import { ScoreNet, labelTensor, type Labels, type WeightSet } from "../score";
import type { ScoreFn } from "../sde/types";
import { classifierFreeGuidance, type GuidanceScaleOptions } from "./guided";

function conditional(model: ScoreNet, fn: string): number {
  if (!(model instanceof ScoreNet)) fail(fn, "model", "must be a ScoreNet");
  if (!model.classes) fail(fn, "model", "must be class-conditional (built with opts.classes and trained with opts.labels)");
  return model.classes;
}

/**
 * The score s(x | label) of a class-conditional model: a class for every row, one per row, or null for the
 * unconditional score (the null label trained by conditioning dropout). A single class is checked here.
 * @example const s = classScore(model, 1); await probabilityFlowHeun(s, model.sde, opts);
 */
export function classScore(model: ScoreNet, label: Labels, which?: WeightSet): ScoreFn {
  const fn = "classScore";
  const classes = conditional(model, fn);
  if (label === undefined) fail(fn, "label", "must be a class, one class per row, or null (unconditional)");
  if (typeof label === "number") labelTensor(label, 1, classes, fn, "label").dispose();
  return (x, t) => model.scoreWith(x, t, which, label);
}

/**
 * Classifier-free guidance of a class-conditional model (Ho & Salimans 2022, eq. 6): (1 + w) s(x | label) - w s(x).
 * @example const s = cfgScore(model, 3, { scale: 2 });
 */
export function cfgScore(model: ScoreNet, label: Labels, opts: GuidanceScaleOptions & { which?: WeightSet }): ScoreFn {
  const fn = "cfgScore";
  conditional(model, fn);
  if (label === null) fail(fn, "label", "must be a class (guidance towards the unconditional model is no guidance)");
  return classifierFreeGuidance(classScore(model, label, opts?.which), classScore(model, null, opts?.which), opts);
}
