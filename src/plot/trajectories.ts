/** Particle trajectories of a flow or sampler in the plane (e.g. the SD flow, the probability-flow ODE). */
import * as tf from "@tensorflow/tfjs";
import type { Figure, Trace } from "./figure";
import { readLabel, readOptions, readPoints, type PointsInput } from "./input";
import { checkPositiveInt, fail } from "../tensor";
import { baseLayout, ROLE_COLORS } from "./style";

export interface TrajectoriesOptions {
  /** Draw at most this many particles' paths (default 64; the first ones, so the choice is reproducible). */
  maxParticles?: number;
  /** Also mark start and end points (default true). */
  showEnds?: boolean;
  title?: string;
}

function readFrames(v: unknown, fn: string): { x: number[]; y: number[] }[] {
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) fail(fn, "frames", "is a disposed tensor");
    if (v.rank !== 3 || v.shape[2] !== 2) fail(fn, "frames", `must be a tensor of shape [steps, n, 2], got shape [${v.shape}]`);
    if (v.shape[0] === 0 || v.shape[1] === 0) fail(fn, "frames", `must not be empty, got shape [${v.shape}]`);
    const [s, n] = v.shape;
    const d = v.dataSync();
    return Array.from({ length: s }, (_, t) => {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        x.push(d[(t * n + i) * 2]);
        y.push(d[(t * n + i) * 2 + 1]);
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) fail(fn, "frames", `must hold finite coordinates; frame ${t}, particle ${i} is (${x[i]}, ${y[i]})`);
      }
      return { x, y };
    });
  }
  if (!Array.isArray(v) || v.length === 0) fail(fn, "frames", "must be a non-empty array of frames ([n,2] each) or a tensor [steps, n, 2]");
  const frames = (v as PointsInput[]).map((f, t) => readPoints(f, fn, `frames[${t}]`));
  frames.forEach((f, t) => {
    if (f.x.length !== frames[0].x.length) fail(fn, `frames[${t}]`, `must have the same number of particles as frames[0] (${frames[0].x.length}), got ${f.x.length}`);
  });
  return frames;
}

/**
 * One line per particle through its positions over time.
 * @example trajectoriesFigure(pathTensor, { title: "SD flow, 100 steps" }) // pathTensor: [steps, n, 2]
 */
export function trajectoriesFigure(frames: tf.Tensor | PointsInput[], opts: TrajectoriesOptions = {}): Figure {
  const fn = "trajectoriesFigure";
  const o = readOptions<TrajectoriesOptions>(opts, fn);
  const fr = readFrames(frames, fn);
  const maxP = o.maxParticles === undefined ? 64 : checkPositiveInt(o.maxParticles, "opts.maxParticles", fn);
  const n = Math.min(fr[0].x.length, maxP);
  // All paths in one trace, separated by nulls: one legend entry and fast to draw.
  const px: (number | null)[] = [];
  const py: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    for (const f of fr) {
      px.push(f.x[i]);
      py.push(f.y[i]);
    }
    px.push(null);
    py.push(null);
  }
  const data: Trace[] = [{ type: "scatter", mode: "lines", name: "paths", x: px, y: py, line: { color: "rgba(68,68,68,0.45)", width: 1 }, hoverinfo: "skip" }];
  if (o.showEnds ?? true) {
    const first = fr[0];
    const last = fr[fr.length - 1];
    data.push({ type: "scatter", mode: "markers", name: "start", x: first.x.slice(0, n), y: first.y.slice(0, n), marker: { color: ROLE_COLORS.reference, size: 6 } });
    data.push({ type: "scatter", mode: "markers", name: "end", x: last.x.slice(0, n), y: last.y.slice(0, n), marker: { color: ROLE_COLORS.samples, size: 6 } });
  }
  const layout = baseLayout(readLabel(o.title, `Trajectories (${n} particles, ${fr.length} steps)`, fn, "opts.title"), "x₁", "x₂", {
    yaxis: { scaleanchor: "x", scaleratio: 1 },
  });
  return { data, layout };
}
