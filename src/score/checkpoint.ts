/**
 * Checkpoints of score models: a directory holding
 *   checkpoint.json         manifest: format version, network config, parameterisation, SDE settings, and the
 *                           name, group ("raw" or "ema"), shape and float offset of every tensor
 *   weights-<id>.bin        all tensors as little-endian float32, back to back
 * Saving is atomic: the weights go to a temp file that is fsynced and renamed to a fresh name, then the manifest
 * is written the same way and renamed over checkpoint.json last. A process killed mid-save leaves the previous
 * manifest pointing at the previous weights file, which is only deleted after the new manifest is in place.
 * `{ format: "safetensors" }` writes one model.safetensors instead (safetensors-model.ts), with the same
 * temp-file, fsync and rename steps; a directory holds one checkpoint, so either save removes the other format.
 */
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { Rng, fail } from "../tensor";
import type { SDE } from "../sde/types";
import type { NetworkConfig } from "./network";
import { ScoreNet, buildNetwork } from "./score-net";
import { ScoreParam, checkParamMatch, checkScoreParam } from "./parameterisation";
import { SDESettings, sdeFromSettings, sdeMismatch, sdeSettings } from "./sde-settings";
import { SAFETENSORS_FILE, loadSafetensorsModel, modelToSafetensors } from "./safetensors-model";

export const CHECKPOINT_FORMAT = "scorelab-checkpoint";
export const CHECKPOINT_VERSION = 1;
const MANIFEST = "checkpoint.json";

export interface TensorEntry { name: string; group: "raw" | "ema"; shape: number[]; offset: number }

export interface CheckpointManifest {
  format: string;
  version: number;
  kind: "score-net";
  network: NetworkConfig;
  sigmaData: number;
  /** The parameterisation (absent in checkpoints written before it existed: "eps"). */
  param?: ScoreParam;
  useEma: boolean;
  sde: SDESettings;
  weightsFile: string;
  /** Number of float32 values in the weights file. */
  floats: number;
  tensors: TensorEntry[];
  saved: string;
}

let saveCounter = 0;

export async function writeDurable(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  // Directory fsync makes the renames durable; some filesystems refuse it, which only weakens durability.
  try { const h = await fs.open(dir, "r"); try { await h.sync(); } finally { await h.close(); } } catch { /* not supported */ }
}

/**
 * Writes `model` to the checkpoint directory `dir` (created if missing), replacing an earlier checkpoint there.
 * `opts.format`: "scorelab" (default: checkpoint.json + weights) or "safetensors" (model.safetensors, readable by
 * PyTorch; see safetensors-model.ts).
 * @example await saveModel(model, "runs/gmm"); await saveModel(model, "runs/gmm-pt", { format: "safetensors" });
 */
export async function saveModel(model: ScoreNet, dir: string, opts: { format?: "scorelab" | "safetensors" } = {}): Promise<void> {
  const fn = "saveModel";
  if (!(model instanceof ScoreNet)) fail(fn, "model", "must be a ScoreNet");
  if (typeof dir !== "string" || dir.length === 0) fail(fn, "dir", "must be a non-empty directory path");
  const format = opts.format ?? "scorelab";
  if (format !== "scorelab" && format !== "safetensors") fail(fn, "opts.format", `must be "scorelab" or "safetensors", got ${JSON.stringify(format)}`);
  await fs.mkdir(dir, { recursive: true });
  if (format === "safetensors") return saveSafetensors(model, dir);
  const groups: ["raw" | "ema", tf.Tensor[]][] = [["raw", model.variables]];
  if (model.ema) groups.push(["ema", model.ema]);
  const tensors: TensorEntry[] = [];
  let floats = 0;
  for (const [group, list] of groups) list.forEach((v, i) => { tensors.push({ name: model.names[i], group, shape: v.shape, offset: floats }); floats += v.size; });
  const buf = new Float32Array(floats);
  let k = 0;
  for (const [, list] of groups) for (const v of list) { buf.set(await v.data() as Float32Array, tensors[k].offset); k++; }
  const previous = await readManifestIfAny(dir);
  const id = `${Date.now().toString(36)}-${process.pid}-${saveCounter++}`;
  inFlight.add(id);
  const weightsFile = `weights-${id}.bin`;
  const tmpWeights = path.join(dir, `.${weightsFile}.tmp`);
  await writeDurable(tmpWeights, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  await fs.rename(tmpWeights, path.join(dir, weightsFile));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, kind: "score-net", network: model.config.network,
    sigmaData: model.config.sigmaData, param: model.config.param, useEma: model.useEma, sde: sdeSettings(model.sde), weightsFile, floats, tensors,
    saved: new Date().toISOString(),
  };
  const tmpManifest = path.join(dir, `.${MANIFEST}.${id}.tmp`);
  await writeDurable(tmpManifest, JSON.stringify(manifest, null, 1));
  await fs.rename(tmpManifest, path.join(dir, MANIFEST));
  await syncDir(dir);
  if (previous && previous.weightsFile !== weightsFile && /^weights-[\w-]+\.bin$/.test(previous.weightsFile)) {
    await fs.rm(path.join(dir, previous.weightsFile), { force: true });
  }
  inFlight.delete(id);
  await fs.rm(path.join(dir, SAFETENSORS_FILE), { force: true });
  await removeOrphans(dir, weightsFile);
}

/** The safetensors save: temp file, fsync, rename over model.safetensors, then the other format is removed. */
async function saveSafetensors(model: ScoreNet, dir: string): Promise<void> {
  const bytes = await modelToSafetensors(model);
  const id = `${Date.now().toString(36)}-${process.pid}-${saveCounter++}`;
  const tmp = path.join(dir, `.${SAFETENSORS_FILE}.${id}.tmp`);
  inFlight.add(id);
  await writeDurable(tmp, bytes);
  await fs.rename(tmp, path.join(dir, SAFETENSORS_FILE));
  await syncDir(dir);
  const previous = await readManifestIfAny(dir);
  await fs.rm(path.join(dir, MANIFEST), { force: true });
  if (previous && /^weights-[\w-]+\.bin$/.test(previous.weightsFile)) await fs.rm(path.join(dir, previous.weightsFile), { force: true });
  inFlight.delete(id);
  await removeOrphans(dir, SAFETENSORS_FILE);
}

/** Which checkpoint `p` names: a .safetensors file, or a directory's newer of model.safetensors and checkpoint.json. */
async function checkpointKind(p: string): Promise<"safetensors-file" | "safetensors" | "scorelab"> {
  const st = await fs.stat(p).catch(() => null);
  if (st?.isFile()) return "safetensors-file";
  const [a, b] = await Promise.all([SAFETENSORS_FILE, MANIFEST].map((f) => fs.stat(path.join(p, f)).catch(() => null)));
  // Both exist only when a save was killed between its rename and the removal of the other format: the newer wins.
  return a && (!b || a.mtimeMs >= b.mtimeMs) ? "safetensors" : "scorelab";
}

/** Save ids (`<time36>-<pid>-<n>`) of this process's saves still writing: their files are not orphans yet. */
const inFlight = new Set<string>();
/** The files a save writes: weights-<id>.bin, .weights-<id>.bin.tmp, .checkpoint.json.<id>.tmp, .model.safetensors.<id>.tmp (group 1: the id). */
const OWN_FILES = [/^weights-([0-9a-z]+-\d+-\d+)\.bin$/, /^\.weights-([0-9a-z]+-\d+-\d+)\.bin\.tmp$/, /^\.checkpoint\.json\.([0-9a-z]+-\d+-\d+)\.tmp$/,
  /^\.model\.safetensors\.([0-9a-z]+-\d+-\d+)\.tmp$/];

function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

/**
 * Saves killed midway leave temp files and unreferenced weights behind. After a successful save, removes the files
 * that match the save's own name patterns, are not the new manifest's weights, and belong to no save still running
 * (this process's in-flight ids, or another live process's pid). Never touches other files.
 */
async function removeOrphans(dir: string, keep: string): Promise<void> {
  let names: string[];
  try { names = await fs.readdir(dir); } catch { return; }
  for (const name of names) {
    if (name === keep) continue;
    const id = OWN_FILES.map((re) => re.exec(name)?.[1]).find((v) => v !== undefined);
    if (id === undefined || inFlight.has(id)) continue;
    const pid = Number(id.split("-")[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true });
  }
}

async function readManifestIfAny(dir: string): Promise<CheckpointManifest | null> {
  try { return JSON.parse(await fs.readFile(path.join(dir, MANIFEST), "utf8")); } catch { return null; }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Reads a checkpoint written by saveModel: a directory (either format), or a .safetensors file (also one written
 * by PyTorch in the layout of safetensors-model.ts). The SDE is rebuilt from the stored settings, or `opts.sde` is
 * used (it must match them; needed for user-defined schedules). `opts.param`, when given, must be the checkpoint's
 * parameterisation: weights trained to predict one target are wrong under another.
 * @example const model = await loadModel("runs/gmm", { param: "edm" }); const s = model.score(x, t);
 */
export async function loadModel(dir: string, opts: { sde?: SDE; param?: ScoreParam } = {}): Promise<ScoreNet> {
  const fn = "loadModel";
  if (typeof dir !== "string" || dir.length === 0) fail(fn, "dir", "must be a non-empty directory path");
  if (opts.param !== undefined) checkScoreParam(opts.param, fn, "opts.param");
  const kind = await checkpointKind(dir);
  if (kind === "safetensors-file") return loadSafetensorsModel(dir, opts);
  if (kind === "safetensors") return loadSafetensorsModel(path.join(dir, SAFETENSORS_FILE), opts);
  const manifestPath = path.join(dir, MANIFEST);
  let text: string;
  try { text = await fs.readFile(manifestPath, "utf8"); } catch { return fail(fn, "dir", `has no readable ${MANIFEST} (${manifestPath}); is it a scorelab checkpoint?`); }
  let m: CheckpointManifest;
  try { m = JSON.parse(text); } catch (e) { return fail(fn, "dir", `has a ${MANIFEST} that is not valid JSON (${(e as Error).message})`); }
  if (m.format !== CHECKPOINT_FORMAT) fail(fn, "dir", `holds format '${m.format}', expected '${CHECKPOINT_FORMAT}'`);
  if (m.version !== CHECKPOINT_VERSION) fail(fn, "dir", `holds checkpoint version ${m.version}; this scorelab reads version ${CHECKPOINT_VERSION}`);
  const param = m.param === undefined ? "eps" : checkScoreParam(m.param, fn, "dir (its param)");
  checkParamMatch(opts.param, param, fn);
  let sde: SDE;
  if (opts.sde) {
    const diff = sdeMismatch(opts.sde, m.sde);
    if (diff) fail(fn, "opts.sde", `differs from the checkpoint's SDE (${m.sde.description}): ${diff}`);
    sde = opts.sde;
  } else {
    const rebuilt = sdeFromSettings(m.sde);
    if (!rebuilt) fail(fn, "opts.sde", `is needed: the checkpoint's schedule '${m.sde.schedule}' cannot be rebuilt from its name`);
    sde = rebuilt;
  }
  const bytes = await fs.readFile(path.join(dir, m.weightsFile)).catch(() => fail(fn, "dir", `lacks the weights file ${m.weightsFile} named by ${MANIFEST}`));
  if (bytes.byteLength !== 4 * m.floats) {
    fail(fn, "dir", `has a weights file ${m.weightsFile} of ${bytes.byteLength} bytes, expected ${4 * m.floats} (${m.floats} float32): the file is ${bytes.byteLength < 4 * m.floats ? "truncated" : "too long"}`);
  }
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let net;
  try { net = buildNetwork(m.network, new Rng(0)); } catch (e) { return fail(fn, "dir", `has a network config that does not build: ${(e as Error).message}`); }
  const model = new ScoreNet(sde, net, { sigmaData: m.sigmaData, param });
  try {
    const hasEma = m.tensors.some((e) => e.group === "ema");
    if (hasEma) model.resetEma();
    for (const group of hasEma ? ["raw", "ema"] as const : ["raw"] as const) {
      const targets = group === "raw" ? model.variables : model.ema!;
      model.names.forEach((name, i) => {
        const entry = m.tensors.find((e) => e.name === name && e.group === group);
        if (!entry) fail(fn, "dir", `lacks tensor '${name}' (${group}) that the network needs`);
        const want = targets[i].shape;
        if (!sameShape(entry.shape, want)) fail(fn, "dir", `has tensor '${name}' (${group}) of shape [${entry.shape}], but the network expects [${want}]`);
        const size = want.reduce((a, b) => a * b, 1);
        if (entry.offset < 0 || entry.offset + size > m.floats) fail(fn, "dir", `has tensor '${name}' (${group}) outside the weights file`);
        tf.tidy(() => targets[i].assign(tf.tensor(floats.subarray(entry.offset, entry.offset + size), want, "float32")));
      });
    }
    model.useEma = hasEma && m.useEma;
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
