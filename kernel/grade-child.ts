/**
 * The grading child: `node [limits] grade-child.js NOTEBOOK MAX_OUTPUT_BYTES`, started by lab.check.gradeSubmissions
 * in a temporary folder that holds one student's notebook. It runs every code cell with the kernel's executor, going
 * on after a failing cell (as nbgrader's autograder does), and reports each cell to the parent as a line on fd 3.
 *
 * The parent enforces the limits this process cannot enforce on itself (wall time per cell and per notebook, memory)
 * by killing it; a `start` event before each cell tells it which cell was running. Lines carry a token the parent sends
 * on stdin and that lives only in this module's closure, so text a student writes to fd 3 is not taken as a result.
 * The functions used to report are captured before any cell runs, so a cell that replaces JSON.stringify or
 * fs.writeSync does not change what is reported. (A cell runs with Node's powers in this process; this stops
 * accidents and casual tampering, not a student who attacks the grader with the inspector.)
 */
import * as fs from "fs";
import * as path from "path";
import { createKernelExecutor } from "./executor";
import { collectCellOutputs } from "./cell-outputs";
import { installExitGuard } from "./exit-guard";
import { preloadModules } from "./paths";

/** One event line's payload (after the token). */
export type GradeEvent =
  | { type: "ready"; banner: string }
  | { type: "start"; cell: number }
  | { type: "done"; cell: number; seconds: number; outputs: unknown[]; error: { ename: string; evalue: string } | null }
  | { type: "limit"; cell: number; bytes: number }
  | { type: "end" };

const EVENT_FD = 3;
const stringify = JSON.stringify;
const writeSync = fs.writeSync;
const byteLength = Buffer.byteLength;
const now = performance.now.bind(performance);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Signals only to this process: Node's permission model does not cover process.kill, and a cell that signalled its
 * parent (process.ppid) or its process group (0, -1) would end the grading run for every student. process.kill calls
 * process._kill at call time, so guarding _kill covers both; the native original is unreachable afterwards.
 */
function guardSignals(proc: NodeJS.Process): void {
  const own = proc.pid;
  const raw = (proc as unknown as { _kill: (pid: number, sig: number) => number })._kill;
  const guarded = (pid: number, sig: number) => {
    if (Number(pid) !== own) throw new Error(`process.kill(${String(pid)}) was refused: a graded notebook may signal only its own process`);
    return raw.call(proc, pid, sig);
  };
  Object.defineProperty(proc, "_kill", { value: guarded, writable: false, configurable: false });
}

function readToken(): string {
  const buf = Buffer.alloc(256);
  let text = "";
  while (!text.includes("\n")) {
    let n: number;
    try { n = fs.readSync(0, buf, 0, buf.length, null); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") { Atomics.wait(sleeper, 0, 0, 5); continue; }
      throw e;
    }
    if (n === 0) break;
    text += buf.toString("utf8", 0, n);
  }
  const token = text.split("\n")[0].trim();
  if (!/^[0-9a-f]{32}$/.test(token)) throw new Error("grade-child: expected a 32-hex-digit token on stdin");
  return token;
}

async function main(): Promise<void> {
  const [nbName, maxOut] = process.argv.slice(2);
  const maxOutputBytes = Number(maxOut);
  const token = readToken();
  const realExit = installExitGuard(process);
  guardSignals(process);
  const emit = (e: GradeEvent) => {
    const line = Buffer.from(`${token} ${stringify(e)}\n`);
    // fd 3 is a socket the parent reads; a large `done` line can meet a full buffer (EAGAIN): wait and go on.
    for (let off = 0; off < line.length;) {
      try { off += writeSync(EVENT_FD, line, off); } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
        Atomics.wait(sleeper, 0, 0, 2);
      }
    }
  };
  const nb = JSON.parse(fs.readFileSync(nbName, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
  const kx = createKernelExecutor(path.dirname(path.resolve(nbName)));
  const banner = await kx.preload();
  // Grades are made of the checks: a cell must not swap runCheck or a check for one that always passes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const checks = require(path.join(path.dirname(preloadModules().lab), "check", "checks"));
  Object.freeze(checks.CHECKS);
  Object.freeze(checks);
  // As in the kernel (kernel/start.ts): the wasm glue's rethrowing listeners go, and a stray rejection is reported
  // into the running cell's stderr instead of ending the process.
  process.removeAllListeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  emit({ type: "ready", banner });

  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  let written = 0;
  let count = 0;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i];
    if (cell.cell_type !== "code") continue;
    const code = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const c = collectCellOutputs(++count);
    const capture = (name: "stdout" | "stderr") => ((chunk: string | Uint8Array) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      written += byteLength(text);
      // A flood ends the run here: a synchronous print loop would never return to let the parent's timer decide.
      if (written > maxOutputBytes) { emit({ type: "limit", cell: i, bytes: written }); realExit(0); }
      c.stream(name, text);
      return true;
    }) as typeof process.stdout.write;
    emit({ type: "start", cell: i });
    const t0 = now();
    process.stdout.write = capture("stdout");
    process.stderr.write = capture("stderr");
    let err;
    try { err = await kx.execute(code, c.sink); } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    emit({ type: "done", cell: i, seconds: (now() - t0) / 1000, outputs: c.outputs, error: err ? { ename: err.ename, evalue: err.evalue } : null });
  }
  emit({ type: "end" });
  kx.close();
  realExit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`grade-child: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 70;
});
