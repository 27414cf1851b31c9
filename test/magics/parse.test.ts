/** 100+ malformed magic lines through the real executor: each gives one error line, the session survives. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createKernelExecutor, CellError, CellSink } from "../../kernel/executor";
import { initBackend } from "../../src/tensor";

test("malformed magic lines: one-line errors, live executor, variables intact", async () => {
  await initBackend();
  const ex = createKernelExecutor(process.cwd());
  await ex.preload();
  const results: unknown[] = [];
  const errors: CellError[] = [];
  const sink: CellSink = { stream() {}, display() {}, result: (b) => results.push(b["text/plain"]), error: (e) => errors.push(e) };
  assert.equal(await ex.execute("let kept = 41;", sink), null);
  const lines: string[] = [];
  for (const name of ["nosuch", "seeed", "timit", "back end", "lsmagic2", "x-y", "_"]) lines.push(`%${name}`, `%${name} 1 2`);
  for (const flag of ["--bogus", "-z", "--number", "--as", "--as 1a", "--as=", "--as __a", "--quiet=3 --x"]) lines.push(`%seed 1 ${flag}`, `%backend ${flag}`);
  for (const v of ["abc", "1.5", "", "NaN", "Infinity", "1e400", "--", "0x", "'  '", "{'str'}", "{ {a: 1} }"]) lines.push(`%seed ${v}`);
  for (const v of ["0", "-1", "2.5", "abc", "1e9x", "{-3}", "{'x'}"]) lines.push(`%timeit -n ${v} 1+1`, `%timeit -r ${v} 1+1`);
  for (const b of ["{", "}", "{x", "x}", "{{}", "{}", "{ }", "{a}}", '{"}', "'{", "\"abc", "'abc", "{`}"]) lines.push(`%seed ${b}`, `%backend --as v ${b}`);
  for (const s of ["%%time 3", "%time", "%%seed 1", "%timeit", "%timeit -n 2", "%lsmagic extra", "%seed? x", "%seed 1 2", "%backend x", "%%lsmagic"]) lines.push(s);
  for (let i = 0; i < 20; i++) lines.push(`%seed ${"x".repeat(i + 1)}`);
  assert.ok(lines.length >= 100, `only ${lines.length} lines`);
  for (const line of lines) {
    errors.length = 0;
    const err = await ex.execute(line, sink);
    assert.ok(err, `no error for ${JSON.stringify(line)}`);
    assert.equal(errors.length, 1, line);
    assert.ok(!err.evalue.includes("\n") && err.evalue.length > 0, `multi-line error for ${JSON.stringify(line)}: ${err.evalue}`);
  }
  results.length = 0;
  assert.equal(await ex.execute("kept + 1", sink), null);
  assert.deepEqual(results, ["42"]);
  ex.close();
});
