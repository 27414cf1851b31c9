/**
 * The source assignment's grading plan (nbgrader cell metadata: `grade_id`, `points`, `locked`, `grade`) and the
 * notebook a submission is graded as: the student's cells, with every locked cell put back from the source, metadata
 * taken from the source (a student cannot change points or add graded cells), and outputs cleared. Follows
 * nbgrader's autograde step (its OverwriteCells preprocessor), in TypeScript.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../../tensor";
import { cellSource, type NotebookCell, type NotebookJson } from "../notebook";

/** A cell that earns points. */
export interface GradedCell { gradeId: string; points: number; kind: "code" | "markdown" }

export interface Assignment {
  /** The notebook's file name (the name each submission is run under). */
  fileName: string;
  nb: NotebookJson;
  /** metadata.kernelspec.name of the source, when it has one. */
  kernel?: string;
  /** Graded cells in notebook order. */
  graded: GradedCell[];
  /** Source cells by grade_id. */
  cells: Map<string, NotebookCell>;
}

/** A submission ready to run, or why it cannot be graded. */
export type Prepared = { ok: true; nb: NotebookJson; notes: string[] } | { ok: false; message: string };

/**
 * Reads the source assignment (with solutions) and its grading plan; throws for a source that nbgrader would refuse.
 * @example readAssignment("notebooks/assignments/dsm-loss.ipynb").graded // [{ gradeId: "check_dsm_loss", points: 3, kind: "code" }]
 */
export function readAssignment(file: string): Assignment {
  const fn = "readAssignment";
  if (typeof file !== "string" || !fs.existsSync(file) || !fs.statSync(file).isFile()) fail(fn, "file", `must be an existing .ipynb file, got '${String(file)}'`);
  let nb: NotebookJson;
  try { nb = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { fail(fn, "file", `is not valid notebook JSON: ${(e as Error).message}`); }
  if (!nb! || !Array.isArray(nb.cells)) fail(fn, "file", "is not a notebook (no cells array)");
  const cells = new Map<string, NotebookCell>();
  const graded: GradedCell[] = [];
  for (const c of nb.cells) {
    const g = c.metadata?.nbgrader;
    if (!g) continue;
    if (typeof g.grade_id !== "string" || !g.grade_id) fail(fn, "file", `has an nbgrader cell without a grade_id (cell ${c.id ?? nb.cells.indexOf(c) + 1})`);
    if (cells.has(g.grade_id)) fail(fn, "file", `has two cells with grade_id '${g.grade_id}'`);
    cells.set(g.grade_id, c);
    if (!g.grade) continue;
    if (!(typeof g.points === "number" && g.points >= 0)) fail(fn, "file", `cell '${g.grade_id}' is graded but has no points >= 0`);
    graded.push({ gradeId: g.grade_id, points: g.points, kind: c.cell_type === "markdown" ? "markdown" : "code" });
  }
  if (graded.length === 0) fail(fn, "file", "has no graded cells (nbgrader metadata grade: true with points)");
  const spec = nb.metadata?.kernelspec as { name?: unknown } | undefined;
  return { fileName: path.basename(file), nb, kernel: typeof spec?.name === "string" ? spec.name : undefined, graded, cells };
}

/** Whether `c` has the two fields every notebook cell has (a string cell_type, a string or string[] source). */
export function isCell(c: unknown): c is NotebookCell {
  if (!c || typeof c !== "object") return false;
  const { cell_type, source } = c as NotebookCell;
  return typeof cell_type === "string" && (typeof source === "string" || (Array.isArray(source) && source.every((s) => typeof s === "string")));
}

/**
 * The notebook to grade from a submission's text, or why it is malformed (bad JSON, not nbformat 4, another
 * kernel, a missing or doubled nbgrader cell).
 * @example const p = prepareSubmission(readAssignment(src), fs.readFileSync(sub, "utf8")); if (!p.ok) console.log(p.message);
 */
export function prepareSubmission(a: Assignment, text: string): Prepared {
  let sub: NotebookJson;
  try { sub = JSON.parse(text); } catch (e) { return { ok: false, message: `not valid notebook JSON (${(e as Error).message})` }; }
  if (!sub || typeof sub !== "object" || !Array.isArray(sub.cells)) return { ok: false, message: "not a notebook: no cells array" };
  if (sub.nbformat !== 4) return { ok: false, message: `nbformat ${String(sub.nbformat)}; expected 4` };
  const bad = sub.cells.findIndex((c) => !isCell(c));
  if (bad >= 0) return { ok: false, message: `cell ${bad + 1} is not a notebook cell (cell_type and source expected)` };
  const spec = (sub.metadata as { kernelspec?: { name?: unknown } } | undefined)?.kernelspec;
  if (a.kernel && spec && spec.name !== a.kernel) return { ok: false, message: `written for the kernel '${String(spec.name)}'; this assignment runs on '${a.kernel}'` };
  const seen = new Set<string>();
  const notes: string[] = [];
  const cells: NotebookCell[] = [];
  for (const c of sub.cells) {
    const id = c.metadata?.nbgrader?.grade_id;
    const src = typeof id === "string" ? a.cells.get(id) : undefined;
    const cleared = c.cell_type === "code" ? { outputs: [], execution_count: null } : {};
    if (!src) {
      // A cell the student added (or one claiming a grade_id the source lacks): it runs, but earns nothing.
      if (id !== undefined) notes.push(`a cell claims grade_id '${String(id)}', which the assignment does not have; it is not graded`);
      const { nbgrader: _dropped, ...meta } = c.metadata ?? {};
      cells.push({ ...c, ...cleared, metadata: meta });
      continue;
    }
    if (seen.has(id!)) return { ok: false, message: `the cell '${id}' appears twice` };
    seen.add(id!);
    if (src.metadata?.nbgrader?.locked) {
      if (cellSource(src) !== cellSource(c) || src.cell_type !== c.cell_type) notes.push(`the locked cell '${id}' was edited; the grader ran the original`);
      cells.push({ ...src, ...(src.cell_type === "code" ? { outputs: [], execution_count: null } : {}) });
    } else {
      cells.push({ ...c, ...cleared, cell_type: src.cell_type, metadata: { ...c.metadata, nbgrader: src.metadata!.nbgrader } });
    }
  }
  const missing = [...a.cells.keys()].filter((k) => !seen.has(k));
  if (missing.length) return { ok: false, message: `missing cells: ${missing.map((m) => `'${m}'`).join(", ")} (restore them from the released notebook)` };
  return { ok: true, nb: { ...sub, cells }, notes };
}
