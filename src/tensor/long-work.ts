/**
 * The one contract for long work: every sampler, trainer, flow, fit, likelihood and study of scorelab follows it,
 * so that a notebook, the kernel's progress bar, a script and a test drive them all the same way.
 *
 * Options. Each long function takes, in its options object:
 *   - `rng: Rng`: all its randomness (required where the result is random; a function whose randomness is incidental,
 *     such as fuse's Monte Carlo pool or sdFlow's projections, defaults it to new Rng(0) and says so);
 *   - `onStep?: Progress`: called with one ProgressRecord after a step (every step, or every `every` steps where the
 *     function has that option, and always after the last one): `step` counts from 1 to `total`;
 *   - `signal?: AbortSignal`: checked before each step (so an abort raised inside onStep stops before the next step).
 *
 * Interrupt. What was computed so far is kept where it has meaning, and only there:
 *   - training and fitting (a model's weights, fused weights, flow particles: every iterate is a usable answer)
 *     returns normally with `stopped: true` and `steps` the steps done; the model keeps what it learned;
 *   - sampling, likelihoods and studies (half a reverse SDE is not a sample, half an integral is not a
 *     likelihood, a study without all its runs has no verdict) free their tensors and throw an Error named
 *     "AbortError" (`isAbortError(e)`), so no caller mistakes a partial answer for a result.
 * The kernel maps both to "interrupted at step k of n".
 */
import { fail } from "./validate";

/** What long work reports through its one callback (k-diffusion's callback record). `rate` (steps/s) and `eta`
 * (seconds left) are filled in by the kernel's progress bar; functions add their own numbers (loss, t, sigma, ...). */
export interface ProgressRecord { step: number; total: number; loss?: number; t?: number; rate?: number; eta?: number; [key: string]: number | undefined }
export type Progress = (rec: ProgressRecord) => void;

/** The options every long function shares (rng is declared by each, required or defaulted). */
export interface LongWorkOptions {
  /** Called after a step (or every `every` steps where offered, and after the last) with one ProgressRecord. */
  onStep?: Progress;
  /** Checked before each step: stops with `stopped: true` or throws an AbortError, as the module comment says. */
  signal?: AbortSignal;
}

/**
 * Validates `onStep` and `signal` of an options object; `fn` names the caller and `prefix` the options argument.
 * @example checkLongWork(opts, "trainScore");
 */
export function checkLongWork(opts: LongWorkOptions, fn: string, prefix = "opts."): void {
  if (opts.onStep !== undefined && typeof opts.onStep !== "function") fail(fn, `${prefix}onStep`, "must be a function when given");
  if (opts.signal !== undefined && (opts.signal === null || typeof opts.signal !== "object" || typeof opts.signal.aborted !== "boolean")) {
    fail(fn, `${prefix}signal`, "must be an AbortSignal when given");
  }
}

/**
 * The Error thrown when long work whose partial result has no meaning is aborted (name "AbortError").
 * @example throw abortError("eulerMaruyama", i, total);
 */
export function abortError(fn: string, step: number, total: number, what = "step"): Error {
  const e = new Error(`${fn}: aborted before ${what} ${step + 1} of ${total}`);
  e.name = "AbortError";
  return e;
}

/** Whether `e` is the Error of an aborted long function. @example if (isAbortError(e)) print("interrupted"); */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === "AbortError";
}

/** Resolves on the next macrotask, so that interrupts, timers and progress output can run. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Yields to the event loop every `everySteps` steps or `everyMs` milliseconds, whichever comes first: a loop that
 * never yields cannot be interrupted and shows no progress.
 * @example const y = new Yielder(5); for (...) { work(); await y.tick(); }
 */
export class Yielder {
  private count = 0;
  private last = Date.now();
  constructor(private readonly everySteps: number, private readonly everyMs = Infinity) {}
  async tick(): Promise<void> {
    this.count++;
    if (this.count % this.everySteps === 0 || Date.now() - this.last >= this.everyMs) {
      await nextMacrotask();
      this.last = Date.now();
    }
  }
}
