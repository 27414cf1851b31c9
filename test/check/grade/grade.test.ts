/**
 * gradeSubmissions on a small made-up class (test/check/grade-class.ts): every way a notebook can go wrong gets its
 * status and zero for the cells it touched, and nothing else; the feedback notebooks carry the check messages that
 * %check prints; grades.csv, the ResultsTable and the figure hold one row or point per student and question.
 * Limits are small (12 s a cell, 640 MiB): the hanging student costs one cell limit, while the runaway allocation
 * still reaches V8's 320 MiB heap limit inside it on a loaded machine (about 4 s under a load of 13 on two cores;
 * 6 s was too close). The notebook limit is loose because a loaded machine can take a minute to start a notebook.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aq from "arquero";
import { checkCopyRate, gradeSubmissions, GRADE_COLUMNS, type GradeRow, type NotebookJson } from "../../../src/check";
import { CHECK_MEAN, COPY_COUNT, COPY_OK, MEAN_OK, classFiles, submission, writeClass } from "../grade-class";
import { emptyClass } from "./empty-class";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-test-"));
const outside = path.join(dir, "outside.txt");

/** Expected [points, status] of check_mean (2 points) and check_copy (3 points) per student. */
const EXPECTED: Record<string, [[number, string], [number, string]]> = {
  correct: [[2, "ok"], [3, "ok"]],
  partly: [[2, "ok"], [0, "failed"]],
  hangs: [[2, "ok"], [0, "timeout"]],
  exits: [[0, "exited"], [3, "ok"]],
  allocates: [[2, "ok"], [0, "killed: memory"]],
  floods: [[2, "ok"], [0, "output-limit"]],
  escapes: [[0, "error"], [0, "failed"]],
  edited_lock: [[0, "failed"], [3, "ok"]],
  corrupt: [[0, "malformed"], [0, "malformed"]],
  wrong_kernel: [[0, "malformed"], [0, "malformed"]],
};

const byStudent = (rows: GradeRow[]) => {
  const m = new Map<string, GradeRow[]>();
  for (const r of rows) m.set(r.student, [...(m.get(r.student) ?? []), r]);
  return m;
};

test("a class of made-up submissions: each graded as expected, feedback agrees with %check", async () => {
  const source = path.join(dir, "source", "pair.ipynb");
  const paths = writeClass(dir, classFiles(source, outside));
  assert.equal(paths.source, source);
  const outDir = path.join(dir, "graded");
  // wasm starts faster than torch in each child; the torch backend under the sandbox has its own test below.
  const r = await gradeSubmissions(paths.submitted, {
    source, outDir, concurrency: 2, backend: "wasm",
    limits: { cellTimeoutS: 12, notebookTimeoutS: 180, memoryMB: 640, maxOutputBytes: 64 * 1024 },
  });
  const got = byStudent(r.rows);
  assert.deepEqual([...got.keys()].sort(), Object.keys(EXPECTED).sort());
  for (const [student, [mean, copy]] of Object.entries(EXPECTED)) {
    const rows = got.get(student)!;
    assert.deepEqual(rows.map((x) => [x.grade_id, x.points, x.max_points, x.status]), [["check_mean", mean[0], 2, mean[1]], ["check_copy", copy[0], 3, copy[1]]], `${student}: ${JSON.stringify(rows)}`);
  }
  const row = (s: string, id: string) => got.get(s)!.find((x) => x.grade_id === id)!;
  // The message of a failed check is the check's own (what %check shows), computed here in the test's process.
  const countFn = new Function("generated", "train", "ratio", COPY_COUNT) as (g: number[][], t: number[][], r: number) => number;
  assert.equal(row("partly", "check_copy").message, checkCopyRate(countFn).message);
  assert.match(row("partly", "check_copy").message, /fraction of generated points/);
  assert.match(row("correct", "check_copy").message, /^copy-rate: passed 6 random cases/);
  assert.match(row("hangs", "check_copy").message, /limit of 12 s/);
  assert.match(row("exits", "check_mean").message, /process\.exit\(1\) was called/);
  // JavaScript objects meet V8's heap limit (half of memoryMB) first; test/check/grade/run-submission.test.ts has the watchdog.
  assert.match(row("allocates", "check_copy").message, /ran out of its 320 MiB JavaScript heap/);
  assert.match(row("escapes", "check_mean").message, /ERR_ACCESS_DENIED|restricted/);
  assert.match(row("escapes", "check_copy").message, /ERR_ACCESS_DENIED|restricted/);
  assert.equal(fs.existsSync(outside), false, "a submission wrote outside its folder");
  assert.match(row("edited_lock", "check_mean").message, /mean\(\[1, 2, 3, 6\]\) should be 3/);
  assert.match(row("corrupt", "check_mean").message, /not valid notebook JSON/);
  assert.match(row("wrong_kernel", "check_copy").message, /kernel 'python3'/);

  // Feedback: one notebook per student; each graded cell's note holds the row's message verbatim, and the %check
  // cell's own output says the same.
  for (const s of Object.keys(EXPECTED)) assert.ok(fs.existsSync(r.feedback[s]), s);
  const fb = (s: string) => JSON.parse(fs.readFileSync(r.feedback[s], "utf8")) as NotebookJson;
  const text = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);
  const partly = fb("partly");
  const checkAt = partly.cells.findIndex((c) => c.metadata?.nbgrader?.grade_id === "check_copy");
  const errOut = (partly.cells[checkAt].outputs as { output_type: string; evalue?: string }[]).find((o) => o.output_type === "error");
  assert.equal(errOut?.evalue, row("partly", "check_copy").message);
  assert.ok(text(partly.cells[checkAt + 1]).includes(row("partly", "check_copy").message));
  assert.match(text(partly.cells[0]), /2 \/ 5 points/);
  const correct = fb("correct");
  const passOut = JSON.stringify(correct.cells.find((c) => c.metadata?.nbgrader?.grade_id === "check_copy")!.outputs);
  assert.ok(passOut.includes(`PASS ${row("correct", "check_copy").message}`));
  const edited = fb("edited_lock");
  assert.match(text(edited.cells[0]), /the locked cell 'check_mean' was edited; the grader ran the original/);
  assert.equal(text(edited.cells.find((c) => c.metadata?.nbgrader?.grade_id === "check_mean")!), CHECK_MEAN);
  assert.match(text(fb("corrupt").cells[0]), /could not be graded/);

  // grades.csv and the table: one row per student and question, the columns.
  const csv = aq.fromCSV(fs.readFileSync(r.gradesCsv, "utf8"));
  assert.deepEqual(csv.columnNames(), [...GRADE_COLUMNS]);
  assert.equal(csv.numRows(), 2 * Object.keys(EXPECTED).length);
  assert.equal(r.table.numRows(), csv.numRows());
  assert.deepEqual(r.totals.correct, { points: 5, max_points: 5 });
  assert.equal(r.figure.data.length, 3, "a box per question and the total");
  assert.equal(JSON.parse(fs.readFileSync(r.figureJson, "utf8")).data.length, 3);
  // No run folder survives the run (each holds a pair.ipynb while its submission runs).
  const left = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("scorelab-grade-") && fs.existsSync(path.join(os.tmpdir(), f, "pair.ipynb")));
  assert.deepEqual(left, []);
});

test("the suite's backend (torch under npm test) loads in the sandbox: native addons allowed, writes confined", async (t) => {
  const backend = process.env.SCORELAB_BACKEND ?? "torch";
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "grade-test-backend-"));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  const paths = writeClass(d, { solo: submission(MEAN_OK, COPY_OK) });
  const r = await gradeSubmissions(paths.submitted, { source: paths.source, outDir: path.join(d, "out"), backend, limits: { cellTimeoutS: 20 } });
  assert.deepEqual(r.rows.map((x) => x.status), ["ok", "ok"], JSON.stringify(r.rows));
  const meta = JSON.parse(fs.readFileSync(r.feedback.solo, "utf8")).metadata.scorelab;
  assert.match(meta.backend, new RegExp(`backend ${backend}`));
});

// The argument checks need a class but no child process (moved from test/check/grade-parts.test.ts).
const parts = emptyClass("grade-args-");

test("gradeSubmissions: bad arguments get one error naming the argument, before anything runs", async () => {
  const { dir, source, submitted } = parts;
  const out = path.join(dir, "out");
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, limits: { cellTimeoutS: -1 } }), /gradeSubmissions: argument 'opts\.limits\.cellTimeoutS' must be a positive number, got -1/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, limits: { wallS: 3 } as never }), /'opts\.limits\.wallS' is not a limit/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: path.join(submitted, "graded") }), /'opts\.outDir' must be outside the submissions folder/);
  await assert.rejects(gradeSubmissions(submitted, { source: path.join(dir, "nope.ipynb"), outDir: out }), /readAssignment: argument 'file'/);
  await assert.rejects(gradeSubmissions(path.join(dir, "nope"), { source, outDir: out }), /listSubmissions: argument 'dir'/);
  await assert.rejects(gradeSubmissions(submitted, { source, outDir: out, backend: "a b" }), /'opts\.backend' must be a backend name/);
  assert.equal(fs.existsSync(out), false);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
