import { test } from "node:test";
import assert from "node:assert/strict";
import { completeMagic, inspectMagic } from "../../src/magics/complete";
import { magicList } from "../../src/magics/registry";

test("magic names, flags, choices and notebook variables complete on magic lines; other code is left to tslab", () => {
  assert.deepEqual(completeMagic("%tr", 3, {}), { matches: ["%train_score"], start: 0, end: 3 });
  assert.equal(completeMagic("%", 1, {})!.matches.length, magicList().length);
  assert.equal(completeMagic("x = 1;\n%%ti", 11, {}), null, "%% only on the first line");
  assert.deepEqual(completeMagic("%%ti", 4, {})!.matches, ["%%time", "%%timeit"]);
  assert.deepEqual(completeMagic("%train_score --st", 17, {}), { matches: ["--steps"], start: 13, end: 17 });
  const vars = { moons: 1, model: 2, x: 3 };
  assert.deepEqual(completeMagic("%train_score --data mo", 22, vars), { matches: ["model", "moons"], start: 20, end: 22 });
  assert.deepEqual(completeMagic("%train_score --sde ", 19, vars)!.matches, ["subvp", "ve", "vp"]);
  assert.deepEqual(completeMagic("%train_score --steps ", 21, vars)!.matches, [], "a number flag offers nothing");
  assert.equal(completeMagic("const a = lab.", 14, vars), null);
  assert.deepEqual(completeMagic("%nosuch --x", 11, vars)!.matches, []);
  // The cursor mid-line completes the token before it.
  assert.deepEqual(completeMagic("%train_score --sd vp", 17, vars)!.matches, ["--sde"]);
});

test("Shift+Tab on a magic line gives the same help as %name?", () => {
  assert.match(inspectMagic("%seed 3", 2)!, /^Usage: %seed/);
  assert.match(inspectMagic("let a = 1;\n%train_score --steps 10", 15)!, /--steps/);
  assert.equal(inspectMagic("Math.abs", 5), null);
  assert.equal(inspectMagic("%nosuch", 3), null);
});
