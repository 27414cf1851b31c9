/**
 * The refinement study's figures as a referee reads them: per point the mean over seeds with its 95 % Student-t
 * interval as an error bar, markers (the curves are sparse), dashed horizontal reference levels, one quantity per
 * axis, and log axes labelled by decade.
 */
import { baseLayout, seriesColor, type Figure, type Trace } from "../plot";
import { meanCI } from "../sweep/interval";

/** One curve: for each x, the values of every seed there. */
export interface IntervalSeries { name: string; perX: number[][] }

/** A horizontal reference level (a null or a floor), drawn dashed across the figure. */
export interface ReferenceLevel { name: string; y: number }

export interface IntervalFigureOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  references?: ReferenceLevel[];
}

/** Log axis ticks at 1, 10, 100, ... whatever the data range (Plotly's dtick 1 on a log axis is one decade). */
const DECADES = { type: "log", dtick: 1, exponentformat: "none", showexponent: "none" };

/**
 * Mean and interval error bars over seeds for each series, with dashed reference levels.
 * @example intervalFigure([25, 100], [{ name: "refined", perX: [[0.1, 0.2], [0.05, 0.06]] }], { title: "KL", xLabel: "n", yLabel: "nats", logX: true })
 */
export function intervalFigure(x: number[], series: IntervalSeries[], opts: IntervalFigureOptions): Figure {
  const data: Trace[] = series.map((s, i) => {
    const ci = s.perX.map((v) => (v.length ? meanCI(v) : { mean: NaN, halfWidth: 0, n: 0 }));
    return {
      type: "scatter", mode: "lines+markers", name: s.name, x, y: ci.map((c) => c.mean),
      error_y: { type: "data", array: ci.map((c) => (c.n > 1 ? c.halfWidth : 0)), visible: true },
      customdata: ci.map((c) => c.n), hovertemplate: `%{y:.4g} ± %{error_y.array:.3g} (%{customdata} seeds)<extra>${s.name}</extra>`,
      line: { color: seriesColor(i), width: 2 }, marker: { size: 8 },
    };
  });
  const lo = Math.min(...x), hi = Math.max(...x);
  (opts.references ?? []).forEach((r, j) => data.push({
    type: "scatter", mode: "lines", name: r.name, x: [lo, hi], y: [r.y, r.y], hoverinfo: "name+y",
    line: { color: seriesColor(series.length + j), width: 1.5, dash: "dash" },
  }));
  return { data, layout: baseLayout(opts.title, opts.xLabel, opts.yLabel, { xaxis: opts.logX ? DECADES : {} }) };
}
