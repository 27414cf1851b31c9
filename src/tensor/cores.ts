/**
 * The cores scorelab may use, the one budget that every "default: the cores" reads (libtorch's intra-op threads, a
 * local sweep's child processes and their threads): SCORELAB_CORES where set, so that the main job can give each
 * of several notebooks at once its share of the machine and everything inside that notebook divides the share
 * instead of the whole; else the cores this process may use (its affinity mask where Node can read it).
 */
import * as os from "node:os";

/** @example availableCores({ SCORELAB_CORES: "1" }) // 1 */
export function availableCores(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SCORELAB_CORES;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`SCORELAB_CORES must be a whole number from 1 to 1024, got "${raw}"`);
    return n;
  }
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}
