/**
 * Registers and activates the `torch` tfjs backend on a device. SCORELAB_DEVICE=cpu|cuda picks the device (CUDA
 * first where libtorch has it); SCORELAB_THREADS sets libtorch's intra-op threads (default: the cores this
 * process may use).
 */
import * as tf from "@tensorflow/tfjs";
import { TorchAddon, TorchInfo, torchAddon } from "./addon";
import { TorchBackend } from "./backend";
import { registerTorchKernels } from "./kernels";
import { availableCores, envCount } from "../cores";

export { TorchBackend } from "./backend";
export { SPECS as TORCH_KERNELS, registerTorchKernels } from "./kernels";
export { torchAddon, TORCH_ADDON_PATH } from "./addon";
export type { TorchInfo, TorchAddon } from "./addon";

/** The thread count SCORELAB_THREADS asks for, or the cores scorelab may use (SCORELAB_CORES, else this process's). */
export function torchThreads(env: NodeJS.ProcessEnv = process.env): number {
  return envCount(env, "SCORELAB_THREADS") ?? availableCores(env);
}

/** Whether the addon loads and sees a CUDA device (false, never a throw, where it does not). */
export function torchCudaAvailable(): boolean {
  try { return torchAddon().info().cudaAvailable; } catch { return false; }
}

let registered = false;

/**
 * Makes `torch` on `device` the active tfjs backend. Throws an Error saying why where the addon is missing or
 * the device is absent.
 */
export async function activateTorch(device: "cpu" | "cuda"): Promise<TorchInfo> {
  const addon: TorchAddon = torchAddon();
  addon.setDevice(device);
  addon.setThreads(torchThreads());
  if (!registered) {
    tf.registerBackend("torch", () => new TorchBackend(addon), 3);
    registerTorchKernels("torch");
    registered = true;
  }
  const ok = await tf.setBackend("torch");
  if (!ok) throw new Error('tf.setBackend("torch") failed');
  await tf.ready();
  return addon.info();
}

/** One line naming libtorch, the device and the threads, for banners and `%backend`. */
export function describeTorch(info: TorchInfo): string {
  const gpu = info.device === "cuda" ? `CUDA (${info.gpuName ?? "GPU"}${info.gpuMemory ? `, ${(info.gpuMemory / 2 ** 30).toFixed(1)} GiB` : ""})` : "CPU";
  return `libtorch ${info.version} on ${gpu}, ${info.threads} intra-op thread${info.threads === 1 ? "" : "s"}`;
}
