/**
 * The two ways a submission runs out of memory, and a cell that signals the grader, each in its own notebook process
 * (runSubmission). Memory outside V8's heap (Buffers) is caught by the parent's resident-memory watchdog; JavaScript
 * objects hit V8's heap limit first (half the memory limit). test/check/grade.test.ts shows a kill as the graded
 * cell's zero and status. The three run at once: start-up is most of their time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS, runSubmission, type NotebookJson, type SubmissionRun } from "../../src/check";

const notebook = (...sources: string[]): NotebookJson => ({
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
});
// 400 MiB: well above a wasm notebook process at rest (about 150 MiB) and a fraction of the machine.
const limits = { ...DEFAULT_LIMITS, memoryMB: 400, cellTimeoutS: 30, notebookTimeoutS: 120 };
const run = (nb: NotebookJson) => runSubmission(nb, "limits.ipynb", { limits, backend: "wasm" });

test("memory: off-heap allocation is killed by the watchdog, heap allocation by V8's limit; signals to the grader refused", { timeout: 180_000 }, async () => {
  const [offHeap, heap, signal] = await Promise.all([
    run(notebook("1 + 1", "const keep: Buffer[] = []; for (;;) keep.push(Buffer.alloc(1 << 24, 1));", "2 + 2")),
    run(notebook("1 + 1", "const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(1.5));")),
    run(notebook("process.kill(process.ppid, \"SIGKILL\");", "process.kill(0, \"SIGKILL\");", "3 + 3")),
  ]);
  const cell = (r: SubmissionRun, i: number) => r.cells.get(i);
  // The watchdog: the process is killed between two of its 100 ms looks, with the resident size it had then.
  assert.equal(cell(offHeap, 0)?.status, "ok");
  assert.equal(cell(offHeap, 1)?.status, "killed: memory");
  assert.match(cell(offHeap, 1)!.evalue!, /^used \d+ MiB, over the limit of 400 MiB$/);
  assert.ok(Number(/used (\d+)/.exec(cell(offHeap, 1)!.evalue!)![1]) > 400);
  assert.deepEqual(offHeap.stop && [offHeap.stop.status, offHeap.stop.cell], ["killed: memory", 1]);
  assert.equal(cell(offHeap, 2), undefined, "no cell runs after the kill");
  // V8's own limit: 200 MiB of heap, reported from the process's last words.
  assert.equal(cell(heap, 1)?.status, "killed: memory");
  assert.equal(cell(heap, 1)!.evalue, "ran out of its 200 MiB JavaScript heap");
  // Signals to the parent or the process group are refused inside the notebook: the cells error, the run goes on.
  for (const i of [0, 1]) {
    assert.equal(cell(signal, i)?.status, "error");
    assert.match(cell(signal, i)!.evalue!, /process\.kill\((\d+|0)\) was refused: a graded notebook may signal only its own process/);
  }
  assert.equal(cell(signal, 2)?.status, "ok");
  assert.equal(signal.stop, undefined);
});
