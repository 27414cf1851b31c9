/**
 * The schedule study's figures over seeds: per x, the mean over seeds with its 95% Student-t interval as error bars
 * and markers, beside reference curves (the exact-score value, a null level) drawn without bars. On a log axis the
 * interval is taken of log10 of the values (a geometric mean and its interval, as the study's checks take them), so a
 * bar never crosses zero; decade ticks label the axis 10^k.
 */
import { baseLayout, seriesColor, type Figure, type Trace } from "../plot";
import { meanCI } from "../sweep/interval";

export interface SeedSeries {
  name: string;
  /** values[j]: the per-seed values at x[j]. */
  values: number[][];
}

export interface ReferenceCurve {
  name: string;
  /** One value per x, or one level for all. */
  y: number[] | number;
  dash?: string;
  /** Markers on the points (for sparse curves; default false, a plain line). */
  markers?: boolean;
}

export interface SeedFigureOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  logX?: boolean;
  /** A categorical x axis (labels as given) instead of a numeric one. */
  categoryX?: boolean;
  references?: ReferenceCurve[];
}

const DECADES = { type: "log", dtick: 1, exponentformat: "power", showexponent: "all" };

/**
 * @example seedFigure([-2, 0, 2], [{ name: "exact KL", values: [[1e-3, 2e-3], [5e-4, 6e-4], [1e-3, 1e-3]] }], { title: "t", xLabel: "a", yLabel: "KL (nats)", logY: true })
 */
export function seedFigure(x: (number | string)[], series: SeedSeries[], opts: SeedFigureOptions): Figure {
  const data: Trace[] = series.map((s, i) => {
    const ci = s.values.map((v) => meanCI(opts.logY ? v.map(Math.log10) : v));
    const y = ci.map((c) => (opts.logY ? 10 ** c.mean : c.mean));
    const hi = ci.map((c, j) => (opts.logY ? 10 ** c.hi : c.hi) - y[j]);
    const lo = ci.map((c, j) => y[j] - (opts.logY ? 10 ** c.lo : c.lo));
    const n = s.values.map((v) => v.length);
    return {
      type: "scatter", mode: "lines+markers", name: `${s.name} (mean, 95% interval)`, x, y,
      error_y: { type: "data", symmetric: false, array: hi, arrayminus: lo, visible: true },
      customdata: n, hovertemplate: `%{y:.4g} (%{customdata} seeds)<extra>${s.name}</extra>`,
      line: { color: seriesColor(i), width: 2 }, marker: { size: 6 },
    };
  });
  (opts.references ?? []).forEach((r, i) => {
    const y = Array.isArray(r.y) ? r.y : x.map(() => r.y as number);
    data.push({ type: "scatter", mode: r.markers ? "lines+markers" : "lines", name: r.name, x, y, line: { color: seriesColor(series.length + i), width: 1.5, dash: r.dash ?? "dash" } });
  });
  const xaxis = opts.categoryX ? { type: "category" } : opts.logX ? { ...DECADES } : {};
  return { data, layout: baseLayout(opts.title, opts.xLabel, opts.yLabel, { xaxis, yaxis: opts.logY ? { ...DECADES } : {} }) };
}
