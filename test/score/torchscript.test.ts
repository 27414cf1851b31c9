/**
 * loadTorchScript on small scripted modules with known answers (test/fixtures/torch_modules.py): NHWC <-> NCHW at
 * the boundary, the four parameterisations, every sampler, no tensor leak, and one Error naming the file for each
 * bad input (including the wasm backend, in a child process).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { PY, noPythonTorch, noTorchScript, needs } from "./torch-python";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { loadTorchScript } from "../../src/score";
import { ddim, eulerMaruyama, predictorCorrector, probabilityFlowHeun } from "../../src/sample";

const ROOT = path.resolve(__dirname, "..", "..", "..");
let dir = "";
const pt = (name: string) => path.join(dir, `${name}.pt`);

before(async () => {
  if (noPythonTorch) return;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-jit-"));
  const r = spawnSync(PY, [path.join(ROOT, "test", "fixtures", "torch_modules.py"), dir], { encoding: "utf8", timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
});
after(async () => { if (dir) await fs.rm(dir, { recursive: true }); });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `element ${i}: ${a[i]} vs ${b[i]}`);
};

test("image inputs go to the module as NCHW and come back NHWC", async () => {
  needs(noTorchScript);
  await initBackend();
  const [n, h, w, c] = [2, 3, 4, 3];
  const s = await loadTorchScript(pt("channels"), { parameterisation: "score", sde: vpSDE(), inputShape: [h, w, c] });
  const x = new Rng(0).normal([n, h, w, c]);
  const xs = x.dataSync();
  const want = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) for (let k = 0; k < c; k++) {
    const j = ((i * h + y) * w + z) * c + k;
    want[j] = xs[j] * (k + 1) + 10 * y + 100 * z;
  }
  const out = s.score(x, tf.fill([n], 0.5));
  assert.deepEqual(out.shape, [n, h, w, c]);
  close(out.dataSync(), want);
  // "nhwc" hands the tensor over unchanged: the module then sees C = w = 4 channels.
  const raw = await loadTorchScript(pt("channels"), { parameterisation: "score", sde: vpSDE(), inputShape: [h, w, c], layout: "nhwc" });
  const o2 = raw.score(x, tf.fill([n], 0.5));
  assert.notDeepEqual(Array.from(o2.dataSync()), Array.from(out.dataSync()));
  tf.dispose([x, out, o2]); s.dispose(); raw.dispose();
});

test("eps, x0, v and score outputs become the score of the SDE's marginals", async () => {
  needs(noTorchScript);
  await initBackend();
  const sde = vpSDE();
  const x = new Rng(1).normal([5, 2]);
  const t = tf.tensor1d([0.05, 0.2, 0.5, 0.8, 1]);
  const { scale, std } = sde.marginal(t);
  const a = tf.reshape(scale, [5, 1]), sg = tf.reshape(std, [5, 1]);
  const o = tf.div(x, 2); // what half.pt returns
  const expected: Record<string, tf.Tensor> = {
    score: o,
    eps: tf.div(tf.neg(o), sg),
    x0: tf.div(tf.sub(tf.mul(a, o), x), tf.square(sg)),
    // v = a eps - s x0 with x = a x0 + s eps, so eps = s x + a v for VP (a^2 + s^2 = 1).
    v: tf.div(tf.neg(tf.add(tf.mul(sg, x), tf.mul(a, o))), sg),
  };
  for (const [p, want] of Object.entries(expected)) {
    const s = await loadTorchScript(pt("half"), { parameterisation: p as "eps", sde, inputShape: [2] });
    const got = s.score(x, t);
    close(got.dataSync(), want.dataSync(), 1e-4);
    got.dispose(); s.dispose();
  }
  tf.dispose([x, t, scale, std, a, sg, ...Object.values(expected)]);
});

test("every sampler runs on a TorchScript score, and repeated calls leak no tensor", async () => {
  needs(noTorchScript);
  await initBackend();
  const s = await loadTorchScript(pt("tuple"), { parameterisation: "eps", sde: vpSDE(), inputShape: [2] });
  const opts = () => ({ n: 8, steps: 5, rng: new Rng(2), shape: s.shape });
  for (const run of [() => eulerMaruyama(s.score, s.sde, opts()), () => probabilityFlowHeun(s.score, s.sde, opts()), () => predictorCorrector(s.score, s.sde, opts()), () => ddim(s.score, s.sde, opts())]) {
    const x = await run();
    assert.deepEqual(x.shape, [8, 2]);
    assert.ok(Array.from(x.dataSync()).every(Number.isFinite));
    x.dispose();
  }
  const x = tf.ones([4, 2]), t = tf.fill([4], 0.3);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) s.score(x, t).dispose();
  assert.equal(tf.memory().numTensors, before);
  s.dispose();
  assert.throws(() => s.score(x, t), /disposed/);
  tf.dispose([x, t]);
});

test("bad input: one Error naming the file and the problem", async () => {
  needs(noTorchScript);
  await initBackend();
  const sde = vpSDE();
  const text = path.join(dir, "notes.pt");
  await fs.writeFile(text, "not a zip archive");
  const cases: [() => Promise<unknown>, RegExp][] = [
    [() => loadTorchScript(pt("wrong"), { parameterisation: "eps", sde, inputShape: [3] }), /wrong\.pt: the module's output has shape \[2,1\] for an input of shape \[2,3\]/],
    [() => loadTorchScript(text, { parameterisation: "eps", sde, inputShape: [2] }), /notes\.pt is not a loadable TorchScript file/],
    [() => loadTorchScript(path.join(dir, "absent.pt"), { parameterisation: "eps", sde, inputShape: [2] }), /absent\.pt does not exist/],
    [() => loadTorchScript(pt("half"), { sde, inputShape: [2] } as never), /parameterisation' is required/],
    [() => loadTorchScript(pt("half"), { parameterisation: "eps", inputShape: [2] } as never), /sde' is required/],
    [() => loadTorchScript(pt("channels"), { parameterisation: "eps", sde, inputShape: [3] }), /channels\.pt: the module fails on an input of shape \[2, 3\]/],
  ];
  for (const [p, re] of cases) await assert.rejects(p(), (e: Error) => { assert.match(e.message, re); assert.ok(!e.message.includes("\n"), e.message); return true; });
  const s = await loadTorchScript(pt("half"), { parameterisation: "eps", sde, inputShape: [2] });
  const x = tf.ones([3, 4]), t = tf.fill([3], 0.5);
  assert.throws(() => s.score(x, t), /must have shape \[n, 2\]/);
  tf.dispose([x, t]); s.dispose();
});

test("on the wasm backend the call says TorchScript needs the torch backend", () => {
  needs(noPythonTorch);
  const code = `require(${JSON.stringify(path.join(ROOT, "dist", "src", "tensor"))}).initBackend().then(() => require(${JSON.stringify(path.join(ROOT, "dist", "src", "score"))})
    .loadTorchScript(${JSON.stringify(pt("half"))}, { parameterisation: "eps", sde: require(${JSON.stringify(path.join(ROOT, "dist", "src", "sde"))}).vpSDE(), inputShape: [2] }))
    .then(() => console.log("loaded"), (e) => console.log(e.message))`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", env: { ...process.env, SCORELAB_BACKEND: "wasm" }, timeout: 60000 });
  assert.match(r.stdout, /loadTorchScript: .*half\.pt: TorchScript needs the torch backend, and the active backend is wasm/, r.stdout + r.stderr);
});
