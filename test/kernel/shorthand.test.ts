/** Shorthand properties `{ x }` of variables from earlier cells, through the real executor in process. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { CellError, CellSink, KernelExecutor } from "../../kernel/executor";
import { expandShorthandProperties } from "../../kernel/shorthand";
import { sharedSession } from "./session";

const session = sharedSession();

/** Runs a cell; returns its results as text (strings print quoted, as util.inspect writes them), or fails with the cell's error. */
async function run(ex: KernelExecutor, code: string): Promise<{ results: string[] }> {
  const results: string[] = [];
  const sink: CellSink = { stream() {}, display() {}, result: (b) => results.push(String(b["text/plain"])), error() {} };
  const err = await ex.execute(code, sink);
  assert.equal(err, null, `${code}: ${err?.evalue}`);
  return { results };
}

test("expandShorthandProperties: object literals only, same lines", () => {
  assert.equal(expandShorthandProperties("console.log({ quick })"), "console.log({ quick: quick })");
  assert.equal(expandShorthandProperties("f({ a, b: { c } })"), "f({ a: a, b: { c: c } })");
  assert.equal(expandShorthandProperties("({ q, r = 3 } = o)"), "({ q: q, r: r = 3 } = o)");
  assert.equal(expandShorthandProperties("const { b: { c }, d: e = 1 } = o;"), 'const { ["b"]: { c }, ["d"]: e = 1 } = o;');
  // Binding patterns, methods, accessors, types, strings and template text stay as written.
  for (const code of ["const { a, b = 2, ...r } = obj;", "const [x, { y }] = arr;", "const o = { m() { return 1; }, get g() { return 2; } };",
    "type T = { a: number };", "const s = '{ x }' + \"{ y }\" + `{ z }`;", "let broken = { a"]) {
    assert.equal(expandShorthandProperties(code), code);
  }
  assert.equal(expandShorthandProperties("`${ {y} }`"), "`${ {y: y} }`");
  const multi = "const a = 1;\nconst o = {\n  a,\n  b: 2 };\nthrow new Error('x');";
  assert.equal(expandShorthandProperties(multi).split("\n").length, multi.split("\n").length);
  assert.throws(() => expandShorthandProperties(3 as unknown as string), /expandShorthandProperties\(\): argument 'code'/);
});

test("shorthand of an earlier cell's variable, nested, same cell, method, destructuring", async () => {
  const ex = await session();
  await run(ex, "let quick = true;\nconst depth = 2;\nconst obj = { a: 5, b: { c: 7 } };");
  // The reported bug: this threw "quick is not defined" (run() asserts the cell has no error).
  await run(ex, "console.log({ quick })");
  assert.deepEqual((await run(ex, "JSON.stringify({ quick })")).results, [inspect('{"quick":true}')]);
  assert.deepEqual((await run(ex, "JSON.stringify({ quick, inner: { depth, deeper: { quick } } })")).results,
    [inspect('{"quick":true,"inner":{"depth":2,"deeper":{"quick":true}}}')]);
  assert.deepEqual((await run(ex, "const local = 3;\nJSON.stringify({ local, quick })")).results, [inspect('{"local":3,"quick":true}')]);
  // A method shorthand that returns a shorthand of an earlier cell's variable.
  assert.deepEqual((await run(ex, "const m = { get() { return { depth }; } };\nm.get().depth + 1")).results, ["3"]);
  // Destructuring with shorthand patterns still binds (in this cell, and for the next one).
  // A renamed key (`b: ...`) of an earlier cell's object failed inside tslab the same way ("Identifier 'exports'
  // has already been declared").
  await run(ex, "const { a, b: { c } } = obj;\nconst { b: renamed } = obj;");
  assert.deepEqual((await run(ex, "JSON.stringify({ a, c, r: renamed.c })")).results, [inspect('{"a":5,"c":7,"r":7}')]);
  assert.deepEqual((await run(ex, "let u = 0, w = 0;\n({ a: u, b: { c: w } } = obj);\nu + w")).results, ["12"]);
  // Destructuring assignment into an earlier cell's variable, through a shorthand target.
  await run(ex, "({ quick } = { quick: false });");
  assert.deepEqual((await run(ex, "quick")).results, ["false"]);
  assert.deepEqual((await run(ex, "const s = `{ quick } ${JSON.stringify({ depth })}` + '{ depth }';\ns")).results, [inspect("{ quick } {\"depth\":2}{ depth }")]);
});

test("an error after an expanded shorthand still names its own line", async () => {
  const ex = await session();
  const errors: CellError[] = [];
  const sink: CellSink = { stream() {}, display() {}, result() {}, error: (e) => errors.push(e) };
  // Line 3 has a type error; the expansion on line 2 must not move it.
  const err = await ex.execute("let k1 = 1;\nconst o2 = { k1, depth };\nconst bad: number = 'x';", sink);
  assert.ok(err);
  assert.match(err.evalue, /^3:/, err.evalue);
});
