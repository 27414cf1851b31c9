/**
 * Runs one prepared submission in its own Node process, in a fresh temporary folder that holds only that notebook and
 * the files the assignment needs, and returns what each code cell did.
 *
 * Limits: wall time per cell and per notebook and a resident-memory watchdog are enforced here by killing the process;
 * V8's heap limit (--max-old-space-size) and the output cap end it from inside. Under Node's permission model the
 * process may write only in its folder and read only that folder and scorelab's own code and dependencies; it may not
 * start processes or workers. Native addons stay allowed (the torch backend is one), which the permission model
 * documents as a way around it: the model keeps honest code in its folder, it is not a jail.
 */
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { NotebookJson } from "../notebook";
import type { GradeLimits, GradeStatus } from "./types";

/** What one code cell came to. */
export interface CellRun {
  status: GradeStatus;
  seconds: number;
  outputs: unknown[];
  /** The error's name and text for failed cells, the reason for cells the run never finished. */
  ename?: string;
  evalue?: string;
}

export interface SubmissionRun {
  /** By cell index in the prepared notebook; code cells only. */
  cells: Map<number, CellRun>;
  /** Why the process stopped early, when it did. */
  stop?: { status: GradeStatus; message: string; cell?: number };
  /** The backend banner of the child. */
  banner?: string;
  seconds: number;
}

export interface RunSubmissionOptions {
  limits: GradeLimits;
  /** Files or folders copied into the run folder (data the assignment reads). */
  files?: string[];
  /** Files written into the run folder from their bytes, by relative path (what a worker gets instead of `files`). */
  contents?: Record<string, Buffer>;
  /** Run under Node's permission model (default true). */
  sandbox?: boolean;
  /** More paths the child may read (under the sandbox). */
  allowRead?: string[];
  /** SCORELAB_BACKEND for the child (default: this process's). */
  backend?: string;
  /** Kills the child when aborted. */
  signal?: AbortSignal;
  /** Keep the run folder (for debugging); its path is logged. */
  keepDir?: boolean;
}

/** The compiled grading child (dist/kernel/grade-child.js), started as a program: the library does not import the kernel. */
const CHILD = path.resolve(__dirname, "..", "..", "..", "kernel", "grade-child.js");
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const HEAP_OOM = /JavaScript heap out of memory|Reached heap limit|Allocation failed/;

/** What the child may read: scorelab's code, its native addons, its dependencies (wherever npm put them). */
function readRoots(extra: string[]): string[] {
  const roots = [path.join(PACKAGE_ROOT, "dist"), path.join(PACKAGE_ROOT, "native"), path.join(PACKAGE_ROOT, "package.json"), path.join(PACKAGE_ROOT, "node_modules")];
  for (const dep of ["@tensorflow/tfjs/package.json", "tslab/package.json"]) {
    // <modules>/@tensorflow/tfjs/package.json and <modules>/tslab/package.json: their node_modules folder.
    const p = fs.realpathSync(require.resolve(dep));
    roots.push(path.resolve(p, dep.startsWith("@") ? "../../.." : "../.."));
  }
  // Both a symlink and its target: Node checks the path as written and as resolved.
  return [...new Set([...roots, ...extra].flatMap((r) => (fs.existsSync(r) ? [r, fs.realpathSync(r)] : [r])))];
}

/** Only what a notebook needs from the environment: no tokens or keys of the grader's shell reach student code. */
function childEnv(dir: string, backend: string | undefined): NodeJS.ProcessEnv {
  const keep = ["PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "LIBTORCH", "SCORELAB_BACKEND", "SCORELAB_BLAS", "SCORELAB_BLAS_THREADS", "SCORELAB_QUICK"];
  const env: NodeJS.ProcessEnv = { HOME: dir, TMPDIR: dir, SCORELAB_THREADS: process.env.SCORELAB_GRADE_THREADS ?? "1" };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  if (backend) env.SCORELAB_BACKEND = backend;
  return env;
}

function rssMB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch { return undefined; }
}

/** Where a prepared notebook runs: runSubmission here, or a job on a sweep worker (worker-runner.ts). */
export type SubmissionRunner = (nb: NotebookJson, fileName: string, opts: RunSubmissionOptions) => Promise<SubmissionRun>;

/**
 * Runs `nb` (already prepared: locked cells restored) as `fileName` in a new folder and process.
 * @example const r = await runSubmission(prepared.nb, "dsm-loss.ipynb", { limits: DEFAULT_LIMITS });
 */
export async function runSubmission(nb: NotebookJson, fileName: string, opts: RunSubmissionOptions): Promise<SubmissionRun> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-grade-")));
  try {
    for (const f of opts.files ?? []) fs.cpSync(f, path.join(dir, path.basename(f)), { recursive: true });
    for (const [rel, bytes] of Object.entries(opts.contents ?? {})) {
      const r = path.relative(dir, path.resolve(dir, rel));
      if (!r || r.startsWith("..") || path.isAbsolute(r) || r === fileName) throw new Error(`runSubmission: argument 'opts.contents' must name files inside the run folder other than the notebook, got '${rel}'`);
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), bytes);
    }
    fs.writeFileSync(path.join(dir, fileName), JSON.stringify(nb));
    return await runChild(dir, fileName, opts);
  } finally {
    if (opts.keepDir) process.stderr.write(`runSubmission: kept ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(dir: string, fileName: string, opts: RunSubmissionOptions): Promise<SubmissionRun> {
  const { limits } = opts;
  const heapMB = Math.max(64, Math.floor(limits.memoryMB / 2));
  const sandbox = opts.sandbox ?? true
    ? ["--experimental-permission", "--allow-addons", ...readRoots(opts.allowRead ?? []).map((r) => `--allow-fs-read=${r}`), `--allow-fs-read=${dir}`, `--allow-fs-write=${dir}`]
    : [];
  const args = [...sandbox, "--disable-warning=ExperimentalWarning", "--disable-warning=SecurityWarning", `--max-old-space-size=${heapMB}`, CHILD, fileName, String(limits.maxOutputBytes)];
  const token = randomBytes(16).toString("hex");
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: childEnv(dir, opts.backend), stdio: ["pipe", "pipe", "pipe", "pipe"] });
    child.stdin!.on("error", () => {});
    child.stdin!.end(token + "\n");
    const cells = new Map<number, CellRun>();
    let running: { cell: number; since: number } | undefined;
    let banner: string | undefined;
    let ended = false;
    let stop: SubmissionRun["stop"];
    let tail = "";
    let rawOut = 0;
    const kill = (status: GradeStatus, message: string) => {
      if (stop || ended) return;
      stop = { status, message, cell: running?.cell };
      child.kill("SIGKILL");
    };
    // Text the process writes past the cells' capture (native code, fs.writeSync(1, ...)) counts against the cap too.
    const onRaw = (d: Buffer) => {
      rawOut += d.length;
      tail = (tail + d.toString()).slice(-4096);
      if (rawOut > limits.maxOutputBytes + 65536) kill("output-limit", `printed more than ${limits.maxOutputBytes} bytes`);
    };
    child.stdout!.on("data", onRaw);
    child.stderr!.on("data", onRaw);
    let cellTimer: NodeJS.Timeout | undefined;
    const nbTimer = setTimeout(() => kill("timeout", `the notebook ran past its limit of ${limits.notebookTimeoutS} s`), limits.notebookTimeoutS * 1000);
    const watch = setInterval(() => {
      const mb = child.pid ? rssMB(child.pid) : undefined;
      if (mb !== undefined && mb > limits.memoryMB) kill("killed: memory", `used ${Math.round(mb)} MiB, over the limit of ${limits.memoryMB} MiB`);
    }, 100);
    const onAbort = () => kill("error", "the grading run was aborted");
    opts.signal?.addEventListener("abort", onAbort);

    let buf = "";
    child.stdio[3]!.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith(token + " ")) continue;
        const e = JSON.parse(line.slice(token.length + 1));
        if (e.type === "ready") banner = e.banner;
        else if (e.type === "start") {
          running = { cell: e.cell, since: Date.now() };
          clearTimeout(cellTimer);
          cellTimer = setTimeout(() => kill("timeout", `the cell ran past its limit of ${limits.cellTimeoutS} s`), limits.cellTimeoutS * 1000);
        } else if (e.type === "done") {
          clearTimeout(cellTimer);
          running = undefined;
          cells.set(e.cell, { status: e.error ? "error" : "ok", seconds: e.seconds, outputs: e.outputs, ename: e.error?.ename, evalue: e.error?.evalue });
        } else if (e.type === "limit") kill("output-limit", `printed more than ${limits.maxOutputBytes} bytes`);
        else if (e.type === "end") ended = true;
      }
    });

    child.on("close", (code, signal) => {
      clearTimeout(cellTimer);
      clearTimeout(nbTimer);
      clearInterval(watch);
      opts.signal?.removeEventListener("abort", onAbort);
      if (!ended && !stop) {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const last = tail.trim().split("\n").filter((l) => !/^\s+at /.test(l)).pop() ?? "";
        if (HEAP_OOM.test(tail)) stop = { status: "killed: memory", message: `ran out of its ${heapMB} MiB JavaScript heap`, cell: running?.cell };
        else if (banner === undefined) stop = { status: "error", message: `the notebook process did not start (${how}): ${last}`.trim() };
        else stop = { status: "exited", message: `the process ended (${how})${last ? `: ${last}` : ""}`, cell: running?.cell };
      }
      if (stop && running) cells.set(running.cell, { status: stop.status, seconds: (Date.now() - running.since) / 1000, outputs: [], evalue: stop.message });
      resolve({ cells, stop, banner, seconds: (Date.now() - t0) / 1000 });
    });
  });
}
