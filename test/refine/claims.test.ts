import { test } from "node:test";
import assert from "node:assert/strict";
import { KL_MARGIN, refineChecks, type RefineDesign } from "../../src/refine";
import { reproducedFrom } from "../../src/studies";
import type { ResultRow } from "../../src/table";

const design: RefineDesign = { ns: [25, 400], widths: [4, 32], n0: 25, width0: 32, ws: [0, 1, 4] };
const seeds = [0, 1, 2, 3, 4];
const noise = (s: number) => 0.003 * ((s * 7) % 5 - 2); // a small, seed-dependent spread

/** Rows of a synthetic run: base KL 0.22 everywhere, refined = refinedKL(n, width, seed); guidance errors by w. */
function rows(refined: (n: number, width: number, s: number) => number, mode: (w: number, s: number) => number): ResultRow[] {
  const out: ResultRow[] = [];
  const configs = [...design.ns.map((n) => [n, design.width0]), ...design.widths.map((w) => [design.n0, w])];
  for (const s of seeds) {
    for (const [n, width] of configs) {
      const run = { experiment: "refinement", dataset: "toy", seed: s, n, width, metric: "heldout_kl" };
      out.push({ ...run, model: "base", value: 0.22 + noise(s) }, { ...run, model: "refined", value: refined(n, width, s) });
    }
    for (const w of design.ws) out.push({ experiment: "guidance", model: "m", dataset: "toy", seed: s, w, metric: "mode_weight_error", value: mode(w, s) });
  }
  return out;
}

test("a run whose refined model equals its base model (and guidance that does nothing) reproduces nothing: 'no'", () => {
  const checks = refineChecks(rows((_n, _w, s) => 0.22 + noise(s), (_w, s) => 0.3 + noise(s)), design);
  // 2 n's + 1 extra width against the base, the n trend, the width trend, w = 1 against w = 0, w = 4 against w = 1.
  assert.equal(checks.length, 7);
  assert.ok(checks.every((c) => !c.passed));
  assert.equal(reproducedFrom(checks), "no");
  assert.ok(checks.every((c) => c.margin > 0 && c.text.includes(`more than ${c.margin}`)));
});

test("refinement that beats the base everywhere, more so with n and less so with width, and guidance with its w = 1 optimum and overshoot: 'yes'", () => {
  const checks = refineChecks(rows((n, w, s) => (n === 400 ? 0.02 : w === 4 ? 0.05 : 0.1) + noise(s), (w, s) => Math.abs(w - 1) * 0.2 + noise(s) + 0.01), design);
  assert.ok(checks.every((c) => c.passed), checks.filter((c) => !c.passed).map((c) => c.text).join("\n"));
  assert.equal(reproducedFrom(checks), "yes");
});

test("refinement worse than the base at the richest discriminator fails that check only, with its interval above the base", () => {
  const checks = refineChecks(rows((n, w, s) => (w === 32 && n === 25 ? 0.9 : n === 400 ? 0.02 : 0.05) + noise(s), (w, s) => Math.abs(w - 1) * 0.2 + noise(s) + 0.01), design);
  const bad = checks.filter((c) => !c.passed);
  assert.equal(bad.length, 1);
  assert.match(bad[0].quantity, /n = 25, width 32/);
  assert.ok(bad[0].difference.lo > KL_MARGIN, "the interval says worse, not merely unclear");
  assert.equal(reproducedFrom(checks), "partly");
});
