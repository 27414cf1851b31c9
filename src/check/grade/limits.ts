/** The limits of a grading run, checked where they enter: gradeSubmissions, and a worker taking a grading job. */
import { fail } from "../../tensor";
import { DEFAULT_LIMITS, type GradeLimits } from "./types";

/**
 * The full limits from partial ones (defaults filled in); throws naming `fn` and the limit for anything else.
 * @example checkLimits({ cellTimeoutS: 6 }, "gradeSubmissions", "opts.limits").memoryMB // 2048
 */
export function checkLimits(l: unknown, fn: string, arg: string): GradeLimits {
  if (l !== undefined && (l === null || typeof l !== "object" || Array.isArray(l))) fail(fn, arg, "must be an object of limits");
  const out = { ...DEFAULT_LIMITS, ...(l as Partial<GradeLimits> | undefined) };
  for (const k of Object.keys(out) as (keyof GradeLimits)[]) {
    if (!(k in DEFAULT_LIMITS)) fail(fn, `${arg}.${k}`, `is not a limit; use ${Object.keys(DEFAULT_LIMITS).join(", ")}`);
    if (!(typeof out[k] === "number" && out[k] > 0 && Number.isFinite(out[k]))) fail(fn, `${arg}.${k}`, `must be a positive number, got ${String(out[k])}`);
  }
  return out;
}
