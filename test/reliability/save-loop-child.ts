/**
 * Child process for checkpoint-kill.test.ts: saves one model over and over into a directory, each save with
 * known weights (weightsFor(i)), printing "saved i" after each save returns. Does nothing unless started with
 * --child (node --test also loads every .js file under test/). A 5th argument "alternate" makes odd saves
 * safetensors and even ones scorelab's format, so kills also land between the formats' replace steps.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, saveModel, ScoreNet } from "../../src/score";

/** The model every save and load in the kill test uses (about 70k floats, so a save takes a few ms). */
export function killTestModel(): ScoreNet {
  return mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 128, depth: 3 });
}

/** Weights of save number i: element j of variable k is i + ((7k + j) mod 61) / 64, exact in float32. */
export function weightsFor(i: number, k: number, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let j = 0; j < size; j++) out[j] = i + ((7 * k + j) % 61) / 64;
  return out;
}

async function main(dir: string, start: number, alternate: boolean): Promise<void> {
  const model = killTestModel();
  for (let i = start; ; i++) {
    model.variables.forEach((v, k) => v.assign(tf.tensor(weightsFor(i, k, v.size), v.shape)));
    await saveModel(model, dir, { format: alternate && i % 2 === 1 ? "safetensors" : "scorelab" });
    process.stdout.write(`saved ${i}\n`);
  }
}

if (require.main === module && process.argv[2] === "--child") {
  void main(process.argv[3], Number(process.argv[4]), process.argv[5] === "alternate");
}
