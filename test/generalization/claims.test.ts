import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResultRow } from "../../src/table";
import { GENERALIZES_TOLERANCE, MI_MARGIN, generalizationChecks, generalizationFindings } from "../../src/generalization/claims";
import { reproducedFrom } from "../../src/studies/verdict";

/** Rows of the mutual information only: mi[model][n] is one value per seed. */
function rows(mi: Record<string, Record<number, number[]>>): ResultRow[] {
  const out: ResultRow[] = [];
  for (const [model, byN] of Object.entries(mi)) for (const [n, vs] of Object.entries(byN)) {
    vs.forEach((value, seed) => out.push({ experiment: "generalization", model, dataset: "ring8", seed, n: Number(n), steps: 0, metric: "mi_nearest_set", value }));
  }
  return out;
}

const noise = [0.001, -0.002, 0.0015, 0, -0.001];
const at = (v: number) => noise.map((e) => v + e);

/** The empirical optimum's, the network's and the null's MI at two sizes: [at ns[0], at ns[1]] each. */
function three(ns: [number, number], emp: [number, number], dsm: [number, number], fresh: [number, number]): ResultRow[] {
  const pair = (v: [number, number]) => ({ [ns[0]]: at(v[0]), [ns[1]]: at(v[1]) });
  return rows({ "empirical-optimum": pair(emp), "dsm-mlp": pair(dsm), "fresh-data": pair(fresh) });
}

test("a run that behaves as the paper says passes every check: 3 per n and the trend", () => {
  const r = three([16, 256], [0.69, 0.6], [0.03, 0.002], [0.0003, 0.0002]);
  const checks = generalizationChecks(r, [16, 256]);
  assert.equal(checks.length, 3 * 2 + 1);
  for (const c of checks) assert.ok(c.passed, c.text);
  assert.equal(reproducedFrom(checks), "yes");
  // The margins are the named constants, printed with each check.
  assert.equal(checks[0].margin, MI_MARGIN);
  assert.match(checks[0].text, /by more than 0\.3466/);
  assert.match(checks[2].referenceName, /\+ 0\.069/);
});

test("an empirical optimum that equals its null, and a network that equals the optimum, give no", () => {
  const r = three([16, 64], [0.0003, 0.0002], [0.0003, 0.0002], [0.0003, 0.0002]);
  const checks = generalizationChecks(r, [16, 64]);
  const memorizes = checks.filter((c) => /empirical optimum's samples/.test(c.quantity));
  assert.equal(memorizes.length, 2);
  for (const c of memorizes) assert.ok(!c.passed, c.text);
  // The network equals the optimum: "below the optimum by MI_MARGIN" fails at every n.
  const r2 = three([16, 64], [0.69, 0.69], [0.69, 0.69], [0, 0]);
  const c2 = generalizationChecks(r2, [16, 64]).filter((c) => /optimum on the same/.test(c.referenceName));
  assert.equal(c2.length, 2);
  for (const c of c2) assert.ok(!c.passed, c.text);
  assert.equal(reproducedFrom(generalizationChecks(r2, [16, 64])), "partly");
});

test("the generalizes-like-fresh-data check holds only inside the tolerance; the trend check uses the excess over the null", () => {
  const inside = GENERALIZES_TOLERANCE / 2, outside = GENERALIZES_TOLERANCE * 1.5;
  const r = rows({ "dsm-mlp": { 16: at(outside), 1024: at(inside) }, "fresh-data": { 16: at(0), 1024: at(0) } });
  const [c16, c1024, trend] = generalizationChecks(r, [16, 1024]);
  assert.ok(!c16.passed && c1024.passed, `${c16.text}\n${c1024.text}`);
  assert.ok(trend.passed, trend.text);
  // A null that rises by as much as the network: the excess is flat, so the trend does not hold.
  const other = (v: number) => [...noise].reverse().map((e) => v + 2 * e);
  const flat = rows({ "dsm-mlp": { 16: at(0.05), 1024: at(0.25) }, "fresh-data": { 16: other(0), 1024: other(0.2) } });
  assert.ok(!generalizationChecks(flat, [16, 1024]).at(-1)!.passed);
});

test("one seed is never judged; findings carry intervals, the nulls and the quick-mode seed count", () => {
  const r = rows({ "empirical-optimum": { 16: [0.69] }, "fresh-data": { 16: [0] } });
  const [c] = generalizationChecks(r, [16]);
  assert.ok(!c.passed && /not judged: one seed/.test(c.text));
  const r3 = rows({ "empirical-optimum": { 16: at(0.69) }, "fresh-data": { 16: at(0.0003) } });
  const text = generalizationFindings(r3, [16], ["empirical-optimum", "fresh-data"], { seeds: 5, quick: true, steps: 10, evalEvery: 5, patience: 2, samples: 100 });
  assert.match(text, /^Quick mode: 5 seeds per n/);
  assert.match(text, /empirical optimum 0\.690 \[0\.68\d, 0\.69\d\] \| fresh data \(null\) 2\.00e-4 \[/);
  assert.doesNotMatch(text, /Copy rate/); // no rows of it: no line
});

test("findings count the DSM MLP's runs per convergence outcome and state the Monte Carlo standard error of I(L; B)", () => {
  const row = (seed: number, metric: string, value: number, model = "dsm-mlp"): ResultRow => ({ experiment: "generalization", model, dataset: "ring8", seed, n: 16, steps: 10, metric, value });
  // Three seeds, two runs each (values are fractions of a seed's two runs): 3 stopped early, 1 plateau, 2 improving.
  const outcome = [[1, 0, 0], [0.5, 0.5, 0], [0, 0, 1]];
  const r: ResultRow[] = [];
  outcome.forEach(([s, p, i], seed) => r.push(row(seed, "converged_stopped", s), row(seed, "converged_plateau", p), row(seed, "converged_improving", i),
    row(seed, "best_step", 100 * (seed + 1)), row(seed, "mi_nearest_set", 0.02 * seed), row(seed, "mi_standard_error", 0.002)));
  const text = generalizationFindings(r, [16], ["dsm-mlp"], { seeds: 3, quick: false, steps: 10, evalEvery: 5, patience: 2, samples: 100 });
  assert.match(text, /n = 16: 4 of 6 runs met it \(3 stopped early, 1 on a plateau at the cap\), 2 still improving at the cap, weights kept from step 200 on average/);
  // 200 samples per seed; the standard error and the sd over seeds of 0, 0.02, 0.04 (= 0.02).
  assert.match(text, /200 samples per seed \(100 per training set\)[^]*n = 16: DSM MLP 2\.00e-3 \(sd over seeds 0\.020\)/);
});
