/**
 * The SD-flow study's claims (Weber 2023), each checked over seeds against a reference computed in the same run
 * (src/studies/claim-check.ts). Each claim's one threshold is defined here, once, and printed with its check.
 */
import { fail } from "../tensor";
import { checkClaim, type ClaimCheckData } from "../studies";
import type { ResultRow } from "../table";
import { GAUSSIAN_TARGET } from "./flow-seed";

/**
 * Kernel flow, transport: the flow must close more than this fraction of the source's excess held-out distance
 * over the null level (two independent n-point target samples). 1 is as close as a fresh target sample; a
 * Gaussian fitted to the target samples is reported beside it so the reader sees what matching two moments gives.
 */
export const GAP_MARGIN = 0.9;
/**
 * Kernel flow, new samples: a flowed particle's median distance to its nearest training sample, relative to a fresh
 * target sample's, must exceed 0 (exact copies) by more than this. A fresh sample scores 1 by construction.
 */
export const NOVELTY_MARGIN = 0.5;
/** Exact-Gaussian flow: the fraction of KL(q || p) the flow removes must exceed this (the paper: KL -> 0). */
export const KL_MARGIN = 0.99;

/**
 * The expected KL(fit || truth) of a Gaussian fitted by maximum likelihood to n samples in d dimensions: 2n KL is
 * asymptotically chi-square with k = d + d(d+1)/2 degrees of freedom (Wilks 1938), so E KL ~ k / (2n). The
 * resolution of an n-point particle set: a departure from the closed form below it cannot be seen in the particles.
 * @example samplingKL(2, 800) // 5 / 1600
 */
export function samplingKL(d: number, n: number): number {
  return (d + (d * (d + 1)) / 2) / (2 * n);
}

/** One value per seed of `metric` for `model` in `experiment` (final values: rows without an iteration). */
export function perSeed(rows: ResultRow[], experiment: string, model: string, metric: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (r.experiment === experiment && r.model === model && r.metric === metric && r.iter == null && r.tau == null) out.set(r.seed, r.value);
  if (out.size === 0) fail("flowChecks", "rows", `have no '${metric}' of '${model}' in '${experiment}'`);
  return out;
}

/** Values of several per-seed series over the seeds they share, in seed order. */
function aligned(...series: Map<number, number>[]): number[][] {
  const seeds = [...series[0].keys()].filter((s) => series.every((m) => m.has(s))).sort((a, b) => a - b);
  return series.map((m) => seeds.map((s) => m.get(s) as number));
}

/** The largest value of a per-tau metric per seed (the worst departure along the flow). */
function maxOverTau(rows: ResultRow[], experiment: string, model: string, metric: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (r.experiment === experiment && r.model === model && r.metric === metric && r.tau != null) out.set(r.seed, Math.max(out.get(r.seed) ?? -Infinity, r.value));
  return out;
}

/** The first and last recorded value of a per-tau metric per seed. */
function endsOverTau(rows: ResultRow[], experiment: string, model: string, metric: string): { first: Map<number, number>; last: Map<number, number> } {
  const first = new Map<number, [number, number]>(), last = new Map<number, [number, number]>();
  for (const r of rows) {
    if (r.experiment !== experiment || r.model !== model || r.metric !== metric || r.tau == null) continue;
    const tau = r.tau as number;
    if (!first.has(r.seed) || tau < first.get(r.seed)![0]) first.set(r.seed, [tau, r.value]);
    if (!last.has(r.seed) || tau > last.get(r.seed)![0]) last.set(r.seed, [tau, r.value]);
  }
  const values = (m: Map<number, [number, number]>) => new Map([...m].map(([k, v]) => [k, v[1]]));
  return { first: values(first), last: values(last) };
}

/**
 * The four checks of the study from its table rows.
 * @example const checks = flowChecks(result.table.objects());
 */
export function flowChecks(rows: ResultRow[]): ClaimCheckData[] {
  const K = "sdflow-kernel", G = "sdflow-gaussian";
  const [flow, source, fresh] = aligned(perSeed(rows, K, "sd-flow", "sw-heldout"), perSeed(rows, K, "source", "sw-heldout"), perSeed(rows, K, "fresh-sample", "sw-heldout"));
  const gap = flow.map((f, i) => (source[i] - f) / (source[i] - fresh[i]));
  const [nnFlow, nnFresh] = aligned(perSeed(rows, K, "sd-flow", "median-nn-train"), perSeed(rows, K, "fresh-sample", "median-nn-train"));
  const { first: kl0, last: klT } = endsOverTau(rows, G, "sd-flow", "kl-to-target");
  const [k0, kT] = aligned(kl0, klT);
  const departure = [...maxOverTau(rows, G, "sd-flow", "kl-departure").values()];
  const n = rows.find((r) => r.experiment === G && typeof r.n === "number")?.n as number | undefined;
  if (n === undefined) fail("flowChecks", "rows", `have no particle count 'n' in '${G}'`);
  const d = GAUSSIAN_TARGET.mean.length;
  return [
    checkClaim({
      quantity: "kernel SD flow to the ring: fraction of the source's held-out sliced-W2 excess over the null level that the flow closes",
      values: gap, reference: { name: "no transport (fraction 0)", value: 0 }, direction: "above", margin: GAP_MARGIN,
    }),
    checkClaim({
      quantity: "kernel SD flow: median distance of a flowed particle to its nearest training sample, relative to a fresh target sample's",
      values: nnFlow.map((v, i) => v / nnFresh[i]), reference: { name: "exact copies of the training samples (ratio 0)", value: 0 }, direction: "above", margin: NOVELTY_MARGIN,
    }),
    checkClaim({
      quantity: "exact-Gaussian SD flow: fraction of KL(q || p) removed by the end of the flow",
      values: k0.map((v, i) => 1 - kT[i] / v), reference: { name: "no flow (fraction 0)", value: 0 }, direction: "above", margin: KL_MARGIN,
    }),
    checkClaim({
      quantity: "exact-Gaussian SD flow: largest KL(particles' Gaussian fit || closed-form flow) along the flow",
      values: departure, reference: { name: `expected sampling KL of a Gaussian fit to ${n} particles, k / (2n) with k = ${samplingKL(d, 0.5)}`, value: samplingKL(d, n) }, direction: "below",
    }),
  ];
}
