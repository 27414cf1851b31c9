/**
 * A pool of child processes that run trials (child.ts), one trial per child at a time. Both executors use it: the
 * local executor directly, and each `scorelab worker` for the jobs it takes from Redis, so a trial that crashes
 * its process takes down one child, never the worker, and CPU-bound trials run in parallel.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { ProgressRecord } from "../tensor";
import type { TrialOutcome } from "./run-trial";
import type { Trial } from "./spec";
import type { ChildRequest } from "./child";
import { availableCores, coresShare } from "../tensor/cores";

/** What `run` resolves to: the trial's outcome, or `lost` when its process died under it. */
export type PoolResult = { outcome: TrialOutcome } | { lost: string };

interface Slot {
  child: ChildProcess;
  busy?: { id: string; resolve(r: PoolResult): void; onProgress?: (rec: ProgressRecord) => void };
}

export interface RunOptions {
  attempt?: number;
  onProgress?: (rec: ProgressRecord) => void;
  signal?: AbortSignal;
}

/** The default concurrency: one child per core scorelab may use (SCORELAB_CORES, else this process's cores). */
export function defaultConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  return availableCores(env);
}

/**
 * The parent's node flags a child keeps: not the test runner's, and never -e/-p with their code, which would make
 * every child run the parent's script again (a sweep started from `node -e` forked itself without end).
 */
export function childExecArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") { i++; continue; }
    if (a.startsWith("--eval=") || a.startsWith("--print=") || a.startsWith("--test") || a === "-i" || a === "--interactive") continue;
    out.push(a);
  }
  return out;
}

export class TrialPool {
  private slots: Slot[] = [];
  private waiting: (() => void)[] = [];
  private closed = false;

  /** @example const pool = new TrialPool(4, null); const r = await pool.run(trial); await pool.close(); */
  constructor(readonly size: number, private readonly allow: string[] | null) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`TrialPool: argument 'size' must be a positive integer, got ${String(size)}`);
  }

  private spawn(): Slot {
    const child = fork(path.join(__dirname, "child.js"), [], {
      execArgv: childExecArgv(process.execArgv),
      // Each child gets its share of the cores, as the main job gives its notebooks: its libtorch threads (unless
      // SCORELAB_THREADS is set, which passes as set) and any sweep inside it divide the share, so `size` children
      // of a multi-threaded libtorch do not oversubscribe the machine.
      env: { ...process.env, SCORELAB_CORES: String(coresShare(availableCores(), this.size)) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const slot: Slot = { child };
    child.on("message", (m: { type: string; id?: string; rec?: ProgressRecord; outcome?: TrialOutcome }) => {
      if (m.type === "progress" && slot.busy && m.id === slot.busy.id) slot.busy.onProgress?.(m.rec!);
      if (m.type === "done" && slot.busy) this.release(slot, { outcome: m.outcome! });
    });
    child.on("exit", (code, sig) => {
      this.slots = this.slots.filter((s) => s !== slot);
      if (slot.busy) this.release(slot, { lost: `its process exited (${sig ?? `code ${code}`}) during the trial` });
      else this.waiting.shift()?.();
    });
    this.slots.push(slot);
    return slot;
  }

  private release(slot: Slot, r: PoolResult): void {
    const b = slot.busy!;
    slot.busy = undefined;
    b.resolve(r);
    this.waiting.shift()?.();
  }

  /** A free child, reserved for `busy` in the same tick it is found (two callers never get the same one). */
  private async reserve(busy: NonNullable<Slot["busy"]>): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error("TrialPool: closed");
      const slot = this.slots.find((s) => !s.busy && s.child.connected) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (slot) {
        slot.busy = busy;
        return slot;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  /** Runs one trial in a free child (waiting for one); an abort of `signal` asks the trial to stop. */
  async run(trial: Trial, opts: RunOptions = {}): Promise<PoolResult> {
    let resolve!: (r: PoolResult) => void;
    const done = new Promise<PoolResult>((r) => (resolve = r));
    const slot = await this.reserve({ id: trial.id, resolve, onProgress: opts.onProgress });
    const abort = () => slot.child.connected && slot.child.send({ type: "abort", id: trial.id } satisfies ChildRequest);
    if (opts.signal?.aborted) abort();
    else opts.signal?.addEventListener("abort", abort, { once: true });
    slot.child.send({ type: "run", trial, allow: this.allow, attempt: opts.attempt ?? 1 } satisfies ChildRequest);
    const r = await done;
    opts.signal?.removeEventListener("abort", abort);
    return r;
  }

  /** Number of children running a trial. */
  running(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  /** Ends every child (a running trial is lost). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.splice(0).forEach((w) => w());
    await Promise.all(this.slots.map((s) => new Promise<void>((r) => {
      if (s.child.exitCode !== null || s.child.signalCode !== null) return r();
      s.child.once("exit", () => r());
      s.child.kill("SIGTERM");
    })));
  }
}
