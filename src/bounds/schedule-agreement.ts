/**
 * Whether the KL bound of Strasman et al. (2024, arXiv 2402.04650, Thm. 1 as coded: E1 + E2 + E3) agrees with the
 * true error of the sampler when the score is learned: per seed, the bound's ranking of the schedules against the
 * exact KL's, the bound's choice of a against the standard linear schedule, and whether the exact KL has an interior
 * optimum in a at all; each then checked over seeds against its reference (studies/claim-check.ts).
 * Every threshold of these claims is defined here, once.
 */
import { fail } from "../tensor";
import { checkClaim, type ClaimCheckData } from "../studies";
import { spearman } from "./rank";
import type { TrainedScheduleRow } from "./trained-schedules";

/** Spearman rho the bound must exceed (beyond the null of no agreement, 0) for "ranks schedules like the truth":
 * a random ordering of ~20 schedules has rho with standard deviation ~0.23, and 0.5 is the usual "strong" level. */
export const RANK_MARGIN = 0.5;
/** log10 KL by which the bound's choice must beat the linear schedule (0: any improvement the interval clears). */
export const CHOICE_MARGIN = 0;
/** log10 KL by which the linear schedule (a = 0, mid-range) must beat the better end of the a range for the U shape. */
export const U_MARGIN = 0;
/** log10(bound / KL) the smallest ratio must exceed: the bound is an upper bound (a sanity check, not the claim). */
export const SANITY_MARGIN = 0;

export interface SeedAgreement {
  /** Spearman rho between bound and exact KL over all schedules (exponential family and cosine). */
  spearman: number;
  /** argmin over the exponential family of the bound, and of the exact KL. */
  aBound: number;
  aKL: number;
  /** log10 exact KL: at the bound's argmin, of the linear schedule (a = 0), at the better end of the range, at the best a. */
  log10KLChoice: number;
  log10KLLinear: number;
  log10KLBestEnd: number;
  log10KLBest: number;
  /** log10 of the smallest bound / exact KL over the schedules. */
  log10MinRatio: number;
  /** log10 (cosine / linear), of the exact KL and of the bound (negative: cosine better); NaN without cosine. */
  cosineOverLinearKL: number;
  cosineOverLinearBound: number;
}

const argmin = (v: number[]) => v.reduce((best, x, i) => (x < v[best] ? i : best), 0);

/**
 * The per-seed statistics of one seed's schedules (trainedSchedules' rows).
 * @example seedAgreement(trainedSchedules({ seed: 0, dim: 5, n: 200 })).spearman
 */
export function seedAgreement(rows: TrainedScheduleRow[]): SeedAgreement {
  const fn = "seedAgreement";
  const fam = rows.filter((r) => r.a !== null).sort((x, y) => (x.a as number) - (y.a as number));
  const lin = fam.find((r) => r.a === 0);
  if (fam.length < 3 || !lin) fail(fn, "rows", "must hold at least three exponential-family schedules, a = 0 (linear) among them");
  const cos = rows.find((r) => r.a === null);
  const iB = argmin(fam.map((r) => r.bound)), iK = argmin(fam.map((r) => r.kl));
  return {
    spearman: spearman(rows.map((r) => r.bound), rows.map((r) => r.kl)),
    aBound: fam[iB].a as number,
    aKL: fam[iK].a as number,
    log10KLChoice: Math.log10(fam[iB].kl),
    log10KLLinear: Math.log10(lin.kl),
    log10KLBestEnd: Math.log10(Math.min(fam[0].kl, fam[fam.length - 1].kl)),
    log10KLBest: Math.log10(fam[iK].kl),
    log10MinRatio: Math.min(...rows.map((r) => Math.log10(r.bound / r.kl))),
    cosineOverLinearKL: cos ? Math.log10(cos.kl / lin.kl) : NaN,
    cosineOverLinearBound: cos ? Math.log10(cos.bound / lin.bound) : NaN,
  };
}

export interface AgreementChecks {
  /** Per dimension: the interior optimum of the exact KL, the bound's ranking, the bound's choice of a. */
  headline: ClaimCheckData[];
  /** bound >= exact KL at every schedule, dimension and seed. */
  sanity: ClaimCheckData;
}

/**
 * The claims over seeds, per dimension. `byDim` maps d to one SeedAgreement per seed (same seed order for all d);
 * `range` is the exponential family's [min a, max a] and `schedules` the number of schedules ranked (for the text).
 * @example agreementChecks(new Map([[10, seeds.map((s) => seedAgreement(trainedSchedules({ seed: s })))]]), [-10, 10], 22)
 */
export function agreementChecks(byDim: Map<number, SeedAgreement[]>, range: [number, number], schedules: number): AgreementChecks {
  const headline: ClaimCheckData[] = [];
  for (const [d, s] of byDim) {
    headline.push(checkClaim({
      quantity: `d = ${d}, trained score: log10 exact KL of the linear schedule (a = 0, mid-range)`,
      values: s.map((x) => x.log10KLLinear),
      reference: { name: `the better end of a in [${range[0]}, ${range[1]}] (an interior optimum exists when a = 0 beats both ends)`, values: s.map((x) => x.log10KLBestEnd), paired: true },
      direction: "below", margin: U_MARGIN,
    }));
    headline.push(checkClaim({
      quantity: `d = ${d}, trained score: Spearman rho of the bound against the exact KL over ${schedules} schedules`,
      values: s.map((x) => x.spearman),
      reference: { name: "no agreement (an unrelated ordering, rho = 0)", value: 0 },
      direction: "above", margin: RANK_MARGIN,
    }));
    headline.push(checkClaim({
      quantity: `d = ${d}, trained score: log10 exact KL at the bound's argmin a`,
      values: s.map((x) => x.log10KLChoice),
      reference: { name: "log10 exact KL of the linear schedule (a = 0), same seed", values: s.map((x) => x.log10KLLinear), paired: true },
      direction: "below", margin: CHOICE_MARGIN,
    }));
  }
  const all = [...byDim.values()];
  const seeds = all[0].length;
  const minRatio = Array.from({ length: seeds }, (_, i) => Math.min(...all.map((s) => s[i].log10MinRatio)));
  const sanity = checkClaim({
    quantity: `sanity: log10(bound / exact KL), smallest over schedules and d = ${[...byDim.keys()].join(", ")}`,
    values: minRatio,
    reference: { name: "an upper bound (ratio 1, log10 = 0)", value: 0 },
    direction: "above", margin: SANITY_MARGIN,
  });
  return { headline, sanity };
}
