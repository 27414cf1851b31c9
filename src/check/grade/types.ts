/** The vocabulary of grading: what one graded cell of one student comes to, and the limits a submission runs under. */

/**
 * Why a graded cell got its points. `ok`: it ran without an error (full points); `failed`: a check or assertion
 * said the answer is wrong; `error`: it threw anything else; `timeout`, `killed: memory`, `exited`, `output-limit`:
 * the run stopped in or before this cell; `malformed`: the notebook could not be graded at all; `manual`: a
 * hand-graded (markdown) answer, left for the teacher.
 */
export type GradeStatus = "ok" | "failed" | "error" | "timeout" | "killed: memory" | "exited" | "output-limit" | "malformed" | "manual";

/** One row of grades.csv: one graded cell of one student. */
export interface GradeRow {
  student: string;
  grade_id: string;
  points: number;
  max_points: number;
  status: GradeStatus;
  /** The check's message (PASS line or the error), or why the cell did not run. */
  message: string;
  /** Wall time of the cell in seconds (0 when it did not run). */
  seconds: number;
}

/** Limits for one submission's process. */
export interface GradeLimits {
  /** Seconds one cell may run (default 60, nbgrader's default is 30). */
  cellTimeoutS: number;
  /** Seconds the whole notebook may take, start-up included (default 300). */
  notebookTimeoutS: number;
  /** Resident memory in MiB before the process is killed (default 2048); V8's heap gets half of it. */
  memoryMB: number;
  /** Bytes of stdout/stderr text the notebook may print in all (default 1 MiB). */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: GradeLimits = { cellTimeoutS: 60, notebookTimeoutS: 300, memoryMB: 2048, maxOutputBytes: 1 << 20 };
