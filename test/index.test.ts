// The curated lab (src/index.ts, issue 18): only what a notebook user calls — no validators, backend hooks,
// native-kernel plumbing or display internals; no two names for one function; the renamed names are gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as lab from "../src/index";
import * as tensor from "../src/tensor";
import { isInternalExport } from "../src/magics/public-api";

const names = Object.keys(lab);

test("lab holds no validators, backend hooks or plumbing", () => {
  const internal = names.filter((n) => isInternalExport(n) || /^check(?!Claim$)[A-Z]/.test(n) || /^(fail|set[A-Z]\w*|load\w*Addon|FONT|WIDTH|HEIGHT|MARGIN|denseStack\w*|climbLadder)$/.test(n));
  assert.deepEqual(internal, []);
  // They stay importable from their modules, where the library's own code and the tests use them.
  for (const n of ["fail", "checkTensor", "climbLadder", "setMatmulAccelerator", "denseStackKernel"]) assert.equal(typeof (tensor as Record<string, unknown>)[n], "function", n);
});

test("no aliases: every function of lab has one name", () => {
  const byValue = new Map<unknown, string[]>();
  for (const n of names) {
    const v = (lab as Record<string, unknown>)[n];
    if (typeof v !== "function") continue;
    byValue.set(v, [...(byValue.get(v) ?? []), n]);
  }
  assert.deepEqual([...byValue.values()].filter((ns) => ns.length > 1), []);
});

test("renamed: ready is initBackend, ema is smoothCurve, gaussian is singleGaussian", () => {
  for (const old of ["ready", "ema", "gaussian"]) assert.ok(!names.includes(old), old);
  for (const now of ["initBackend", "smoothCurve", "singleGaussian", "checkClaim", "verdict", "trainScore", "sweep"]) assert.equal(typeof (lab as Record<string, unknown>)[now], "function", now);
  assert.ok(names.length < 240, `lab has ${names.length} names`);
});
