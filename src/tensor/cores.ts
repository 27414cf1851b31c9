/**
 * The cores scorelab may use, the one budget that every "default: the cores" reads (libtorch's intra-op threads, a
 * local sweep's child processes and their threads): SCORELAB_CORES where set, so that the main job can give each
 * of several notebooks at once its share of the machine and everything inside that notebook divides the share
 * instead of the whole; else the cores this process may use (its affinity mask where Node can read it).
 */
import * as os from "node:os";

/**
 * A count of cores or threads from the environment variable `name`: undefined where unset or empty, else a whole
 * number from 1 to 1024, or an Error naming the variable.
 * @example envCount({ SCORELAB_THREADS: "2" }, "SCORELAB_THREADS") // 2
 */
export function envCount(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`${name} must be a whole number from 1 to 1024, got "${raw}"`);
  return n;
}

/**
 * Each of `n` children's share of `cores`, floor(cores / n) and at least one: what a parent running children at once
 * (the main job's notebooks, a sweep's trials) gives each as SCORELAB_CORES.
 * @example coresShare(8, 3) // 2
 */
export function coresShare(cores: number, n: number): number {
  return Math.max(1, Math.floor(cores / n));
}

/** @example availableCores({ SCORELAB_CORES: "1" }) // 1 */
export function availableCores(env: NodeJS.ProcessEnv = process.env): number {
  return envCount(env, "SCORELAB_CORES") ?? (typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}
