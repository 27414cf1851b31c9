/**
 * Which of the library's exports a notebook user sees when completing `lab.` (issue 21): the index re-exports
 * whole modules, so input checks, native-kernel plumbing and display internals ride along; they stay callable
 * (other modules and tests import them) but completion hides them.
 */
import * as validate from "../tensor/validate";
import * as blas from "../tensor/blas";
import * as matmulFix from "../tensor/matmul-fix";
import * as fusedAdam from "../tensor/fused-adam";
import * as im2col from "../tensor/im2col";
import * as silu from "../tensor/silu";
import * as groupNorm from "../tensor/group-norm";
import * as ladder from "../tensor/ladder";
import * as plotlyResource from "../plot/plotly-resource";

/** Modules whose every export is plumbing. */
const INTERNAL_MODULES: object[] = [validate, blas, matmulFix, fusedAdam, im2col, silu, groupNorm, ladder, plotlyResource];

/** Plumbing exported from modules that are otherwise public. */
const INTERNAL_NAMES = [
  "denseStackKernel", "DENSE_STACK_ACTIVATIONS", "defaultRungs",
  "checkLongWork", "nextMacrotask", "Yielder", "abortError",
  "CHROMIUM_FLAGS", "exportFormat", "plotlyJs",
];

const internal = new Set<string>([...INTERNAL_MODULES.flatMap((m) => Object.keys(m)), ...INTERNAL_NAMES]);

/** True for a library export that `lab.` completion hides. @example isInternalExport("checkTensor") // true */
export function isInternalExport(name: string): boolean {
  return internal.has(name);
}

/**
 * Drops internal exports from completion `matches` when the cursor completes a member of `lab` (the preloaded
 * library); any other completion is returned unchanged.
 * @example publicCompletions("lab.che", 7, ["checkTensor", "checkpoint"]) // ["checkpoint"]
 */
export function publicCompletions(code: string, cursor: number, matches: string[]): string[] {
  if (!/(?:^|[^\w$.])lab\s*\.\s*[\w$]*$/.test(code.slice(0, cursor))) return matches;
  return matches.filter((m) => !internal.has(m));
}
