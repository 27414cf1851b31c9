import { test } from "node:test";
import assert from "node:assert/strict";
import { trainedSchedules, type TrainedScheduleRow } from "../../src/bounds/trained-schedules";
import { TRAINED_SCHEDULES_TRIAL, TRAINED_SCHEDULE_METRICS, trainedScheduleTrialRows } from "../../src/bounds/trials";

test("trainedScheduleTrialRows makes one row per schedule and metric, with the schedule and its a as columns", () => {
  const row: TrainedScheduleRow = { schedule: "cosine", a: null, kl: 1, klExactScore: 2, bound: 3, e1: 4, e2: 5, e3: 6 };
  const out = trainedScheduleTrialRows([row]);
  assert.deepEqual(out.map((r) => [r.metric, r.value]), TRAINED_SCHEDULE_METRICS.map((m, i) => [m, i + 1]));
  assert.ok(out.every((r) => r.schedule === "cosine" && r.a === null && r.model === "euler-dsm-affine"));
});

test("the trial runs one seed of trainedSchedules with the context's seed", async () => {
  const p = { dim: 2, n: 40, passes: 1, as: [0], cosine: false };
  const got = await TRAINED_SCHEDULES_TRIAL.run(p, { seed: 4, dir: "/nonexistent" });
  assert.deepEqual(got, trainedScheduleTrialRows(trainedSchedules({ ...p, seed: 4 })));
  assert.deepEqual(TRAINED_SCHEDULES_TRIAL.params, ["dim", "n", "passes", "degree", "steps", "as", "cosine"]);
});
