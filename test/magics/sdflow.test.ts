/**
 * %sdflow driven in-process: arguments through the real parser (parseMagicArgs, and rewriteCell with a lookup of
 * the magic, since the kernel registry is edited elsewhere), run() with a recording context.
 * (Moved from test/magics/sdflow-bound.test.ts; %bound is in test/magics/bound.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { sdflowMagic } from "../../src/magics/sdflow";
import { boundMagic } from "../../src/magics/bound";
import { magicHelp, parseMagicArgs } from "../../src/magics/parse";
import { rewriteCell } from "../../kernel/rewrite";
import type { MagicSpec } from "../../src/magics/spec";
import { context, oneLineError, plotlyBundles as figures, runLine } from "./context";

// The two magics under test, as the kernel registry would find them.
const lookup = { lookup: (n: string) => ({ sdflow: sdflowMagic, bound: boundMagic } as Record<string, MagicSpec>)[n], names: () => ["bound", "sdflow"] };

test("%sdflow moves one small Gaussian sample onto another: particles [n, 2], divergence falls", async () => {
  await initBackend();
  const rng = new Rng(11);
  const src = rng.normal([120, 2]);
  const tgt = tf.tidy(() => tf.add(tf.mul(rng.normal([120, 2]), Math.sqrt(0.5)), tf.tensor2d([[2, -1]])));
  const { ctx, printed, shown } = context({ src, tgt });
  const before = tf.memory().numTensors;
  const r = await runLine(sdflowMagic, ["--source", "src", "--target", "tgt", "--iterations", "40", "--every", "10", "--seed", "3"], ctx);
  assert.deepEqual(r.particles.shape, [120, 2]);
  assert.equal(r.stopped, false);
  const sw = r.history.map((h) => h.sw as number);
  assert.equal(sw.length, 41);
  // Sliced W2 starts near the mean gap |(2, -1)| ~ 2.2 projected (~1.5); the kernel flow lands on the target
  // samples, so the end is a small fraction of the start. 0.25x leaves room for projection noise.
  assert.ok(sw[sw.length - 1] < 0.25 * sw[0], `sliced W2 ${sw[0]} -> ${sw[sw.length - 1]}`);
  // Mostly decreasing: the first and second half means fall too (the curve is not a lucky endpoint).
  const half = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(half(sw.slice(21)) < half(sw.slice(0, 21)));
  // Particle mean near the target's (2, -1): the target sample mean itself is off by ~0.07 (std 0.7 / sqrt 120).
  const m = tf.tidy(() => tf.mean(r.particles, 0).arraySync() as number[]);
  assert.ok(Math.abs(m[0] - 2) < 0.3 && Math.abs(m[1] + 1) < 0.3, `mean ${m}`);
  // Snapshots at 0, 10, 20, 30, 40 -> one grid of 5 panels and the divergence curve.
  assert.deepEqual(r.trajectory.map((f) => f.iter), [0, 10, 20, 30, 40]);
  const figs = figures(shown);
  assert.equal(figs.length, 2);
  assert.match(JSON.stringify(figs[0]), /iter 40/);
  assert.match(JSON.stringify(figs[1]), /SD flow divergence/);
  assert.match(printed.join("\n"), /120 particles in 2-D, 40 of 40 iterations/);
  // The notebook's tensors are the user's: untouched. Only the returned particles are new.
  assert.equal(src.isDisposed || tgt.isDisposed, false);
  r.particles.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([src, tgt]);
});

test("%sdflow draws named data sets itself, disposes them, and stops on an aborted signal", async () => {
  await initBackend();
  const { ctx } = context({});
  const warm = await runLine(sdflowMagic, ["--source", "gaussian", "--target", "moons", "--n", "48", "--iterations", "3", "--no-plot"], ctx);
  warm.particles.dispose();
  const before = tf.memory().numTensors;
  for (let k = 0; k < 2; k++) {
    const r = await runLine(sdflowMagic, ["--source", "gaussian", "--target", "gmm8", "--n", "48", "--iterations", "3", "--seed", String(k)], ctx);
    assert.deepEqual(r.particles.shape, [48, 2]);
    r.particles.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "drawn data sets leaked");
  const ac = new AbortController();
  ac.abort();
  const x = new Rng(1).normal([10, 2]);
  const a = context({ x }, ac.signal);
  const r = await runLine(sdflowMagic, ["--source", "x", "--target", "gaussian", "--n", "10", "--iterations", "50"], a.ctx);
  assert.equal(r.stopped, true);
  assert.equal(r.history.length, 1);
  assert.match(a.printed.join("\n"), /0 of 50 iterations.*interrupted/);
  tf.dispose([x, r.particles]);
});

test("%sdflow? lists every option, and the rewriter turns it into the help call", () => {
  const h = magicHelp(sdflowMagic);
  for (const f of ["--source", "--target", "--iterations", "--eta", "--sigma-max", "--sigma-min", "--every", "--seed", "--n", "--as"]) assert.ok(h.includes(f), `%sdflow? lacks ${f}`);
  // Through the cell rewriter, `%name?` becomes the help call.
  assert.equal(rewriteCell("%sdflow?", lookup), 'void magicHelp$("sdflow");');
});

test("%sdflow: bad values give one-line errors", async () => {
  await initBackend();
  // Rejected by the parser, before anything runs (also at rewrite time, as a cell would be).
  const parseCases: [MagicSpec, string[], RegExp][] = [
    [sdflowMagic, ["--iterations", "0"], /positive integer/],
    [sdflowMagic, ["--eta", "-0.1"], /expected a number > 0/],
    [sdflowMagic, ["--sigma-max", "abc"], /expected a number > 0/],
    [sdflowMagic, ["--every", "1.5"], /expected an integer/],
    [sdflowMagic, ["--bogus"], /unknown option '--bogus'/],
  ];
  for (const [spec, argv, pattern] of parseCases) {
    await oneLineError(() => parseMagicArgs(spec, argv), pattern);
    await oneLineError(() => rewriteCell(`%${spec.name} ${argv.join(" ")}`, lookup), pattern);
  }
  // Rejected when run: names that resolve to nothing, values of the wrong kind or shape.
  const cube = tf.zeros([5, 3, 2]);
  const three = tf.zeros([6, 3]);
  const pts = new Rng(2).normal([6, 2]);
  const { ctx } = context({ cube, three, pts, word: "hello" });
  const before = tf.memory().numTensors;
  const runCases: [string[], RegExp][] = [
    [["--source", "nosuch", "--target", "pts"], /--source 'nosuch' is neither a notebook variable nor a data set \(gaussian, moons/],
    [["--source", "pts", "--target", "digits"], /--target 'digits' is neither a notebook variable nor a data set/],
    [["--target", "pts"], /--source is required/],
    [["--source", "cube", "--target", "pts"], /--source 'cube' must be points \[n, d\] with n >= 2, got shape \[5,3,2\]/],
    [["--source", "pts", "--target", "three"], /must have the same number of columns/],
    [["--source", "word", "--target", "pts"], /--source 'word' must be a tensor \[n, \.\.\.\] or a dataset from %dataset, got string/],
    [["--source", "gaussian", "--target", "three", "--n", "8"], /must have the same number of columns/],
    [["--source", "pts", "--target", "pts", "--sigma-max", "0.1", "--sigma-min", "0.5"], /--sigma-min \(0\.5\) must not exceed --sigma-max \(0\.1\)/],
  ];
  for (const [argv, pattern] of runCases) await oneLineError(runLine(sdflowMagic, argv, ctx), pattern);
  assert.equal(tf.memory().numTensors, before, "a failed %sdflow leaked tensors");
  // A library error (a step size that makes the flow blow up) also comes back as the user's one-line error.
  await oneLineError(runLine(sdflowMagic, ["--source", "pts", "--target", "gaussian", "--n", "6", "--eta", "1e30", "--iterations", "3"], ctx), /%sdflow: sdFlow: argument 'eta' made the flow diverge/);
  assert.equal(tf.memory().numTensors, before, "a diverging %sdflow leaked tensors");
  tf.dispose([cube, three, pts]);
});
