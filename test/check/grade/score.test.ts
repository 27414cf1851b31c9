/** scoreRun: a run's cells turned into points (moved from test/check/grade-parts.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { scoreRun } from "../../../src/check/grade/score";
import { COPY_OK, MEAN_OK, submission } from "../grade-class";
import { emptyClass } from "./empty-class";

const { a, prep } = emptyClass("grade-score-");

test("scoreRun: points for cells that ran clean; a stopped run zeroes the cells it never reached, with the reason", () => {
  const p = prep(submission(MEAN_OK, COPY_OK));
  assert.ok(p.ok);
  const run = {
    seconds: 1,
    cells: new Map([
      [1, { status: "ok" as const, seconds: 0.1, outputs: [] }],
      [2, { status: "ok" as const, seconds: 0.2, outputs: [{ output_type: "stream", name: "stdout", text: ["PASS mean: fine\n"] }] }],
      [3, { status: "timeout" as const, seconds: 6, outputs: [], evalue: "the cell ran past its limit of 6 s" }],
    ]),
    stop: { status: "timeout" as const, message: "the cell ran past its limit of 6 s", cell: 3 },
  };
  const rows = scoreRun("zoe", a, p.nb, run);
  assert.deepEqual(rows.map((r) => [r.grade_id, r.points, r.status, r.message]), [
    ["check_mean", 2, "ok", "mean: fine"],
    ["check_copy", 0, "timeout", "not run: the cell ran past its limit of 6 s (in cell 4)"],
  ]);
  // A solution cell that threw is named next to the check it broke.
  run.cells.set(1, { status: "error", seconds: 0, outputs: [], ename: "TypeError", evalue: "x is not a function" } as never);
  run.cells.set(2, { status: "error", seconds: 0, outputs: [], ename: "ReferenceError", evalue: "mean is not defined" } as never);
  assert.equal(scoreRun("zoe", a, p.nb, run)[0].message, "ReferenceError: mean is not defined (an earlier cell (cell 2) failed: TypeError: x is not a function)");
});
