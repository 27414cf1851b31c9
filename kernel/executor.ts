/**
 * The scorelab executor: tslab's executor and converter with magic rewriting in front, a preload of `tf`,
 * `lab`, magics and `display`, and results and errors reported as structured outputs instead of console text.
 * The ZMQ kernel and the headless `scorelab run` both drive cells through this.
 */
import * as util from "util";
import { createConverter, isCompleteCode } from "tslab/dist/converter";
import { createExecutor, Executor } from "tslab/dist/executor";
import { describeBackend, initBackend, BackendInfo } from "../src/tensor";
import { MagicError, mimeBundleOf, MimeBundle, plainText, registryLookup, resetPlotlyShipping } from "../src/magics";
import { rewriteCell, hasMagic } from "./rewrite";
import { interruptMagics, setMagicHost } from "./magic-session";
import { preloadModules } from "./paths";
import { expandShorthandProperties } from "./shorthand";

/** Where one cell's outputs go. */
export interface CellSink {
  stream(name: "stdout" | "stderr", text: string): void;
  display(bundle: MimeBundle, displayId?: string, update?: boolean): void;
  result(bundle: MimeBundle): void;
  error(err: CellError): void;
  /** clear_output for this cell; optional: hosts without it ignore clearOutput(). */
  clear?(wait: boolean): void;
}

export interface CellError { ename: string; evalue: string; traceback: string[] }

export interface KernelExecutor {
  /** Runs one cell; resolves to the error, or null on success. */
  execute(code: string, sink: CellSink): Promise<CellError | null>;
  /** Preloads tf, lab, magics; returns the banner line naming the backend. */
  preload(): Promise<string>;
  /** Defines notebook variables (`--param k=v`). */
  defineParams(params: Record<string, unknown>, sink: CellSink): Promise<CellError | null>;
  isComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string };
  /** tslab's executor with magic lines masked for inspect/complete. */
  tslab: Executor;
  locals: Record<string, unknown>;
  backend(): BackendInfo | undefined;
  /** SIGINT: stop a running magic at its next step, else abandon the awaited cell. */
  interrupt(): void;
  close(): void;
}

/** Replaces magic lines by spaces of the same length, so offsets for complete/inspect stay right. */
export function maskMagics(code: string): string {
  return code.split("\n").map((l) => (/^\s*%/.test(l) ? " ".repeat(l.length) : l)).join("\n");
}

/** Turns what tslab reports through console.error into an error record. */
function toCellError(reports: unknown[][]): CellError {
  const first = reports[0]?.[0];
  if (first instanceof MagicError) return { ename: "MagicError", evalue: first.message, traceback: [`MagicError: ${first.message}`] };
  if (first instanceof Error) {
    const stack = (first.stack ?? `${first.name}: ${first.message}`).split("\n");
    // Frames inside the kernel and tslab are noise for the notebook user.
    const tb = stack.filter((l) => !/node_modules[\\/]tslab|dist[\\/]kernel[\\/]|node:internal/.test(l));
    return { ename: first.name || "Error", evalue: first.message, traceback: tb };
  }
  if (typeof first === "string" && first.startsWith("%s%d:%d")) {
    const lines = reports.map((r) => util.format(...(r as [string, ...unknown[]])));
    return { ename: "TypeScriptError", evalue: lines.join("; "), traceback: lines };
  }
  const text = reports.map((r) => util.format(...r)).join("\n");
  return { ename: "Error", evalue: text.split("\n")[0] || "cell failed", traceback: text.split("\n") };
}

function literal(v: unknown): string {
  return JSON.stringify(v);
}

/** Parses `--param` text the way papermill does: JSON when it parses (numbers, booleans, arrays), else a string. */
export function parseParamValue(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * Builds the executor; `rootDir` is where cells resolve relative imports (the notebook's folder).
 * @example const ex = createKernelExecutor(process.cwd()); console.log(await ex.preload());
 */
export function createKernelExecutor(rootDir: string = process.cwd()): KernelExecutor {
  // A new executor is a new session (a kernel start or one `scorelab run`): inlinePlotly figures ship it again.
  resetPlotlyShipping();
  let sink: CellSink | null = null;
  let reports: unknown[][] = [];
  let info: BackendInfo | undefined;
  const node = createConverter({ isJS: false, isBrowser: false });
  let browser: ReturnType<typeof createConverter> | undefined;
  const convs = {
    node,
    get browser() { return (browser ??= createConverter({ isJS: false, isBrowser: true })); },
    close() { node.close(); browser?.close(); },
  };
  const tslab = createExecutor(rootDir, convs, {
    log: (v: unknown) => sink?.result(mimeBundleOf(v) ?? { "text/plain": plainText(v) }),
    error: (...args: unknown[]) => { reports.push(args); },
  });
  setMagicHost({
    print: (t) => sink?.stream("stdout", t.endsWith("\n") ? t : t + "\n"),
    display: (b, id, update) => sink?.display(b, id, update),
    clear: (wait) => sink?.clear?.(wait),
    locals: tslab.locals,
  });

  async function run(code: string, s: CellSink): Promise<CellError | null> {
    sink = s;
    reports = [];
    let src: string;
    try {
      src = expandShorthandProperties(rewriteCell(code, registryLookup));
    } catch (e) {
      const err = e instanceof MagicError
        ? { ename: "MagicError", evalue: e.message, traceback: [`MagicError: ${e.message}`] }
        : toCellError([[e]]);
      s.error(err);
      return err;
    }
    let ok: boolean;
    try {
      ok = await tslab.execute(src);
    } catch (e) {
      // tslab's converter can throw instead of reporting (a RangeError on deeply nested expressions): an error
      // reply, not a rejected promise that leaves the Jupyter client waiting.
      reports = [[e]];
      ok = false;
    }
    if (ok) return null;
    const err = toCellError(reports);
    s.error(err);
    return err;
  }

  return {
    execute: run,
    async preload() {
      const m = preloadModules();
      const silent: CellSink = { stream() {}, display() {}, result() {}, error() {} };
      const err = await run(
        `import * as tf from ${literal(m.tf)};\nimport * as lab from ${literal(m.lab)};\n` +
          `import { magic$, magicDiscard$, magicHelp$, display, clearOutput } from ${literal(m.cell)};`,
        silent,
      );
      if (err) throw new Error(`scorelab preload failed: ${err.evalue}`);
      info = await initBackend();
      return `scorelab: ${describeBackend(info)}`;
    },
    async defineParams(params, s) {
      const names = Object.keys(params);
      if (names.length === 0) return null;
      for (const k of names) {
        if (!/^[A-Za-z_$][\w$]*$/.test(k) || k.startsWith("__")) {
          const err = { ename: "ParamError", evalue: `--param: '${k}' is not a valid variable name`, traceback: [] };
          s.error(err);
          return err;
        }
      }
      return run(names.map((k) => `let ${k} = ${literal(params[k])};`).join("\n"), s);
    },
    isComplete(code) {
      const r = isCompleteCode(hasMagic(code) ? maskMagics(code) : code);
      return r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" };
    },
    tslab: {
      ...tslab,
      inspect: (src: string, pos: number) => tslab.inspect(maskMagics(src), pos),
      complete: (src: string, pos: number) => tslab.complete(maskMagics(src), pos),
    },
    locals: tslab.locals,
    backend: () => info,
    interrupt() {
      if (!interruptMagics()) tslab.interrupt();
    },
    close() { tslab.close(); },
  };
}
