/** Whether the active backend is `torch` and its addon has the op for `kernel` (an older build may not). */
import * as tf from "@tensorflow/tfjs";

export function torchServes(kernel: string): boolean {
  if (tf.getBackend() !== "torch" || tf.getKernel(kernel, "torch") === undefined) return false;
  const b = tf.backend() as unknown as { opId?(k: string): number | undefined };
  return typeof b.opId === "function" && b.opId(kernel) !== undefined;
}
