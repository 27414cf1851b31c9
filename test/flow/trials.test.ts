import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLOW_SEED_TRIAL } from "../../src/flow/trials";

test("the flow.flowSeed trial takes only 'quick' and, stopped, throws AbortError and writes no snapshots", async () => {
  assert.deepEqual(FLOW_SEED_TRIAL.params, ["quick"]);
  assert.match(FLOW_SEED_TRIAL.description!, /Weber 2023/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-flow-trial-"));
  try {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(Promise.resolve(FLOW_SEED_TRIAL.run({ quick: true }, { seed: 0, dir, signal: ac.signal })), (e: Error) => e.name === "AbortError");
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
