/**
 * Notebook files for teaching: strip outputs (notebooks are stored clean) and release an assignment, i.e. make the
 * student's copy of a source notebook by cutting the reference solutions out. Follows nbgrader's conventions
 * (cell metadata `nbgrader: {grade, solution, locked, grade_id, points, schema_version: 3}`; solution regions
 * between lines containing `BEGIN SOLUTION` and `END SOLUTION`), so nbgrader can take these notebooks as they are.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../tensor";

export interface NbgraderMeta {
  grade: boolean;
  solution: boolean;
  locked: boolean;
  grade_id: string;
  points?: number;
  schema_version: 3;
}

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: { nbgrader?: NbgraderMeta; tags?: string[]; [k: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  id?: string;
  [k: string]: unknown;
}

export interface NotebookJson {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** What replaces a solution region in code cells (nbgrader's stub, in TypeScript). */
export const CODE_STUB = ["// YOUR CODE HERE", 'throw new Error("not implemented yet: replace this line with your code");'];
/** What replaces a solution region in markdown cells. */
export const MARKDOWN_STUB = ["YOUR ANSWER HERE"];

/** The cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function checkNotebook(nb: unknown, fn: string): NotebookJson {
  if (!nb || typeof nb !== "object" || !Array.isArray((nb as NotebookJson).cells)) fail(fn, "nb", "must be a notebook object with a cells array (nbformat 4)");
  return nb as NotebookJson;
}

/**
 * A copy of `nb` with every output and execution count removed (how notebooks are stored in this repository).
 * @example fs.writeFileSync(p, JSON.stringify(stripOutputs(nb), null, 1) + "\n")
 */
export function stripOutputs(nb: NotebookJson): NotebookJson {
  const src = checkNotebook(nb, "stripOutputs");
  const cells = src.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : { ...c }));
  return { ...src, cells };
}

/**
 * Whether any code cell carries outputs or an execution count; returns the offending cell indices.
 * @example notebookOutputs(nb) // [] for a clean notebook
 */
export function notebookOutputs(nb: NotebookJson): number[] {
  const src = checkNotebook(nb, "notebookOutputs");
  return src.cells.flatMap((c, i) => ((c.outputs?.length ?? 0) > 0 || (c.execution_count ?? null) !== null ? [i] : []));
}

/**
 * Cuts the solution regions of one cell's source. Lines from one containing "BEGIN SOLUTION" through one containing
 * "END SOLUTION" become the stub, indented like the BEGIN line. Throws on an unclosed or nested region.
 * @example clearSolutions("let x = 1;\n// ### BEGIN SOLUTION\nx = 2;\n// ### END SOLUTION\n", "code")
 */
export function clearSolutions(source: string, kind: "code" | "markdown" = "code"): string {
  const fn = "clearSolutions";
  if (typeof source !== "string") fail(fn, "source", "must be a string");
  const lines = source.split("\n");
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.includes("BEGIN SOLUTION")) {
      if (inside) fail(fn, "source", "has a BEGIN SOLUTION inside another solution region");
      inside = true;
      const indent = /^\s*/.exec(line)![0];
      out.push(...(kind === "code" ? CODE_STUB : MARKDOWN_STUB).map((s) => indent + s));
    } else if (line.includes("END SOLUTION")) {
      if (!inside) fail(fn, "source", "has an END SOLUTION without a BEGIN SOLUTION");
      inside = false;
    } else if (!inside) out.push(line);
  }
  if (inside) fail(fn, "source", "has a BEGIN SOLUTION without its END SOLUTION");
  return out.join("\n");
}

/**
 * The student's copy of an assignment: solution cells (`metadata.nbgrader.solution`) lose their solution regions,
 * outputs are stripped, and the notebook is marked as released. Every other cell, check cells included, is
 * unchanged. A solution region in a cell not marked as a solution cell is an error (it would leak).
 * @example const student = releaseAssignment(JSON.parse(fs.readFileSync("dsm-loss.ipynb", "utf8")))
 */
export function releaseAssignment(nb: NotebookJson): NotebookJson {
  const src = stripOutputs(checkNotebook(nb, "releaseAssignment"));
  const cells = src.cells.map((c) => {
    const text = cellSource(c);
    const marked = c.metadata?.nbgrader?.solution === true;
    if (!marked && text.includes("BEGIN SOLUTION")) fail("releaseAssignment", "nb", `cell ${c.id ?? ""} has a solution region but no metadata.nbgrader.solution = true`);
    if (!marked) return c;
    return { ...c, source: clearSolutions(text, c.cell_type === "markdown" ? "markdown" : "code") };
  });
  return { ...src, cells, metadata: { ...src.metadata, scorelab: { ...(src.metadata.scorelab as object | undefined), released: true } } };
}

/**
 * Reads the source assignment at `src` and writes the student's copy to `dest` (a file, or a folder to put a file
 * of the same name in). Returns the path written.
 * @example releaseAssignmentFile("notebooks/assignments/dsm-loss.ipynb", "release/")
 */
export function releaseAssignmentFile(src: string, dest: string): string {
  const fn = "releaseAssignmentFile";
  if (typeof src !== "string" || !fs.existsSync(src)) fail(fn, "src", `must be an existing .ipynb file, got '${String(src)}'`);
  if (typeof dest !== "string" || !dest) fail(fn, "dest", "must be a file or folder path");
  const target = dest.endsWith("/") || (fs.existsSync(dest) && fs.statSync(dest).isDirectory()) ? path.join(dest, path.basename(src)) : dest;
  if (path.resolve(target) === path.resolve(src)) fail(fn, "dest", "must differ from src (the release would overwrite the solutions)");
  let nb: NotebookJson;
  try { nb = JSON.parse(fs.readFileSync(src, "utf8")); } catch (e) { fail(fn, "src", `is not valid notebook JSON: ${(e as Error).message}`); }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(releaseAssignment(nb!), null, 1) + "\n");
  return target;
}
