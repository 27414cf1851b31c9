/**
 * Memory outside V8's heap (Buffers), which only the parent's resident-memory watchdog can stop, and a cell that
 * signals the grader, each in its own notebook process (runSubmission). JavaScript objects meet V8's heap limit
 * first (half the memory limit): test/check/grade/grade.test.ts's runaway allocation shows that path, and a kill as the
 * graded cell's zero and status. The two run at once: start-up is most of their time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS, runSubmission, type NotebookJson, type SubmissionRun } from "../../../src/check";

const notebook = (...sources: string[]): NotebookJson => ({
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
});
// 400 MiB: well above a wasm notebook process at rest (about 150 MiB) and a fraction of the machine; Buffers live
// outside V8's 200 MiB heap, so only the watchdog sees them.
const limits = { ...DEFAULT_LIMITS, memoryMB: 400, cellTimeoutS: 30, notebookTimeoutS: 120 };
const run = (nb: NotebookJson) => runSubmission(nb, "limits.ipynb", { limits, backend: "wasm" });

test("off-heap allocation is killed by the memory watchdog (`killed: memory`); signals to the grader are refused", { timeout: 180_000 }, async () => {
  const [offHeap, signal] = await Promise.all([
    run(notebook("1 + 1", "const keep: Buffer[] = []; for (;;) keep.push(Buffer.alloc(1 << 24, 1));", "2 + 2")),
    // Signal 0 only asks whether the process exists: the guard refuses it like any other, and should the guard ever
    // break, the cell succeeds and the test fails instead of the test run being killed.
    run(notebook("process.kill(process.ppid, 0);", "process.kill(0, 0);", "3 + 3")),
  ]);
  const cell = (r: SubmissionRun, i: number) => r.cells.get(i);
  // The watchdog: the process is killed between two of its 100 ms looks, with the resident size it had then.
  assert.equal(cell(offHeap, 0)?.status, "ok");
  assert.equal(cell(offHeap, 1)?.status, "killed: memory");
  assert.match(cell(offHeap, 1)!.evalue!, /^used \d+ MiB, over the limit of 400 MiB$/);
  // Rounded to whole MiB, so a kill just past the limit reads 400.
  assert.ok(Number(/used (\d+)/.exec(cell(offHeap, 1)!.evalue!)![1]) >= 400);
  assert.deepEqual(offHeap.stop && [offHeap.stop.status, offHeap.stop.cell], ["killed: memory", 1]);
  assert.equal(cell(offHeap, 2), undefined, "no cell runs after the kill");
  // Signals to the parent or the process group are refused inside the notebook: the cells error, the run goes on.
  for (const i of [0, 1]) {
    assert.equal(cell(signal, i)?.status, "error");
    assert.match(cell(signal, i)!.evalue!, /process\.kill\((\d+|0)\) was refused: a graded notebook may signal only its own process/);
  }
  assert.equal(cell(signal, 2)?.status, "ok");
  assert.equal(signal.stop, undefined);
});
