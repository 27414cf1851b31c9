/**
 * %load_model: a score model from disk. A scorelab checkpoint directory or a .safetensors file (scorelab's own, or
 * one written by PyTorch in the layout of src/score/safetensors-model.ts) becomes a ScoreNet; any other file is read
 * as TorchScript (torch.jit.save) and becomes a TorchScriptModel, which needs --parameterisation, --shape and the
 * SDE it was trained under. Either result works with %sample, fusion and guidance. A failed load binds nothing.
 */
import { promises as fs } from "node:fs";
import { SCHEDULE_NAMES, SDE_KIND_NAMES, makeSDE, scheduleNamed, type NoiseSchedule, type SDE, type SDEKind } from "../sde";
import { PARAMETERISATIONS, loadModel, loadTorchScript, type Parameterisation, type ScoreNet, type TorchScriptModel } from "../score";
import { defineMagic, MagicError } from "./spec";

/** "28,28,1" -> [28, 28, 1]. */
function parseShape(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  if (!parts.length || parts.some((p) => !/^[1-9]\d*$/.test(p))) throw new Error(`expected one sample's shape as comma-separated positive integers like 28,28,1, got '${text}'`);
  return parts.map(Number);
}

function sdeOf(kind: unknown, schedule: unknown): SDE | undefined {
  if (kind === undefined) return undefined;
  const s: NoiseSchedule | undefined = schedule === undefined ? undefined : scheduleNamed(String(schedule), "%load_model", "--schedule");
  return makeSDE(kind as SDEKind, { schedule: s });
}

export const loadModelMagic = defineMagic<ScoreNet | TorchScriptModel>({
  name: "load_model",
  summary: "load a score model: a scorelab checkpoint, a safetensors file, or a TorchScript module from PyTorch",
  options: [
    { flags: "--parameterisation <p>", description: "TorchScript only (required): what the module returns", choices: PARAMETERISATIONS },
    { flags: "--shape <dims>", description: "TorchScript only (required): one sample's shape, channels last, e.g. 2 or 28,28,1", kind: parseShape },
    { flags: "--sde <kind>", description: "the SDE the model was trained under (TorchScript: required; checkpoints: checked against the file's)", choices: SDE_KIND_NAMES },
    { flags: "--schedule <name>", description: "noise schedule of --sde (default: linear for vp/subvp, geometric for ve)", choices: SCHEDULE_NAMES },
    { flags: "--layout <l>", description: "TorchScript image models: nchw (default, transposed at the boundary) or nhwc", choices: ["nchw", "nhwc"] },
  ],
  args: [{ name: "path", description: "checkpoint directory, .safetensors file, or TorchScript file (.pt)", required: true }],
  help: "Examples:\n  %load_model runs/gmm --as model\n  %load_model eps.safetensors --as model\n" +
    "  %load_model eps.pt --parameterisation eps --sde vp --shape 2 --as model\n" +
    "PyTorch side: torch.jit.save(torch.jit.trace(model, (x, t)), \"eps.pt\"), where model(x, t) takes x [n, ...] (NCHW images) and the SDE time t [n].\n" +
    "TorchScript runs on the torch backend only (see %backend).",
  async run({ args, opts }, ctx) {
    const file = args[0];
    if (typeof file !== "string" || !file) throw new MagicError("%load_model: the path must be text, e.g. %load_model runs/gmm --as model");
    const st = await fs.stat(file).catch(() => null);
    if (!st) throw new MagicError(`%load_model: ${file} does not exist`);
    const sde = sdeOf(opts.sde, opts.schedule);
    if (st.isDirectory() || file.endsWith(".safetensors")) {
      const model = await loadModel(file, sde ? { sde } : {});
      ctx.print(`loaded ${model.config.network.kind} score model [${model.shape}] from ${file} under ${model.sde.describe()}${model.useEma ? " (EMA weights)" : ""}`);
      return model;
    }
    const missing = [["--parameterisation", opts.parameterisation], ["--sde", opts.sde], ["--shape", opts.shape]].filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length) throw new MagicError(`%load_model: ${file} is read as TorchScript, which needs ${missing.join(", ")} (see %load_model?)`);
    const model = await loadTorchScript(file, {
      parameterisation: opts.parameterisation as Parameterisation, sde: sde!, inputShape: opts.shape as number[],
      layout: opts.layout as "nchw" | "nhwc" | undefined,
    });
    ctx.print(`loaded TorchScript ${model.parameterisation} model [${model.shape}] from ${file} under ${model.sde.describe()}`);
    return model;
  },
});
