import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createKernelExecutor, maskMagics, parseParamValue, type CellError, type CellSink } from "../../kernel/executor";

test("maskMagics blanks magic lines to spaces of the same length; parseParamValue reads --param text as papermill does", () => {
  const code = "const a = 1;\n  %seed 3\nlab.x";
  const masked = maskMagics(code);
  assert.equal(masked, `const a = 1;\n${" ".repeat("  %seed 3".length)}\nlab.x`);
  assert.equal(masked.length, code.length, "offsets for complete/inspect stay right");
  assert.equal(maskMagics("a % b"), "a % b", "a modulo is no magic");
  assert.deepEqual([parseParamValue("3"), parseParamValue("true"), parseParamValue("[1,2]"), parseParamValue("0.5e-3")], [3, true, [1, 2], 5e-4]);
  assert.equal(parseParamValue("moons"), "moons");
  assert.equal(parseParamValue('"quoted"'), "quoted");
});

// One executor without the preload: cells here use no library, and the preload would cost seconds.
const ex = createKernelExecutor(process.cwd());
after(() => ex.close());

async function run(code: string): Promise<{ results: string[]; errors: CellError[]; returned: CellError | null }> {
  const got = { results: [] as string[], errors: [] as CellError[] };
  const sink: CellSink = { stream() {}, display() {}, result: (b) => got.results.push(String(b["text/plain"])), error: (e) => got.errors.push(e) };
  const returned = await ex.execute(code, sink);
  return { ...got, returned };
}

test("execute: a cell's value is its result, locals persist, a throw and a type error are one error record each", { timeout: 60_000 }, async () => {
  const a = await run("let n = 20;\nn + 22");
  assert.deepEqual([a.results, a.errors, a.returned], [["42"], [], null]);
  // Streams reach a cell's sink through kernel/output.ts's routing (the server's and the runner's job), not here.
  assert.deepEqual((await run("n * 2")).results, ["40"]);
  const c = await run('throw new RangeError("too far")');
  assert.deepEqual([c.returned?.ename, c.returned?.evalue], ["RangeError", "too far"]);
  assert.deepEqual(c.errors, [c.returned], "the sink gets the same record");
  assert.ok(c.returned!.traceback.every((l) => !/dist[\\/]kernel[\\/]/.test(l)), "no kernel frames in the traceback");
  const d = await run('const s: number = "text";');
  assert.equal(d.returned?.ename, "TypeScriptError");
  assert.match(d.returned!.evalue, /not assignable to type 'number'/);
});

test("defineParams declares variables from --param values and refuses a name that is no identifier", { timeout: 60_000 }, async () => {
  const errs: CellError[] = [];
  const sink: CellSink = { stream() {}, display() {}, result() {}, error: (e) => errs.push(e) };
  assert.equal(await ex.defineParams({ steps: 5, name: "moons" }, sink), null);
  assert.deepEqual((await run("`${steps}-${name}`")).results, ["'5-moons'"]);
  const bad = await ex.defineParams({ "no-dash": 1 }, sink);
  assert.deepEqual([bad?.ename, bad?.evalue], ["ParamError", "--param: 'no-dash' is not a valid variable name"]);
  assert.equal((await ex.defineParams({ __proto: 1 }, sink))?.ename, "ParamError");
  assert.equal(await ex.defineParams({}, sink), null);
  assert.deepEqual(ex.isComplete("function f() {"), { status: "incomplete", indent: "  " });
  assert.deepEqual(ex.isComplete("%seed 1\nconst x = 1;"), { status: "complete" });
});
