/// <reference types="node" preserve="true" />
/**
 * What notebook cells call: the kernel rewrites `%name args` into `await magic$("name", [args])` and preloads
 * these names. The reference above brings Node's types (console, process, …) into cells even when the
 * notebook's folder has no node_modules.
 */
import { MagicError, MimeBundle } from "./spec";
import { MagicName, MagicResult, findMagic } from "./registry";
import { parseMagicArgs, magicHelp } from "./parse";
import { withMagicContext } from "./session";
import { mimeBundleOf, plainText } from "./mime";

/**
 * Runs magic `name` with argument tokens (strings, or values interpolated from `{expr}`) and an optional body.
 * @example const rng = await magic$("seed", ["42"]);
 */
export async function magic$<K extends MagicName>(name: K, argv: unknown[], body?: () => Promise<unknown>): Promise<MagicResult<K>> {
  const spec = findMagic(name);
  if (!spec) throw new MagicError(`unknown magic %${String(name)}; %lsmagic lists them`);
  if (!Array.isArray(argv)) throw new MagicError(`magic$(): argument 'argv' must be an array`);
  const parsed = parseMagicArgs(spec, argv);
  return withMagicContext(async (ctx) => {
    try {
      return (await spec.run({ ...parsed, body }, ctx)) as MagicResult<K>;
    } catch (e) {
      if (e instanceof MagicError) throw e;
      // Library errors already name the function and argument; keep them one line under the magic's name.
      const msg = e instanceof Error ? e.message : String(e);
      const err = new MagicError(`%${spec.name}: ${msg.split("\n")[0]}`);
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
  });
}

/** `%name?`: prints the help generated from the magic's parser. */
export function magicHelp$(name: string): void {
  const spec = findMagic(name);
  if (!spec) throw new MagicError(`unknown magic %${name}; %lsmagic lists them`);
  void withMagicContext(async (ctx) => ctx.print(magicHelp(spec)));
}

/**
 * Shows a value richly in the current cell: figures as Plotly, tables as HTML, PNG bytes as images, else text.
 * @example display(lab.lineFigure(undefined, [{ name: "loss", y: losses }]))
 */
export function display(value: unknown): void {
  const bundle: MimeBundle = mimeBundleOf(value) ?? { "text/plain": typeof value === "string" ? value : plainText(value) };
  void withMagicContext(async (ctx) => ctx.display(bundle));
}
