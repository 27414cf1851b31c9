/**
 * The backend ladder: try each rung in order and keep the first that loads.
 * Pure logic over injected loaders so that the choice can be tested without the native packages.
 */

/** One rung of the ladder: a backend name as tfjs knows it and a loader that makes it usable. */
export interface Rung {
  /** Name used by SCORELAB_BACKEND and shown to the user (e.g. "tensorflow-gpu", "wasm"). */
  id: string;
  /** tfjs backend name registered by the loader (e.g. "tensorflow", "wasm", "cpu"). */
  backend: string;
  /** Loads the package and makes the backend current; resolves with a device description. Throws if it cannot. */
  load: () => Promise<{ device: string }>;
}

export interface Skipped { id: string; reason: string }
export interface LadderChoice { rung: Rung; device: string; skipped: Skipped[]; forced: boolean }

/** Accepted values of SCORELAB_BACKEND, mapped to the rung ids they may pick. */
export const FORCE_NAMES: Record<string, string[]> = {
  torch: ["torch-cuda", "torch"],
  wasm: ["wasm"],
  cpu: ["cpu"],
  tensorflow: ["tensorflow-gpu", "tensorflow"],
  "tensorflow-gpu": ["tensorflow-gpu"],
};

function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err && err.code === "MODULE_NOT_FOUND") return "package not installed";
  const msg = err && err.message ? err.message : String(e);
  // tfjs-node(-gpu) installed without running its install step (npm 11 asks first; offline machines fail it).
  if (/tfjs_binding\.node\) can not be found/.test(msg)) return "package installed without its native binary (its install step downloads one)";
  return msg.split("\n")[0].slice(0, 200);
}

/**
 * Walks the rungs in order and returns the first that loads, with the reason each earlier rung was skipped.
 * With `force` set (a key of FORCE_NAMES), only the matching rungs are tried and failure throws an Error that
 * names the backend and why it could not load.
 */
export async function climbLadder(rungs: Rung[], force?: string): Promise<LadderChoice> {
  let candidates = rungs;
  if (force !== undefined && force !== "") {
    const ids = FORCE_NAMES[force];
    if (!ids) {
      throw new Error(`SCORELAB_BACKEND="${force}" is not a backend; expected one of ${Object.keys(FORCE_NAMES).join(", ")}`);
    }
    candidates = rungs.filter((r) => ids.includes(r.id));
  }
  const skipped: Skipped[] = [];
  for (const rung of candidates) {
    try {
      const { device } = await rung.load();
      return { rung, device, skipped, forced: !!force };
    } catch (e) {
      skipped.push({ id: rung.id, reason: reasonOf(e) });
    }
  }
  const why = skipped.map((s) => `${s.id}: ${s.reason}`).join("; ");
  if (force) throw new Error(`SCORELAB_BACKEND="${force}" was requested but cannot load (${why})`);
  throw new Error(`no tensor backend could load (${why})`);
}
