// The network kinds as table rows (src/score/network-table.ts, issue 18): the magics' --net choices are the table's,
// and a row builds the very network the named builders build from the same Rng (the magics' numbers do not change).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { NETWORKS, NETWORK_NAMES, ScoreNet, buildNetwork, mlpConfig, mlpScoreNet, unetConfig, unetScoreNet } from "../../src/score";
import { networkKind, type NetworkName, type TorchLayout } from "../../src/score/network-table";
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

test("every row builds a network of its kind, and buildNetwork rebuilds it from its saved config through the row", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  for (const name of NETWORK_NAMES) {
    const row = NETWORKS[name as NetworkName];
    // One item of a [1, 4, 4] image data set: every kind takes it (the U-Net as [4, 4]).
    const shape = row.sampleShape([1, 4, 4]);
    const net = row.build(shape, new Rng(1), { width: 4, depth: 1 });
    assert.equal(net.config.kind, name);
    assert.equal(net.inputSize, 16, name);
    assert.ok(row.describe(net.config).startsWith(`${name} (`), row.describe(net.config));
    const out = tf.tidy(() => net.apply(tf.zeros([2, ...shape]), tf.fill([2], 0.5)));
    assert.deepEqual(out.shape, [2, ...shape], name);
    out.dispose();
    // buildNetwork must go through the row: the same config and seed give the same weights both ways.
    const a = buildNetwork(net.config, new Rng(2)), b = row.fromConfig(net.config, new Rng(2));
    assert.deepEqual(a.names, net.names, name);
    a.variables.forEach((v, i) => assert.deepEqual(Array.from(v.dataSync()), Array.from(b.variables[i].dataSync()), `${name} ${a.names[i]}`));
    const layouts = new Set<TorchLayout>(net.names.filter((n) => n.endsWith(".w")).map((n) => row.torchLayout(n)));
    for (const l of layouts) assert.ok(["dense", "conv", "skip"].includes(l), `${name}: ${l}`);
    net.dispose(); a.dispose(); b.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "every built network is freed");
  assert.equal(NETWORKS.mlp.describe(mlpConfig([2], new Rng(0), { width: 8, depth: 2 })), "mlp (width 8, depth 2)");
  assert.equal(NETWORKS.unet.describe(unetConfig([4, 4], new Rng(0), { channels: 8 })), "unet (8 channels)");
});

test("an unknown network kind is one Error that lists the kinds", () => {
  const list = NETWORK_NAMES.join(", ");
  assert.equal(list, "mlp, unet");
  assert.throws(() => buildNetwork({ kind: "resnet", shape: [2] } as never, new Rng(0)),
    { message: `buildNetwork: argument 'config.kind' must be a network kind: one of ${list}, got "resnet"` });
  // Inherited keys are not rows.
  assert.throws(() => networkKind("constructor", "f", "net"), { message: `f: argument 'net' must be a network kind: one of ${list}, got "constructor"` });
  assert.throws(() => buildNetwork(null as never, new Rng(0)), /buildNetwork: argument 'config' must be a network config object/);
  assert.equal(networkKind("unet", "f", "net"), NETWORKS.unet);
});
