/**
 * Two-dimensional toy distributions used throughout the score-model literature. Each takes a size and an Rng and
 * returns points [n, 2]; the Gaussian mixtures also return their exact `GaussianMixture`, so scores can be
 * compared against the truth at every noise level.
 */
import * as tf from "@tensorflow/tfjs";
import { MAX_TENSOR_ELEMENTS, Rng, checkNumber, checkTensorSize, fail } from "../tensor";
import { GaussianMixture } from "./gmm";

export interface ToySample {
  x: tf.Tensor2D;
  labels?: Int32Array;
  gmm?: GaussianMixture;
}

function start(fn: string, n: number, rng: Rng): void {
  checkNumber(n, "n", fn, { integer: true, min: 1 });
  // Every toy is 2-D: n x 2 float32 past ~4 GB would wrap the wasm heap silently.
  checkTensorSize(2 * n, "n", fn, MAX_TENSOR_ELEMENTS, `elements (${n} x 2)`);
  if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
}

function fromPoints(xy: Float32Array, n: number, labels?: Int32Array): ToySample {
  return { x: tf.tensor2d(xy, [n, 2]), ...(labels ? { labels } : {}) };
}

/**
 * k equal Gaussians N(c_j, std^2 I) with centres on a circle of the given radius ("8 Gaussians" for k = 8).
 * @example const { x, gmm } = ringGaussians(1000, new Rng(0)); // gmm.score(x, a, s) is exact
 */
export function ringGaussians(n: number, rng: Rng, opts: { k?: number; radius?: number; std?: number } = {}): ToySample {
  const fn = "ringGaussians";
  start(fn, n, rng);
  const k = checkNumber(opts.k ?? 8, "k", fn, { integer: true, min: 1 });
  const radius = checkNumber(opts.radius ?? 2, "radius", fn, { gt: 0 });
  const std = checkNumber(opts.std ?? 0.2, "std", fn, { gt: 0 });
  const means = Array.from({ length: k }, (_, j) => [radius * Math.cos((2 * Math.PI * j) / k), radius * Math.sin((2 * Math.PI * j) / k)]);
  const gmm = new GaussianMixture({ weights: new Array(k).fill(1 / k), means, covs: new Array(k).fill(std * std) });
  return { ...gmm.sampleWithLabels(n, rng), gmm };
}

/**
 * side^2 equal Gaussians N(c, std^2 I) with centres on a square grid centred at 0 ("25 Gaussians" for side 5).
 * @example const { x, gmm } = gridGaussians(1000, new Rng(0), { side: 5, spacing: 1, std: 0.1 });
 */
export function gridGaussians(n: number, rng: Rng, opts: { side?: number; spacing?: number; std?: number } = {}): ToySample {
  const fn = "gridGaussians";
  start(fn, n, rng);
  const side = checkNumber(opts.side ?? 5, "side", fn, { integer: true, min: 1 });
  const spacing = checkNumber(opts.spacing ?? 1, "spacing", fn, { gt: 0 });
  const std = checkNumber(opts.std ?? 0.1, "std", fn, { gt: 0 });
  const off = ((side - 1) * spacing) / 2;
  const means: number[][] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) means.push([i * spacing - off, j * spacing - off]);
  const k = side * side;
  const gmm = new GaussianMixture({ weights: new Array(k).fill(1 / k), means, covs: new Array(k).fill(std * std) });
  return { ...gmm.sampleWithLabels(n, rng), gmm };
}

/**
 * Two interleaving half circles (as scikit-learn's make_moons, with uniform random angles): label 0 on
 * (cos t, sin t), label 1 on (1 - cos t, 1/2 - sin t), t ~ U[0, pi], plus N(0, noise^2 I).
 * @example const { x, labels } = moons(1000, new Rng(0), { noise: 0.05 });
 */
export function moons(n: number, rng: Rng, opts: { noise?: number } = {}): ToySample {
  const fn = "moons";
  start(fn, n, rng);
  const noise = checkNumber(opts.noise ?? 0.1, "noise", fn, { min: 0 });
  const xy = new Float32Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.PI * rng.next();
    const lab = i < Math.ceil(n / 2) ? 0 : 1;
    labels[i] = lab;
    xy[2 * i] = (lab === 0 ? Math.cos(t) : 1 - Math.cos(t)) + noise * rng.nextNormal();
    xy[2 * i + 1] = (lab === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * rng.nextNormal();
  }
  return fromPoints(xy, n, labels);
}

/**
 * A 2-D Swiss roll: t = 1.5 pi (1 + 2u), u ~ U[0, 1], point (t cos t, t sin t) / 5 + N(0, noise^2 I), so it fits
 * in about [-3, 3]^2.
 * @example const { x } = swissRoll(1000, new Rng(0));
 */
export function swissRoll(n: number, rng: Rng, opts: { noise?: number } = {}): ToySample {
  const fn = "swissRoll";
  start(fn, n, rng);
  const noise = checkNumber(opts.noise ?? 0.1, "noise", fn, { min: 0 });
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * rng.next());
    xy[2 * i] = (t * Math.cos(t)) / 5 + noise * rng.nextNormal();
    xy[2 * i + 1] = (t * Math.sin(t)) / 5 + noise * rng.nextNormal();
  }
  return fromPoints(xy, n);
}

/**
 * Uniform on the dark squares of a side x side checkerboard covering [-side/2, side/2]^2 (squares of size 1;
 * a square (i, j) is dark when i + j is even).
 * @example const { x } = checkerboard(1000, new Rng(0));
 */
export function checkerboard(n: number, rng: Rng, opts: { side?: number } = {}): ToySample {
  const fn = "checkerboard";
  start(fn, n, rng);
  const side = checkNumber(opts.side ?? 4, "side", fn, { integer: true, min: 2 });
  const dark: [number, number][] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) if ((i + j) % 2 === 0) dark.push([i, j]);
  const xy = new Float32Array(2 * n);
  for (let p = 0; p < n; p++) {
    const [i, j] = dark[rng.int(dark.length)];
    xy[2 * p] = i + rng.next() - side / 2;
    xy[2 * p + 1] = j + rng.next() - side / 2;
  }
  return fromPoints(xy, n);
}

/**
 * Two concentric circles (as scikit-learn's make_circles, random angles): label 0 on radius 1, label 1 on radius
 * `factor`, plus N(0, noise^2 I).
 * @example const { x, labels } = circles(1000, new Rng(0), { factor: 0.5 });
 */
export function circles(n: number, rng: Rng, opts: { factor?: number; noise?: number } = {}): ToySample {
  const fn = "circles";
  start(fn, n, rng);
  const factor = checkNumber(opts.factor ?? 0.5, "factor", fn, { gt: 0, lt: 1 });
  const noise = checkNumber(opts.noise ?? 0.05, "noise", fn, { min: 0 });
  const xy = new Float32Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lab = i < Math.ceil(n / 2) ? 0 : 1;
    const r = lab === 0 ? 1 : factor, t = 2 * Math.PI * rng.next();
    labels[i] = lab;
    xy[2 * i] = r * Math.cos(t) + noise * rng.nextNormal();
    xy[2 * i + 1] = r * Math.sin(t) + noise * rng.nextNormal();
  }
  return fromPoints(xy, n, labels);
}

/**
 * A pinwheel of `arms` curved arms (Johnson et al. 2016, "Composing graphical models with neural networks", the
 * SVAE toy): radius r = 1 + radialStd z1, tangential offset tangentialStd z2, rotated by 2 pi c / arms + rate e^r
 * for arm c, and scaled by 2 so the arms reach radius ~3.
 * @example const { x, labels } = pinwheel(1000, new Rng(0), { arms: 5 });
 */
export function pinwheel(n: number, rng: Rng, opts: { arms?: number; radialStd?: number; tangentialStd?: number; rate?: number } = {}): ToySample {
  const fn = "pinwheel";
  start(fn, n, rng);
  const arms = checkNumber(opts.arms ?? 5, "arms", fn, { integer: true, min: 1 });
  const radialStd = checkNumber(opts.radialStd ?? 0.3, "radialStd", fn, { min: 0 });
  const tangentialStd = checkNumber(opts.tangentialStd ?? 0.1, "tangentialStd", fn, { min: 0 });
  const rate = checkNumber(opts.rate ?? 0.25, "rate", fn);
  const xy = new Float32Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % arms;
    const r = 1 + radialStd * rng.nextNormal(), tg = tangentialStd * rng.nextNormal();
    const ang = (2 * Math.PI * c) / arms + rate * Math.exp(r);
    labels[i] = c;
    xy[2 * i] = 2 * (r * Math.cos(ang) - tg * Math.sin(ang));
    xy[2 * i + 1] = 2 * (r * Math.sin(ang) + tg * Math.cos(ang));
  }
  return fromPoints(xy, n, labels);
}
