/**
 * The generalization study's figures: each metric's mean over seeds against n with 95% Student-t error bars, one
 * curve per generator, the null generators (fresh data, true score) dashed as reference levels, and the ceiling
 * log 2 of the mutual information as a dotted line.
 */
import type { Figure, Trace } from "../plot/figure";
import { MARGIN, baseLayout, seriesColor } from "../plot/style";
import type { ResultRow } from "../table";
import { GENERALIZATION_MODELS, NULL_MODELS, type GeneralizationModel } from "./seed-run";
import { MI_CEILING, seedInterval } from "./claims";

/** Decade ticks labelled 10^k: the log axes of every figure here. */
const LOG_AXIS = { type: "log", dtick: 1, exponentformat: "power" };

interface FigureSpec { metric: string; title: string; yLabel: string; logY?: boolean; ceiling?: boolean; exponent?: boolean; skip?: GeneralizationModel[] }

function intervalFigure(rows: ResultRow[], ns: number[], models: readonly GeneralizationModel[], s: FigureSpec): Figure {
  const data: Trace[] = [];
  for (const m of models) {
    if (s.skip?.includes(m)) continue;
    const ci = ns.map((n) => seedInterval(rows, m, s.metric, n));
    if (!ci.some((c) => c)) continue;
    const isNull = NULL_MODELS.includes(m);
    data.push({
      type: "scatter", mode: "lines+markers", name: isNull ? `${m} (null)` : m, x: ns, y: ci.map((c) => c?.mean ?? null),
      error_y: { type: "data", array: ci.map((c) => c?.halfWidth ?? 0), visible: true },
      customdata: ci.map((c) => c?.n ?? 0),
      hovertemplate: `n = %{x}: %{y:${s.exponent ? ".3e" : ".4g"}} ± %{error_y.array:.2g} (%{customdata} seeds)<extra>${m}</extra>`,
      line: { color: seriesColor(GENERALIZATION_MODELS.indexOf(m)), width: 2, dash: isNull ? "dash" : "solid" },
      marker: { size: 7 },
    });
  }
  if (s.ceiling) {
    data.push({ type: "scatter", mode: "lines", name: "ceiling log 2", x: [ns[0], ns[ns.length - 1]], y: [MI_CEILING, MI_CEILING], line: { color: "#888888", width: 1, dash: "dot" }, hoverinfo: "skip" });
  }
  // The legend goes under the plot, so that five long names do not squeeze the axes.
  return {
    data,
    layout: baseLayout(s.title, "n (training points, log scale)", s.yLabel, {
      xaxis: LOG_AXIS, yaxis: s.logY ? LOG_AXIS : {}, legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" }, margin: { ...MARGIN, b: 140 }, height: 560,
    }),
  };
}

export interface GeneralizationFigures {
  mutualInformation: Figure;
  memorization: Figure;
  mmd: Figure;
  gap: Figure;
  nnDistance: Figure;
}

/**
 * The five figures of the study from its rows.
 * @example const f = generalizationFigures(result.table.objects(), [16, 64], ["empirical-optimum", "dsm-mlp", "fresh-data"]);
 */
export function generalizationFigures(rows: ResultRow[], ns: number[], models: readonly GeneralizationModel[]): GeneralizationFigures {
  const bars = "mean, 95% CI over seeds";
  return {
    mutualInformation: intervalFigure(rows, ns, models, { metric: "mi_nearest_set", title: `Mutual information I(L; B) (${bars})`, yLabel: "I(L; B) (nats)", ceiling: true }),
    memorization: intervalFigure(rows, ns, models, { metric: "memorization_rate", title: `Copy rate (${bars})`, yLabel: "fraction copied (NN ratio < 1/3)" }),
    mmd: intervalFigure(rows, ns, models, { metric: "mmd2_test", title: `MMD² to held-out data (${bars})`, yLabel: "MMD² (unbiased, RBF kernel)", exponent: true }),
    gap: intervalFigure(rows, ns, models, { metric: "dsm_gap", title: `DSM gap, held-out minus training (${bars})`, yLabel: "DSM loss gap (per coordinate)", skip: ["fresh-data"] }),
    nnDistance: intervalFigure(rows, ns, models, { metric: "nn_distance_mean", title: `Distance to the nearest training point (${bars})`, yLabel: "distance", logY: true }),
  };
}
