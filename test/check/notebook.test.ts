/** The notebook transforms of src/check/notebook.ts on small hand-made notebooks: exact sources and cells out. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cellSource, clearSolutions, CODE_STUB, MARKDOWN_STUB, notebookOutputs, releaseAssignment, releaseAssignmentFile, stripOutputs, type NotebookJson } from "../../src/check/notebook";

const solutionCell = { nbgrader: { grade: false, solution: true, locked: false, grade_id: "s", schema_version: 3 as const } };
const nb = (): NotebookJson => ({
  nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "scorelab" } },
  cells: [
    { cell_type: "code", id: "a", source: ["let x = 1;\n", "x"], metadata: {}, outputs: [{ output_type: "execute_result" }], execution_count: 3 },
    { cell_type: "code", id: "b", source: "function f() {\n  // BEGIN SOLUTION\n  return 2;\n  // END SOLUTION\n}", metadata: solutionCell, outputs: [], execution_count: null },
    { cell_type: "markdown", id: "c", source: "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->", metadata: solutionCell },
  ],
});

test("cellSource joins a list source and passes a string through", () => {
  assert.equal(cellSource(nb().cells[0]), "let x = 1;\nx");
  assert.equal(cellSource(nb().cells[2]), "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->");
});

test("clearSolutions puts the stub, indented like BEGIN, where each region was; unbalanced regions throw naming the argument", () => {
  assert.equal(clearSolutions("a\n    // BEGIN SOLUTION\n    b\n    // END SOLUTION\nc\n// BEGIN SOLUTION\nd\n// END SOLUTION"),
    ["a", ...CODE_STUB.map((s) => "    " + s), "c", ...CODE_STUB].join("\n"));
  assert.equal(clearSolutions("q\nBEGIN SOLUTION\nanswer\nEND SOLUTION", "markdown"), ["q", ...MARKDOWN_STUB].join("\n"));
  assert.equal(clearSolutions("no regions\n"), "no regions\n");
  assert.throws(() => clearSolutions("BEGIN SOLUTION\nBEGIN SOLUTION\nEND SOLUTION"), /^Error: clearSolutions: argument 'source' has a BEGIN SOLUTION inside another solution region$/);
  assert.throws(() => clearSolutions("x\nEND SOLUTION"), /clearSolutions: argument 'source' has an END SOLUTION without a BEGIN SOLUTION/);
  assert.throws(() => clearSolutions("BEGIN SOLUTION\nx"), /clearSolutions: argument 'source' has a BEGIN SOLUTION without its END SOLUTION/);
  assert.throws(() => clearSolutions(3 as never), /clearSolutions: argument 'source' must be a string/);
});

test("stripOutputs empties code outputs and counts without touching the input; notebookOutputs names the cells that have them", () => {
  const dirty = nb();
  assert.deepEqual(notebookOutputs(dirty), [0]);
  const clean = stripOutputs(dirty);
  assert.deepEqual(notebookOutputs(clean), []);
  assert.deepEqual(clean.cells[0].outputs, []);
  assert.equal(clean.cells[0].execution_count, null);
  assert.equal(clean.cells[2].outputs, undefined, "a markdown cell gets no outputs field");
  assert.equal(dirty.cells[0].execution_count, 3, "the input is not modified");
  assert.deepEqual(notebookOutputs({ ...nb(), cells: [{ cell_type: "code", source: "", metadata: {}, outputs: [], execution_count: 1 }] }), [0], "a count alone counts");
  for (const [fn, f] of [["stripOutputs", stripOutputs], ["notebookOutputs", notebookOutputs]] as const) {
    assert.throws(() => f({ nbformat: 4 } as never), new RegExp(`${fn}: argument 'nb' must be a notebook object with a cells array`));
  }
});

test("releaseAssignment cuts solution cells only, strips outputs, marks the copy released; an unmarked region is refused", () => {
  const r = releaseAssignment(nb());
  assert.equal(cellSource(r.cells[0]), "let x = 1;\nx", "a cell that is not a solution cell is unchanged");
  assert.equal(cellSource(r.cells[1]), ["function f() {", ...CODE_STUB.map((s) => "  " + s), "}"].join("\n"));
  assert.equal(cellSource(r.cells[2]), ["Why?", ...MARKDOWN_STUB].join("\n"));
  assert.deepEqual(notebookOutputs(r), []);
  assert.deepEqual(r.metadata, { kernelspec: { name: "scorelab" }, scorelab: { released: true } });
  const leak = nb();
  leak.cells[1].metadata = {};
  assert.throws(() => releaseAssignment(leak), /releaseAssignment: argument 'nb' cell b has a solution region but no metadata\.nbgrader\.solution = true/);
});

test("releaseAssignmentFile writes the release into a folder or to a file, never over its source", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-notebook-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, "a.ipynb");
  fs.writeFileSync(src, JSON.stringify(nb()));
  const into = releaseAssignmentFile(src, path.join(dir, "release") + "/");
  assert.equal(into, path.join(dir, "release", "a.ipynb"));
  assert.deepEqual(JSON.parse(fs.readFileSync(into, "utf8")), releaseAssignment(nb()));
  assert.equal(releaseAssignmentFile(src, path.join(dir, "b.ipynb")), path.join(dir, "b.ipynb"));
  assert.throws(() => releaseAssignmentFile(src, src), /releaseAssignmentFile: argument 'dest' must differ from src/);
  assert.throws(() => releaseAssignmentFile(path.join(dir, "none.ipynb"), dir), /releaseAssignmentFile: argument 'src' must be an existing \.ipynb file/);
  fs.writeFileSync(path.join(dir, "bad.ipynb"), "{");
  assert.throws(() => releaseAssignmentFile(path.join(dir, "bad.ipynb"), path.join(dir, "out.ipynb")), /releaseAssignmentFile: argument 'src' is not valid notebook JSON/);
  assert.equal(fs.existsSync(path.join(dir, "out.ipynb")), false);
});
