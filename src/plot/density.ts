/** Density heat maps on a regular grid, e.g. exp(log p_t) of a model or the target. */
import type { Figure, Trace } from "./figure";
import { checkSameLength, readLabel, readMatrix, readOptions, readVector, type MatrixInput, type VectorInput } from "./input";
import { fail } from "../tensor";
import { baseLayout } from "./style";

export interface DensityFigureOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Colour-bar label, with units (default "density"). */
  zLabel?: string;
  /** Optional points drawn over the map (e.g. samples). */
  overlay?: { x: VectorInput; y: VectorInput; name?: string };
}

/** The density part of a figure, shared with the vector-field builder. */
export function densityTrace(xs: number[], ys: number[], z: number[][], zLabel: string): Trace {
  return { type: "heatmap", x: xs, y: ys, z, colorscale: "Viridis", colorbar: { title: { text: zLabel } }, hoverinfo: "x+y+z" };
}

/**
 * Heat map of values z[i][j] at (xs[j], ys[i]) — row i is the i-th y value, as Plotly draws heat maps.
 * @example densityFigure({ xs, ys, z }, { title: "p₀ (two moons)", zLabel: "density" })
 */
export function densityFigure(grid: { xs: VectorInput; ys: VectorInput; z: MatrixInput }, opts: DensityFigureOptions = {}): Figure {
  const fn = "densityFigure";
  const o = readOptions<DensityFigureOptions>(opts, fn);
  if (grid === null || typeof grid !== "object") fail(fn, "grid", "must be an object { xs, ys, z }");
  const xs = readVector(grid.xs, fn, "grid.xs");
  const ys = readVector(grid.ys, fn, "grid.ys");
  const z = readMatrix(grid.z, fn, "grid.z");
  if (z.length !== ys.length) fail(fn, "grid.z", `must have one row per y value (${ys.length} rows), got ${z.length}`);
  if (z[0].length !== xs.length) fail(fn, "grid.z", `must have one column per x value (${xs.length} columns), got ${z[0].length}`);
  const data: Trace[] = [densityTrace(xs, ys, z, readLabel(o.zLabel, "density", fn, "opts.zLabel"))];
  if (o.overlay !== undefined) {
    const px = readVector(o.overlay.x, fn, "opts.overlay.x");
    const py = readVector(o.overlay.y, fn, "opts.overlay.y");
    checkSameLength(fn, { "opts.overlay.x": px, "opts.overlay.y": py });
    data.push({ type: "scatter", mode: "markers", name: o.overlay.name ?? "points", x: px, y: py, marker: { color: "#ffffff", size: 4, line: { color: "#000000", width: 0.5 } } });
  }
  const layout = baseLayout(readLabel(o.title, "Density", fn, "opts.title"), readLabel(o.xLabel, "x₁", fn, "opts.xLabel"), readLabel(o.yLabel, "x₂", fn, "opts.yLabel"), {
    yaxis: { scaleanchor: "x", scaleratio: 1 },
  });
  return { data, layout };
}
