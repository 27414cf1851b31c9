/**
 * process.exit() in a notebook cell used to end the kernel with no reply (Jupyter only saw "kernel died"). Cells run
 * in the kernel's own realm (vm.runInThisContext), so the kernel swaps process.exit for a function that throws: the
 * cell gets an error reply and the kernel stays up. The real exit is captured first and returned for the kernel's
 * own shutdown path.
 */

/** The message a cell sees when it calls process.exit(). */
export const EXIT_GUARD_MESSAGE = "process.exit() would stop the scorelab kernel; use Jupyter's restart instead";

/**
 * Replaces `proc.exit` with a function that throws EXIT_GUARD_MESSAGE, and returns the original exit (bound to proc).
 * Installing twice returns the original both times.
 * @example const realExit = installExitGuard(process); // process.exit(1) now throws; realExit(0) still exits
 */
export function installExitGuard(proc: { exit: (code?: number) => never } = process): (code?: number) => never {
  const current = proc.exit as ((code?: number) => never) & { realExit?: (code?: number) => never };
  if (current.realExit) return current.realExit;
  const realExit = current.bind(proc) as (code?: number) => never;
  const guard = Object.assign((code?: number): never => {
    throw new Error(`${EXIT_GUARD_MESSAGE} (process.exit(${code === undefined ? "" : String(code)}) was called)`);
  }, { realExit });
  proc.exit = guard;
  return realExit;
}
