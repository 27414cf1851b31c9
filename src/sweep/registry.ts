/**
 * What a worker may run: trial functions from the library registry (library-trials.ts) and trials exported by
 * module files under the folders a worker was started with (`--allow DIR`). A job names a function and carries JSON
 * parameters; nothing in it is ever evaluated as code, and a job naming anything else is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fail, type ProgressRecord } from "../tensor";
import type { TrialDefinition } from "./trial";
import { LIBRARY_TRIALS } from "./library-trials";

export type { TrialContext, TrialRow, TrialOutput, TrialDefinition } from "./trial";
export type { ProgressRecord };

/**
 * Declares a trial function for a module file: export it, then name the file as `spec.module` and the export as
 * `spec.fn`; workers run it when the file lies under one of their `--allow` folders.
 * @example
 * exports.square = defineTrial({ params: ["x"], run: ({ x }, { seed }) => ({ y: (x as number) ** 2 + seed }) });
 */
export function defineTrial(def: TrialDefinition): TrialDefinition {
  const fn = "defineTrial";
  if (def === null || typeof def !== "object") fail(fn, "def", "must be { params, run }");
  if (!Array.isArray(def.params) || def.params.some((p) => typeof p !== "string" || p.length === 0)) fail(fn, "def.params", "must be an array of parameter names");
  if (typeof def.run !== "function") fail(fn, "def.run", "must be a function (params, ctx) => metrics");
  return def;
}

/** The library's trial functions by name. @example listTrials().map((t) => t.name) */
export function listTrials(): { name: string; params: string[]; description: string }[] {
  return Object.entries(LIBRARY_TRIALS).map(([name, t]) => ({ name, params: [...t.params], description: t.description ?? "" }));
}

function isTrialDefinition(v: unknown): v is TrialDefinition {
  const t = v as TrialDefinition;
  return t !== null && typeof t === "object" && Array.isArray(t.params) && typeof t.run === "function";
}

/** Whether `file` (real path) lies inside `dir` (real path). */
function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/**
 * The trial a job names: a library name, or an export of a module file that lies (after resolving symbolic links)
 * under one of `allow`. Throws "refused: ..." for anything else; `allow` null trusts any module (the submitter's
 * own process, which loads the user's module to check the spec).
 * @example resolveTrial("trainScore", undefined, []).params
 */
export function resolveTrial(fn: string, module: string | undefined, allow: string[] | null): TrialDefinition {
  const where = "resolveTrial";
  if (typeof fn !== "string" || fn.length === 0) fail(where, "fn", "must name a trial function");
  if (module === undefined || module === null) {
    if (!Object.prototype.hasOwnProperty.call(LIBRARY_TRIALS, fn)) {
      throw new Error(`${where}: refused '${fn}': not a library trial (known: ${Object.keys(LIBRARY_TRIALS).join(", ")}); a module's trial needs spec.module`);
    }
    return LIBRARY_TRIALS[fn];
  }
  if (typeof module !== "string" || !path.isAbsolute(module)) fail(where, "module", `must be an absolute file path, got ${JSON.stringify(module)}`);
  if (!/\.(c?js)$/.test(module)) throw new Error(`${where}: refused module '${module}': only .js and .cjs files are loaded`);
  let real: string;
  try {
    real = fs.realpathSync(module);
  } catch {
    throw new Error(`${where}: refused module '${module}': no such file on this machine`);
  }
  if (allow !== null && !allow.some((d) => inside(real, safeRealpath(d)))) {
    throw new Error(`${where}: refused module '${module}': it is not under an allowed folder (${allow.length ? allow.join(", ") : "none given; start the worker with --allow DIR"})`);
  }
  const mod = require(real) as Record<string, unknown>;
  const t = Object.prototype.hasOwnProperty.call(mod, fn) ? mod[fn] : undefined;
  if (!isTrialDefinition(t)) throw new Error(`${where}: refused '${fn}' of '${module}': not an export made with defineTrial ({ params, run })`);
  return t;
}

function safeRealpath(d: string): string {
  try {
    return fs.realpathSync(d);
  } catch {
    return path.resolve(d);
  }
}
