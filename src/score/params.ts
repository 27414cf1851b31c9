/**
 * Named parameter lists for the hand-written networks. Parameters are plain `tf.Variable`s kept in a fixed order
 * with our own names beside them: tfjs registers variable names globally, so giving them names would make a
 * second model of the same kind collide.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../tensor";

/** One trainable tensor of a network, with its name in checkpoints. */
export interface Param { name: string; variable: tf.Variable }

/** Collects parameters in creation order; the order is the checkpoint order. */
export class ParamList {
  readonly params: Param[] = [];

  /** A variable holding `init`; `init` is disposed (tf.variable keeps its argument alive otherwise). */
  add(name: string, init: tf.Tensor): tf.Variable {
    if (this.params.some((p) => p.name === name)) throw new Error(`ParamList.add: duplicate parameter name '${name}'`);
    const variable = tf.variable(init, true);
    init.dispose();
    this.params.push({ name, variable });
    return variable;
  }

  /** Weight of a dense or im2col layer, LeCun-normal (std 1/sqrt(fanIn)); `gain` 0 gives zeros. */
  dense(name: string, fanIn: number, fanOut: number, rng: Rng, gain = 1): tf.Variable {
    const init = gain === 0 ? tf.zeros([fanIn, fanOut]) : rng.normal([fanIn, fanOut], 0, gain / Math.sqrt(fanIn));
    return this.add(name, init);
  }

  zeros(name: string, shape: number[]): tf.Variable { return this.add(name, tf.zeros(shape)); }
  ones(name: string, shape: number[]): tf.Variable { return this.add(name, tf.ones(shape)); }

  get variables(): tf.Variable[] { return this.params.map((p) => p.variable); }
  get names(): string[] { return this.params.map((p) => p.name); }
}
