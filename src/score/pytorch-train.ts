/**
 * A scorelab score network trained by PyTorch instead: scripts/torch_score.py (the PyTorch twin of the MLP and
 * U-Net, run with Debian's python3-torch) trains a copy of `template`'s architecture by DSM and writes it as
 * safetensors in scorelab's layout, which loads back as a ScoreNet. How the fusion notebook gets auxiliaries that
 * PyTorch trained, and a check that models from either side mean the same thing.
 */
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkTensor, fail } from "../tensor";
import type { ScoreNet } from "./score-net";
import { sdeSettings } from "./sde-settings";
import { loadModel } from "./checkpoint";

export const TORCH_SCORE_SCRIPT = path.resolve(__dirname, "..", "..", "..", "scripts", "torch_score.py");

export interface PyTorchTrainOptions {
  /** Adam steps (default 1000), learning rate (default 1e-3), minibatch (default 256; all rows if fewer). */
  steps?: number;
  lr?: number;
  batchSize?: number;
  /** torch.manual_seed (default 0). */
  seed?: number;
  /** Folder for model.safetensors, model.pt and scores.json (default a fresh temporary folder). */
  outDir?: string;
  /** The Python with torch (default /usr/bin/python3, Debian's python3-torch). */
  python?: string;
  signal?: AbortSignal;
}

/**
 * Trains `template`'s network (same config and embedding frequencies, fresh weights) in PyTorch on `data` and
 * loads the result. The SDE must be VP with a linear schedule (what the PyTorch twin implements).
 * @example const aux = await trainInPyTorch(mlpScoreNet(vpSDE(), [1], new Rng(0), { width: 64 }), data, { steps: 1500 });
 */
export async function trainInPyTorch(template: ScoreNet, data: tf.Tensor, opts: PyTorchTrainOptions = {}): Promise<ScoreNet> {
  const fn = "trainInPyTorch";
  if (!template || typeof template.scoreWith !== "function") fail(fn, "template", "must be a ScoreNet (mlpScoreNet or unetScoreNet)");
  checkTensor(data, "data", fn);
  const rowSize = data.shape.slice(1).reduce((a, b) => a * b, 1);
  if (data.rank < 2 || rowSize !== template.net.inputSize) fail(fn, "data", `must have shape [n, ${template.shape}], got [${data.shape}]`);
  const settings = sdeSettings(template.sde);
  const lin = /^linear\(([-0-9.eE+]+), ([-0-9.eE+]+)\)$/.exec(settings.schedule);
  if (settings.kind !== "vp" || !lin) fail(fn, "template.sde", `must be a VP SDE with a linear schedule (the PyTorch twin's), got ${settings.description}`);
  const steps = checkNumber(opts.steps ?? 1000, "opts.steps", fn, { integer: true, min: 1 });
  const lr = checkNumber(opts.lr ?? 1e-3, "opts.lr", fn, { gt: 0 });
  const batchSize = checkNumber(opts.batchSize ?? 256, "opts.batchSize", fn, { integer: true, min: 1 });
  const seed = checkNumber(opts.seed ?? 0, "opts.seed", fn, { integer: true, min: 0 });
  const dir = opts.outDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-pytorch-")));
  await fs.mkdir(dir, { recursive: true });
  const n = data.shape[0];
  const spec = {
    network: template.config.network, sigmaData: template.config.sigmaData,
    sde: { beta0: Number(lin![1]), beta1: Number(lin![2]), T: template.sde.T }, sdeSettings: settings,
    x: Array.from(data.dataSync()), xShape: data.shape, t: new Array<number>(n).fill(0.5), steps, lr, batchSize, seed,
  };
  const specFile = path.join(dir, "spec.json");
  await fs.writeFile(specFile, JSON.stringify(spec));
  await runPython(opts.python ?? "/usr/bin/python3", [TORCH_SCORE_SCRIPT, "train", specFile, dir], opts.signal, fn);
  return loadModel(path.join(dir, "model.safetensors"), { sde: template.sde });
}

function runPython(python: string, args: string[], signal: AbortSignal | undefined, fn: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ["ignore", "ignore", "pipe"], signal });
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    child.on("error", (e) => e.name === "AbortError" ? reject(e) : reject(new Error(`${fn}: could not run ${python} (${e.message}); PyTorch training needs Python with torch (Debian: python3-torch)`)));
    child.on("close", (code) => code === 0 ? resolve() : reject(new Error(`${fn}: ${path.basename(args[0])} failed (exit ${code}):\n${err.trim()}`)));
  });
}
