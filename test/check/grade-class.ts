/**
 * A small made-up class for the grading tests: a two-question source assignment (a mean, 2 points, checked by an
 * assertion; the copy rate, 3 points, checked by %check copy-rate) and one submission per way a notebook can go wrong.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { releaseAssignment, type NotebookCell, type NotebookJson } from "../../src/check";

const nbg = (grade_id: string, o: { grade?: boolean; solution?: boolean; locked?: boolean; points?: number }) => ({
  nbgrader: { grade: o.grade ?? false, solution: o.solution ?? false, locked: o.locked ?? false, grade_id, schema_version: 3 as const, ...(o.points !== undefined ? { points: o.points } : {}) },
});
const code = (id: string, source: string, meta: ReturnType<typeof nbg>): NotebookCell => ({ cell_type: "code", id, source, metadata: meta, outputs: [], execution_count: null });

export const MEAN_OK = "return xs.reduce((a, b) => a + b, 0) / xs.length;";
export const COPY_OK = "return generated.filter((y) => { const d = train.map((x) => Math.hypot(...x.map((v, j) => v - y[j]))).sort((a, b) => a - b); return d[0] < ratio * d[1]; }).length / generated.length;";
/** The mistake the copy-rate check names: the count instead of the fraction. */
export const COPY_COUNT = "return generated.filter((y) => { const d = train.map((x) => Math.hypot(...x.map((v, j) => v - y[j]))).sort((a, b) => a - b); return d[0] < ratio * d[1]; }).length;";
export const CHECK_MEAN = 'const assert = require("node:assert");\nassert.equal(mean([1, 2, 3, 6]), 3, "mean([1, 2, 3, 6]) should be 3");';

const solution = (body: string) => `// ### BEGIN SOLUTION\n${body}\n// ### END SOLUTION`;

/** The source assignment, with solutions. */
export function sourceAssignment(): NotebookJson {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "scorelab", display_name: "scorelab (TypeScript)", language: "typescript" } },
    cells: [
      { cell_type: "markdown", id: "c0", source: "# Two small functions", metadata: nbg("intro", { locked: true }) },
      code("c1", `function mean(xs: number[]): number {\n${solution(MEAN_OK)}\n}`, nbg("mean_solution", { solution: true })),
      code("c2", CHECK_MEAN, nbg("check_mean", { grade: true, locked: true, points: 2 })),
      code("c3", `function copyRate(generated: number[][], train: number[][], ratio: number): number {\n${solution(COPY_OK)}\n}`, nbg("copy_solution", { solution: true })),
      code("c4", "%check copy-rate copyRate", nbg("check_copy", { grade: true, locked: true, points: 3 })),
    ],
  };
}

/** A student's copy with these bodies in the two solution cells (and any edit of the cells after). */
export function submission(meanBody: string, copyBody: string, edit: (cells: NotebookCell[]) => void = () => {}): NotebookJson {
  const nb = releaseAssignment(sourceAssignment());
  const cells = nb.cells.map((c) => ({ ...c }));
  const fill = (i: number, body: string) => { cells[i].source = (cells[i].source as string).replace(/\/\/ YOUR CODE HERE\n\s*throw new Error\("not implemented yet[^\n]*/, body); };
  fill(1, meanBody);
  fill(3, copyBody);
  edit(cells);
  return { ...nb, cells };
}

/** Writes the source to `dir/source/pair.ipynb` and the class to `dir/submitted/`; returns both paths. */
export function writeClass(dir: string, students: Record<string, NotebookJson | string>): { source: string; submitted: string } {
  const source = path.join(dir, "source", "pair.ipynb"), submitted = path.join(dir, "submitted");
  fs.mkdirSync(path.dirname(source), { recursive: true });
  fs.mkdirSync(submitted, { recursive: true });
  fs.writeFileSync(source, JSON.stringify(sourceAssignment()));
  for (const [name, nb] of Object.entries(students)) fs.writeFileSync(path.join(submitted, `${name}.ipynb`), typeof nb === "string" ? nb : JSON.stringify(nb));
  return { source, submitted };
}

/**
 * One submission per way a notebook can go wrong; `source` is where the source notebook lies (the escaping student
 * tries to read it) and `outside` a path outside every run folder (it tries to write there).
 */
export function classFiles(source: string, outside: string) {
  const python = submission(MEAN_OK, COPY_OK);
  python.metadata = { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } };
  return {
    correct: submission(MEAN_OK, COPY_OK),
    partly: submission(MEAN_OK, COPY_COUNT),
    hangs: submission(MEAN_OK, "while (true) {}"),
    exits: submission("process.exit(1);", COPY_OK),
    allocates: submission(MEAN_OK, "const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(1.5));"),
    floods: submission(MEAN_OK, 'for (;;) console.log("spam spam spam spam spam spam spam spam");'),
    // Writes outside its folder, and reads the source notebook with the solutions: both refused.
    escapes: submission(`require("fs").writeFileSync(${JSON.stringify(outside)}, "x"); ${MEAN_OK}`, `require("fs").readFileSync(${JSON.stringify(source)}, "utf8"); ${COPY_OK}`),
    // A wrong mean, and the check cell edited to pass: the grader runs the original check.
    edited_lock: submission("return 0;", COPY_OK, (cells) => { cells[2].source = 'console.log("all good");'; }),
    corrupt: '{"cells": [{"cell_type": "code", "sour',
    wrong_kernel: python,
  };
}
