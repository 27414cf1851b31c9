/**
 * A trained score model copied into a fresh one: the starting point of a fine-tuned or warm-started baseline.
 * The copy is built from the source's config, not from a new seed: the network's fixed parts (the Fourier time
 * embedding's frequencies are drawn at construction and are not weights) must be the source's, or the copied weights
 * compute another function.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, fail } from "../tensor";
import { ScoreNet, buildNetwork } from "./score-net";

/**
 * A new ScoreNet with `src`'s config and, as its raw weights, the weights `src` scores with (its EMA after training).
 * It scores exactly as `src` does; training it leaves `src` as it was.
 * @example const tuned = cloneScoreNet(aux); await trainScore(tuned, target, { steps: 500, rng });
 */
export function cloneScoreNet(src: ScoreNet): ScoreNet {
  if (!(src instanceof ScoreNet)) fail("cloneScoreNet", "src", "must be a ScoreNet");
  // The rng only seeds initial weights, all of which are overwritten below.
  const net = buildNetwork(src.config.network, new Rng(0));
  const dst = new ScoreNet(src.sde, net, { sigmaData: src.config.sigmaData, param: src.config.param });
  const from = src.weights();
  tf.tidy(() => dst.variables.forEach((v, i) => v.assign(from[i])));
  return dst;
}
