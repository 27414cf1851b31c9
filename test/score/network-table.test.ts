// The network kinds as table rows (src/score/network-table.ts, issue 18): the magics' --net choices are the table's,
// and a row builds the very network the named builders build from the same Rng (the magics' numbers do not change).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { NETWORKS, NETWORK_NAMES, ScoreNet, mlpScoreNet, unetScoreNet } from "../../src/score";
import { trainingFlags } from "../../src/magics/training-data";

test("--net offers the table's rows, with their help", () => {
  const net = trainingFlags.find((f) => f.flags.startsWith("--net"))!;
  assert.deepEqual(net.choices, NETWORK_NAMES);
  for (const n of NETWORK_NAMES) assert.ok(net.description.includes(NETWORKS[n].description), n);
  assert.deepEqual(NETWORKS.unet.sampleShape([1, 8, 8]), [8, 8]);
  assert.deepEqual(NETWORKS.mlp.sampleShape([1, 8, 8]), [1, 8, 8]);
});

test("a row builds the same weights as mlpScoreNet / unetScoreNet from the same seed", async () => {
  await initBackend();
  const sde = vpSDE();
  const before = tf.memory().numTensors;
  const pairs: [ScoreNet, ScoreNet][] = [
    [new ScoreNet(sde, NETWORKS.mlp.build([3], new Rng(5), { width: 16, depth: 2 })), mlpScoreNet(sde, [3], new Rng(5), { width: 16, depth: 2 })],
    [new ScoreNet(sde, NETWORKS.unet.build([8, 8], new Rng(6), { width: 4 })), unetScoreNet(sde, [8, 8], new Rng(6), { channels: 4 })],
  ];
  for (const [a, b] of pairs) {
    assert.equal(a.variables.length, b.variables.length);
    a.variables.forEach((v, i) => assert.deepEqual(Array.from(v.dataSync()), Array.from(b.variables[i].dataSync())));
    a.dispose(); b.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "the built networks' weights are all freed");
});
