// Shared fixtures of the flow-matching tests (not a test file itself).
import * as tf from "@tensorflow/tfjs";
import { GaussianMixture } from "../../src/data/gmm";

export const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
export const gmm2 = () => new GaussianMixture({ weights: [0.3, 0.7], means: [[-2, 1], [1.5, -0.5]], covs: [[[0.5, 0.2], [0.2, 0.3]], 0.8] });
