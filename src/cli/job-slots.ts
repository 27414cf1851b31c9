/**
 * How many notebooks the main job runs at once and what each child is given: the slot count (`--jobs`,
 * SCORELAB_JOBS, or the cores scorelab may use), each child's share of the cores (SCORELAB_CORES, which libtorch's
 * intra-op threads and a sweep's child processes inside that notebook then divide, so that N children do not each
 * take every core), and the order in which the notebooks start (longest expected first, so that the job does not
 * end with one long notebook running alone).
 */
import { availableCores, coresShare, envCount } from "../tensor/cores";

/** What a notebook count must be, for every message that refuses one. */
export const JOBS_EXPECTED = "a whole number of notebooks at once, 1 or more";

/** A notebook count given as a number or a string (the CLI's and the environment's), or undefined where it is not one. */
export function jobsValue(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * Checks a notebook count (jobsValue); `fn` and `what` name the caller and the argument in the Error.
 * @example parseJobs("2", "runMainJob", "argument 'opts.jobs'") // 2
 */
export function parseJobs(value: unknown, fn: string, what: string): number {
  const n = jobsValue(value);
  if (n === undefined) throw new Error(`${fn}: ${what} must be ${JOBS_EXPECTED}, got ${typeof value === "string" ? `"${value}"` : String(value)}`);
  return n;
}

/** What the children of one main job run get, and where each setting came from (for the log and summary.json). */
export interface JobSlots {
  /** Notebooks at once. */
  jobs: number;
  /** Where `jobs` came from. */
  jobsFrom: "option" | "SCORELAB_JOBS" | "cores";
  /** The cores the job may use (SCORELAB_CORES, else this process's). */
  cores: number;
  /** Each child's share of them, max(1, floor(cores / jobs)), given to it as SCORELAB_CORES. */
  coresPerChild: number;
  /** libtorch's intra-op threads in each child: its share, or SCORELAB_THREADS where the user set it. */
  threads: number;
  threadsFrom: "share" | "SCORELAB_THREADS";
}

/**
 * The slots of a main job over `notebooks` notebooks: `jobs` (else SCORELAB_JOBS, else the cores) capped by the
 * notebook count, and each child's share of the cores.
 * @example jobSlots(undefined, 7, { SCORELAB_JOBS: "2" }) // on 2 cores: { jobs: 2, coresPerChild: 1, threads: 1, ... }
 */
export function jobSlots(jobs: number | undefined, notebooks: number, env: NodeJS.ProcessEnv = process.env): JobSlots {
  const fn = "runMainJob";
  const cores = availableCores(env);
  const fromEnv = env.SCORELAB_JOBS !== undefined && env.SCORELAB_JOBS !== "";
  const asked = jobs !== undefined ? parseJobs(jobs, fn, "argument 'opts.jobs'")
    : fromEnv ? parseJobs(env.SCORELAB_JOBS, fn, "the environment variable SCORELAB_JOBS") : cores;
  const n = Math.max(1, Math.min(asked, notebooks));
  const share = coresShare(cores, n);
  // Checked here as well as in each child (torchThreads), so that a bad value stops the job before any notebook starts.
  let userThreads: number | undefined;
  try { userThreads = envCount(env, "SCORELAB_THREADS"); } catch (e) { throw new Error(`${fn}: the environment variable ${(e as Error).message}`); }
  return {
    jobs: n, jobsFrom: jobs !== undefined ? "option" : fromEnv ? "SCORELAB_JOBS" : "cores", cores, coresPerChild: share,
    threads: userThreads ?? share, threadsFrom: userThreads !== undefined ? "SCORELAB_THREADS" : "share",
  };
}

/**
 * The environment of one child: the parent's with SCORELAB_CORES set to the child's share. SCORELAB_THREADS is
 * left as the user set it or unset: set here, a sweep inside the notebook would pass it to each of its children
 * as set instead of dividing the share among them.
 */
export function childEnv(slots: JobSlots, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, SCORELAB_CORES: String(slots.coresPerChild) };
}

/** One line for the log and summary.md: how many notebooks at once and what each child was given. */
export function describeSlots(s: JobSlots): string {
  const at = s.jobs === 1 ? "1 notebook at a time" : `${s.jobs} notebooks at once`;
  const threads = `${s.threads} thread${s.threads === 1 ? "" : "s"} each${s.threadsFrom === "SCORELAB_THREADS" ? " (SCORELAB_THREADS as set)" : ""}`;
  return `${at}, ${threads}, on ${s.cores} core${s.cores === 1 ? "" : "s"}`;
}

/**
 * The order in which items start: with one slot their own order (the job as it always ran); with several, the
 * longest expected first (a stable sort, so ties keep their order).
 * @example startOrder([{ e: 1 }, { e: 5 }], 2, (x) => x.e) // [1, 0]
 */
export function startOrder<T>(items: T[], jobs: number, expected: (item: T) => number): number[] {
  const idx = items.map((_, i) => i);
  return jobs === 1 ? idx : idx.sort((a, b) => expected(items[b]) - expected(items[a]));
}

/**
 * Runs `work` on every index of `order`, at most `lanes` at once, each lane taking the next index when its last
 * one ends; resolves when all have ended (`work` must not reject: record failures in its result).
 * @example await inLanes([2, 0, 1], 2, async (i) => { results[i] = await run(items[i]); });
 */
export async function inLanes(order: number[], lanes: number, work: (index: number) => Promise<void>): Promise<void> {
  const queue = [...order];
  await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await work(i);
  }));
}
