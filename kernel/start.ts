/** Starts the scorelab kernel on a Jupyter connection file (what `scorelab kernel --config-path F` runs). */
// First: captures the real stdout/stderr writes before anything else can replace them.
import { installOutputRouting } from "./output";
import { installExitGuard } from "./exit-guard";
import { createKernelExecutor } from "./executor";
import { ScorelabHandler, ScorelabServer } from "./server";
import { readConnection } from "./connection";

/**
 * Preloads (tf, lab, magics, backend), then serves Jupyter's ZMQ protocol. Never calls tslab's startKernel,
 * which would hand over to whatever node_modules/tslab sits near the notebook.
 * @example await startKernel("/tmp/kernel-123.json");
 */
export async function startKernel(configPath: string): Promise<void> {
  if (typeof configPath !== "string" || !configPath) throw new Error("startKernel(): argument 'configPath' must be a connection file path");
  // A bad connection file (no key, an unknown signature_scheme) fails here, before seconds of preload.
  readConnection(configPath);
  installOutputRouting();
  const kx = createKernelExecutor(process.cwd());
  const banner = await kx.preload();
  process.stderr.write(banner + "\n");
  const server = new ScorelabServer(kx, new ScorelabHandler(kx, () => `scorelab (TypeScript) — ${banner.replace(/^scorelab: /, "")}\n%lsmagic lists magics; tf and lab are preloaded.`), configPath);
  process.on("SIGINT", () => kx.interrupt());
  // A user's stray promise must not take the kernel down. tfjs-backend-wasm's Emscripten glue (loaded by the
  // preload) adds listeners that rethrow every uncaught exception and unhandled rejection, killing the process
  // even with the handlers below; they go first.
  process.removeAllListeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  // These run in the async context of the code that failed: a cell's error goes to that cell, the kernel's own
  // to the kernel's stderr (kernel/output.ts).
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  // Cells share this process: process.exit() in a cell throws instead of killing the kernel with no reply. The
  // kernel itself never exits on its own today (Jupyter ends it after shutdown_request); realExit is the way out.
  realExit = installExitGuard(process);
  await server.init();
}

/** The real process.exit, captured before cells can run (undefined until startKernel has run). */
export let realExit: ((code?: number) => never) | undefined;
