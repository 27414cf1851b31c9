/**
 * Skip reasons shared by the PyTorch tests: the fixtures need Debian's python3-torch, and TorchScript needs the
 * torch backend (the suite's top rung; a run forced onto wasm, or a machine without the addon, skips those parts).
 */
import { spawnSync } from "node:child_process";
import { torchAddon } from "../../src/tensor/torch/addon";

export const PY = "/usr/bin/python3";

export const noPythonTorch: string | false = spawnSync(PY, ["-c", "import torch"]).status !== 0 ? "needs Debian's python3-torch (/usr/bin/python3 with torch)" : false;

function torchBackendReason(): string | false {
  const forced = process.env.SCORELAB_BACKEND;
  if (forced && forced !== "torch") return `TorchScript needs the torch backend (SCORELAB_BACKEND=${forced})`;
  try { torchAddon(); return false; } catch (e) { return `TorchScript needs the torch backend: ${(e as Error).message}`; }
}

/** Why TorchScript tests cannot run here, or false. */
export const noTorchScript: string | false = noPythonTorch || torchBackendReason();
