/**
 * Argument parsing for magics with commander: one Command per spec, built fresh per call, with exitOverride
 * and captured output so a bad flag becomes a MagicError instead of process.exit().
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { MagicArgs, MagicError, MagicSpec, OptionSpec, ValueKind } from "./spec";

function kindParser(kind: ValueKind | undefined): ((text: string) => unknown) | undefined {
  if (kind === undefined || kind === "string") return undefined;
  if (typeof kind === "function") {
    return (text) => {
      try { return kind(text); } catch (e) { throw new InvalidArgumentError(e instanceof Error ? e.message : String(e)); }
    };
  }
  return (text: string) => {
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v)) throw new InvalidArgumentError(`expected a finite number, got '${text}'`);
    if ((kind === "int" || kind === "positive-int") && !Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer, got '${text}'`);
    if (kind === "positive-int" && v < 1) throw new InvalidArgumentError(`expected a positive integer, got '${text}'`);
    return v;
  };
}

/** The `--as NAME` option every magic accepts; the rewriter consumes it, the help shows it. */
export const AS_OPTION: OptionSpec = { flags: "--as <name>", description: "bind the result to a notebook variable NAME" };

/**
 * Builds the commander Command for a spec; output is captured into `sink` instead of the terminal.
 * @example magicCommand(seedMagic).helpInformation()  // "Usage: %seed [options] <seed>..."
 */
export function magicCommand(spec: MagicSpec, sink: string[] = []): Command {
  const cmd = new Command(`%${spec.body === "cell" ? "%" : ""}${spec.name}`);
  cmd.description(spec.summary + (spec.help ? `\n\n${spec.help}` : ""));
  cmd.exitOverride().helpOption(false).allowExcessArguments(false).allowUnknownOption(false);
  cmd.configureOutput({ writeOut: (s) => sink.push(s), writeErr: (s) => sink.push(s), outputError: (s) => sink.push(s) });
  for (const o of [...spec.options, AS_OPTION]) {
    const opt = new Option(o.flags, o.description);
    const parse = kindParser(o.kind);
    if (parse) opt.argParser((text: string) => parse(text));
    if (o.choices) opt.choices(o.choices);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
  for (const a of spec.args ?? []) {
    const arg = cmd.createArgument(a.required ? `<${a.name}>` : `[${a.name}]`, a.description);
    const parse = kindParser(a.kind);
    if (parse) arg.argParser((text: string) => parse(text));
    cmd.addArgument(arg);
  }
  if (spec.body === "line") cmd.argument("[code...]", "code to run");
  cmd.action(() => undefined);
  return cmd;
}

/** `%name?` text, generated from the same Command that parses. */
export function magicHelp(spec: MagicSpec): string {
  return magicCommand(spec).helpInformation();
}

const PLACEHOLDER = "\u0000magic-value-";

/**
 * Parses tokens for a spec. Tokens are strings, or values interpolated from `{expr}`: numbers and strings go
 * through the parser as text, other values (tensors, models, figures) pass through a placeholder unchanged.
 * @example parseMagicArgs(seedMagic, ["42"]).args  // [42]
 */
export function parseMagicArgs(spec: MagicSpec, tokens: readonly unknown[]): Omit<MagicArgs, "body"> {
  const values: unknown[] = [];
  const argv = tokens.map((t) => {
    if (typeof t === "string") return t;
    if (typeof t === "number" || typeof t === "boolean" || typeof t === "bigint") return String(t);
    values.push(t);
    return PLACEHOLDER + (values.length - 1);
  });
  const sink: string[] = [];
  const cmd = magicCommand(spec, sink);
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      const msg = e.message.replace(/^error: /, "").split("\n")[0].split(PLACEHOLDER).join("value#");
      throw new MagicError(`%${spec.name}: ${msg} (see %${spec.name}?)`);
    }
    throw e;
  }
  const restore = (v: unknown): unknown =>
    typeof v === "string" && v.startsWith(PLACEHOLDER) ? values[Number(v.slice(PLACEHOLDER.length))] : Array.isArray(v) ? v.map(restore) : v;
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cmd.opts())) if (k !== "as") opts[k] = restore(v);
  const args = cmd.processedArgs.map(restore);
  if (spec.body === "line") args.pop();
  return { opts, args };
}
