import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { FUSION_TRIALS } from "../../src/fusion/trials";
import { cell1D, exactAuxiliary, heldOut1D } from "../../src/fusion/cell-1d";
import { CELL_FILE } from "../../src/fusion/seeds-on-sweep";

test("the fusion.cell1D trial (exact auxiliaries) writes the cell the in-process cell1D computes", async () => {
  await initBackend();
  assert.deepEqual(Object.keys(FUSION_TRIALS).sort(), ["fusion.cell1D", "fusion.digitsCell"]);
  const sde = vpSDE();
  const auxStats = [{ m: 0, s: 6 }, { m: 0, s: 6 }];
  const p = { n: 20, dir: "", auxiliaries: "exact", standardise: "common", pooled: { m: 0, s: 6 }, auxStats, testSize: 30, sampleSize: 30, sampleSteps: 8, llMaxSteps: 32, width: 8, steps: 10, fusionTRange: [sde.tMin, 10 * sde.tMin], auxW1: [1, 2] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fusion-trial-"));
  try {
    const rows = await FUSION_TRIALS["fusion.cell1D"].run(p as never, { seed: 1, dir });
    const fromTrial = JSON.parse(fs.readFileSync(path.join(dir, CELL_FILE), "utf8"));
    const held = heldOut1D(30);
    const inline = await cell1D({ sde, auxiliaries: "exact", standardise: "common", pooled: p.pooled, ...held, sampleSize: 30, sampleSteps: 8, llMaxSteps: 32, width: 8, steps: 10,
      fusionTRange: p.fusionTRange as [number, number], aux: auxStats.map((st, k) => exactAuxiliary(sde, k, st)), auxW1: [1, 2] }, 20, 1);
    held.testRaw.dispose();
    // Every draw of a cell is seeded from (n, seed): the trial's cell is the inline one exactly (JSON drops undefined).
    assert.deepEqual(fromTrial, JSON.parse(JSON.stringify(inline)));
    assert.equal((rows as unknown[]).length, inline.rows.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
