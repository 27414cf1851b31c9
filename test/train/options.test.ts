// The shared trainer options (src/train/options.ts): defaults and one Error per bad option, named for the caller.
import { test } from "node:test";
import assert from "node:assert/strict";
import { trainSettings } from "../../src/train/options";

test("defaults: batch 128, lr 1e-3, EMA 0.999, clip 1, progress every step; given values are kept", () => {
  assert.deepEqual(trainSettings({ steps: 5 }, "f"), { steps: 5, batchSize: 128, lr: 1e-3, ema: 0.999, clipNorm: 1, every: 1 });
  assert.deepEqual(trainSettings({ steps: 2, batchSize: 3, lr: 0.5, ema: 0, clipNorm: Infinity, every: 7 }, "f"),
    { steps: 2, batchSize: 3, lr: 0.5, ema: 0, clipNorm: Infinity, every: 7 });
});

test("each bad option is one Error naming the calling function and the option", () => {
  assert.throws(() => trainSettings({}, "trainVelocity"), /trainVelocity: argument 'opts.steps' must be a finite number, got undefined/);
  assert.throws(() => trainSettings({ steps: 0 }, "f"), /f: argument 'opts.steps' must be >= 1/);
  assert.throws(() => trainSettings({ steps: 1, batchSize: 2.5 }, "f"), /f: argument 'opts.batchSize' must be an integer/);
  assert.throws(() => trainSettings({ steps: 1, lr: 0 }, "f"), /f: argument 'opts.lr' must be > 0, got 0/);
  assert.throws(() => trainSettings({ steps: 1, ema: 1 }, "f"), /f: argument 'opts.ema' must be < 1, got 1/);
  assert.throws(() => trainSettings({ steps: 1, ema: -0.1 }, "f"), /f: argument 'opts.ema' must be >= 0/);
  assert.throws(() => trainSettings({ steps: 1, clipNorm: 0 }, "f"), /f: argument 'opts.clipNorm' must be > 0/);
  assert.throws(() => trainSettings({ steps: 1, clipNorm: -Infinity }, "f"), /f: argument 'opts.clipNorm' must be a finite number/);
  assert.throws(() => trainSettings({ steps: 1, every: 0 }, "f"), /f: argument 'opts.every' must be >= 1/);
  assert.throws(() => trainSettings({ steps: 1, onStep: 3 as never }, "f"), /f: argument 'opts.onStep' must be a function when given/);
  assert.throws(() => trainSettings({ steps: 1, signal: {} as never }, "f"), /f: argument 'opts.signal' must be an AbortSignal when given/);
});
