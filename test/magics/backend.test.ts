/** %backend: the backend the ladder chose, printed as describeBackend says it, or returned quietly. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { backendMagic } from "../../src/magics/backend";
import { describeBackend } from "../../src/tensor/backend";
import { context, runLine } from "./context";

test("%backend returns the active backend's info and prints its description; -q prints nothing", async () => {
  const { ctx, printed } = context({});
  const info = await runLine(backendMagic, [], ctx);
  assert.equal(info.name, tf.getBackend());
  assert.equal(info.name, process.env.SCORELAB_BACKEND ?? "torch");
  assert.deepEqual(printed, [describeBackend(info)]);
  const quiet = context({});
  assert.deepEqual(await runLine(backendMagic, ["-q"], quiet.ctx), info);
  assert.deepEqual(quiet.printed, []);
});
