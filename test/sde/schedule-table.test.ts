// The schedule table (src/sde/schedule-table.ts): every row's schedule is found again from the full name a
// checkpoint stores, with the same beta and integral; unknown names are one clear error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCHEDULES, SCHEDULE_NAMES, scheduleFromFullName, scheduleNamed, schedulesFor, userSchedule } from "../../src/sde";

test("each schedule in the table round-trips through its stored full name", () => {
  for (const name of SCHEDULE_NAMES) {
    for (const T of [1, 2.5]) {
      const s = SCHEDULES[name].make(T);
      const back = scheduleFromFullName(s.name, T);
      assert.ok(back, `${name}: ${s.name} not parsed`);
      assert.equal(back.name, s.name);
      // The same closed forms at the same parameters: equal to float64 rounding of the parsed decimals.
      for (const t of [0, 0.1, 0.5, 0.9].map((f) => f * T)) {
        assert.ok(Math.abs(back.beta(t) - s.beta(t)) <= 1e-12 * Math.max(1, Math.abs(s.beta(t))), `${name} beta(${t})`);
        assert.ok(Math.abs(back.integral(t) - s.integral(t)) <= 1e-12 * Math.max(1, Math.abs(s.integral(t))), `${name} B(${t})`);
      }
    }
  }
});

test("names outside the table: an error naming the choices, and no match for user schedules", () => {
  assert.throws(() => scheduleNamed("quadratic", "%train_score", "--schedule"), /%train_score: argument '--schedule' must be one of linear, cosine, geometric/);
  assert.equal(scheduleFromFullName(userSchedule({ beta: (t) => 1 + t }).name, 1), null);
  assert.deepEqual(schedulesFor(["ve"]), ["geometric", "constant"]);
  assert.ok(schedulesFor(["vp"]).includes("cosine") && !schedulesFor(["vp"]).includes("geometric"));
});
