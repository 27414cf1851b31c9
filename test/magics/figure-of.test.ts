/** figureOf: which figure each kind of value gets, what --kind forces, and the one-line error when it cannot. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { figureOf, isImageTensor } from "../../src/magics/figure-of";
import { MagicError } from "../../src/magics/spec";
import type { Figure } from "../../src/plot/figure";
import { initBackend } from "../../src/tensor/backend";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

type Trace = { type?: string; x?: number[]; y?: number[]; z?: unknown };
const data = (f: unknown) => (f as Figure).data as Trace[];
const title = (f: unknown) => JSON.stringify((f as Figure).layout.title);

test("isImageTensor: [n,h,w], [n,1,h,w], [n,h,w,1] with h, w > 2; rows of points are not images", () => {
  const shapes: [number[], boolean][] = [[[4, 8, 8], true], [[4, 1, 8, 8], true], [[4, 8, 8, 1], true], [[4, 2, 8], false], [[4, 3, 8, 8], false], [[4, 2], false], [[4], false]];
  for (const [s, want] of shapes) {
    const t = tf.zeros(s);
    assert.equal(isImageTensor(t), want, String(s));
    t.dispose();
  }
});

test("figureOf auto: points -> scatter (training behind, capped), a history -> loss curve, number[] -> curve, figures as given", () => {
  const pts = tf.tensor2d([[0, 0], [1, 1], [2, 2]]);
  const train = tf.tensor2d([[5, 5], [6, 6]]);
  const before = tf.memory().numTensors;
  const s = figureOf(pts, "auto", { training: train, maxPoints: 2, title: "T" }, "plot", "'x'");
  const xs = data(s).map((d) => d.x?.length);
  assert.deepEqual(xs.slice().sort(), [2, 2], "both clouds capped at 2 points");
  assert.match(title(s), /T/);
  assert.equal(tf.memory().numTensors, before, "the capped copies are disposed");
  const c = figureOf([3, 2, 1], "auto", {}, "plot", "'l'");
  assert.deepEqual([data(c)[0].x, data(c)[0].y], [[0, 1, 2], [3, 2, 1]]);
  const tc = figureOf(tf.tensor1d([4, 5]), "curve", {}, "plot", "'t'");
  assert.deepEqual(data(tc)[0].y, [4, 5]);
  const h = figureOf({ training: { history: [1, 0.5, 0.25] } }, "auto", {}, "plot", "'m'");
  assert.ok(data(h).some((d) => d.y?.length === 3), "the loss curve has the 3 steps");
  const fig: Figure = { data: [], layout: {} };
  assert.equal(figureOf(fig, "auto", {}, "plot", "'f'"), fig);
  assert.equal(data(figureOf([[0, 1], [1, 2]], "auto", {}, "plot", "'a'")).reduce((n, d) => n + (d.x?.length ?? 0), 0), 2);
  tf.dispose([pts, train]);
});

test("figureOf: images become a grid of at most maxImages, titled with the counts", () => {
  const imgs = tf.zeros([5, 1, 4, 4]);
  const g = figureOf(imgs, "auto", { maxImages: 3 }, "plot", "'i'");
  assert.match(title(g), /3 of 5 images \(4×4\)/);
  imgs.dispose();
});

test("figureOf: each impossible kind, a disposed tensor and an unplottable value give one MagicError naming magic and value", () => {
  const pts = tf.zeros([3, 2]);
  const cases: [unknown, Parameters<typeof figureOf>[1], RegExp][] = [
    [pts, "images", /^%sample: 'x' cannot be shown as images: expected images, a tensor \[n, h, w\], \[n, 1, h, w\] or \[n, h, w, 1\], got tensor \[3,2\]$/],
    [pts, "figure", /cannot be shown as figure: expected a figure \{ data, layout \}/],
    [pts, "table", /cannot be shown as table: expected a ResultsTable or an arquero table/],
    [pts, "training", /cannot be shown as training: expected a model trained by %train_score/],
    [pts, "curve", /cannot be shown as curve: expected a number\[\] or a rank-1 tensor/],
    ["text", "scatter", /cannot be shown as scatter: expected points, a tensor \[n, 2\], got string/],
    [{ a: 1 }, "auto", /^%sample: no plot for 'x' \(object\); expected a tensor \[n, 2\], images, a number\[\], a trained model, a figure or a table$/],
    [pts, "pie" as never, /^%sample: --kind must be one of auto, scatter, images, curve, training, figure, table, got 'pie'$/],
  ];
  for (const [v, kind, re] of cases) assert.throws(() => figureOf(v, kind, {}, "sample", "'x'"), (e: unknown) => e instanceof MagicError && re.test(e.message), String(kind));
  pts.dispose();
  assert.throws(() => figureOf(pts, "auto", {}, "sample", "'x'"), (e: unknown) => e instanceof MagicError && e.message === "%sample: 'x' is a disposed tensor");
});
