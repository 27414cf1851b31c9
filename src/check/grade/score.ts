/**
 * Points from a run, as nbgrader's autograder gives them: a graded code cell that runs without an error earns its
 * `points`, any other outcome earns zero; the status and message say why.
 */
import { CHECKS } from "../checks";
import type { NotebookJson } from "../notebook";
import type { Assignment } from "./assignment";
import type { CellRun, SubmissionRun } from "./run-submission";
import type { GradeRow, GradeStatus } from "./types";

/** What the check cells' errors look like: a check's verdict starts with its name (checks.ts, `verdict`). */
const CHECK_VERDICT = new RegExp(`^(${Object.keys(CHECKS).join("|")}): `);
/** kernel/exit-guard.ts ends its message so. */
const EXIT_CALLED = /\(process\.exit\(.*\) was called\)$/;

/** The status of a cell that raised `ename: evalue`. */
export function errorStatus(ename = "", evalue = ""): GradeStatus {
  if (EXIT_CALLED.test(evalue)) return "exited";
  if (ename === "CheckFailure" || ename === "AssertionError" || CHECK_VERDICT.test(evalue)) return "failed";
  return "error";
}

function stdoutText(outputs: unknown[]): string {
  return outputs.map((o) => {
    const r = o as { output_type?: string; name?: string; text?: string | string[] };
    return r.output_type === "stream" && r.name === "stdout" ? (Array.isArray(r.text) ? r.text.join("") : r.text ?? "") : "";
  }).join("");
}

/** The message of a cell that ran: its PASS line (what runCheck and %check print), or its error. */
function cellMessage(run: CellRun, status: GradeStatus): string {
  if (status === "ok") return stdoutText(run.outputs).split("\n").filter((l) => l.startsWith("PASS ")).pop()?.slice(5) ?? "ran without errors";
  if (status === "failed" || status === "exited" || !run.ename) return run.evalue ?? "";
  return `${run.ename}: ${run.evalue}`;
}

/**
 * One row per graded cell of the assignment for this student's run (`nb` is the prepared notebook that ran).
 * @example scoreRun("alice", assignment, prepared.nb, run).reduce((s, r) => s + r.points, 0)
 */
export function scoreRun(student: string, a: Assignment, nb: NotebookJson, run: SubmissionRun): GradeRow[] {
  const index = new Map(nb.cells.map((c, i) => [c.metadata?.nbgrader?.grade_id, i]));
  let firstFailure: string | undefined;
  const failures = new Map<number, string>();
  for (const [i, r] of [...run.cells].sort((x, y) => x[0] - y[0])) {
    // Another graded cell failing is its own row, not the cause of this one.
    if (r.status === "ok" || nb.cells[i].metadata?.nbgrader?.grade) continue;
    failures.set(i, firstFailure ??= `an earlier cell (cell ${i + 1}) failed: ${r.ename ? `${r.ename}: ` : ""}${r.evalue ?? r.status}`);
  }
  return a.graded.map((g) => {
    const row = { student, grade_id: g.gradeId, max_points: g.points };
    if (g.kind === "markdown") return { ...row, points: 0, status: "manual" as const, message: "a written answer: graded by hand", seconds: 0 };
    const i = index.get(g.gradeId)!;
    const r = run.cells.get(i);
    if (!r) {
      const stop = run.stop ?? { status: "error" as const, message: "the cell did not run" };
      const where = stop.cell !== undefined ? ` (in cell ${stop.cell + 1})` : "";
      return { ...row, points: 0, status: stop.status, message: `not run: ${stop.message}${where}`, seconds: 0 };
    }
    const status = r.status === "error" ? errorStatus(r.ename, r.evalue) : r.status;
    let message = cellMessage(r, status);
    // The cause is often above the graded cell (a solution cell that threw): say so next to the check's complaint.
    const earlier = [...failures].find(([j]) => j < i)?.[1];
    if (status !== "ok" && earlier) message += ` (${earlier})`;
    return { ...row, points: status === "ok" ? g.points : 0, status, message, seconds: r.seconds };
  });
}

/**
 * The rows of a submission that could not run at all (malformed, or no notebook found).
 * @example malformedRows("bob", assignment, "not valid notebook JSON")
 */
export function malformedRows(student: string, a: Assignment, message: string): GradeRow[] {
  return a.graded.map((g) => ({ student, grade_id: g.gradeId, points: 0, max_points: g.points, status: "malformed", message, seconds: 0 }));
}
