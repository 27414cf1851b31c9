import { test } from "node:test";
import assert from "node:assert/strict";
import * as os from "node:os";
import { initBackend } from "../../src/tensor";
import { REFINE_TRIALS } from "../../src/refine/trials";
import { refinePlan, refineSeedRows } from "../../src/refine/study";
import { LIBRARY_TRIALS } from "../../src/sweep/library-trials";

test("refine.refineSeed runs one seed of one part of a plan, as refineSeedRows does; it is a library trial; bad part", async () => {
  await initBackend();
  const trial = REFINE_TRIALS["refine.refineSeed"];
  assert.equal(LIBRARY_TRIALS["refine.refineSeed"], trial);
  const plan = refinePlan({ quick: true, seeds: [3], parts: ["refinement"], ns: [25], widths: [4], n0: 25, width0: 4, steps: 10 });
  const viaTrial = await trial.run({ part: "refinement", plan: plan as never }, { seed: 3, dir: os.tmpdir() });
  const direct = await refineSeedRows(plan, "refinement", 3);
  assert.deepEqual(viaTrial, direct);
  assert.ok(direct.some((r) => r.metric === "heldout_kl" && r.seed === 3));
  await assert.rejects(Promise.resolve().then(() => trial.run({ part: "fusion", plan: plan as never }, { seed: 0, dir: os.tmpdir() })), /refine.refineSeed: argument 'part' must be one of refinement, guidance/);
  await assert.rejects(Promise.resolve().then(() => trial.run({ part: "guidance", plan: null as never }, { seed: 0, dir: os.tmpdir() })), /refine.refineSeed: argument 'plan'/);
});
