/** Fusion weights: how much of each auxiliary model the KL-barycenter fusion uses. */
import type { Figure, Trace } from "./figure";
import { readLabel, readMatrix, readOptions, readVector, type MatrixInput, type VectorInput } from "./input";
import { fail } from "../tensor";
import { baseLayout, seriesColor } from "./style";

export interface FusionWeightsOptions {
  /** Target-sample sizes; then `weights` is a matrix [n.length, models.length] and bars are grouped by n. */
  n?: VectorInput;
  title?: string;
}

/**
 * Bar per auxiliary model of the learned barycenter weights λ_k (Σ λ_k = 1 on the simplex); with `n`, one group
 * of bars per target-sample size.
 * @example fusionWeightsFigure(["m1", "m2"], [0.7, 0.3])
 * @example fusionWeightsFigure(["m1", "m2"], [[0.5, 0.5], [0.8, 0.2]], { n: [10, 1000] })
 */
export function fusionWeightsFigure(models: string[], weights: VectorInput | MatrixInput, opts: FusionWeightsOptions = {}): Figure {
  const fn = "fusionWeightsFigure";
  const o = readOptions<FusionWeightsOptions>(opts, fn);
  if (!Array.isArray(models) || models.length === 0) fail(fn, "models", "must be a non-empty array of model names");
  models.forEach((m, i) => {
    if (typeof m !== "string") fail(fn, `models[${i}]`, `must be a string, got ${typeof m}`);
  });
  const K = models.length;
  let data: Trace[];
  let xLabel: string;
  if (o.n === undefined) {
    const w = readVector(weights, fn, "weights");
    if (w.length !== K) fail(fn, "weights", `must have one weight per model (${K}), got ${w.length}`);
    data = [{ type: "bar", name: "weight", x: models, y: w, marker: { color: models.map((_, i) => seriesColor(i)) } }];
    xLabel = "auxiliary model";
  } else {
    const n = readVector(o.n, fn, "opts.n");
    const w = readMatrix(weights, fn, "weights");
    if (w.length !== n.length) fail(fn, "weights", `must have one row per value of opts.n (${n.length}), got ${w.length}`);
    if (w[0].length !== K) fail(fn, "weights", `must have one column per model (${K}), got ${w[0].length}`);
    const labels = n.map((v) => String(v));
    data = models.map((m, k) => ({ type: "bar", name: m, x: labels, y: w.map((r) => r[k]), marker: { color: seriesColor(k) } }));
    xLabel = "n (target samples)";
  }
  const layout = baseLayout(readLabel(o.title, "Fusion weights", fn, "opts.title"), xLabel, "weight λ (dimensionless)", {
    barmode: "group",
    xaxis: { type: "category" },
    showlegend: o.n !== undefined,
  });
  return { data, layout };
}
