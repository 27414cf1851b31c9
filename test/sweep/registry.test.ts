import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defineTrial, listTrials, resolveTrial } from "../../src/sweep/registry";
import { LIBRARY_TRIALS } from "../../src/sweep/library-trials";
import { MODULE } from "./plan";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-registry-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("defineTrial returns a well-formed definition and names the field it refuses", () => {
  const def = { params: ["x"], run: () => ({ y: 1 }) };
  assert.equal(defineTrial(def), def);
  assert.throws(() => defineTrial(null as never), /defineTrial: argument 'def' must be \{ params, run \}/);
  assert.throws(() => defineTrial({ params: ["x", ""], run: def.run }), /defineTrial: argument 'def\.params' must be an array of parameter names/);
  assert.throws(() => defineTrial({ params: ["x"] } as never), /defineTrial: argument 'def\.run' must be a function/);
});

test("listTrials lists the library table by name with its parameters and description", () => {
  const list = listTrials();
  assert.deepEqual(list.map((t) => t.name), Object.keys(LIBRARY_TRIALS));
  const train = list.find((t) => t.name === "trainScore")!;
  assert.deepEqual(train.params, LIBRARY_TRIALS.trainScore.params);
  assert.notEqual(train.params, LIBRARY_TRIALS.trainScore.params, "a copy: the table cannot be changed through the list");
});

test("resolveTrial: library names, modules under an allowed folder, and a clear refusal for everything else", () => {
  assert.equal(resolveTrial("trainScore", undefined, []), LIBRARY_TRIALS.trainScore);
  const fixtures = path.dirname(MODULE);
  assert.deepEqual(resolveTrial("square", MODULE, [fixtures]).params, ["x", "ms", "steps", "log"]);
  assert.deepEqual(resolveTrial("boom", MODULE, null).params, ["x"], "null trusts any module");
  assert.throws(() => resolveTrial("", undefined, []), /resolveTrial: argument 'fn' must name a trial function/);
  assert.throws(() => resolveTrial("nope", undefined, []), /resolveTrial: refused 'nope': not a library trial \(known: trainScore, /);
  assert.throws(() => resolveTrial("toString", undefined, []), /refused 'toString': not a library trial/, "inherited names are not trials");
  assert.throws(() => resolveTrial("square", "fixtures/trials.js", null), /resolveTrial: argument 'module' must be an absolute file path/);
  assert.throws(() => resolveTrial("square", MODULE.replace(/\.js$/, ".ts"), null), /refused module .*: only \.js and \.cjs files are loaded/);
  assert.throws(() => resolveTrial("square", path.join(tmp, "gone.js"), null), /refused module .*: no such file on this machine/);
  assert.throws(() => resolveTrial("square", MODULE, [tmp]), /refused module .*: it is not under an allowed folder/);
  assert.throws(() => resolveTrial("square", MODULE, []), /none given; start the worker with --allow DIR/);
  // A symbolic link into an allowed folder does not make a module outside it allowed.
  const link = path.join(tmp, "trials.js");
  fs.symlinkSync(MODULE, link);
  assert.throws(() => resolveTrial("square", link, [tmp]), /it is not under an allowed folder/);
  assert.throws(() => resolveTrial("sleep", MODULE, null), /refused 'sleep' of .*: not an export made with defineTrial/);
});
