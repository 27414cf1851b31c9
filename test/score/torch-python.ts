/**
 * What the PyTorch tests need: Debian's python3-torch for the fixtures (npm install and CI install it) and, for
 * TorchScript, the torch backend (the suite's top rung). A missing part fails the test with the reason; these
 * tests never skip themselves (`npm test` runs test/score on torch only).
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

/** Fails the calling test with the reason when a part it needs is missing. */
export function needs(reason: string | false): void {
  if (reason) throw new Error(`this test ${reason}`);
}
