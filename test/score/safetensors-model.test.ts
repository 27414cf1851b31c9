/**
 * safetensors checkpoints: exact round trips of MLP and U-Net (with EMA), switching formats in one directory,
 * and one Error naming the file for each kind of bad input (the file format itself: safetensors.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { veSDE, vpSDE } from "../../src/sde";
import { ScoreNet, decodeSafetensors, encodeSafetensors, loadModel, mlpScoreNet, saveModel, unetScoreNet } from "../../src/score";

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), "scorelab-st-"));
const out = (m: ScoreNet, which: "raw" | "ema", shape: number[]) => {
  const x = new Rng(5).normal([4, ...shape]); const t = tf.tensor1d([0.01, 0.3, 0.7, 0.99]);
  const s = m.scoreWith(x, t, which); const v = Array.from(s.dataSync()); tf.dispose([x, t, s]); return v;
};

test("MLP with EMA and U-Net round-trip exactly through safetensors", async () => {
  await initBackend();
  const dir = await tmp();
  const mlp = mlpScoreNet(vpSDE(), [3], new Rng(0), { width: 8, depth: 2, sigmaData: 0.7 });
  mlp.resetEma();
  tf.tidy(() => mlp.variables.forEach((v, i) => v.assign(tf.add(v, new Rng(i).normal(v.shape, 0, 0.1)))));
  mlp.useEma = true;
  await saveModel(mlp, dir, { format: "safetensors" });
  assert.deepEqual((await fs.readdir(dir)).sort(), ["model.safetensors"]);
  const back = await loadModel(dir);
  assert.deepEqual(out(back, "raw", [3]), out(mlp, "raw", [3]));
  assert.deepEqual(out(back, "ema", [3]), out(mlp, "ema", [3]));
  assert.equal(back.useEma, true);
  assert.deepEqual(back.config, mlp.config);
  const unet = unetScoreNet(veSDE({ sigmaMax: 10 }), [8, 8], new Rng(1), { channels: 4, groups: 2 });
  tf.tidy(() => unet.variables.forEach((v, i) => v.assign(tf.add(v, new Rng(10 + i).normal(v.shape, 0, 0.1)))));
  const file = path.join(dir, "unet.safetensors");
  await fs.writeFile(file, await (await import("../../src/score")).modelToSafetensors(unet));
  const ub = await loadModel(file);
  assert.deepEqual(out(ub, "raw", [8, 8]), out(unet, "raw", [8, 8]));
  assert.equal(ub.ema, null);
  // The file holds PyTorch's layouts: a Conv2d weight [cout, cin, 3, 3], a Linear weight [out, in].
  const { tensors, metadata } = decodeSafetensors(await fs.readFile(file), file);
  assert.deepEqual(tensors.get("down.conv1.weight")?.shape, [4, 4, 3, 3]);
  assert.deepEqual(tensors.get("low.skip.weight")?.shape, [8, 4, 1, 1]);
  assert.deepEqual(tensors.get("temb.weight")?.shape, [16, 32]);
  assert.equal(JSON.parse(metadata.sde).kind, "ve");
  [mlp, back, unet, ub].forEach((m) => m.dispose());
  await fs.rm(dir, { recursive: true });
});

test("a directory holds one checkpoint: saving in the other format replaces it", async () => {
  await initBackend();
  const dir = await tmp();
  const m = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 4, depth: 1 });
  await saveModel(m, dir);
  await saveModel(m, dir, { format: "safetensors" });
  assert.deepEqual(await fs.readdir(dir), ["model.safetensors"]);
  await saveModel(m, dir);
  const files = await fs.readdir(dir);
  assert.ok(files.includes("checkpoint.json") && !files.includes("model.safetensors"), files.join());
  const back = await loadModel(dir);
  assert.deepEqual(out(back, "raw", [2]), out(m, "raw", [2]));
  m.dispose(); back.dispose();
  await fs.rm(dir, { recursive: true });
});

test("bad files get one Error naming the file and the problem, and nothing stays loaded", async () => {
  await initBackend();
  const dir = await tmp();
  const m = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 4, depth: 1 });
  const good = Buffer.from(await (await import("../../src/score")).modelToSafetensors(m));
  const write = async (name: string, bytes: Uint8Array) => { const p = path.join(dir, name); await fs.writeFile(p, bytes); return p; };
  const cases: [string, Uint8Array, RegExp][] = [
    ["text.safetensors", Buffer.from("hello, this is not a tensor file at all"), /text\.safetensors.*header claims/],
    ["tiny.safetensors", Buffer.from([1, 2, 3]), /tiny\.safetensors.*fewer than the 8-byte/],
    ["cut.safetensors", good.subarray(0, good.length - 5), /cut\.safetensors.*truncated/],
  ];
  const n = Number(good.readBigUInt64LE(0));
  const hdr = JSON.parse(good.subarray(8, 8 + n).toString());
  // The same data under an edited header.
  const reheader = (h: Record<string, unknown>) => { const j = Buffer.from(JSON.stringify(h)); const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(j.length)); return Buffer.concat([b, j, good.subarray(8 + n)]); };
  cases.push(["bf16.safetensors", reheader({ ...hdr, "out.bias": { ...hdr["out.bias"], dtype: "BF16" } }), /bf16\.safetensors.*dtype "BF16".*F32 and F16/]);
  const enc = (skip: string) => { const d = decodeSafetensors(good, "g"); return encodeSafetensors([...d.tensors].filter(([k]) => k !== skip).map(([name, t]) => ({ name, ...t })), d.metadata); };
  cases.push(["missing.safetensors", enc("out.bias"), /missing\.safetensors: lacks tensor 'out\.bias'/]);
  cases.push(["nometa.safetensors", encodeSafetensors([{ name: "a", shape: [1], data: new Float32Array(1) }], {}), /nometa\.safetensors: its metadata format/]);
  const before = tf.memory().numTensors;
  for (const [name, bytes, re] of cases) {
    const p = await write(name, bytes);
    await assert.rejects(loadModel(p), (e: Error) => { assert.match(e.message, re); assert.ok(!e.message.includes("\n"), e.message); return true; }, name);
  }
  assert.equal(tf.memory().numTensors, before, "no tensor of a failed load stays alive");
  m.dispose();
  await fs.rm(dir, { recursive: true });
});
