/**
 * Successive halving (Jamieson & Talwalkar 2016, Alg. 1; the inner loop of Hyperband, Li et al. 2017): after a
 * rung, the points whose mean metric over seeds is best survive, one in eta, to run at the next budget.
 */
import type { HalvingSpec, JsonValue, Trial } from "./spec";
import type { StoredResult } from "./records";

/**
 * The surviving points of a rung, in their order: the ceil(k / eta) best of the k points by the mean of
 * `metric` over their finished seeds; a point with no finished value ranks last.
 * @example survivors(points, trials, results, { metric: "loss", mode: "min", eta: 3, ... })
 */
export function survivors(points: Record<string, JsonValue>[], trials: Trial[], results: Map<string, StoredResult>, h: Required<HalvingSpec>): Record<string, JsonValue>[] {
  const perPoint = trials.length / points.length;
  const score = points.map((_, i) => {
    const vals = trials.slice(i * perPoint, (i + 1) * perPoint).flatMap((t) => {
      const r = results.get(t.id);
      return r && r.status === "ok" ? r.rows.filter((row) => row.metric === h.metric && Number.isFinite(row.value)).map((row) => row.value) : [];
    });
    if (vals.length === 0) return Infinity;
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    return h.mode === "min" ? m : -m;
  });
  const keep = Math.max(1, Math.ceil(points.length / h.eta));
  const order = score.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s || a.i - b.i).slice(0, keep).map((o) => o.i).sort((a, b) => a - b);
  return order.map((i) => points[i]);
}
