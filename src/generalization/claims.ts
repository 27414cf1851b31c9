/**
 * The generalization study's claims, each checked over seeds against a reference computed in the same run
 * (src/studies/claim-check.ts), and the study's findings in words. The headline measure is the paper's own: the
 * mutual information between generated data and the training set (Yi, Sun, Li, arXiv 2305.14712, Sec. 3),
 * estimated as the nearest-set I(L; B) with K = 2 training sets per seed (mutual-information.ts), so its ceiling
 * is log 2 and a generator that ignores its training set has 0 in law (fresh data shows the estimator's bias).
 */
import { checkClaim, type ClaimCheckData } from "../studies/claim-check";
import { meanCI, type MeanCI } from "../sweep/interval";
import type { ResultRow } from "../table";
import { PLATEAU_REL_TOL } from "./convergence";

/** The most I(L; B) can be with two training sets: every sample names its own set. */
export const MI_CEILING = Math.LN2;
/** "Memorizes" and "differs from the empirical optimum": a difference in I(L; B) of more than half its ceiling. */
export const MI_MARGIN = 0.5 * MI_CEILING;
/** "Generalizes like fresh data": I(L; B) within a tenth of the ceiling of the fresh-data null (about 68% of
 *  samples nearest their own set, against 50% by chance). */
export const GENERALIZES_TOLERANCE = 0.1 * MI_CEILING;
/** "Copies less as n grows": the excess of I(L; B) over the null is lower at the largest n, by any amount. */
export const TREND_MARGIN = 0;

export const CLAIM = "The empirical optimal score memorizes: its samples carry the mutual information of copies about their " +
  "training set at every training-set size n. Trained networks differ from it: their samples carry little information " +
  "about the training set (close to fresh data from the true distribution), less as n grows.";

export const UNTESTED = [
  "images (CIFAR-10, CelebA): only a 2-D ring of 8 Gaussians is run",
  "the paper's alternative objective: gap-objective-mlp is a reconstruction from a summary whose optimum over all functions equals DSM's, so it cannot show an optimum that does not memorize; it is measured only when opts.models names it, never judged",
  "I(L; B) with two training sets is a lower bound on the paper's I(generated; training set) (data processing), not the quantity itself",
  "training past the held-out optimum: the DSM MLP keeps the weights of lowest validation DSM loss (convergence.ts); whether training on toward the training loss's optimum, the empirical optimum, makes it copy (its I(L; B) rising with steps) is not measured, so the claim is shown for early-stopped networks only",
  "the rate of the paper's generalization bound in n: only the direction of the trend is checked",
];

type Rows = ResultRow[];

/** seed -> value of one generator's metric at one n. */
function bySeed(rows: Rows, model: string, metric: string, n: number): Map<number, number> {
  return new Map(rows.filter((r) => r.model === model && r.metric === metric && r.n === n && Number.isFinite(r.value)).map((r) => [r.seed, r.value]));
}

/** The values of two generators on the seeds both have, in seed order (the pairing of a paired check). */
function paired(a: Map<number, number>, b: Map<number, number>): [number[], number[]] {
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  return [seeds.map((s) => a.get(s) as number), seeds.map((s) => b.get(s) as number)];
}

const fmt = (v: number) => (!Number.isFinite(v) ? "n/a" : v === 0 ? "0" : Math.abs(v) < 1e-2 ? v.toExponential(2) : v.toFixed(3));
const ci = (m: MeanCI) => (m.n > 1 ? `${fmt(m.mean)} [${fmt(m.lo)}, ${fmt(m.hi)}]` : fmt(m.mean));

/** Mean and 95% interval over seeds of one generator's metric at one n (undefined when it was not run). */
export function seedInterval(rows: Rows, model: string, metric: string, n: number): MeanCI | undefined {
  const v = [...bySeed(rows, model, metric, n).values()];
  return v.length ? meanCI(v) : undefined;
}

/**
 * The claims at each n: the empirical optimum's I(L; B) above the fresh-data null by MI_MARGIN; the DSM network's
 * below the empirical optimum's by MI_MARGIN; the DSM network's below the null plus GENERALIZES_TOLERANCE; and its
 * excess over the null lower at the largest n than at the smallest (Welch: different training sets).
 * @example const checks = generalizationChecks(result.table.objects(), [16, 64]);
 */
export function generalizationChecks(rows: Rows, ns: number[]): ClaimCheckData[] {
  const checks: ClaimCheckData[] = [];
  const mi = (model: string, n: number) => bySeed(rows, model, "mi_nearest_set", n);
  const excess = (n: number) => { const [d, f] = paired(mi("dsm-mlp", n), mi("fresh-data", n)); return d.map((v, i) => v - f[i]); };
  for (const n of ns) {
    const [emp, freshE] = paired(mi("empirical-optimum", n), mi("fresh-data", n));
    if (emp.length) checks.push(checkClaim({
      quantity: `I(L; B) of the empirical optimum's samples at n = ${n} (nats)`, values: emp,
      reference: { name: "fresh data from the true law", values: freshE, paired: true }, direction: "above", margin: MI_MARGIN,
    }));
    const [dsm, empD] = paired(mi("dsm-mlp", n), mi("empirical-optimum", n));
    if (dsm.length) checks.push(checkClaim({
      quantity: `I(L; B) of the DSM-trained MLP's samples at n = ${n} (nats)`, values: dsm,
      reference: { name: "the empirical optimum on the same training sets", values: empD, paired: true }, direction: "below", margin: MI_MARGIN,
    }));
    const [dsmF, fresh] = paired(mi("dsm-mlp", n), mi("fresh-data", n));
    if (dsmF.length) checks.push(checkClaim({
      quantity: `I(L; B) of the DSM-trained MLP's samples at n = ${n} (nats)`, values: dsmF,
      reference: { name: `fresh data from the true law + ${fmt(GENERALIZES_TOLERANCE)} (a tenth of log 2)`, values: fresh.map((v) => v + GENERALIZES_TOLERANCE), paired: true },
      direction: "below", margin: 0,
    }));
  }
  const first = ns[0], last = ns[ns.length - 1];
  if (ns.length >= 2 && excess(first).length && excess(last).length) checks.push(checkClaim({
    quantity: `I(L; B) of the DSM-trained MLP minus the fresh-data null at n = ${last} (nats)`, values: excess(last),
    reference: { name: `the same excess at n = ${first}`, values: excess(first) }, direction: "below", margin: TREND_MARGIN,
  }));
  return checks;
}

const NAMES: Record<string, string> = {
  "empirical-optimum": "empirical optimum", "dsm-mlp": "DSM MLP", "gap-objective-mlp": "gap-objective MLP",
  "true-score": "true score (null)", "fresh-data": "fresh data (null)",
};

/** One line per metric: every generator's mean [95% interval] over seeds at each n. */
function metricLine(rows: Rows, ns: number[], models: readonly string[], metric: string, label: string): string {
  const parts = models.map((m) => ({ m, v: ns.map((n) => seedInterval(rows, m, metric, n)) }))
    .filter((p) => p.v.some((x) => x)).map((p) => `${NAMES[p.m] ?? p.m} ${p.v.map((x) => (x ? ci(x) : "n/a")).join("; ")}`);
  return parts.length ? `${label} at n = ${ns.join(", ")}: ${parts.join(" | ")}.` : "";
}

export interface FindingsOptions { seeds: number; quick: boolean; steps: number; evalEvery: number; patience: number; samples: number }

/** Per n: the Monte Carlo standard error of each generator's I(L; B) (mean over seeds) beside the spread between seeds. */
export function monteCarloLine(rows: Rows, ns: number[], models: readonly string[], samples: number): string {
  const parts = ns.map((n) => {
    const each = models.map((m) => ({ m, se: seedInterval(rows, m, "mi_standard_error", n), mi: seedInterval(rows, m, "mi_nearest_set", n) }))
      .filter((p) => p.se && p.mi).map((p) => `${NAMES[p.m] ?? p.m} ${fmt(p.se!.mean)} (sd over seeds ${fmt(p.mi!.std)})`);
    return each.length ? `n = ${n}: ${each.join(", ")}` : "";
  }).filter((p) => p);
  return parts.length ? `Monte Carlo of I(L; B): ${2 * samples} samples per seed (${samples} per training set); its standard error per n (mean over seeds, plugInMutualInformation), beside the spread between seeds: ${parts.join("; ")}.` : "";
}

/** Per n: how many of the DSM MLP's runs met the convergence rule (convergence.ts) and how many were still improving at the cap. */
export function convergenceLine(rows: Rows, ns: number[]): string {
  const runs = (n: number, k: string) => Math.round(2 * [...bySeed(rows, "dsm-mlp", `converged_${k}`, n).values()].reduce((a, b) => a + b, 0));
  const parts = ns.map((n) => {
    const [stopped, plateau, improving] = ["stopped", "plateau", "improving"].map((k) => runs(n, k));
    const best = seedInterval(rows, "dsm-mlp", "best_step", n);
    return `n = ${n}: ${stopped + plateau} of ${stopped + plateau + improving} runs met it (${stopped} stopped early, ${plateau} on a plateau at the cap), ${improving} still improving at the cap${best ? `, weights kept from step ${best.mean.toFixed(0)} on average` : ""}`;
  });
  return `Convergence of the DSM MLP (held-out: validation loss no longer improving, or improving by under ${(PLATEAU_REL_TOL * 100).toFixed(0)}% over the last window at the cap): ${parts.join("; ")}.`;
}

/**
 * What the run measured, in words from its numbers (means and 95% intervals over seeds), null levels included.
 * @example generalizationFindings(rows, [16, 64], models, { seeds: 3, quick: true })
 */
export function generalizationFindings(rows: Rows, ns: number[], models: readonly string[], o: FindingsOptions): string {
  return [
    `${o.quick ? "Quick mode: " : ""}${o.seeds} seeds per n, two training sets per seed; DSM MLP trained at most ${o.steps} steps, early-stopped on a held-out validation DSM loss (every ${o.evalEvery} steps, patience ${o.patience}).`,
    metricLine(rows, ns, models, "mi_nearest_set", `Mutual information I(L; B) in nats (ceiling log 2 = ${fmt(MI_CEILING)})`),
    monteCarloLine(rows, ns, models, o.samples),
    models.includes("dsm-mlp") ? convergenceLine(rows, ns) : "",
    metricLine(rows, ns, models, "memorization_rate", "Copy rate (nearest training point under 1/3 of the second nearest; fresh data gives its chance level)"),
    metricLine(rows, ns, models, "mmd2_test", "MMD^2 to held-out data (unbiased; fresh data is the null: two independent samples of the true law of the same sizes)"),
    metricLine(rows, ns, models.filter((m) => m !== "fresh-data"), "dsm_gap", "DSM gap, held-out minus training loss (the true score is its null)"),
  ].filter((line) => line).join("\n");
}
