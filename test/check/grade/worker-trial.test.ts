/**
 * The grading trial's checks, in process: a run survives the trip as JSON, a worker's answer that is not a run is
 * refused, and a job with a bad notebook, file name, backend or files is refused before any process starts.
 * (test/check/grade/worker-runner.test.ts runs the trial on a real worker.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeRun, encodeRun, gradeNotebookTrial, MAX_JOB_FILE_BYTES } from "../../../src/check/grade/worker-trial";
import type { SubmissionRun } from "../../../src/check/grade/run-submission";

test("encodeRun then JSON then decodeRun gives the run back; anything else is refused naming the caller", () => {
  const run: SubmissionRun = { cells: new Map([[0, { status: "ok", seconds: 0.5, outputs: [{ output_type: "stream" }] }], [2, { status: "timeout", seconds: 6, outputs: [], evalue: "late" }]]), stop: { status: "timeout", message: "late", cell: 2 }, banner: "b", seconds: 7 };
  assert.deepEqual(decodeRun(JSON.parse(JSON.stringify(encodeRun(run))), "f"), run);
  for (const bad of [null, 3, { cells: [], seconds: "1" }, { cells: [[0.5, { outputs: [] }]], seconds: 1 }, { cells: [[0, { outputs: 1 }]], seconds: 1 }, { cells: [[0, null]], seconds: 1 }]) {
    assert.throws(() => decodeRun(bad, "workerRunner"), /^Error: workerRunner: the worker's result is not a submission run \(cells, seconds\)$/, JSON.stringify(bad));
  }
});

test("gradeNotebookTrial refuses a bad job with one error naming the parameter", async () => {
  const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: "1", metadata: {}, outputs: [] }] };
  const ok = { notebook, fileName: "pair.ipynb" };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...ok, notebook: { ...notebook, nbformat: 3 } }, /check\.gradeNotebook: argument 'notebook' must be an nbformat 4 notebook of cells/],
    [{ ...ok, notebook: { ...notebook, cells: [{ source: 1 }] } }, /argument 'notebook' must be an nbformat 4 notebook/],
    [{ ...ok, fileName: "../pair.ipynb" }, /check\.gradeNotebook: argument 'fileName' must be a plain \.ipynb file name, got "\.\.\/pair\.ipynb"/],
    [{ ...ok, fileName: "pair.py" }, /argument 'fileName' must be a plain \.ipynb file name/],
    [{ ...ok, backend: "a b" }, /check\.gradeNotebook: argument 'backend' must be a backend name, got "a b"/],
    [{ ...ok, limits: { memoryMB: -1 } }, /check\.gradeNotebook: argument 'limits\.memoryMB' must be a positive number/],
    [{ ...ok, files: ["x"] }, /check\.gradeNotebook: argument 'files' must map relative paths to base64 text/],
    [{ ...ok, files: { "a.csv": 3 } }, /check\.gradeNotebook: argument 'files\['a\.csv'\]' must be base64 text/],
    [{ ...ok, files: { "a.bin": Buffer.alloc(MAX_JOB_FILE_BYTES + 1).toString("base64") } }, /check\.gradeNotebook: argument 'files' must hold at most 16 MiB, got 16\.0 MiB/],
  ];
  for (const [p, re] of cases) await assert.rejects(gradeNotebookTrial(p, {}), re, JSON.stringify(Object.keys(p)));
});
