import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, veSDE, vpSDE } from "../../src/sde";
import { ScoreNet, loadModel, mlpScoreNet, saveModel, trainScore, unetScoreNet } from "../../src/score";
import { ring8 } from "./helpers";

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), "scorelab-ckpt-"));
const out = (m: ScoreNet, which: "raw" | "ema", shape: number[]) => {
  const x = new Rng(5).normal([6, ...shape]); const t = tf.tensor1d([0.01, 0.1, 0.3, 0.5, 0.7, 0.99]);
  const s = m.scoreWith(x, t, which); const v = Array.from(s.dataSync()); tf.dispose([x, t, s]); return v;
};

test("a saved and loaded MLP gives identical raw and EMA outputs and keeps its SDE and EMA choice", async () => {
  await initBackend();
  const dir = await tmp();
  const sde = vpSDE({ schedule: linearSchedule({ beta0: 0.2, beta1: 12 }) });
  const model = mlpScoreNet(sde, [2], new Rng(0), { width: 16, depth: 2, embedding: "sinusoidal", sigmaData: 1.3 });
  const data = ring8().sample(128, new Rng(1));
  await trainScore(model, data, { steps: 10, rng: new Rng(2), batchSize: 32, ema: 0.5 });
  await model.save(dir);
  const back = await loadModel(dir);
  assert.deepEqual(out(back, "raw", [2]), out(model, "raw", [2]));
  assert.deepEqual(out(back, "ema", [2]), out(model, "ema", [2]));
  assert.notDeepEqual(out(back, "raw", [2]), out(back, "ema", [2]));
  assert.equal(back.useEma, true);
  assert.equal(back.sde.schedule.name, "linear(0.2, 12)");
  assert.deepEqual(back.config, model.config);
  // Saving again replaces the weights file; only one remains.
  await saveModel(back, dir);
  assert.equal((await fs.readdir(dir)).filter((f) => f.endsWith(".bin")).length, 1);
  tf.dispose(data); model.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true });
});

test("a U-Net under a VE SDE round-trips exactly", async () => {
  await initBackend();
  const dir = await tmp();
  const model = unetScoreNet(veSDE({ sigmaMax: 10 }), [8, 8], new Rng(0), { channels: 8 });
  await saveModel(model, dir);
  const back = await loadModel(dir);
  assert.deepEqual(out(back, "raw", [8, 8]), out(model, "raw", [8, 8]));
  assert.equal(back.ema, null);
  model.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true });
});

test("a save killed before its manifest rename leaves the previous checkpoint loadable", async () => {
  await initBackend();
  const dir = await tmp();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  await saveModel(model, dir);
  const expected = out(model, "raw", [2]);
  // What a kill leaves: a half-written weights temp file, a renamed new weights file and a manifest temp file.
  await fs.writeFile(path.join(dir, ".weights-x.bin.tmp"), Buffer.alloc(10));
  await fs.writeFile(path.join(dir, "weights-zzz.bin"), Buffer.alloc(12));
  await fs.writeFile(path.join(dir, ".checkpoint.json.zzz.tmp"), "{\"format\":");
  const back = await loadModel(dir);
  assert.deepEqual(out(back, "raw", [2]), expected);
  model.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true });
});

test("a truncated weights file, a wrong shape, a wrong version and a mismatched SDE give clear errors", async () => {
  await initBackend();
  const dir = await tmp();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  await saveModel(model, dir);
  const manifestPath = path.join(dir, "checkpoint.json");
  const manifest = JSON.parse(await fs.readFile(manifestPath, "utf8"));
  const weights = path.join(dir, manifest.weightsFile);
  const full = await fs.readFile(weights);

  await fs.writeFile(weights, full.subarray(0, full.length - 7));
  await assert.rejects(loadModel(dir), /loadModel: argument 'dir' has a weights file weights-.*\.bin of \d+ bytes, expected \d+ .*truncated/);
  await fs.writeFile(weights, full);

  const wrongShape = structuredClone(manifest);
  wrongShape.tensors[0].shape = [34, 9];
  await fs.writeFile(manifestPath, JSON.stringify(wrongShape));
  await assert.rejects(loadModel(dir), /tensor 'hidden0.w' \(raw\) of shape \[34,9\], but the network expects \[34,8\]/);

  await fs.writeFile(manifestPath, JSON.stringify({ ...manifest, version: 99 }));
  await assert.rejects(loadModel(dir), /checkpoint version 99; this scorelab reads version 1/);

  await fs.writeFile(manifestPath, JSON.stringify(manifest));
  await assert.rejects(loadModel(dir, { sde: veSDE() }), /argument 'opts.sde' differs from the checkpoint's SDE .*kind ve \(checkpoint: vp\)/);
  await assert.rejects(loadModel(path.join(dir, "nope")), /has no readable checkpoint.json/);
  const back = await loadModel(dir, { sde: vpSDE() });
  assert.deepEqual(out(back, "raw", [2]), out(model, "raw", [2]));
  model.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true });
});

test("a successful save removes orphans of killed saves (its own name patterns only) and keeps other files", async () => {
  await initBackend();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-orphans-"));
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  await saveModel(model, dir);
  // What killed saves leave (a dead pid: 2^22 + 1 is above Linux's default pid_max), and files that are not ours.
  const dead = 4194305;
  const orphans = [`weights-abc123-${dead}-0.bin`, `.weights-abc124-${dead}-1.bin.tmp`, `.checkpoint.json.abc125-${dead}-2.tmp`];
  const others = ["notes.txt", "weights-final.bin", ".weights-x.bin.tmp.bak", "checkpoint.json.bak"];
  for (const f of [...orphans, ...others]) await fs.writeFile(path.join(dir, f), "x");
  await saveModel(model, dir);
  const left = (await fs.readdir(dir)).sort();
  const manifest = JSON.parse(await fs.readFile(path.join(dir, "checkpoint.json"), "utf8"));
  assert.deepEqual(left, ["checkpoint.json", manifest.weightsFile, ...others].sort());
  const back = await loadModel(dir);
  const x = tf.ones([1, 2]), t = tf.fill([1], 0.5);
  const [a, b] = [model.score(x, t), back.score(x, t)];
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  tf.dispose([x, t, a, b]); model.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});
