/**
 * Loads the torch addon (native/torch, an N-API module over libtorch's ATen) built at install by
 * scripts/build-native.js, or by `scorelab setup` where npm did not run install scripts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface TorchInfo {
  version: string;
  cudaBuilt: boolean;
  cudaAvailable: boolean;
  device: "cpu" | "cuda";
  threads: number;
  parallel: string;
  gpuName?: string;
  gpuMemory?: number;
}

/** The addon's surface (native/torch/addon.cc). */
export interface TorchAddon {
  write(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: string): number;
  read(handle: number): Float32Array | Int32Array | Uint8Array;
  free(handle: number): void;
  opIds(): Record<string, number>;
  /** Returns [count, (handle, dtypeCode, rank, ...shape) per output]. */
  run(op: number, handles: Int32Array, attrs: object): number[];
  memory(): { tensors: number; bytes: number };
  setDevice(device: string): void;
  setThreads(n: number): void;
  info(): TorchInfo;
  sync(): void;
  /** Loads a torch.jit.save file on the current device; throws an Error naming the file. Returns a module handle. */
  jitLoad(path: string): number;
  /** Calls the module's forward on table tensors; returns outputs as `run` does (no copies). */
  jitForward(module: number, handles: Int32Array): number[];
  jitFree(module: number): void;
}

/** Where the built addon lives inside the installed package. */
export const TORCH_ADDON_PATH = path.resolve(__dirname, "..", "..", "..", "..", "native", "torch", "build", "Release", "scorelab_torch.node");

let cached: TorchAddon | null = null;
let failure: string | null = null;

/** The addon, or throws an Error that says why it is missing and how to build it. */
export function torchAddon(): TorchAddon {
  if (cached) return cached;
  if (failure) throw new Error(failure);
  if (!fs.existsSync(TORCH_ADDON_PATH)) {
    failure = "the torch addon is not built (run `npx scorelab setup` after installing Debian's libtorch-dev or setting LIBTORCH=/path/to/libtorch)";
    throw new Error(failure);
  }
  try {
    // libtorch's OpenMP threads spin at every barrier by default; on a machine whose cores are busy with other
    // work (a shared server, a second process) that made a 2-thread W1 step 4x slower than 1 thread (330 against
    // 82 ms, measured here at load 5.4), while sleeping threads (PASSIVE) kept it at 80-86 ms. libgomp reads the
    // policy when it loads, which is now; a policy the user set is kept.
    if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = "PASSIVE";
    // Debian's libtorch runs its products through OpenBLAS, whose own thread pool (one busy-waiting thread per
    // core) comes on top of ATen's OpenMP threads: a 64-d MLP step (width 256, batch 128, the fusion study's)
    // took 21.3 ms with it and 11.8 ms with one OpenBLAS thread, measured here at load 4.6. A count the user set
    // is kept; SCORELAB_THREADS still sets ATen's (and oneDNN's) threads.
    if (process.env.OPENBLAS_NUM_THREADS === undefined) process.env.OPENBLAS_NUM_THREADS = "1";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require(TORCH_ADDON_PATH) as TorchAddon;
    return cached;
  } catch (e) {
    failure = `the torch addon did not load (${(e as Error).message.split("\n")[0]})`;
    throw new Error(failure);
  }
}
