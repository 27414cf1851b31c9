import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TrialOutcome } from "../../src/sweep/run-trial";
import { readManifest, readResults, trialDir, writeManifest, writeTrialRecords } from "../../src/sweep/records";
import { fixtureTrial } from "./plan";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-records-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const outcome = (id: string, status: TrialOutcome["status"], files: Record<string, string> = {}): TrialOutcome => ({
  id, status, rows: [{ metric: "y", value: 1 }], stats: [{ step: 1, total: 2 }, { step: 2, total: 2 }], seconds: 0.5, worker: "h:1", attempts: 1,
  env: { node: "v0", backend: "none" }, files,
});

test("sweep.json is written once per folder; another sweep's folder is refused; a folder without one is not a sweep", () => {
  const out = path.join(tmp, "m");
  const m = { sweepId: "abc", spec: { fn: "square", space: { x: [1] }, seeds: 1 }, created: "2026-01-01T00:00:00.000Z" };
  writeManifest(out, m);
  writeManifest(out, { ...m, created: "later" });
  assert.deepEqual(readManifest(out), m, "the first manifest stays");
  assert.ok(fs.existsSync(path.join(out, "trials")));
  assert.throws(() => writeManifest(out, { ...m, sweepId: "other" }), /sweep: argument 'opts.out' .* holds another sweep \(abc, not other\)/);
  assert.throws(() => readManifest(path.join(tmp, "none")), /resumeSweep: argument 'dir' .* has no sweep\.json/);
});

test("a finished trial's records are stored once: config, stats, files and result.json; a stopped one gets no result", () => {
  const out = path.join(tmp, "r");
  const t = fixtureTrial("square", { x: 1 }, 2);
  assert.equal(writeTrialRecords(out, t, outcome(t.id, "ok", { "ck/w.bin": Buffer.from("hi").toString("base64") })), true);
  const dir = trialDir(out, t.id);
  assert.equal(dir, path.join(out, "trials", t.id));
  const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  assert.deepEqual([config.fn, config.params, config.seed, config.worker, config.node], ["square", { x: 1 }, 2, "h:1", "v0"]);
  assert.deepEqual(fs.readFileSync(path.join(dir, "stats.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).step), [1, 2]);
  assert.equal(fs.readFileSync(path.join(dir, "ck", "w.bin"), "utf8"), "hi");
  const stored = JSON.parse(fs.readFileSync(path.join(dir, "result.json"), "utf8"));
  assert.deepEqual(Object.keys(stored).sort(), ["attempts", "id", "rows", "seconds", "status", "worker"], "no stats, files or env in result.json");
  assert.equal(writeTrialRecords(out, t, outcome(t.id, "failed")), false, "a second result is not stored");
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "result.json"), "utf8")).status, "ok");
  const s = fixtureTrial("square", { x: 2 });
  assert.equal(writeTrialRecords(out, s, outcome(s.id, "stopped")), true);
  assert.ok(!fs.existsSync(path.join(trialDir(out, s.id), "result.json")) && fs.existsSync(path.join(trialDir(out, s.id), "config.json")));
  const results = readResults(out, [t, s]);
  assert.deepEqual([...results.keys()], [t.id]);
  assert.equal(results.get(t.id)!.status, "ok");
  const bad = fixtureTrial("square", { x: 3 });
  assert.throws(() => writeTrialRecords(out, bad, outcome(bad.id, "ok", { "../../escape.txt": "" })), /sweep: refused file '\.\.\/\.\.\/escape\.txt' from worker h:1: outside the trial folder/);
  assert.ok(!fs.existsSync(path.join(out, "escape.txt")));
});
