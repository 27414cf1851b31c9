/** feedbackNotebook on a hand-made run: the summary, each cell's outputs, a note under each graded cell. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { feedbackNotebook } from "../../../src/check/grade/feedback";
import { cellSource, type NotebookJson } from "../../../src/check/notebook";
import type { SubmissionRun } from "../../../src/check/grade/run-submission";
import type { GradeRow } from "../../../src/check/grade/types";

const graded = (id: string) => ({ nbgrader: { grade: true, solution: false, locked: true, grade_id: id, points: 2, schema_version: 3 as const } });
const nb: NotebookJson = {
  nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: { name: "scorelab" } },
  cells: [
    { cell_type: "markdown", source: "# Title", metadata: {} },
    { cell_type: "code", source: "let a = 1;", metadata: {}, outputs: [], execution_count: null },
    { cell_type: "code", source: "check()", metadata: graded("q_1"), outputs: [], execution_count: null },
    { cell_type: "code", source: "never ran", metadata: {}, outputs: [], execution_count: null },
  ],
};
const figure = { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<script>plotly.js</script>" } };
const run: SubmissionRun = {
  cells: new Map([[1, { status: "ok", seconds: 0.1, outputs: [figure] }], [2, { status: "failed", seconds: 0.2, outputs: [] }]]),
  banner: "backend wasm", seconds: 1,
};
const row: GradeRow = { student: "ann_b", grade_id: "q_1", points: 0, max_points: 2, status: "failed", message: "wrong: use ``` and *x*", seconds: 0.2 };

test("feedbackNotebook: summary first, outputs from the run without plotly's HTML, a note under the graded cell", () => {
  const fb = feedbackNotebook("ann_b", nb, run, [row], ["the locked cell 'q_1' was edited"]);
  assert.equal(fb.cells.length, 6, "summary + 4 cells + one note");
  // Markup characters in names and notes are escaped; `_` inside a word is not markup and stays.
  assert.equal(cellSource(fb.cells[0]), ["# Feedback for ann_b: 0 / 2 points", "", "| question | points | status |", "| --- | --- | --- |",
    "| q_1 | 0 / 2 | failed |", "", "- the locked cell 'q_1' was edited"].join("\n"));
  assert.deepEqual(fb.cells[2].outputs, [{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] } } }]);
  assert.deepEqual([fb.cells[2].execution_count, fb.cells[3].execution_count, fb.cells[5].execution_count], [1, 2, null]);
  assert.deepEqual(fb.cells[5].outputs, [], "a cell the run never reached has no outputs");
  // The message verbatim inside a fence longer than its own run of backticks.
  assert.equal(cellSource(fb.cells[4]), ["**q_1: 0 / 2 points (failed)**", "", "````text", row.message, "````"].join("\n"));
  assert.deepEqual(fb.metadata, { kernelspec: { name: "scorelab" }, scorelab: { feedback: true, student: "ann_b", backend: "backend wasm" } });
  assert.equal(fb.nbformat_minor, 4);
});

test("feedbackNotebook of a malformed submission is the summary alone", () => {
  const fb = feedbackNotebook("<bob>", undefined, undefined, [{ ...row, student: "<bob>", status: "malformed", message: "not JSON" }], []);
  assert.equal(fb.cells.length, 1);
  assert.match(cellSource(fb.cells[0]), /^# Feedback for \\<bob\\>: 0 \/ 2 points/);
  assert.deepEqual(fb.metadata, { scorelab: { feedback: true, student: "<bob>" } });
  assert.equal(fb.nbformat_minor, 5);
});
