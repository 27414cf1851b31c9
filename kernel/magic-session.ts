/**
 * The session magics run in: where their output goes (set by the kernel or by `scorelab run`), the session
 * Rng, and the AbortController of the magic that is running, which an interrupt aborts.
 */
import { Rng } from "../src/tensor";
import { MagicContext, MimeBundle } from "../src/magics/spec";

/** What a host (kernel, headless runner, test) provides. */
export interface MagicHost {
  print(text: string): void;
  display(bundle: MimeBundle, displayId?: string, update?: boolean): void;
  /** Clears the current cell's output (at once, or with `wait` when the next output arrives), where the host can. */
  clear?(wait: boolean): void;
  locals: Record<string, unknown>;
}

const consoleHost: MagicHost = {
  print: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
  display: (b) => process.stdout.write(String(b["text/plain"] ?? "[rich output]") + "\n"),
  locals: {},
};

let host: MagicHost = consoleHost;
let rng = new Rng(0);
const running: AbortController[] = [];

/** Installs the host magics write to. @example setMagicHost({ print: console.log, display: () => {}, locals: {} }) */
export function setMagicHost(h: MagicHost): void {
  if (!h || typeof h.print !== "function" || typeof h.display !== "function") throw new Error("setMagicHost(): argument 'h' must have print() and display()");
  host = h;
}

/** Clears the current cell's output through the host (a no-op where the host has no output to clear). */
export function clearHostOutput(wait: boolean): void {
  host.clear?.(wait);
}

/** The notebook's variables as the host sees them (empty outside a kernel). @example Object.keys(sessionLocals()) */
export function sessionLocals(): Record<string, unknown> {
  return host.locals;
}

/** The session Rng (seed 0 until %seed). */
export function sessionRng(): Rng {
  return rng;
}

/**
 * Aborts the running magics' signals. Returns whether any magic was running (then the kernel lets it stop at
 * its next step instead of abandoning the cell).
 * @example process.on("SIGINT", () => { if (!interruptMagics()) executor.interrupt(); });
 */
export function interruptMagics(): boolean {
  for (const c of running) c.abort(new Error("interrupted"));
  return running.length > 0;
}

/** Runs `fn` with a fresh context whose signal an interrupt aborts. */
export async function withMagicContext<R>(fn: (ctx: MagicContext) => Promise<R>): Promise<R> {
  const controller = new AbortController();
  running.push(controller);
  const ctx: MagicContext = {
    get rng() { return rng; },
    setRng(r: Rng) { if (!(r instanceof Rng)) throw new Error("setRng(): argument 'r' must be an Rng"); rng = r; },
    print: (t) => host.print(t),
    display: (b, id, update) => host.display(b, id, update),
    signal: controller.signal,
    locals: host.locals,
  };
  try {
    return await fn(ctx);
  } finally {
    running.splice(running.indexOf(controller), 1);
  }
}
