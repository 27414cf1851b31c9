/** readAssignment and prepareSubmission: graded cells from the source, locked cells restored, points capped, malformed
 * notebooks named (moved from test/check/grade-parts.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readAssignment } from "../../../src/check/grade/assignment";
import { cellSource, type NotebookJson } from "../../../src/check/notebook";
import { CHECK_MEAN, COPY_OK, MEAN_OK, sourceAssignment, submission } from "../grade-class";
import { emptyClass } from "./empty-class";

const { dir, a, prep } = emptyClass("grade-assignment-");

test("readAssignment: graded cells and points from nbgrader metadata", () => {
  assert.deepEqual(a.graded, [{ gradeId: "check_mean", points: 2, kind: "code" }, { gradeId: "check_copy", points: 3, kind: "code" }]);
  assert.equal(a.kernel, "scorelab");
  const noGrades = path.join(dir, "plain.ipynb");
  fs.writeFileSync(noGrades, JSON.stringify({ ...sourceAssignment(), cells: [] }));
  assert.throws(() => readAssignment(noGrades), /readAssignment: argument 'file' has no graded cells/);
  assert.throws(() => readAssignment(path.join(dir, "absent.ipynb")), /readAssignment: argument 'file' must be an existing \.ipynb file/);
});

test("prepareSubmission: locked cells come back from the source, points cannot be raised, extra cells earn nothing", () => {
  const nb = submission(MEAN_OK, COPY_OK, (cells) => {
    cells[2].source = "// deleted the check";
    cells[2].metadata!.nbgrader!.points = 100;
    cells[1].metadata!.nbgrader = { ...cells[1].metadata!.nbgrader!, grade: true, points: 50 };
    cells.push({ cell_type: "code", source: "1", metadata: { nbgrader: { grade: true, solution: false, locked: true, grade_id: "bonus", points: 10, schema_version: 3 } }, outputs: [] });
  });
  const p = prep(nb);
  assert.ok(p.ok);
  assert.equal(cellSource(p.nb.cells[2]), CHECK_MEAN);
  assert.equal(p.nb.cells[2].metadata!.nbgrader!.points, 2);
  assert.equal(p.nb.cells[1].metadata!.nbgrader!.grade, false);
  assert.equal(p.nb.cells[5].metadata!.nbgrader, undefined);
  assert.match(cellSource(p.nb.cells[1]), /reduce/, "the student's own solution stays");
  assert.deepEqual(p.notes, ["the locked cell 'check_mean' was edited; the grader ran the original", "a cell claims grade_id 'bonus', which the assignment does not have; it is not graded"]);
  const clean = prep(submission(MEAN_OK, COPY_OK));
  assert.ok(clean.ok);
  assert.deepEqual(clean.notes, []);
});

test("prepareSubmission: malformed notebooks get a reason, not a throw", () => {
  const cases: [NotebookJson | string, RegExp][] = [
    ["{ not json", /not valid notebook JSON/],
    ['{"nbformat": 4}', /no cells array/],
    [{ ...submission(MEAN_OK, COPY_OK), nbformat: 3 }, /nbformat 3; expected 4/],
    [{ ...submission(MEAN_OK, COPY_OK), metadata: { kernelspec: { name: "python3" } } }, /kernel 'python3'; this assignment runs on 'scorelab'/],
    [submission(MEAN_OK, COPY_OK, (c) => { c.splice(2, 1); }), /missing cells: 'check_mean'/],
    [submission(MEAN_OK, COPY_OK, (c) => { c.push({ ...c[4] }); }), /the cell 'check_copy' appears twice/],
    [submission(MEAN_OK, COPY_OK, (c) => { (c as unknown[])[1] = { cell_type: "code" }; }), /cell 2 is not a notebook cell/],
  ];
  for (const [nb, why] of cases) {
    const p = prep(nb);
    assert.equal(p.ok, false);
    assert.match((p as { message: string }).message, why);
  }
});
