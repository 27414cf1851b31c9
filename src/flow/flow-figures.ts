/**
 * The SD-flow study's figures as a referee reads them: curves are seed means with a 95% Student-t band, null
 * levels are drawn as reference lines with their own band, log axes carry decade labels, and sparse curves have
 * markers. Built from the study table's rows only.
 */
import { baseLayout, seriesColor, gridFigure, samplesFigure, type Figure, type Trace } from "../plot";
import { meanCI } from "../sweep/interval";
import type { ResultRow } from "../table";
import type { FlowSnapshot } from "./sd-flow";
import { samplingKL } from "./flow-checks";
import { GAUSSIAN_TARGET } from "./flow-seed";

const LOG_DECADES = { type: "log", dtick: 1, exponentformat: "power" };
/** Legends below the plot, so long reference names do not squeeze the axes. */
const BELOW = { legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top", bgcolor: "rgba(255,255,255,0)" }, height: 620, margin: { l: 72, r: 24, t: 56, b: 190 } };

/** Hex colour with alpha, for bands. */
function translucent(hex: string, alpha = 0.2): string {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/**
 * Mean line with markers and its 95% band over seeds, from `values[k]` (the seeds' values at x[k]). On the log
 * axes used here a band reaching 0 or below is cut at the smallest seed value, not drawn down to the axis floor.
 */
function bandTraces(name: string, x: number[], values: number[][], color: string, dash = "solid"): Trace[] {
  const ci = values.map((v) => meanCI(v));
  const lo = ci.map((c, k) => (c.lo > 0 ? c.lo : Math.min(...values[k]))), hi = ci.map((c) => c.hi);
  return [
    { type: "scatter", mode: "lines", x, y: hi, line: { width: 0, color }, showlegend: false, hoverinfo: "skip" },
    { type: "scatter", mode: "lines", x, y: lo, line: { width: 0, color }, fill: "tonexty", fillcolor: translucent(color), showlegend: false, hoverinfo: "skip" },
    {
      type: "scatter", mode: "lines+markers", name, x, y: ci.map((c) => c.mean),
      line: { color, width: 2, dash }, marker: { size: 5 },
    },
  ];
}

/** A per-seed level drawn flat across [x0, x1] with its band. */
function levelTraces(name: string, x0: number, x1: number, values: number[], color: string): Trace[] {
  return bandTraces(name, [x0, x1], [values, values], color, "dash").map((t) => (t.mode === "lines+markers" ? { ...t, mode: "lines" } : t));
}

/** Group rows of one experiment/model/metric by an x column: sorted x and the seeds' values at each. */
function curve(rows: ResultRow[], experiment: string, model: string, metric: string, xCol: string): { x: number[]; values: number[][] } {
  const by = new Map<number, number[]>();
  for (const r of rows) {
    if (r.experiment !== experiment || r.model !== model || r.metric !== metric || typeof r[xCol] !== "number") continue;
    const k = r[xCol] as number;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(r.value);
  }
  const x = [...by.keys()].sort((a, b) => a - b);
  return { x, values: x.map((k) => by.get(k)!) };
}

const seedsOf = (rows: ResultRow[]) => new Set(rows.map((r) => r.seed)).size;

const finals = (rows: ResultRow[], experiment: string, model: string, metric: string) =>
  rows.filter((r) => r.experiment === experiment && r.model === model && r.metric === metric && r.iter == null && r.tau == null).map((r) => r.value);

/** Held-out sliced W2 of the kernel flow per iteration against the null level, the source and a Gaussian fit. */
export function heldoutFigure(rows: ResultRow[]): Figure {
  const K = "sdflow-kernel";
  const c = curve(rows, K, "sd-flow", "heldout-sw-curve", "iter");
  const x0 = c.x[0], x1 = c.x[c.x.length - 1];
  const data = [
    ...bandTraces("SD flow to held-out samples", c.x, c.values, seriesColor(0)),
    ...levelTraces("null: two independent target samples", x0, x1, finals(rows, K, "fresh-sample", "sw-heldout"), seriesColor(1)),
    ...levelTraces("Gaussian fitted to the target samples", x0, x1, finals(rows, K, "gaussian-fit", "sw-heldout"), seriesColor(2)),
    ...levelTraces("SD flow to the samples it pulled toward (final)", x0, x1, finals(rows, K, "sd-flow", "sw-train"), seriesColor(3)),
  ];
  return { data, layout: baseLayout(`Kernel SD flow to the 8-Gaussian ring (mean, 95% band, ${seedsOf(rows)} seeds)`, "flow iteration", "sliced W2 to held-out samples", { yaxis: LOG_DECADES, ...BELOW }) };
}

/** Median nearest-training-sample distance of flowed particles against a fresh target sample's, per seed. */
export function copyFigure(rows: ResultRow[]): Figure {
  const K = "sdflow-kernel";
  const groups: [string, string][] = [["SD-flow particles", "sd-flow"], ["fresh target sample (null)", "fresh-sample"]];
  const data: Trace[] = groups.map(([label, model], i) => {
    const v = finals(rows, K, model, "median-nn-train");
    const c = meanCI(v);
    return {
      type: "scatter", mode: "markers", name: label, x: [label], y: [c.mean], marker: { size: 10, color: seriesColor(i) },
      error_y: { type: "data", array: [c.halfWidth], visible: true },
    };
  });
  return { data, layout: baseLayout(`Copying (mean, 95% interval, ${seedsOf(rows)} seeds)`, "", "median distance to the nearest training sample", { yaxis: LOG_DECADES, ...BELOW }) };
}

/** KL(q_tau || p) of the exact-Gaussian flow: particles (mean band over seeds) against the closed form. */
export function gaussianKLFigure(rows: ResultRow[]): Figure {
  const G = "sdflow-gaussian";
  const m = curve(rows, G, "sd-flow", "kl-to-target", "tau");
  const cf = curve(rows, G, "closed-form", "kl-to-target", "tau");
  const dep = curve(rows, G, "sd-flow", "kl-departure", "tau");
  const n = rows.find((r) => r.experiment === G && typeof r.n === "number")?.n as number;
  const level = samplingKL(GAUSSIAN_TARGET.mean.length, n);
  const data = [
    ...bandTraces("particles' Gaussian fit", m.x, m.values, seriesColor(0)),
    ...bandTraces("closed-form flow from the same start", cf.x, cf.values, seriesColor(1), "dash"),
    ...bandTraces("departure KL(fit || closed form)", dep.x.slice(1), dep.values.slice(1), seriesColor(3), "dot"),
    { type: "scatter", mode: "lines", name: `sampling resolution k / (2n) of ${n} particles (the check's reference)`, x: [m.x[0], m.x[m.x.length - 1]], y: [level, level], line: { color: seriesColor(7), width: 1, dash: "dash" } },
  ];
  return { data, layout: baseLayout(`Exact-Gaussian SD flow vs closed form (mean, 95% band, ${seedsOf(rows)} seeds)`, "flow time tau", "KL (nats)", { yaxis: LOG_DECADES, ...BELOW }) };
}

/** The kernel flow's particles of one seed at a few iterations, over the samples it pulls toward. */
export function snapshotsFigure(snapshots: FlowSnapshot[], reference: number[][]): Figure {
  return gridFigure(snapshots.map((f) => samplesFigure(f.points, { reference, title: `iter ${f.iter}, sigma ${f.sigma.toFixed(3)}` })), { cols: snapshots.length, title: "SD flow particles (seed 0) over the training samples" });
}
