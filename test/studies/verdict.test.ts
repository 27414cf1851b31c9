// A paper notebook's verdict as data (src/studies/verdict.ts) and the main job's reader of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { VERDICT_MIME, combineReproduced, verdict, verdictFromJSON } from "../../src/studies";
import { readVerdict } from "../../src/cli/main-job";

const data = { claim: "Fusion helps at small n.", measured: "fused W1 0.5 against 1.1\nat n = 32", reproduced: "partly" as const, mode: "full" as const };

test("a verdict shows the three lines and carries its JSON bundle", () => {
  const v = verdict(data);
  assert.equal(v.toString(), "CLAIM: Fusion helps at small n.\nTHIS RUN (full mode): fused W1 0.5 against 1.1 at n = 32\nREPRODUCED: partly");
  const b = v.toMimeBundle();
  assert.deepEqual(b[VERDICT_MIME], { ...data, checks: [], untested: [] });
  assert.equal(b["text/plain"], v.toString());
  assert.deepEqual(verdictFromJSON(JSON.parse(JSON.stringify(b[VERDICT_MIME])))?.toJSON(), { ...data, checks: [], untested: [] });
  assert.equal(verdictFromJSON({ claim: "x" }), undefined);
});

test("bad verdicts are one error naming the field", () => {
  assert.throws(() => verdict({ ...data, reproduced: "maybe" as never }), /verdict: argument 'data.reproduced' must be one of yes, partly, no, got "maybe"/);
  assert.throws(() => verdict({ ...data, claim: " " }), /data.claim/);
  assert.throws(() => verdict({ ...data, mode: "fast" as never }), /data.mode/);
  assert.throws(() => combineReproduced([]), /at least one/);
  assert.deepEqual([combineReproduced(["yes", "yes"]), combineReproduced(["no", "no"]), combineReproduced(["yes", "no"])], ["yes", "no", "partly"]);
});

test("the main job reads the displayed verdict from an executed notebook, not its printed text", () => {
  const cell = (outputs: { output_type: string; [k: string]: unknown }[]) => ({ cells: [{ cell_type: "code", metadata: { tags: ["summary"] }, outputs }] });
  const shown = { output_type: "display_data", data: verdict(data).toMimeBundle() as Record<string, unknown> };
  assert.deepEqual(readVerdict(cell([{ output_type: "stream", name: "stdout", text: "REPRODUCED: yes\n" }, shown])), { claim: data.claim, summary: data.measured, reproduced: "partly", checks: [] });
  assert.match(readVerdict(cell([{ output_type: "stream", name: "stdout", text: "CLAIM: a\nREPRODUCED: yes\n" }])).reproduced, /^unknown/);
});
