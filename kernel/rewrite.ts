/**
 * IPython-style magic syntax to TypeScript: `%name args` lines anywhere in a cell and a first line
 * `%%name args` become awaited, typed calls of `magic$`, so the cell still type-checks and keeps line numbers.
 */
import * as path from "path";
import type * as TS from "typescript";
import { Option } from "commander";
import { magicCommand, parseMagicArgs } from "../src/magics/parse";
import { MagicError, MagicSpec } from "../src/magics/spec";

/** A piece of a token: literal text, or a `{expr}` interpolation. */
export type TokenPart = { text: string } | { expr: string };
export interface Token { parts: TokenPart[]; start: number; end: number }

/**
 * Splits magic arguments like a shell: whitespace separates, quotes group, `{expr}` interpolates
 * (braces nest; quotes inside braces are skipped). Throws a MagicError for an unclosed quote or brace.
 * @example tokenize(`-n 3 --label "a b" {x + 1}`).length  // 5
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    const parts: TokenPart[] = [];
    let text = "";
    const flush = () => { if (text) parts.push({ text }); text = ""; };
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === '"' || c === "'") {
        const close = line.indexOf(c, i + 1);
        if (close < 0) throw new MagicError(`unclosed ${c} quote at column ${i + 1}`);
        text += line.slice(i + 1, close);
        // An empty quoted string is still a token.
        if (close === i + 1 && parts.length === 0) parts.push({ text: "" });
        i = close + 1;
      } else if (c === "{") {
        let depth = 0;
        let j = i;
        for (; j < line.length; j++) {
          const d = line[j];
          if (d === '"' || d === "'" || d === "`") {
            const close = line.indexOf(d, j + 1);
            if (close < 0) throw new MagicError(`unclosed ${d} quote inside {…} at column ${j + 1}`);
            j = close;
          } else if (d === "{") depth++;
          else if (d === "}" && --depth === 0) break;
        }
        if (j >= line.length) throw new MagicError(`unbalanced '{' at column ${i + 1}: no matching '}'`);
        const expr = line.slice(i + 1, j).trim();
        if (!expr) throw new MagicError(`empty {} at column ${i + 1}: put an expression inside`);
        flush();
        parts.push({ expr });
        i = j + 1;
      } else if (c === "}") {
        throw new MagicError(`unbalanced '}' at column ${i + 1}`);
      } else {
        text += c;
        i++;
      }
    }
    flush();
    tokens.push({ parts, start, end: i });
  }
  return tokens;
}

function tokenToJs(t: Token): string {
  if (t.parts.length === 1 && "expr" in t.parts[0]) return `[${t.parts[0].expr}][0]`;
  if (t.parts.every((p) => "text" in p)) return JSON.stringify(t.parts.map((p) => ("text" in p ? p.text : "")).join(""));
  const esc = (s: string) => s.replace(/[\\`]/g, (m) => "\\" + m).replace(/\$\{/g, "\\${");
  return "`" + t.parts.map((p) => ("text" in p ? esc(p.text) : "${" + p.expr + "}")).join("") + "`";
}

let tsModule: typeof TS | undefined;

/**
 * The TypeScript compiler that tslab itself runs (@tslab/typescript-for-tslab, a runtime dependency), loaded on
 * first use; `typescript` is only a devDependency, so the kernel must not need it at run time.
 * @example tslabTypeScript().createSourceFile("a.ts", "1 + 1", tslabTypeScript().ScriptTarget.ES2022)
 */
export function tslabTypeScript(): typeof TS {
  if (!tsModule) {
    // Resolved from tslab's folder: that is where npm guarantees the package is reachable.
    const from = path.dirname(require.resolve("tslab/package.json"));
    tsModule = require(require.resolve("@tslab/typescript-for-tslab", { paths: [from] })) as typeof TS;
  }
  return tsModule;
}

/** Why `expr` is not one TypeScript expression, or undefined when it is. */
function expressionProblem(expr: string): string | undefined {
  const ts = tslabTypeScript();
  const sf = ts.createSourceFile("interp.ts", `(${expr})`, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? [];
  if (diags.length > 0) return ts.flattenDiagnosticMessageText(diags[0].messageText, " ");
  // `a), (b` parses, but as two expressions: the interpolation must be exactly one parenthesized expression.
  const st = sf.statements;
  if (st.length !== 1 || !ts.isExpressionStatement(st[0]) || !ts.isParenthesizedExpression(st[0].expression) || st[0].expression.end !== expr.length + 2) {
    return "not a single expression";
  }
  return undefined;
}

/** Throws a one-line MagicError naming the magic and the expression when an interpolation does not parse. */
function checkInterpolations(tokens: Token[], magic: string): void {
  for (const t of tokens) {
    for (const p of t.parts) {
      if (!("expr" in p)) continue;
      const problem = expressionProblem(p.expr);
      if (problem) throw new MagicError(`%${magic}: bad expression {${p.expr.replace(/\s+/g, " ")}}: ${problem.replace(/\s+/g, " ")}`);
    }
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// Words a `const NAME =` cannot bind (ECMAScript reserved words and literals, strict mode's too).
const RESERVED = new Set(("break case catch class const continue debugger default delete do else enum export extends false finally for " +
  "function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
  "implements interface package private protected public await arguments eval").split(" "));

/** Pulls `--as NAME` / `--as=NAME` out of the tokens; validates NAME. */
function takeAs(tokens: Token[], magic: string): { rest: Token[]; as?: string } {
  const rest: Token[] = [];
  let as: string | undefined;
  const plain = (t: Token) => (t.parts.every((p) => "text" in p) ? t.parts.map((p) => ("text" in p ? p.text : "")).join("") : undefined);
  for (let i = 0; i < tokens.length; i++) {
    const s = plain(tokens[i]);
    let name: string | undefined;
    if (s === "--as") {
      if (i + 1 >= tokens.length) throw new MagicError(`%${magic}: --as needs a variable name`);
      name = plain(tokens[++i]);
      if (name === undefined) throw new MagicError(`%${magic}: --as needs a plain variable name, not an interpolation`);
    } else if (s?.startsWith("--as=")) name = s.slice(5);
    else { rest.push(tokens[i]); continue; }
    if (RESERVED.has(name)) throw new MagicError(`%${magic}: --as '${name}' is a reserved word of JavaScript; choose another variable name`);
    if (!IDENT.test(name) || name.startsWith("__")) throw new MagicError(`%${magic}: --as expects a variable name (letters, digits, _ or $, not starting with __), got '${name}'`);
    if (as !== undefined) throw new MagicError(`%${magic}: --as given twice`);
    as = name;
  }
  return { rest, as };
}

/** For line magics that take code: index of the first token that is not an option or an option's value. */
function codeStart(spec: MagicSpec, tokens: Token[]): number {
  const cmd = magicCommand(spec);
  const byFlag = new Map<string, Option>();
  for (const o of cmd.options) { if (o.short) byFlag.set(o.short, o); if (o.long) byFlag.set(o.long, o); }
  for (let i = 0; i < tokens.length; i++) {
    const p = tokens[i].parts;
    const s = p.length === 1 && "text" in p[0] ? p[0].text : "";
    if (s === "--") return i + 1;
    if (!s.startsWith("-") || s.length < 2 || /^-\d/.test(s)) return i;
    const o = byFlag.get(s.split("=")[0]);
    if (o && (o.required || o.optional) && !s.includes("=")) i++;
  }
  return tokens.length;
}

export interface RewriteOptions {
  /** Finds a magic by name (the registry). */
  lookup(name: string): MagicSpec | undefined;
  /** Names for the unknown-magic message. */
  names(): string[];
}

// `s`: a line ending in \r (notebooks saved with CRLF) or holding U+2028 is still a magic line.
const LINE = /^(\s*)%(%?)([A-Za-z_][\w-]*)(\?*)(.*)$/s;

/** Whether a cell uses magic syntax at all (fast path for plain TypeScript). */
export function hasMagic(code: string): boolean {
  return /^\s*%/m.test(code);
}

function unknown(name: string, opts: RewriteOptions): MagicError {
  const close = opts.names().filter((n) => n.startsWith(name.slice(0, 2)) || name.startsWith(n));
  return new MagicError(`unknown magic %${name}${close.length ? ` (did you mean ${close.map((n) => "%" + n).join(", ")}?)` : ""}; %lsmagic lists them`);
}

/** Rewrites one magic line (without the leading %/%% handled by the caller) into a statement. */
function rewriteCall(indent: string, name: string, help: string, argText: string, cellBody: string | undefined, opts: RewriteOptions): string {
  const spec = opts.lookup(name);
  if (!spec) throw unknown(name, opts);
  const isCell = cellBody !== undefined;
  if (help) {
    if (argText.trim()) throw new MagicError(`%${name}?: help takes no arguments`);
    return `${indent}void magicHelp$(${JSON.stringify(name)});`;
  }
  if (isCell && spec.body !== "cell") throw new MagicError(`%%${name}: %${name} is a line magic; write it as %${name} (one %)`);
  if (!isCell && spec.body === "cell") throw new MagicError(`%${name}: this is a cell magic; write %%${name} on the cell's first line`);
  let tokens: Token[];
  try { tokens = tokenize(argText); } catch (e) { throw e instanceof MagicError ? new MagicError(`%${name}: ${e.message}`) : e; }
  const { rest, as } = takeAs(tokens, name);
  let argTokens = rest;
  let code: string | undefined;
  if (spec.body === "line") {
    const k = codeStart(spec, rest);
    argTokens = rest.slice(0, k);
    if (k < rest.length) code = argText.slice(rest[k].start);
    else throw new MagicError(`%${name}: no code to run after the options`);
  }
  checkInterpolations(argTokens, name);
  // Dry-parse lines without interpolations now, so a bad flag fails before any of the cell runs.
  if (argTokens.every((t) => t.parts.every((p) => "text" in p))) {
    parseMagicArgs(spec, argTokens.map((t) => t.parts.map((p) => ("text" in p ? p.text : "")).join("")));
  }
  const argv = "[" + argTokens.map(tokenToJs).join(", ") + "]";
  const body = code !== undefined ? `, async () => { ${code}\n}` : isCell ? `, async () => {\n${cellBody}\n}` : "";
  const args = `(${JSON.stringify(name)}, ${argv}${body})`;
  // Unbound: magicDiscard$ disposes the fresh tensors of a result that nothing can reach any more.
  return `${indent}${as ? `const ${as} = await magic$${args};` : `void (await magicDiscard$${args});`}`;
}

/**
 * Rewrites a cell. Plain TypeScript comes back unchanged; errors are MagicErrors naming the line.
 * @example rewriteCell("%seed 42 --as rng", opts)  // 'const rng = await magic$("seed", ["42"]);'
 */
export function rewriteCell(code: string, opts: RewriteOptions): string {
  if (!hasMagic(code)) return code;
  const lines = code.split("\n");
  const first = LINE.exec(lines[0]);
  if (first && first[2] === "%") {
    const body = rewriteLines(lines.slice(1), opts, 2);
    return rewriteCall(first[1], first[3], first[4], first[5], body.join("\n"), opts);
  }
  return rewriteLines(lines, opts, 1).join("\n");
}

function rewriteLines(lines: string[], opts: RewriteOptions, firstLineNo: number): string[] {
  return lines.map((line, i) => {
    const m = LINE.exec(line);
    if (!m) return line;
    if (m[2] === "%") throw new MagicError(`line ${i + firstLineNo}: %%${m[3]} must be the cell's first line`);
    try {
      return rewriteCall(m[1], m[3], m[4], m[5], undefined, opts);
    } catch (e) {
      if (e instanceof MagicError && lines.length > 1) throw new MagicError(`line ${i + firstLineNo}: ${e.message}`);
      throw e;
    }
  });
}
