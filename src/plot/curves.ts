/** Line charts: any named series against a shared x, and the schedule and bound curves built on it. */
import type { Figure, Trace } from "./figure";
import { checkSameLength, readLabel, readOptions, readVector, type VectorInput } from "./input";
import { fail } from "../tensor";
import { baseLayout, seriesColor } from "./style";

/** One named curve; `x` overrides the figure's shared x for this curve. */
export interface Series {
  name: string;
  y: VectorInput;
  x?: VectorInput;
  /** Dash style ("solid", "dash", "dot"), e.g. to tell a bound from the exact value. */
  dash?: string;
}

export interface LineFigureOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
}

/** Reads series into traces; shared by every line-chart builder so validation reads the same everywhere. */
export function lineTraces(fn: string, x: number[] | undefined, series: Series[], arg = "series"): Trace[] {
  if (!Array.isArray(series)) fail(fn, arg, "must be an array of { name, y } series");
  if (series.length === 0) fail(fn, arg, "must not be empty (no curves to draw)");
  return series.map((s, i) => {
    if (s === null || typeof s !== "object") fail(fn, `${arg}[${i}]`, "must be an object { name, y }");
    const name = readLabel(s.name, `series ${i + 1}`, fn, `${arg}[${i}].name`);
    const y = readVector(s.y, fn, `${arg}[${i}].y`);
    const xi = s.x !== undefined ? readVector(s.x, fn, `${arg}[${i}].x`) : x;
    if (xi === undefined) fail(fn, `${arg}[${i}].x`, "is required when no shared x is given");
    checkSameLength(fn, { [s.x !== undefined ? `${arg}[${i}].x` : "x"]: xi, [`${arg}[${i}].y`]: y });
    return { type: "scatter", mode: "lines", name, x: xi, y, line: { color: seriesColor(i), width: 2, dash: s.dash ?? "solid" } };
  });
}

function buildLines(fn: string, x: VectorInput | undefined, series: Series[], opts: unknown, defaults: { title: string; xLabel: string; yLabel: string }): Figure {
  const o = readOptions<LineFigureOptions>(opts, fn);
  const xs = x === undefined ? undefined : readVector(x, fn, "x");
  const data = lineTraces(fn, xs, series);
  const layout = baseLayout(readLabel(o.title, defaults.title, fn, "opts.title"), readLabel(o.xLabel, defaults.xLabel, fn, "opts.xLabel"), readLabel(o.yLabel, defaults.yLabel, fn, "opts.yLabel"), {
    xaxis: o.logX ? { type: "log" } : {},
    yaxis: o.logY ? { type: "log" } : {},
  });
  return { data, layout };
}

/**
 * Curves sharing one x axis (or each with its own `x`).
 * @example lineFigure([0, 1, 2], [{ name: "a", y: [1, 2, 3] }], { title: "a", xLabel: "t", yLabel: "a(t)" })
 */
export function lineFigure(x: VectorInput | undefined, series: Series[], opts: LineFigureOptions = {}): Figure {
  return buildLines("lineFigure", x, series, opts, { title: "Curves", xLabel: "x", yLabel: "y" });
}

/**
 * Noise-schedule curves over diffusion time, e.g. β(t), σ(t) or the marginal scale of a VP/VE/sub-VP SDE.
 * @example scheduleFigure(ts, [{ name: "β(t) linear", y: betas }], { yLabel: "β(t) (1 / unit time)" })
 */
export function scheduleFigure(t: VectorInput, series: Series[], opts: LineFigureOptions = {}): Figure {
  return buildLines("scheduleFigure", t, series, opts, { title: "Noise schedule", xLabel: "t (diffusion time)", yLabel: "value" });
}

/**
 * Bound curves against a swept quantity (steps, T, σ_max), drawn with the exact value where known;
 * give the exact curve `dash: "dash"` to tell it apart. Log y by default since bounds span decades.
 * @example boundsFigure(steps, [{ name: "KL bound", y: kl }, { name: "exact KL", y: exact, dash: "dash" }])
 */
export function boundsFigure(x: VectorInput, series: Series[], opts: LineFigureOptions = {}): Figure {
  const o = readOptions<LineFigureOptions>(opts, "boundsFigure");
  return buildLines("boundsFigure", x, series, { logY: true, ...o }, { title: "Bounds", xLabel: "number of steps", yLabel: "bound (nats)" });
}
