/** How magics read notebook values: by variable name or interpolated, with one-line errors naming magic and flag. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { dataTensorOf, notebookValue, typeName } from "../../src/magics/notebook-vars";
import { MagicError } from "../../src/magics/spec";
import { context } from "./context";
import { initBackend } from "../../src/tensor/backend";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

const magicError = (re: RegExp) => (e: unknown) => e instanceof MagicError && re.test(e.message);

test("notebookValue: a name reads the variable, any other value is itself; missing, malformed and unknown names are refused", () => {
  const { ctx } = context({ moons: 1, zero: 0 });
  assert.equal(notebookValue(ctx, "m", "--data", "moons"), 1);
  assert.equal(notebookValue(ctx, "m", "--data", "zero"), 0, "a falsy value is still a variable");
  const v = { x: 1 };
  assert.equal(notebookValue(ctx, "m", "--data", v), v);
  assert.throws(() => notebookValue(ctx, "m", "--data", undefined), magicError(/^%m: --data is required \(the name of a notebook variable\)$/));
  assert.throws(() => notebookValue(ctx, "m", "--data", "a.b"), magicError(/^%m: --data expects a variable name, got 'a\.b'$/));
  assert.throws(() => notebookValue(ctx, "m", "--data", "toString"), magicError(/^%m: --data 'toString' is not a notebook variable$/), "inherited names are not variables");
});

test("typeName names what a value is", () => {
  const t = tf.zeros([2, 3]);
  const d = { name: "moons", x: t };
  assert.deepEqual([null, t, [1, 2], d, new Map(), {}, "s", 3, undefined].map(typeName),
    ["null", "tensor [2,3]", "array of 2", "dataset 'moons' [2,3]", "Map object", "object", "string", "number", "undefined"]);
  t.dispose();
  assert.equal(typeName(t), "disposed tensor");
});

test("dataTensorOf: a tensor or a dataset's .x; anything else, or a disposed tensor, is refused naming what it got", () => {
  const t = tf.ones([4, 2]);
  assert.equal(dataTensorOf(t, "m", "--data 'a'"), t);
  assert.equal(dataTensorOf({ name: "d", x: t }, "m", "--data 'a'"), t);
  assert.throws(() => dataTensorOf([[1]], "m", "--data 'a'"), magicError(/^%m: --data 'a' must be a tensor \[n, \.\.\.\] or a dataset from %dataset, got array of 1$/));
  t.dispose();
  assert.throws(() => dataTensorOf(t, "m", "--data 'a'"), magicError(/^%m: --data 'a' is a disposed tensor$/));
});
