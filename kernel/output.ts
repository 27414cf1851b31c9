/**
 * Who owns a write to stdout/stderr. Cells write through process.stdout/stderr (console.log, libraries); the
 * kernel's own diagnostics must never go out on IOPub, where any local process can read them (issue 17: a
 * rejection line carried the HMAC the kernel expected). So the real writes are captured when this module loads,
 * before any cell can replace them, and a write belongs to a cell only when it happens inside that cell's
 * async context (AsyncLocalStorage follows timers, promises and callbacks the cell started). Everything else,
 * tslab's watcher messages included, goes to the kernel's real streams.
 */
import { AsyncLocalStorage } from "async_hooks";
import type { CellSink } from "./executor";

type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

const realOut: Write = process.stdout.write.bind(process.stdout) as Write;
const realErr: Write = process.stderr.write.bind(process.stderr) as Write;
const cell = new AsyncLocalStorage<CellSink>();

/** One line to the kernel's real stderr (never a cell's output). */
export function kernelLog(line: string): void {
  try { realErr(`scorelab kernel: ${line}\n`); } catch { /* a closed stderr must not take the kernel down */ }
}

/** Runs `fn` (a cell) so that what it and the async work it starts write goes to `sink`. */
export function runInCell<T>(sink: CellSink, fn: () => T): T {
  return cell.run(sink, fn);
}

/** The current cell's sink, or undefined outside any cell. */
export function currentCell(): CellSink | undefined {
  return cell.getStore();
}

function router(name: "stdout" | "stderr", real: Write): Write {
  return (chunk, ...rest) => {
    const sink = cell.getStore();
    if (!sink) return real(chunk, ...rest);
    sink.stream(name, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (cb) queueMicrotask(cb);
    return true;
  };
}

let installed = false;
/** Points process.stdout/stderr.write at the router (once; cells that replace them only affect themselves). */
export function installOutputRouting(): void {
  if (installed) return;
  installed = true;
  process.stdout.write = router("stdout", realOut) as typeof process.stdout.write;
  process.stderr.write = router("stderr", realErr) as typeof process.stderr.write;
}
