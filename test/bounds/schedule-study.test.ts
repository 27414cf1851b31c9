import { test } from "node:test";
import assert from "node:assert/strict";
import { isAbortError } from "../../src/tensor";
import { reproducedFrom } from "../../src/studies";
import { scheduleStudy } from "../../src/bounds/schedule-study";
import { RANK_MARGIN } from "../../src/bounds/schedule-agreement";

test("quick study: the verdict's parts, judged by the rule; the exact-score U kept in the summary", async () => {
  const r = await scheduleStudy({ quick: true });
  // Moved from test/flow/flow-study.test.ts: the exact-score interior optimum at d = 10 (a = 4).
  assert.match(r.summary, /d = 10: exact KL is smallest at a = 4 .*interior optimum/);
  // Four trained-score figures (KL against a, bound against a, rho against d, argmins against d) and the three
  // exact-score ones (was 2 before the trained half: the old a-sweep and step-count figures).
  assert.equal(r.figures.length, 7);
  assert.equal(r.mode, "quick");
  assert.equal(r.checks.length, 4);
  assert.match(r.checks[3].quantity, /^sanity/);
  // The verdict comes from the three headline checks only, never from the sanity check.
  assert.equal(r.reproduced, reproducedFrom(r.checks.slice(0, 3)));
  assert.match(r.measured, /quick mode: 3 seeds/);
  assert.ok(r.checks.every((c) => c.measured.n === 3));
  // The rank check prints its one threshold.
  assert.equal(r.checks[1].margin, RANK_MARGIN);
  const trained = r.table.objects().filter((x) => x.experiment === "schedule-a-trained");
  // 3 seeds x (11 exponential + cosine) schedules x 6 metrics.
  assert.equal(trained.length, 3 * 12 * 6);
});

test("the seeds as trials of the sweep's local executor give the in-process numbers", async () => {
  const o = { quick: true, dims: [3], seeds: [0, 1], n: 60, passes: 1 };
  const local = await scheduleStudy({ ...o, executor: "local" });
  const here = await scheduleStudy(o);
  const pick = (r: typeof here) => r.table.objects().filter((x) => x.experiment === "schedule-a-trained").map((x) => [x.seed, x.schedule, x.metric, x.value]);
  assert.deepEqual(pick(local), pick(here));
  assert.deepEqual(local.checks.map((c) => c.text), here.checks.map((c) => c.text));
});

test("an aborted study throws an AbortError; bad options error with the argument named", async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(scheduleStudy({ quick: true, signal: ac.signal }), (e) => isAbortError(e));
  await assert.rejects(scheduleStudy({ executor: "redis" as never }), /scheduleStudy: argument 'opts.executor'/);
  await assert.rejects(scheduleStudy({ dims: [0] }), /scheduleStudy: argument 'opts.dims'/);
  await assert.rejects(scheduleStudy({ seeds: [] }), /scheduleStudy: argument 'opts.seeds'/);
  await assert.rejects(scheduleStudy({ seeds: [1, 1] }), /must not repeat a seed/);
});
