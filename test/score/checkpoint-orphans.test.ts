import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { loadModel, mlpScoreNet, saveModel } from "../../src/score";

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
