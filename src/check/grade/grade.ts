/**
 * Grades a folder of submitted notebooks against the source assignment, the autograde half of nbgrader's loop: each
 * submission runs in its own process and folder under time, memory and output limits, with locked cells restored;
 * what one student's notebook does never changes another's result.
 */
import * as fs from "fs";
import * as path from "path";
import { abortError, checkLongWork, fail, type LongWorkOptions } from "../../tensor";
import type { Figure } from "../../plot/figure";
import type { ResultsTable } from "../../table/results-table";
import type { NotebookJson } from "../notebook";
import { prepareSubmission, readAssignment, type Prepared } from "./assignment";
import { listSubmissions, type Submission } from "./collect";
import { feedbackNotebook } from "./feedback";
import { localPool, type GradePool } from "./pool";
import { gradesCsv, gradesTable, scoreDistributionFigure } from "./report";
import { runSubmission, type SubmissionRun, type SubmissionRunner } from "./run-submission";
import { malformedRows, scoreRun } from "./score";
import { checkLimits } from "./limits";
import type { GradeLimits, GradeRow } from "./types";

export interface GradeOptions extends LongWorkOptions {
  /** The source assignment (with solutions and nbgrader metadata). It is never copied into a run folder. */
  source: string;
  /** Output folder: grades.csv, score-distribution.json, feedback/STUDENT.ipynb. */
  outDir: string;
  /** Files or folders the assignment needs, copied into every run folder. */
  files?: string[];
  /**
   * Submissions run at once (default: the cores available; with `redis`, the whole class, queued for the workers).
   * Ignored when `pool` is given.
   */
  concurrency?: number;
  /**
   * Run the submissions as jobs on `scorelab worker` processes listening on this Redis (redis:// or rediss:// URL)
   * instead of in child processes here; each worker runs its submission under the same sandbox and limits.
   */
  redis?: string;
  /** The workers' queue (default the sweep's, "scorelab-trials"); only with `redis`. */
  queue?: string;
  /** Where the submissions run (default: localPool(concurrency)). */
  pool?: GradePool;
  limits?: Partial<GradeLimits>;
  /** Node's permission model for every submission (default true); see run-submission.ts. */
  sandbox?: boolean;
  /** More paths submissions may read under the sandbox. */
  allowRead?: string[];
  /** The tensor backend of every submission (SCORELAB_BACKEND there; default: this process's environment). */
  backend?: string;
  /** One line per graded student (default: none). */
  log?: (line: string) => void;
}

export interface GradeResult {
  rows: GradeRow[];
  table: ResultsTable;
  figure: Figure;
  /** Paths written. */
  gradesCsv: string;
  figureJson: string;
  feedback: Record<string, string>;
  /** Total points by student. */
  totals: Record<string, { points: number; max_points: number }>;
  seconds: number;
}

/** Larger submissions are not parsed: a notebook of an assignment is kilobytes, a few megabytes with figures. */
const MAX_NOTEBOOK_BYTES = 64 * 2 ** 20;

const inside = (p: string, dir: string) => { const r = path.relative(dir, p); return r === "" || (!r.startsWith("..") && !path.isAbsolute(r)); };

/** A file name per student, distinct even where two names differ only in characters a file name cannot hold. */
function fileNames(students: string[]): Map<string, string> {
  const used = new Set<string>(), out = new Map<string, string>();
  for (const s of students) {
    const base = s.replace(/[^\w.-]/g, "_") || "student";
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    out.set(s, name);
  }
  return out;
}

/**
 * Grades every submission in `submissionsDir` (files STUDENT.ipynb, or folders STUDENT/ holding the notebook).
 * Points follow nbgrader (Jupyter Development Team, nbgrader, autograde): a graded code cell that runs without an
 * error earns its `points`. Resolves when all are graded; a submission's failure is a status, never a throw.
 * Throws an AbortError when `opts.signal` aborts (the running submissions are killed).
 * @example
 * const r = await lab.check.gradeSubmissions("submitted", { source: "source/dsm-loss.ipynb", outDir: "graded" });
 * r.table.toHTML();
 */
export async function gradeSubmissions(submissionsDir: string, opts: GradeOptions): Promise<GradeResult> {
  const fn = "gradeSubmissions";
  const started = Date.now();
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an object with source and outDir");
  checkLongWork(opts, fn);
  if (typeof opts.outDir !== "string" || !opts.outDir) fail(fn, "opts.outDir", "must be a folder path");
  const limits = checkLimits(opts.limits, fn, "opts.limits");
  const assignment = readAssignment(opts.source);
  const subs = listSubmissions(submissionsDir, assignment.fileName);
  const outDir = path.resolve(opts.outDir);
  if (inside(outDir, path.resolve(submissionsDir))) fail(fn, "opts.outDir", "must be outside the submissions folder (feedback there would be graded next time)");
  for (const f of opts.files ?? []) if (typeof f !== "string" || !fs.existsSync(f)) fail(fn, "opts.files", `must list existing files or folders, got '${String(f)}'`);
  if (opts.redis !== undefined && (typeof opts.redis !== "string" || !/^rediss?:\/\//.test(opts.redis))) fail(fn, "opts.redis", `must be a redis:// or rediss:// URL, got ${JSON.stringify(opts.redis)}`);
  if (opts.queue !== undefined && (opts.redis === undefined || typeof opts.queue !== "string" || !opts.queue)) fail(fn, "opts.queue", "must be a queue name, and goes with opts.redis");
  if (opts.redis !== undefined && (opts.sandbox === false || opts.allowRead?.length)) fail(fn, "opts.redis", "runs submissions on workers, always sandboxed and with no extra read paths; drop sandbox: false and allowRead, or grade locally");
  const pool = opts.pool ?? localPool(opts.concurrency ?? (opts.redis !== undefined ? Math.max(1, subs.length) : undefined));
  if (opts.backend !== undefined && (typeof opts.backend !== "string" || !/^[\w-]+$/.test(opts.backend))) fail(fn, "opts.backend", `must be a backend name such as "torch" or "wasm", got ${String(opts.backend)}`);
  if (typeof pool !== "function") fail(fn, "opts.pool", "must be a pool function (see localPool)");
  const source = fs.realpathSync(opts.source);
  const students = subs.filter((s) => !s.file || fs.realpathSync(s.file) !== source);
  const names = fileNames(students.map((s) => s.student));
  fs.mkdirSync(path.join(outDir, "feedback"), { recursive: true });
  // Loaded only for workers: the local path (and every notebook process, which loads the library) skips BullMQ.
  const workers = opts.redis !== undefined ? (await import("./worker-runner")).workerRunner({ url: opts.redis, queue: opts.queue, log: opts.log }) : undefined;
  const runner: SubmissionRunner = workers?.run ?? runSubmission;

  const readSubmission = (s: Submission): Prepared => {
    if (!s.file) return { ok: false, message: s.problem ?? "no notebook" };
    const size = fs.statSync(s.file).size;
    if (size > MAX_NOTEBOOK_BYTES) return { ok: false, message: `the notebook is ${(size / 2 ** 20).toFixed(0)} MiB; at most ${MAX_NOTEBOOK_BYTES / 2 ** 20} MiB is read` };
    try { return prepareSubmission(assignment, fs.readFileSync(s.file, "utf8")); } catch (e) { return { ok: false, message: `unreadable: ${(e as Error).message}` }; }
  };
  let done = 0;
  const gradeOne = async (s: Submission): Promise<{ rows: GradeRow[]; feedback: string }> => {
    let rows: GradeRow[], nb: NotebookJson | undefined, run: SubmissionRun | undefined, notes: string[] = [];
    const prepared = readSubmission(s);
    if (!prepared.ok) {
      rows = malformedRows(s.student, assignment, prepared.message);
      notes = [`this submission could not be graded: ${prepared.message}`];
    } else if (opts.signal?.aborted) {
      rows = malformedRows(s.student, assignment, "not graded: the grading run was aborted").map((r) => ({ ...r, status: "error" }));
    } else {
      ({ nb, notes } = prepared);
      try {
        run = await runner(nb, assignment.fileName, { limits, files: opts.files, sandbox: opts.sandbox, allowRead: opts.allowRead, backend: opts.backend, signal: opts.signal });
        rows = scoreRun(s.student, assignment, nb, run);
      } catch (e) {
        // The grader's own failure on this submission (a full disk, say): this student's rows say so, the run goes on.
        rows = malformedRows(s.student, assignment, `the grader failed on this submission: ${(e as Error).message}`).map((r) => ({ ...r, status: "error" }));
      }
    }
    const feedback = path.join(outDir, "feedback", `${names.get(s.student)}.ipynb`);
    fs.writeFileSync(feedback, JSON.stringify(feedbackNotebook(s.student, nb, run, rows, notes), null, 1) + "\n");
    done++;
    const got = rows.reduce((a, r) => a + r.points, 0), max = rows.reduce((a, r) => a + r.max_points, 0);
    opts.log?.(`[${done}/${students.length}] ${s.student}: ${got} / ${max} (${[...new Set(rows.map((r) => r.status))].join(", ")})`);
    opts.onStep?.({ step: done, total: students.length, points: got });
    return { rows, feedback };
  };
  const graded = await pool(students, gradeOne).finally(() => workers?.close());
  if (opts.signal?.aborted) throw abortError(fn, done, students.length, "submission");

  const rows = graded.flatMap((g) => g.rows);
  const csvPath = path.join(outDir, "grades.csv");
  fs.writeFileSync(csvPath, gradesCsv(rows));
  const figure = scoreDistributionFigure(rows, `${path.basename(assignment.fileName, ".ipynb")}: score distribution per question`);
  const figureJson = path.join(outDir, "score-distribution.json");
  fs.writeFileSync(figureJson, JSON.stringify(figure));
  const totals: GradeResult["totals"] = {};
  for (const r of rows) {
    const t = (totals[r.student] ??= { points: 0, max_points: 0 });
    t.points += r.points;
    t.max_points += r.max_points;
  }
  return {
    rows, table: gradesTable(rows, path.basename(assignment.fileName, ".ipynb")), figure, gradesCsv: csvPath, figureJson,
    feedback: Object.fromEntries(students.map((s, i) => [s.student, graded[i].feedback])), totals, seconds: (Date.now() - started) / 1000,
  };
}
