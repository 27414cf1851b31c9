/**
 * The refinement study's judging, from its table alone (so a table gathered by the sweep executor is judged the same
 * way as one built in-process). Every claim is checked over seeds against the base model of the same seed (paired),
 * by checkClaim's rule: the 95 % interval of the difference must clear the claim's one margin.
 */
import { checkClaim, type ClaimCheckData } from "../studies/claim-check";
import type { ResultRow } from "../table";

/**
 * The one threshold of every KL claim (nats): a refined model counts as better (or worse) than another only when the
 * interval of the paired difference clears 0.01 nats, about 5 % of the base model's KL(p || q) = 0.223 nats
 * (0.5 log(0.5/0.8) + 0.5 log(0.5/0.2), the modes being 8 std apart) and of the order of the held-out estimate's
 * Monte Carlo error on 2,000 points.
 */
export const KL_MARGIN = 0.01;

/**
 * The one threshold of the guidance claims (mode-weight error, a share of samples): 0.02, above the binomial noise of
 * one run's share (sqrt(0.25 / 1500) = 0.013 in full mode) and far below the base model's error of 0.3.
 */
export const MODE_MARGIN = 0.02;

export interface RefineDesign { ns: number[]; widths: number[]; n0: number; width0: number; ws: number[] }

/** Values of one metric per seed, for rows that match `keep`, in seed order. */
function perSeed(rows: ResultRow[], metric: string, keep: (r: ResultRow) => boolean): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) if (r.metric === metric && keep(r) && Number.isFinite(r.value)) m.set(r.seed, r.value);
  return m;
}

/** checkClaim on two per-seed maps, paired over the seeds both have; undefined when fewer than one seed is shared. */
function paired(quantity: string, a: Map<number, number>, refName: string, b: Map<number, number>, direction: "below" | "above", margin: number): ClaimCheckData | undefined {
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) return undefined;
  return checkClaim({
    quantity, direction, margin,
    values: seeds.map((s) => a.get(s)!),
    reference: { name: refName, values: seeds.map((s) => b.get(s)!), paired: true },
  });
}

/**
 * The checks of the refinement study: (1) at every n (width0) and every width (n0), the refined model's held-out
 * KL lies below the base model's; (2) the refined KL at the largest n lies below that at the smallest (the
 * complexity term shrinks with n) and, at n0, the widest discriminator's lies above the narrowest's (a richer class
 * loosens the guarantee at fixed n); (3) guidance at w = 1 lies below the unguided model's mode-weight error and
 * (4) the largest w above w = 1 (overshoot). Checks whose runs are absent from the table are left out.
 * @example refineChecks(result.table.objects(), { ns: [25, 400], widths: [4, 256], n0: 25, width0: 32, ws: [0, 1, 4] })
 */
export function refineChecks(rows: ResultRow[], d: RefineDesign): ClaimCheckData[] {
  const kl = (model: string, n: number, width: number) =>
    perSeed(rows, "heldout_kl", (r) => r.experiment === "refinement" && r.model === model && r.n === n && r.width === width);
  const out: (ClaimCheckData | undefined)[] = [];
  for (const n of d.ns) {
    out.push(paired(`held-out KL(p || refined) at n = ${n}, width ${d.width0} (nats)`, kl("refined", n, d.width0), "base model, same seed", kl("base", n, d.width0), "below", KL_MARGIN));
  }
  for (const w of d.widths.filter((w) => w !== d.width0)) {
    out.push(paired(`held-out KL(p || refined) at n = ${d.n0}, width ${w} (nats)`, kl("refined", d.n0, w), "base model, same seed", kl("base", d.n0, w), "below", KL_MARGIN));
  }
  const nLo = Math.min(...d.ns), nHi = Math.max(...d.ns);
  if (nHi > nLo) {
    out.push(paired(`held-out KL(p || refined) at n = ${nHi}, width ${d.width0} (nats)`, kl("refined", nHi, d.width0), `refined at n = ${nLo}, same seed`, kl("refined", nLo, d.width0), "below", KL_MARGIN));
  }
  const wLo = Math.min(...d.widths), wHi = Math.max(...d.widths);
  if (wHi > wLo) {
    out.push(paired(`held-out KL(p || refined) at n = ${d.n0}, width ${wHi} (nats)`, kl("refined", d.n0, wHi), `refined at width ${wLo}, same seed`, kl("refined", d.n0, wLo), "above", KL_MARGIN));
  }
  const mode = (w: number) => perSeed(rows, "mode_weight_error", (r) => r.experiment === "guidance" && r.w === w);
  if (d.ws.includes(0) && d.ws.includes(1)) {
    out.push(paired("mode-weight error of guided sampling at w = 1", mode(1), "unguided base (w = 0), same seed", mode(0), "below", MODE_MARGIN));
  }
  const wMax = Math.max(...d.ws);
  if (d.ws.includes(1) && wMax > 1) {
    out.push(paired(`mode-weight error of guided sampling at w = ${wMax} (overshoot)`, mode(wMax), "w = 1, same seed", mode(1), "above", MODE_MARGIN));
  }
  return out.filter((c): c is ClaimCheckData => c !== undefined);
}
