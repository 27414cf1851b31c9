/** The sweep's figure: the mean over seeds of one metric against a swept parameter, with its confidence interval. */
import type { Figure, Trace } from "../plot";
import { baseLayout, seriesColor } from "../plot";
import { fail } from "../tensor";
import type { ResultsTable } from "../table";
import { meanCI } from "./interval";

export interface SweepFigureOptions {
  /** The swept parameter on the x axis. */
  x: string;
  /** The metric drawn (default: the first one in the table). */
  metric?: string;
  /** Interval level (default 0.95). */
  level?: number;
  logX?: boolean;
  title?: string;
}

/**
 * One curve per model: for each x, the mean of the finished trials' values over seeds, with error bars of the
 * Student-t interval (interval.ts); points with one seed have no bar.
 * @example sweepFigure(result.table, { x: "n", metric: "w1", logX: true })
 */
export function sweepFigure(table: ResultsTable, opts: SweepFigureOptions): Figure {
  const fn = "sweepFigure";
  const rows = table.objects().filter((r) => (r.status === "ok" || r.status === "stopped") && r.metric !== "none" && Number.isFinite(r.value));
  if (!opts || typeof opts.x !== "string") fail(fn, "opts.x", "must name the swept parameter to put on the x axis");
  if (!table.columnNames().includes(opts.x)) fail(fn, "opts.x", `'${opts.x}' is not a column of the table (${table.columnNames().join(", ")})`);
  const metric = opts.metric ?? rows[0]?.metric;
  const level = opts.level ?? 0.95;
  const chosen = rows.filter((r) => r.metric === metric);
  const models = [...new Set(chosen.map((r) => r.model))];
  const data: Trace[] = models.map((m, i) => {
    const byX = new Map<string, { x: unknown; v: number[] }>();
    for (const r of chosen.filter((r) => r.model === m)) {
      const key = JSON.stringify(r[opts.x]);
      if (!byX.has(key)) byX.set(key, { x: r[opts.x], v: [] });
      byX.get(key)!.v.push(r.value);
    }
    const pts = [...byX.values()].sort((a, b) => (typeof a.x === "number" && typeof b.x === "number" ? a.x - b.x : String(a.x).localeCompare(String(b.x))));
    const ci = pts.map((p) => meanCI(p.v, level));
    return {
      type: "scatter", mode: "lines+markers", name: m, x: pts.map((p) => p.x), y: ci.map((c) => c.mean),
      error_y: { type: "data", array: ci.map((c) => c.halfWidth), visible: true },
      customdata: ci.map((c) => c.n), hovertemplate: `%{y:.4g} ± %{error_y.array:.3g} (%{customdata} seeds)<extra>${m}</extra>`,
      line: { color: seriesColor(i), width: 2 },
    };
  });
  const title = opts.title ?? `${metric ?? "no finished trials"}: mean and ${Math.round(level * 100)}% interval over seeds`;
  return { data, layout: baseLayout(title, opts.x, metric ?? "value", { xaxis: opts.logX ? { type: "log" } : {} }) };
}
