/**
 * Round trips with real PyTorch (Debian's python3-torch, scripts/torch_score.py): an MLP and a U-Net with
 * scorelab's architecture, trained a few steps in PyTorch and exported as safetensors and TorchScript, give the
 * scores PyTorch computed; and scorelab models saved as safetensors give PyTorch the scores scorelab computes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { PY, noPythonTorch, noTorchScript, needs } from "./torch-python";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, vpSDE } from "../../src/sde";
import { ScoreNet, gaussianScore, loadModel, loadTorchScript, mlpScoreNet, saveModel, sdeSettings, trainInPyTorch, unetScoreNet } from "../../src/score";

const FIXTURE = path.resolve(__dirname, "..", "..", "..", "scripts", "torch_score.py");

function python(...args: string[]): void {
  const r = spawnSync(PY, [FIXTURE, ...args], { encoding: "utf8", timeout: 120000 });
  assert.equal(r.status, 0, `torch_score.py ${args[0]} failed:\n${r.stderr}`);
}

/** Max |a - b| over max(1, max |b|): float32 agreement of two implementations of the same network. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0, m = 1;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return d / m;
}

const sde = () => vpSDE({ schedule: linearSchedule({ beta0: 0.1, beta1: 20 }) });

function spec(model: ScoreNet, n: number): { spec: object; x: tf.Tensor; t: tf.Tensor } {
  const x = new Rng(3).normal([n, ...model.shape]);
  const t = tf.tensor1d(Array.from({ length: n }, (_, i) => 0.02 + (0.96 * i) / (n - 1)));
  return {
    x, t,
    spec: {
      network: model.config.network, sigmaData: model.config.sigmaData, sde: { beta0: 0.1, beta1: 20, T: 1 },
      sdeSettings: sdeSettings(model.sde), x: Array.from(x.dataSync()), xShape: x.shape, t: Array.from(t.dataSync()), steps: 5, seed: 0,
    },
  };
}

const cases: [string, () => ScoreNet, number[]][] = [
  ["MLP", () => mlpScoreNet(sde(), [3], new Rng(0), { width: 16, depth: 2, sigmaData: 0.8 }), [3]],
  ["U-Net", () => unetScoreNet(sde(), [8, 8], new Rng(0), { channels: 4, groups: 2 }), [8, 8, 1]],
];

for (const [label, make, tsShape] of cases) {
  test(`${label} trained in PyTorch: its safetensors and TorchScript exports give PyTorch's scores`, async () => {
  needs(noPythonTorch);
    await initBackend();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-pt-"));
    const template = make();
    const { spec: s, x, t } = spec(template, 16);
    await fs.writeFile(path.join(dir, "spec.json"), JSON.stringify(s));
    python("train", path.join(dir, "spec.json"), dir);
    const want = JSON.parse(await fs.readFile(path.join(dir, "scores.json"), "utf8")) as { score: number[] };

    const fromSt = await loadModel(path.join(dir, "model.safetensors"));
    const s1 = fromSt.score(x, t);
    assert.ok(relErr(s1.dataSync(), want.score) < 1e-4, `safetensors scores differ by ${relErr(s1.dataSync(), want.score)}`);

    // The TorchScript half needs the torch backend (the suite's backend for test/score).
    needs(noTorchScript);
    {
      const ts = await loadTorchScript(path.join(dir, "model.pt"), { parameterisation: "eps", sde: sde(), inputShape: tsShape });
      const xs = tf.reshape(x, [x.shape[0], ...tsShape]);
      const s2 = ts.score(xs, t);
      assert.deepEqual(s2.shape, xs.shape);
      assert.ok(relErr(s2.dataSync(), want.score) < 1e-4, `TorchScript scores differ by ${relErr(s2.dataSync(), want.score)}`);
      tf.dispose([s2, xs]); ts.dispose();
    }
    tf.dispose([s1, x, t]);
    template.dispose(); fromSt.dispose();
    await fs.rm(dir, { recursive: true });
  });

  test(`${label} of scorelab saved as safetensors: the PyTorch module gives scorelab's scores`, async () => {
  needs(noPythonTorch);
    await initBackend();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-pt-"));
    const model = make();
    // Weights away from the zero output init, so every layer matters.
    tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.add(v, new Rng(100 + i).normal(v.shape, 0, 0.2)))));
    await saveModel(model, dir, { format: "safetensors" });
    const { spec: s, x, t } = spec(model, 16);
    await fs.writeFile(path.join(dir, "spec.json"), JSON.stringify(s));
    python("score", path.join(dir, "spec.json"), path.join(dir, "model.safetensors"), path.join(dir, "out.json"));
    const got = JSON.parse(await fs.readFile(path.join(dir, "out.json"), "utf8")) as { score: number[] };
    const mine = model.score(x, t);
    assert.ok(relErr(got.score, mine.dataSync()) < 1e-4, `PyTorch scores differ by ${relErr(got.score, mine.dataSync())}`);
    tf.dispose([mine, x, t]); model.dispose();
    await fs.rm(dir, { recursive: true });
  });
}

test("trainInPyTorch: a network PyTorch trained loads with PyTorch's scores and has learned the target's score", async () => {
  needs(noPythonTorch);
  await initBackend();
  const template = mlpScoreNet(sde(), [1], new Rng(0), { width: 32, depth: 2 });
  // Target N(0.5, 0.8^2); the exact score of its diffused law is the closed form gaussianScore computes.
  const data = tf.add(tf.mul(new Rng(1).normal([1024, 1]), 0.8), 0.5);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-ptt-"));
  const model = await trainInPyTorch(template, data, { steps: 400, lr: 3e-3, outDir: dir });
  assert.deepEqual(model.config.network, template.config.network);
  // scores.json holds PyTorch's scores of the training rows at t = 0.5: float32 agreement.
  const theirs = JSON.parse(await fs.readFile(path.join(dir, "scores.json"), "utf8")).score as number[];
  const t = tf.fill([1024], 0.5);
  assert.ok(relErr(model.scoreWith(data, t, "raw").dataSync(), theirs) < 1e-4);
  // Learned: relative L2 error against the exact score on a grid at t = 0.3 well below the untrained net's 1
  // (its output layer starts at zero); 0.25 leaves room for 400 Adam steps of a 32-wide net.
  const x = tf.linspace(-2, 3, 101).reshape([101, 1]);
  const tt = tf.fill([101], 0.3);
  const exact = gaussianScore(sde(), [0.5], 0.64).score(x, tt).dataSync();
  const got = model.scoreWith(x, tt, "raw").dataSync();
  let num = 0, den = 0;
  for (let i = 0; i < 101; i++) { num += (got[i] - exact[i]) ** 2; den += exact[i] ** 2; }
  assert.ok(Math.sqrt(num / den) < 0.25, `relative error ${Math.sqrt(num / den)}`);
  await assert.rejects(trainInPyTorch(template, tf.zeros([4, 2])), /trainInPyTorch: argument 'data' must have shape \[n, 1\]/);
  await fs.rm(dir, { recursive: true, force: true });
});
