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
  /** Palette index (default: after the series), so that a pair of curves of one case can share a colour. */
  color?: number;
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
  // A categorical axis is drawn on positions 0..k-1 labelled with the categories, so that a constant reference can
  // span the whole axis (a line over one category would be a single point).
  const xs: (number | string)[] = opts.categoryX ? x.map((_, j) => j) : x;
  const data: Trace[] = series.map((s, i) => {
    const ci = s.values.map((v) => meanCI(opts.logY ? v.map(Math.log10) : v));
    const y = ci.map((c) => (opts.logY ? 10 ** c.mean : c.mean));
    const hi = ci.map((c, j) => (opts.logY ? 10 ** c.hi : c.hi) - y[j]);
    const lo = ci.map((c, j) => y[j] - (opts.logY ? 10 ** c.lo : c.lo));
    const n = s.values.map((v) => v.length);
    return {
      type: "scatter", mode: "lines+markers", name: `${s.name} (${opts.logY ? "geometric " : ""}mean, 95% interval)`, x: xs, y,
      error_y: { type: "data", symmetric: false, array: hi, arrayminus: lo, visible: true },
      customdata: n, hovertemplate: `%{y:.4g} (%{customdata} seeds)<extra>${s.name}</extra>`,
      line: { color: seriesColor(i), width: 2 }, marker: { size: 6 },
    };
  });
  (opts.references ?? []).forEach((r, i) => {
    const constant = !Array.isArray(r.y);
    const rx = constant && opts.categoryX ? [-0.5, x.length - 0.5] : constant ? [Math.min(...(x as number[])), Math.max(...(x as number[]))] : xs;
    const y = Array.isArray(r.y) ? r.y : rx.map(() => r.y as number);
    data.push({ type: "scatter", mode: r.markers ? "lines+markers" : "lines", name: r.name, x: rx, y, line: { color: seriesColor(r.color ?? series.length + i), width: 1.5, dash: r.dash ?? "dash" } });
  });
  const xaxis = opts.categoryX ? { tickmode: "array", tickvals: x.map((_, j) => j), ticktext: x.map(String), range: [-0.5, x.length - 0.5] } : opts.logX ? { ...DECADES } : {};
  // The legend goes under the plot: names here are long, and beside the plot they would squeeze it.
  const layout = baseLayout(opts.title, opts.xLabel, opts.yLabel, {
    xaxis, yaxis: opts.logY ? { ...DECADES } : {},
    legend: { orientation: "h", x: 0, xanchor: "left", y: -0.18, yanchor: "top", bgcolor: "rgba(255,255,255,0.7)" },
    height: 600, margin: { l: 72, r: 24, t: 56, b: 200 },
  });
  return { data, layout };
}
