/**
 * Completion and inspection on magic lines, from the same specs that parse them (issue 21): `%tr` completes magic
 * names, `--st` a magic's flags, a flag's value its choices or, for flags that take a notebook variable, the
 * notebook's variable names, and a positional argument its spec's `completions` (%dataset's names); Shift+Tab on a magic shows its `%name?` help. Anything else returns null and the
 * TypeScript completion of tslab answers.
 */
import { findMagic, magicList } from "./registry";
import { AS_OPTION, magicHelp } from "./parse";
import { Option } from "commander";
import type { ArgSpec, MagicSpec, OptionSpec } from "./spec";

export interface Completion { matches: string[]; start: number; end: number }

interface MagicLine { lineStart: number; head: string; name: string; nameStart: number; nameEnd: number }

/** The magic line the cursor is on, if it is one (`%name ...` or a first-line `%%name ...`). */
function magicLineAt(code: string, cursor: number): MagicLine | null {
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const lineEnd = code.indexOf("\n", cursor);
  const line = code.slice(lineStart, lineEnd < 0 ? code.length : lineEnd);
  const m = /^(\s*)(%%?)([a-z0-9_]*)/.exec(line);
  if (!m) return null;
  if (m[2] === "%%" && lineStart !== 0) return null;
  const nameStart = lineStart + m[1].length + m[2].length;
  return { lineStart, head: m[2], name: m[3], nameStart, nameEnd: nameStart + m[3].length };
}

/** Long and short flags of an option ("-n, --number <n>" -> ["--number", "-n"]). */
function flagsOf(o: OptionSpec): string[] {
  return (o.flags.match(/--?[A-Za-z][\w-]*/g) ?? []).sort((a, b) => b.length - a.length);
}

/** Options whose value names a notebook variable (their description says so). */
const takesVariable = (o: OptionSpec): boolean => /^notebook variable/i.test(o.description) || /^comma-separated notebook variables/i.test(o.description);

/** Whether an option takes a value, as the parser (commander) reads its flags: `<v>` required, `[v]` optional. */
const takesValue = (o: OptionSpec): boolean => { const c = new Option(o.flags); return c.required || c.optional; };

/** The positional argument that the next word of a magic line after `text` fills: flags and their values skipped. */
function argAfter(spec: MagicSpec, text: string): ArgSpec | undefined {
  const options = [...spec.options, AS_OPTION];
  const words = text.split(/\s+/).filter((w) => w !== "");
  let index = 0;
  for (let i = 0; i < words.length; i++) {
    if (!words[i].startsWith("-")) { index++; continue; }
    const opt = options.find((o) => flagsOf(o).includes(words[i]));
    if (opt && takesValue(opt)) i++;
  }
  return spec.args?.[index];
}

/**
 * Completions at `cursor` in `code` when it is on a magic line.
 * @example completeMagic("%tr", 3, {})  // { matches: ["%train_score"], start: 0, end: 3 }
 */
export function completeMagic(code: string, cursor: number, locals: Record<string, unknown>): Completion | null {
  const at = magicLineAt(code, cursor);
  if (!at) return null;
  if (cursor <= at.nameEnd) {
    const prefix = code.slice(at.nameStart, cursor);
    const matches = magicList().map((s) => s.name).filter((n) => n.startsWith(prefix)).sort().map((n) => `${at.head}${n}`);
    return { matches, start: at.nameStart - at.head.length, end: at.nameEnd };
  }
  const spec = findMagic(at.name);
  if (!spec) return { matches: [], start: cursor, end: cursor };
  const before = code.slice(at.nameEnd, cursor);
  const tokenStart = cursor - (/\S*$/.exec(before)?.[0].length ?? 0);
  const token = code.slice(tokenStart, cursor);
  if (token.startsWith("-")) {
    const matches = spec.options.flatMap(flagsOf).filter((f) => f.startsWith(token) && f.startsWith("--")).sort();
    return { matches, start: tokenStart, end: cursor };
  }
  const prev = /(--?[A-Za-z][\w-]*)\s+\S*$/.exec(before)?.[1];
  const opt = prev ? spec.options.find((o) => flagsOf(o).includes(prev)) : undefined;
  if (!opt || !takesValue(opt)) {
    const pool = argAfter(spec, code.slice(at.nameEnd, tokenStart))?.completions ?? [];
    return { matches: pool.filter((v) => v.startsWith(token)).sort(), start: tokenStart, end: cursor };
  }
  // A comma list completes its last item.
  const itemStart = tokenStart + token.lastIndexOf(",") + 1;
  const item = code.slice(itemStart, cursor);
  const pool = opt.choices ?? (takesVariable(opt) ? Object.keys(locals).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k)) : []);
  return { matches: [...new Set(pool)].filter((v) => v.startsWith(item)).sort(), start: itemStart, end: cursor };
}

/**
 * The `%name?` help of the magic the cursor is on, for inspect_request (Shift+Tab), or null off a magic line.
 * @example inspectMagic("%seed 3", 2)?.startsWith("Usage: %seed")
 */
export function inspectMagic(code: string, cursor: number): string | null {
  const at = magicLineAt(code, Math.max(cursor, 0));
  if (!at) return null;
  const spec = findMagic(at.name);
  return spec ? magicHelp(spec) : null;
}
