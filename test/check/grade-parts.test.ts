/**
 * The grader's parts that need no child process: preparing a submission (locked cells restored, metadata from the
 * source, malformed notebooks named), finding submissions in both layouts, the pool's order and bound, scoring a run,
 * and the argument errors of gradeSubmissions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cellSource, gradeSubmissions, listSubmissions, localPool, prepareSubmission, readAssignment, scoreRun, type NotebookJson } from "../../src/check";
import { CHECK_MEAN, COPY_OK, MEAN_OK, sourceAssignment, submission, writeClass } from "./grade-class";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-parts-"));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const { source, submitted } = writeClass(dir, {});
const a = readAssignment(source);
const prep = (nb: NotebookJson | string) => prepareSubmission(a, typeof nb === "string" ? nb : JSON.stringify(nb));

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

test("listSubmissions: STUDENT.ipynb files and STUDENT/ folders, hidden files and other files left out", () => {
  const d = path.join(dir, "layout");
  fs.mkdirSync(path.join(d, "bob"), { recursive: true });
  fs.mkdirSync(path.join(d, "carol"));
  fs.mkdirSync(path.join(d, "dave"));
  fs.mkdirSync(path.join(d, ".ipynb_checkpoints"));
  fs.writeFileSync(path.join(d, "alice.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "bob", "pair.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "bob", "scratch.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "carol", "renamed.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "notes.txt"), "");
  const s = listSubmissions(d, "pair.ipynb");
  assert.deepEqual(s.map((x) => [x.student, x.file && path.relative(d, x.file), x.problem]), [
    ["alice", "alice.ipynb", undefined], ["bob", path.join("bob", "pair.ipynb"), undefined],
    ["carol", path.join("carol", "renamed.ipynb"), undefined], ["dave", undefined, "the folder holds no notebook"],
  ]);
  fs.writeFileSync(path.join(d, "bob.ipynb"), "{}");
  assert.throws(() => listSubmissions(d, "pair.ipynb"), /two submissions of 'bob'/);
});

test("localPool: results in input order, never more than `concurrency` jobs at once", async () => {
  let running = 0, most = 0;
  const out = await localPool(3)([5, 1, 4, 2, 3, 0, 2], async (ms, i) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, ms * 3));
    running--;
    return i * 10;
  });
  assert.deepEqual(out, [0, 10, 20, 30, 40, 50, 60]);
  assert.equal(most, 3);
  assert.throws(() => localPool(0), /localPool: argument 'concurrency' must be a whole number >= 1/);
});

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

test("gradeSubmissions: bad arguments get one error naming the argument, before anything runs", async () => {
  const out = path.join(dir, "out");
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, limits: { cellTimeoutS: -1 } }), /gradeSubmissions: argument 'opts\.limits\.cellTimeoutS' must be a positive number, got -1/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, limits: { wallS: 3 } as never }), /'opts\.limits\.wallS' is not a limit/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: path.join(submitted, "graded") }), /'opts\.outDir' must be outside the submissions folder/);
  await assert.rejects(gradeSubmissions(submitted, { source: path.join(dir, "nope.ipynb"), outDir: out }), /readAssignment: argument 'file'/);
  await assert.rejects(gradeSubmissions(path.join(dir, "nope"), { source, outDir: out }), /listSubmissions: argument 'dir'/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, backend: "a b" }), /'opts\.backend' must be a backend name/);
  assert.equal(fs.existsSync(out), false);
});
