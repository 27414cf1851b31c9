/**
 * tslab's converter rewrites references to earlier cells' variables into `exports.x`, but it resolves them with
 * the checker's symbol at the identifier, which for a shorthand property `{ x }` is the property, not the
 * variable: `{ x }` then throws "x is not defined" at run time. Spelling the property out as `{ x: x }` before
 * the cell reaches tslab lets its rewrite see the variable.
 */
import type * as TS from "typescript";
import { tslabTypeScript } from "./rewrite";

/**
 * Expands every shorthand property of an object literal (`{ x }`, also `{ x = 1 }` in destructuring assignments)
 * into `{ x: x }`, and quotes renamed keys of binding patterns (`const { b: c } = o` -> `const { ["b"]: c } = o`, which
 * tslab also mistook for a reference). Shorthand binding patterns (`const { a } = o`), methods, strings and templates' text are untouched; the
 * text only grows inside lines, so line numbers of errors stay right. Code that does not parse comes back as is,
 * for tslab to report.
 * @example expandShorthandProperties("console.log({ quick })")  // "console.log({ quick: quick })"
 */
export function expandShorthandProperties(code: string): string {
  if (typeof code !== "string") throw new Error(`expandShorthandProperties(): argument 'code' must be a string, got ${typeof code}`);
  // Fast path: no object literal at all.
  if (!code.includes("{")) return code;
  const ts = tslabTypeScript();
  const sf = ts.createSourceFile("__cell__.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0) return code;
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const name = code.slice(node.name.getStart(sf), node.name.end);
      edits.push({ start: node.name.end, end: node.name.end, text: `: ${name}` });
    } else if (ts.isBindingElement(node) && node.propertyName && ts.isIdentifier(node.propertyName)) {
      // `const { b: c } = obj` with obj from an earlier cell: tslab takes the key `b` for a reference to the
      // earlier cell's type and emits `exports` into the pattern. A quoted key means the same and is no identifier.
      edits.push({ start: node.propertyName.getStart(sf), end: node.propertyName.end, text: `[${JSON.stringify(node.propertyName.text)}]` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (edits.length === 0) return code;
  // From the end, so earlier positions stay valid.
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
