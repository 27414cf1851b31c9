/** Score and vector fields (∇x log p_t, a flow's velocity) drawn as a quiver. */
import type { Figure, Trace } from "./figure";
import { readLabel, readMatrix, readOptions, readPoints, readVector, type MatrixInput, type PointsInput, type VectorInput } from "./input";
import { fail, checkNumber } from "../tensor";
import { densityTrace } from "./density";
import { baseLayout, ROLE_COLORS } from "./style";

export interface VectorFieldOptions {
  /**
   * "lines" (default): one trace of segments with a small head, cheap for thousands of arrows.
   * "annotations": Plotly arrow annotations, nicer heads but slow beyond a few hundred arrows.
   */
  style?: "lines" | "annotations";
  /** Arrow length for the longest vector, in data units (default: 0.9 × the median spacing of the points). */
  scale?: number;
  /** Optional background heat map on a grid (e.g. the density whose score is drawn). */
  background?: { xs: VectorInput; ys: VectorInput; z: MatrixInput; label?: string };
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

function medianSpacing(x: number[], y: number[]): number {
  const span = Math.max(Math.max(...x) - Math.min(...x), Math.max(...y) - Math.min(...y));
  // A grid of n points in the plane has about sqrt(n) points per side.
  return span > 0 ? span / Math.max(1, Math.sqrt(x.length) - 1) : 1;
}

/**
 * Quiver of vectors v_i attached at points p_i, lengths scaled together so the longest arrow has length `scale`.
 * @example vectorFieldFigure(gridPoints, scores, { title: "score at t = 0.1" })
 */
export function vectorFieldFigure(points: PointsInput, vectors: PointsInput, opts: VectorFieldOptions = {}): Figure {
  const fn = "vectorFieldFigure";
  const o = readOptions<VectorFieldOptions>(opts, fn);
  const p = readPoints(points, fn, "points");
  const v = readPoints(vectors, fn, "vectors");
  if (v.x.length !== p.x.length) fail(fn, "vectors", `must have one vector per point (${p.x.length}), got ${v.x.length}`);
  const style = o.style ?? "lines";
  if (style !== "lines" && style !== "annotations") fail(fn, "opts.style", `must be "lines" or "annotations", got ${String(style)}`);
  const scale = o.scale === undefined ? 0.9 * medianSpacing(p.x, p.y) : checkNumber(o.scale, "opts.scale", fn, { gt: 0 });
  let vmax = 0;
  for (let i = 0; i < v.x.length; i++) vmax = Math.max(vmax, Math.hypot(v.x[i], v.y[i]));
  const k = vmax > 0 ? scale / vmax : 0;
  const data: Trace[] = [];
  if (o.background !== undefined) {
    const b = o.background;
    const xs = readVector(b.xs, fn, "opts.background.xs");
    const ys = readVector(b.ys, fn, "opts.background.ys");
    const z = readMatrix(b.z, fn, "opts.background.z");
    if (z.length !== ys.length || z[0].length !== xs.length) fail(fn, "opts.background.z", `must have shape [${ys.length}, ${xs.length}] (ys × xs), got [${z.length}, ${z[0].length}]`);
    data.push(densityTrace(xs, ys, z, b.label ?? "density"));
  }
  const annotations: Record<string, unknown>[] = [];
  if (style === "lines") {
    // Segments separated by nulls make one trace; a short two-stroke head marks the direction.
    const sx: (number | null)[] = [];
    const sy: (number | null)[] = [];
    for (let i = 0; i < p.x.length; i++) {
      const x1 = p.x[i] + k * v.x[i];
      const y1 = p.y[i] + k * v.y[i];
      sx.push(p.x[i], x1, null);
      sy.push(p.y[i], y1, null);
      const len = Math.hypot(x1 - p.x[i], y1 - p.y[i]);
      if (len > 0) {
        const ux = (x1 - p.x[i]) / len;
        const uy = (y1 - p.y[i]) / len;
        const hl = 0.3 * len;
        for (const s of [1, -1]) {
          // Head strokes at ±25° from the shaft.
          const c = Math.cos(0.436);
          const sn = s * Math.sin(0.436);
          sx.push(x1, x1 - hl * (c * ux - sn * uy), null);
          sy.push(y1, y1 - hl * (sn * ux + c * uy), null);
        }
      }
    }
    data.push({ type: "scatter", mode: "lines", name: "field", x: sx, y: sy, line: { color: ROLE_COLORS.field, width: 1.2 }, hoverinfo: "skip" });
  } else {
    for (let i = 0; i < p.x.length; i++) {
      annotations.push({
        x: p.x[i] + k * v.x[i], y: p.y[i] + k * v.y[i], ax: p.x[i], ay: p.y[i],
        xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: 1.2, arrowcolor: ROLE_COLORS.field, text: "",
      });
    }
    // An invisible trace makes the axes span the points (annotations alone do not set the range).
    data.push({ type: "scatter", mode: "markers", name: "field", x: p.x, y: p.y, marker: { size: 2, color: ROLE_COLORS.field }, hoverinfo: "skip" });
  }
  const layout = baseLayout(readLabel(o.title, "Vector field", fn, "opts.title"), readLabel(o.xLabel, "x₁", fn, "opts.xLabel"), readLabel(o.yLabel, "x₂", fn, "opts.yLabel"), {
    yaxis: { scaleanchor: "x", scaleratio: 1 },
    showlegend: false,
    ...(annotations.length ? { annotations } : {}),
  });
  return { data, layout };
}
