/** The sampler study in quick mode: every sampler and grid, exact-score errors, figures, abort and bad input. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend, isAbortError } from "../../src/tensor";
import { GRID_NAMES, SAMPLER_NAMES, samplerStudy } from "../../src/sample";

test("samplerStudy (quick) measures every sampler on every grid against the exact mixture", async () => {
  await initBackend();
  const seen: number[] = [];
  const r = await samplerStudy({ quick: true, onStep: (p) => seen.push(p.step) });
  const rows = r.table.objects();
  const runs = rows.filter((x) => x.model !== "exact");
  assert.equal(runs.length, SAMPLER_NAMES.length * GRID_NAMES.length * 2);
  assert.equal(seen.length, runs.length);
  assert.ok(rows.every((x) => Number.isFinite(x.value as number) && (x.value as number) > 0));
  assert.equal(r.figures.length, GRID_NAMES.length);
  const floor = rows.find((x) => x.model === "exact")!.value as number;
  const err = (model: string, grid: string, steps: number) => runs.find((x) => x.model === model && x.grid === grid && x.steps === steps)!.value as number;
  // The floor of n = 256 exact draws is a sampling error of order 1 / sqrt(n) (about 0.1 on this target).
  assert.ok(floor > 0.02 && floor < 0.3, `floor ${floor}`);
  // 4 Euler–Maruyama steps are far off (discretisation dominates), and a second-order solver with 16 steps is
  // within 2x of the floor: both are seen in the numbers, not assumed.
  assert.ok(err("em", "uniform", 4) > 2 * floor, `em at 4 steps ${err("em", "uniform", 4)} vs floor ${floor}`);
  assert.ok(err("dpmpp_2m", "karras", 16) < 2 * floor, `dpmpp_2m at 16 steps ${err("dpmpp_2m", "karras", 16)} vs floor ${floor}`);
  assert.equal(runs.find((x) => x.model === "dpmpp_2s" && x.steps === 16)!.nfe, 32);
  assert.match(r.summary, /At 16 steps: best/);
});

test("samplerStudy: an abort throws an AbortError; bad names are Errors", async () => {
  await initBackend();
  const ac = new AbortController();
  await assert.rejects(samplerStudy({ quick: true, samplers: ["em", "edm"], grids: ["karras"], signal: ac.signal, onStep: (p) => { if (p.step === 1) ac.abort(); } }), (e: unknown) => isAbortError(e));
  await assert.rejects(samplerStudy({ samplers: ["rk45" as never] }), /samplerStudy: argument 'opts.samplers\[0\]' must be one of em, heun/);
  await assert.rejects(samplerStudy({ grids: ["cosine" as never] }), /samplerStudy: argument 'opts.grids' must be a non-empty array of uniform, karras, logsnr/);
  await assert.rejects(samplerStudy({ steps: [0] }), /samplerStudy: argument 'opts.steps\[0\]'/);
});
