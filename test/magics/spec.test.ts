/**
 * What a MagicSpec promises a session: unbound magic lines (no --as) dispose the tensors their result holds fresh,
 * bound ones keep them, and magics with a body (or keepUnboundResult) are left alone; a user's mistake is one
 * MagicError line, e.g. a syntax error inside a `{…}` interpolation, naming the magic and the expression; names are
 * checked by defineMagic. (Moved from test/magics/unbound-results.test.ts; the disposal itself is done by
 * kernel/cell-runtime.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { CellError, CellSink, KernelExecutor } from "../../kernel/executor";
import { sharedSession } from "../kernel/session";
import { MagicError, registryLookup } from "../../src/magics";
import { defineMagic } from "../../src/magics/spec";
import { rewriteCell } from "../../kernel/rewrite";

const session = sharedSession();

const quiet: CellSink = { stream() {}, display() {}, result() {}, error() {} };
async function run(ex: KernelExecutor, code: string): Promise<void> {
  const err = await ex.execute(code, quiet);
  assert.equal(err, null, `${code}: ${err?.evalue}`);
}

test("20 unbound %sample / %dataset lines leave numTensors flat; bound results stay usable", async () => {
  const ex = await session();
  await run(ex, "%dataset moons --n 64 --seed 1 --no-plot --as data");
  await run(ex, "%train_score --data data --steps 3 --width 8 --depth 1 --batch 32 --seed 0 --as model");
  // One warm-up of each, so lazily built kernels and caches are not counted as growth.
  await run(ex, "%sample --model model --n 10 --steps 3 --seed 1 --no-plot");
  await run(ex, "%dataset moons --n 16 --seed 2 --no-plot");
  const before = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) {
    await run(ex, `%sample --model model --n 10 --steps 3 --seed ${i} --no-plot`);
    await run(ex, `%dataset moons --n 16 --seed ${i} --no-plot`);
  }
  assert.equal(tf.memory().numTensors, before, "unbound results were not disposed");
  // Nothing the notebook holds was touched: the model still samples, the data set is alive.
  const data = ex.locals.data as { x: tf.Tensor };
  assert.equal(data.x.isDisposed, false);
  await run(ex, "%sample --model model --n 5 --steps 3 --seed 9 --no-plot --as xs");
  await run(ex, "%dataset moons --n 8 --seed 3 --no-plot --as small");
  const xs = ex.locals.xs as tf.Tensor;
  assert.deepEqual(xs.shape, [5, 2]);
  assert.ok(Array.from(await xs.data()).every(Number.isFinite));
  assert.deepEqual((ex.locals.small as { x: tf.Tensor }).x.shape, [8, 2]);
  // A bound result is kept across later unbound lines.
  await run(ex, "%sample --model model --n 10 --steps 3 --seed 4 --no-plot");
  assert.equal(xs.isDisposed, false);
  assert.equal(tf.memory().numTensors, before + 2, "exactly the two bound tensors remain");
});

test("unbound results of magics that run notebook code are left alone", async () => {
  const ex = await session();
  // %%time returns the body's value: a tensor the notebook also holds in `kept` must survive.
  await run(ex, "let kept: any = null;");
  await run(ex, "%%time\nkept = tf.ones([3]);\nreturn kept;");
  assert.equal((ex.locals.kept as tf.Tensor).isDisposed, false);
  assert.deepEqual(Array.from(await (ex.locals.kept as tf.Tensor).data()), [1, 1, 1]);
});

test("a syntax error inside {…} is one MagicError line naming the magic and the expression", async () => {
  for (const [code, magic, expr] of [["%seed {1+}", "seed", "1+"], ["%sample --model m --n {)(}", "sample", ")("], ["%seed {a), (b}", "seed", "a), (b"]]) {
    assert.throws(() => rewriteCell(code, registryLookup),
      (e: unknown) => e instanceof MagicError && e.message.startsWith(`%${magic}: bad expression {${expr}}`) && !e.message.includes("\n"), code);
  }
  // Valid TypeScript in braces still rewrites, type assertions included.
  assert.match(rewriteCell("%seed {(k as number) + 1}", registryLookup), /\[\(k as number\) \+ 1\]\[0\]/);
  const ex = await session();
  const errors: CellError[] = [];
  const sink: CellSink = { ...quiet, error: (e) => errors.push(e) };
  const err = await ex.execute("let z = 1;\n%seed {1+}", sink);
  assert.ok(err);
  assert.equal(err.ename, "MagicError");
  assert.match(err.evalue, /^line 2: %seed: bad expression \{1\+\}: Expression expected/);
  assert.equal(errors.length, 1);
});

test("defineMagic keeps the spec and its run; a name that is not lower snake case is refused", async () => {
  const spec = { name: "a_b2", summary: "s", options: [], async run() { return 5; } };
  assert.equal(defineMagic(spec), spec);
  for (const bad of ["", "A", "2a", "a-b", "a b", "_a"]) {
    assert.throws(() => defineMagic({ ...spec, name: bad }), new RegExp(`^Error: defineMagic\\(\\): name must match /\\^\\[a-z\\]\\[a-z0-9_\\]\\*\\$/, got '${bad}'$`), bad);
  }
});

test("MagicError is an Error named MagicError", () => {
  const e = new MagicError("%x: bad");
  assert.ok(e instanceof Error);
  assert.equal(e.name, "MagicError");
  assert.equal(e.message, "%x: bad");
});
