/**
 * The shape of a magic: a declarative spec from which both the argument parser and the help text are built,
 * so `%name?` can never disagree with what `%name args` accepts.
 */
import type { Rng } from "../tensor";

/** How an option's or argument's text becomes a value; a function throws to reject the text. */
export type ValueKind = "string" | "int" | "number" | "positive-int" | ((text: string) => unknown);

export interface OptionSpec {
  /** Commander flags, e.g. "-n, --number <n>" or "--quiet". */
  flags: string;
  description: string;
  kind?: ValueKind;
  default?: unknown;
  /** Allowed values (checked after parsing). */
  choices?: string[];
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  kind?: ValueKind;
  /** Values completion offers for it (not a check: %dataset also takes csv:PATH). */
  completions?: string[];
}

/** A MIME bundle as Jupyter's display_data carries it. */
export type MimeBundle = Record<string, unknown>;

/** What a magic may do to the session it runs in; the kernel and `scorelab run` each provide one. */
export interface MagicContext {
  /** The session's random generator (set by %seed). */
  rng: Rng;
  setRng(rng: Rng): void;
  /** Plain text to the cell's stdout. */
  print(text: string): void;
  /** A rich output; with `displayId`, later calls with `update = true` replace it in place. */
  display(bundle: MimeBundle, displayId?: string, update?: boolean): void;
  /** Aborted when the user interrupts the kernel; long work checks it between steps. */
  signal: AbortSignal;
  /** The notebook's variables (read only by convention). */
  locals: Record<string, unknown>;
}

/** Parsed arguments handed to a magic's `run`. */
export interface MagicArgs {
  /** Options by commander's camel-cased name (`--n-steps` -> `nSteps`). */
  opts: Record<string, unknown>;
  /** Positional arguments in order. */
  args: unknown[];
  /** For magics with `body`: the code after the options (line magic) or the cell body (cell magic). */
  body?: () => Promise<unknown>;
}

export interface MagicSpec<R = unknown> {
  name: string;
  /** One line for %lsmagic. */
  summary: string;
  options: OptionSpec[];
  args?: ArgSpec[];
  /** "line": the rest of the line after options is code; "cell": used as `%%name`, the cell body is code. */
  body?: "line" | "cell";
  /** Longer help text shown after the usage by `%name?`. */
  help?: string;
  /**
   * Set when the result may hold tensors the magic does not own (a cache, another object's state): then an
   * unbound call (no --as) leaves its result alone instead of disposing the fresh tensors in it.
   */
  keepUnboundResult?: boolean;
  run(args: MagicArgs, ctx: MagicContext): Promise<R>;
}

/**
 * Identity helper that keeps the result type of `run`, so `magic$("name", ...)` is typed in cells.
 * @example export const seed = defineMagic({ name: "seed", summary: "...", options: [], async run() { return 1; } });
 */
export function defineMagic<R>(spec: MagicSpec<R>): MagicSpec<R> {
  if (!/^[a-z][a-z0-9_]*$/.test(spec.name)) throw new Error(`defineMagic(): name must match /^[a-z][a-z0-9_]*$/, got '${spec.name}'`);
  return spec;
}

/** An error a user caused (unknown magic, bad flag, bad value): shown as one line, no stack. */
export class MagicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MagicError";
  }
}
