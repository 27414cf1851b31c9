/** Samples against reference points in the plane, the first look at any 2-D score model. */
import type { Figure, Trace } from "./figure";
import { readPoints, readLabel, readOptions, type PointsInput } from "./input";
import { baseLayout, ROLE_COLORS } from "./style";

export interface SamplesFigureOptions {
  /** Points of the target distribution (drawn behind the samples). */
  reference?: PointsInput;
  /** The training set, when the question is whether samples copy it. */
  training?: PointsInput;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Legend name of the samples (default "samples"). */
  name?: string;
}

function cloud(p: { x: number[]; y: number[] }, name: string, color: string, size: number, opacity: number, symbol = "circle"): Trace {
  return { type: "scatter", mode: "markers", name, x: p.x, y: p.y, marker: { color, size, opacity, symbol } };
}

/**
 * 2-D scatter of generated samples, optionally over reference points and a training set. Axes are equal-scaled
 * so a circle in data looks like a circle.
 * @example samplesFigure(samples, { reference: data, title: "VP-SDE, 500 steps" })
 */
export function samplesFigure(samples: PointsInput, opts: SamplesFigureOptions = {}): Figure {
  const fn = "samplesFigure";
  const o = readOptions<SamplesFigureOptions>(opts, fn);
  const s = readPoints(samples, fn, "samples");
  const data: Trace[] = [];
  if (o.reference !== undefined) data.push(cloud(readPoints(o.reference, fn, "opts.reference"), "reference", ROLE_COLORS.reference, 5, 0.45));
  if (o.training !== undefined) data.push(cloud(readPoints(o.training, fn, "opts.training"), "training set", ROLE_COLORS.training, 8, 0.9, "x"));
  data.push(cloud(s, readLabel(o.name, "samples", fn, "opts.name"), ROLE_COLORS.samples, 5, 0.7));
  const layout = baseLayout(readLabel(o.title, `Samples (n = ${s.x.length})`, fn, "opts.title"), readLabel(o.xLabel, "x₁", fn, "opts.xLabel"), readLabel(o.yLabel, "x₂", fn, "opts.yLabel"), {
    yaxis: { scaleanchor: "x", scaleratio: 1 },
  });
  return { data, layout };
}
