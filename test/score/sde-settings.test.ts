// What a checkpoint stores about its SDE (src/score/sde-settings.ts): the settings, the first difference from
// another SDE, and the rebuilt SDE, which is the same one or none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cosineSchedule, userSchedule, veSDE, vpSDE } from "../../src/sde";
import { sdeFromSettings, sdeMismatch, sdeSettings } from "../../src/score/sde-settings";

test("sdeSettings records kind, T, tMin, the schedule and the marginals at six probe times", () => {
  const sde = vpSDE();
  const s = sdeSettings(sde);
  assert.deepEqual([s.kind, s.T, s.tMin, s.schedule, s.description], ["vp", sde.T, sde.tMin, sde.schedule.name, sde.describe()]);
  assert.equal(s.probes.length, 6);
  assert.equal(s.probes[0][0], sde.tMin);
  assert.equal(s.probes[5][0], sde.T);
  for (const [t, scale, std] of s.probes) assert.deepEqual([scale, std], [sde.marginalAt(t).scale, sde.marginalAt(t).std]);
});

test("sdeMismatch names the first difference, or is null for the same SDE", () => {
  const s = sdeSettings(vpSDE());
  assert.equal(sdeMismatch(vpSDE(), s), null);
  assert.equal(sdeMismatch(veSDE(), s), "kind ve (checkpoint: vp)");
  assert.match(sdeMismatch(vpSDE({ T: 2 }), s)!, /^T\/tMin 2\//);
  assert.match(sdeMismatch(vpSDE({ schedule: cosineSchedule() }), s)!, /^marginal at t=[\d.e-]+: scale [\d.e-]+, std [\d.e-]+ \(checkpoint: /);
});

test("sdeFromSettings rebuilds a named schedule's SDE, and gives null for a user schedule or edited probes", () => {
  for (const sde of [vpSDE(), veSDE(), vpSDE({ schedule: cosineSchedule() })]) {
    const back = sdeFromSettings(sdeSettings(sde))!;
    assert.ok(back, sde.describe());
    assert.equal(sdeMismatch(back, sdeSettings(sde)), null);
  }
  const user = vpSDE({ schedule: userSchedule({ beta: (t) => 0.1 + 19.9 * t }) });
  assert.equal(sdeFromSettings(sdeSettings(user)), null);
  const edited = sdeSettings(vpSDE());
  edited.probes[3][2] *= 1.01;
  assert.equal(sdeFromSettings(edited), null);
});
