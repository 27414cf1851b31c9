/**
 * Score models as safetensors files laid out the way a PyTorch module of the same architecture holds its
 * state_dict, so `module.load_state_dict(load_file(path))` and this loader read each other's files:
 *   dense  scorelab [in, out]              <-> nn.Linear weight [out, in]
 *   conv   scorelab [9 cin, cout] (dy,dx,cin rows, an HWIO filter) <-> nn.Conv2d weight [cout, cin, 3, 3]
 *   skip   scorelab [cin, cout]            <-> 1x1 nn.Conv2d weight [cout, cin, 1, 1]
 *   names  "<layer>.w" -> "<layer>.weight", ".b" -> ".bias", norm ".g" -> ".weight"; EMA copies under "ema.";
 *          the U-Net's "in" layer is "conv_in" ("in" is a Python keyword, so no module attribute can have it)
 *   "embedding.freqs" holds the time embedding's frequencies (a buffer on the PyTorch side).
 * The "__metadata__" entry carries what the weights alone do not: format, network config, sigma_data, SDE.
 */
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { Rng } from "../tensor";
import type { SDE } from "../sde/types";
import type { NetworkConfig } from "./network";
import { SCORE_PARAMS, ScoreParam, checkParamMatch } from "./parameterisation";
import { ScoreNet, buildNetwork } from "./score-net";
import { networkKind, type TorchLayout } from "./network-table";
import { SDESettings, sdeFromSettings, sdeMismatch, sdeSettings } from "./sde-settings";
import { RawTensor, decodeSafetensors, encodeSafetensors } from "./safetensors";

export const SAFETENSORS_FORMAT = "scorelab-safetensors";
export const SAFETENSORS_FILE = "model.safetensors";
const FREQS = "embedding.freqs";

function kindOf(config: NetworkConfig, name: string): TorchLayout {
  return name.endsWith(".w") ? networkKind(config.kind, "kindOf", "config.kind").torchLayout(name) : "plain";
}

/** The PyTorch state_dict name of a scorelab parameter name. */
export function torchName(name: string): string {
  return name.replace(/^in\./, "conv_in.").replace(/\.w$/, ".weight").replace(/\.b$/, ".bias").replace(/\.g$/, ".weight");
}

/** Rearranges one scorelab tensor to the PyTorch layout (`back` false) or a PyTorch one to scorelab's (`back` true). */
function relayout(kind: TorchLayout, t: RawTensor, sl: number[], back: boolean): RawTensor {
  if (kind === "plain") return { shape: back ? sl : t.shape, data: t.data };
  const [rows, cols] = sl;
  const out = new Float32Array(rows * cols);
  if (kind === "dense" || kind === "skip") {
    // scorelab [rows=in, cols=out] <-> torch [out, in(, 1, 1)].
    for (let i = 0; i < rows; i++) for (let o = 0; o < cols; o++) {
      if (back) out[i * cols + o] = t.data[o * rows + i]; else out[o * rows + i] = t.data[i * cols + o];
    }
    return { shape: back ? sl : kind === "skip" ? [cols, rows, 1, 1] : [cols, rows], data: out };
  }
  const cin = rows / 9;
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) for (let ci = 0; ci < cin; ci++) for (let co = 0; co < cols; co++) {
    const s = ((dy * 3 + dx) * cin + ci) * cols + co;
    const p = ((co * cin + ci) * 3 + dy) * 3 + dx;
    if (back) out[s] = t.data[p]; else out[p] = t.data[s];
  }
  return { shape: back ? sl : [cols, cin, 3, 3], data: out };
}

/** The shape a scorelab tensor of shape `sl` has in the PyTorch layout. */
function torchShape(kind: TorchLayout, sl: number[]): number[] {
  if (kind === "plain") return sl;
  if (kind === "dense") return [sl[1], sl[0]];
  if (kind === "skip") return [sl[1], sl[0], 1, 1];
  return [sl[1], sl[0] / 9, 3, 3];
}

/** The bytes of `model` as a safetensors file (weights, EMA copies when kept, metadata). */
export async function modelToSafetensors(model: ScoreNet): Promise<Uint8Array> {
  const cfg = model.config.network;
  const entries: ({ name: string } & RawTensor)[] = [];
  const groups: [string, tf.Tensor[]][] = [["", model.variables]];
  if (model.ema) groups.push(["ema.", model.ema]);
  for (const [prefix, list] of groups) {
    for (let i = 0; i < list.length; i++) {
      const name = model.names[i];
      const t = relayout(kindOf(cfg, name), { shape: list[i].shape, data: await list[i].data() as Float32Array }, list[i].shape, false);
      entries.push({ name: prefix + torchName(name), ...t });
    }
  }
  entries.push({ name: FREQS, shape: [cfg.embedding.freqs.length], data: Float32Array.from(cfg.embedding.freqs) });
  return encodeSafetensors(entries, {
    format: SAFETENSORS_FORMAT, version: "1", network: JSON.stringify(cfg), sigma_data: String(model.config.sigmaData), param: model.config.param,
    use_ema: String(model.useEma && model.ema !== null), sde: JSON.stringify(sdeSettings(model.sde)),
  });
}

function parseJson<T>(text: string | undefined, key: string, bad: (w: string) => never): T {
  if (text === undefined) bad(`its metadata has no '${key}' entry (scorelab needs the network config and SDE next to the weights)`);
  try { return JSON.parse(text!) as T; } catch { return bad(`its metadata '${key}' is not JSON`); }
}

/**
 * Reads a safetensors score model written by saveModel(..., { format: "safetensors" }) or by PyTorch with the
 * layout above. All tensors are checked before any variable is assigned; on any problem the half-built model is
 * disposed and one Error names the file.
 * @example const model = await loadSafetensorsModel("runs/gmm/model.safetensors");
 */
export async function loadSafetensorsModel(file: string, opts: { sde?: SDE; param?: ScoreParam } = {}): Promise<ScoreNet> {
  const bad = (what: string): never => { throw new Error(`loadModel: ${file}: ${what}`); };
  const bytes = await fs.readFile(file).catch((e: Error) => bad(`cannot be read (${e.message})`));
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  if (metadata.format !== SAFETENSORS_FORMAT) bad(`its metadata format is ${JSON.stringify(metadata.format)}, expected "${SAFETENSORS_FORMAT}"`);
  const network = parseJson<NetworkConfig>(metadata.network, "network", bad);
  const settings = parseJson<SDESettings>(metadata.sde, "sde", bad);
  const sigmaData = Number(metadata.sigma_data ?? "1");
  if (!(sigmaData > 0)) bad(`its metadata sigma_data ${JSON.stringify(metadata.sigma_data)} is not a positive number`);
  // Files written before parameterisations existed (and PyTorch exports without the key) are eps.
  const param = (metadata.param ?? "eps") as ScoreParam;
  if (!SCORE_PARAMS.includes(param)) bad(`its metadata param ${JSON.stringify(metadata.param)} is not one of ${SCORE_PARAMS.join(", ")}`);
  checkParamMatch(opts.param, param, "loadModel");
  let sde: SDE;
  if (opts.sde) {
    const diff = sdeMismatch(opts.sde, settings);
    if (diff) bad(`opts.sde differs from the file's SDE (${settings.description}): ${diff}`);
    sde = opts.sde;
  } else {
    const rebuilt = sdeFromSettings(settings);
    if (!rebuilt) bad(`its SDE schedule '${settings.schedule}' cannot be rebuilt from its name; pass opts.sde`);
    sde = rebuilt!;
  }
  const freqs = tensors.get(FREQS);
  if (freqs) {
    if (freqs.data.length !== network.embedding?.freqs?.length) bad(`tensor '${FREQS}' has ${freqs.data.length} values, the network config ${network.embedding?.freqs?.length}`);
    network.embedding.freqs = Array.from(freqs.data);
  }
  let net;
  try { net = buildNetwork(network, new Rng(0)); } catch (e) { return bad(`its network config does not build: ${(e as Error).message}`); }
  const model = new ScoreNet(sde, net, { sigmaData, param });
  try {
    const hasEma = model.names.some((n) => tensors.has("ema." + torchName(n)));
    const values = (prefix: string): RawTensor[] => model.names.map((name, i) => {
      const key = prefix + torchName(name);
      const t = tensors.get(key);
      if (!t) bad(`lacks tensor '${key}' that the ${network.kind} needs`);
      const kind = kindOf(network, name);
      const want = torchShape(kind, model.variables[i].shape);
      if (t!.shape.length !== want.length || t!.shape.some((d, j) => d !== want[j])) bad(`has tensor '${key}' of shape [${t!.shape}], the network expects [${want}]`);
      return relayout(kind, t!, model.variables[i].shape, true);
    });
    const raw = values("");
    const ema = hasEma ? values("ema.") : null;
    raw.forEach((t, i) => tf.tidy(() => model.variables[i].assign(tf.tensor(t.data, t.shape, "float32"))));
    if (ema) {
      model.resetEma();
      ema.forEach((t, i) => tf.tidy(() => model.ema![i].assign(tf.tensor(t.data, t.shape, "float32"))));
    }
    model.useEma = ema !== null && metadata.use_ema !== "false";
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Where a safetensors checkpoint of directory `dir` lives. */
export const safetensorsPath = (dir: string) => path.join(dir, SAFETENSORS_FILE);
