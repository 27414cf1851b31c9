/**
 * Backend choice for the tensor core: torch on CUDA > tfjs-node-gpu > torch on CPU > tfjs-node > wasm (SIMD) > cpu.
 * SCORELAB_BACKEND=torch|wasm|cpu|tensorflow forces one; SCORELAB_DEVICE=cpu|cuda picks torch's device.
 * The choice is made once per process by `initBackend()`.
 */
import * as tf from "@tensorflow/tfjs";
import { climbLadder, Rung, Skipped } from "./ladder";
import { setWasmTransposeFix, wasmTransposeFixEnabled } from "./matmul-fix";
import { blasStatus, setWasmBlas } from "./blas";
import { activateTorch, describeTorch, torchAddon, TorchInfo } from "./torch";

export interface BackendInfo {
  /** Rung id: "torch-cuda", "tensorflow-gpu", "torch", "tensorflow", "wasm" or "cpu". */
  name: string;
  /** tfjs backend name as `tf.getBackend()` reports it. */
  tfBackend: string;
  /** Version of tfjs-core. */
  version: string;
  simd: boolean;
  threads: boolean;
  /** "CPU" or the GPU's description. */
  device: string;
  /** Why each higher rung was not used. */
  skipped: Skipped[];
  /** Whether SCORELAB_BACKEND forced the choice. */
  forced: boolean;
  /** Whether the transposed-matmul fix is installed (wasm only). */
  transposeFix: boolean;
  /** Whether wasm products and sums run through the OpenBLAS addon (src/tensor/blas.ts); SCORELAB_BLAS=0 turns it off. */
  blas: boolean;
  /** Why the OpenBLAS path is off, when it is (wasm only). */
  blasReason?: string;
  /** libtorch's version, device and threads (torch only). */
  torch?: TorchInfo;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") failed`);
  await tf.ready();
}

function nativeRung(id: string, pkg: string): Rung {
  return {
    id,
    backend: "tensorflow",
    load: async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(pkg);
      await activate("tensorflow");
      const b = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
      return { device: b.isUsingGpuDevice ? "GPU (CUDA)" : "CPU" };
    },
  };
}

let torchInfo: TorchInfo | undefined;

/** A torch rung; SCORELAB_DEVICE restricts which of the two may load. */
function torchRung(device: "cpu" | "cuda", env: NodeJS.ProcessEnv): Rung {
  return {
    id: device === "cuda" ? "torch-cuda" : "torch",
    backend: "torch",
    load: async () => {
      const want = env.SCORELAB_DEVICE ?? "";
      if (want !== "" && want !== "cpu" && want !== "cuda") throw new Error(`SCORELAB_DEVICE must be cpu or cuda, got "${want}"`);
      if (want !== "" && want !== device) throw new Error(`SCORELAB_DEVICE=${want}`);
      const addon = torchAddon();
      if (device === "cuda" && !addon.info().cudaAvailable) {
        throw new Error(addon.info().cudaBuilt ? "libtorch sees no CUDA device" : "libtorch was built without CUDA");
      }
      torchInfo = await activateTorch(device);
      return { device: describeTorch(torchInfo) };
    },
  };
}

/** The real rungs, top to bottom. */
export function defaultRungs(env: NodeJS.ProcessEnv = process.env): Rung[] {
  return [
    torchRung("cuda", env),
    nativeRung("tensorflow-gpu", "@tensorflow/tfjs-node-gpu"),
    torchRung("cpu", env),
    nativeRung("tensorflow", "@tensorflow/tfjs-node"),
    {
      id: "wasm",
      backend: "wasm",
      load: async () => {
        require("@tensorflow/tfjs-backend-wasm");
        // The fix must be in place before kernels run; it re-registers kernels, so do it before activation.
        setWasmTransposeFix(true);
        await activate("wasm");
        setWasmBlas(true);
        return { device: "CPU" };
      },
    },
    { id: "cpu", backend: "cpu", load: async () => { await activate("cpu"); return { device: "CPU" }; } },
  ];
}

let pending: Promise<BackendInfo> | null = null;
let current: BackendInfo | null = null;

/**
 * Chooses and activates the backend once per process; later calls return the same promise.
 * @example const info = await initBackend(); console.log(info.name); // "wasm" on a machine without tfjs-node
 */
export function initBackend(force: string | undefined = process.env.SCORELAB_BACKEND): Promise<BackendInfo> {
  if (!pending) {
    pending = (async () => {
      const choice = await climbLadder(defaultRungs(), force);
      current = {
        name: choice.rung.id,
        tfBackend: tf.getBackend(),
        version: tf.version_core,
        simd: choice.rung.backend === "wasm" && tf.env().getBool("WASM_HAS_SIMD_SUPPORT"),
        threads: choice.rung.backend === "wasm" && tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT"),
        device: choice.device,
        skipped: choice.skipped,
        forced: choice.forced,
        transposeFix: choice.rung.backend === "wasm" && wasmTransposeFixEnabled(),
        blas: choice.rung.backend === "wasm" && blasStatus().active,
        torch: choice.rung.backend === "torch" ? torchInfo : undefined,
      };
      if (choice.rung.backend === "wasm" && !current.blas) current.blasReason = blasStatus().reason;
      return current;
    })();
    pending.catch(() => { pending = null; });
  }
  return pending;
}

/** The active backend's description; throws if `initBackend()` has not finished. */
export function backendInfo(): BackendInfo {
  if (!current) throw new Error("backendInfo(): the tensor backend is not initialised yet; await initBackend() first");
  return { ...current, skipped: [...current.skipped] };
}

/** One line for banners and `%backend`. */
export function describeBackend(info: BackendInfo = backendInfo()): string {
  const flags = info.name === "wasm" ? ` (SIMD ${info.simd ? "on" : "off"}, threads ${info.threads ? "on" : "off"})` : "";
  const blas = info.blas ? ", OpenBLAS matmul on" : info.blasReason ? `, OpenBLAS matmul off (${info.blasReason})` : "";
  const why = info.skipped.length ? `; skipped ${info.skipped.map((s) => `${s.id}: ${s.reason}`).join("; ")}` : "";
  const forced = info.forced ? " [forced by SCORELAB_BACKEND]" : "";
  return `tfjs ${info.version} backend ${info.name}${flags} on ${info.device}${blas}${forced}${why}`;
}
