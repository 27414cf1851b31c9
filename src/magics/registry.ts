/**
 * The magic registry. To add a magic: write src/magics/<name>.ts exporting a spec made with defineMagic,
 * and add one line to `magics` below. Its arguments, help, %lsmagic entry and typed result follow.
 */
import { MagicSpec } from "./spec";
import { backendMagic } from "./backend";
import { seedMagic } from "./seed";
import { timeitMagic } from "./timeit";
import { timeMagic } from "./time";
import { lsmagicMagic } from "./lsmagic";
import { datasetMagic } from "./dataset";
import { trainScoreMagic } from "./train-score";
import { sampleMagic } from "./sample";
import { plotMagic } from "./plot";
import { refineMagic } from "./refine";
import { gengapMagic } from "./gengap";
import { sdflowMagic } from "./sdflow";
import { boundMagic } from "./bound";
import { checkMagic } from "./check";
import { fuseMagic } from "./fuse";
import { loadModelMagic } from "./load-model";
import { flowMatchMagic } from "./flow-match";
import { sweepMagic } from "./sweep";
import { imageMetricsMagic } from "./image-metrics";
import { gradeMagic } from "./grade";

export const magics = {
  backend: backendMagic,
  seed: seedMagic,
  timeit: timeitMagic,
  time: timeMagic,
  lsmagic: lsmagicMagic(() => magicList()),
  dataset: datasetMagic,
  train_score: trainScoreMagic,
  sample: sampleMagic,
  plot: plotMagic,
  refine: refineMagic,
  gengap: gengapMagic,
  sdflow: sdflowMagic,
  bound: boundMagic,
  check: checkMagic,
  fuse: fuseMagic,
  load_model: loadModelMagic,
  flow_match: flowMatchMagic,
  sweep: sweepMagic,
  image_metrics: imageMetricsMagic,
  grade: gradeMagic,
};

export type MagicName = keyof typeof magics;
/** What `%name … --as x` binds to `x`. */
export type MagicResult<K extends MagicName> = Awaited<ReturnType<(typeof magics)[K]["run"]>>;

/** The spec named `name`, or undefined. @example findMagic("seed")?.summary */
export function findMagic(name: string): MagicSpec | undefined {
  return Object.prototype.hasOwnProperty.call(magics, name) ? (magics[name as MagicName] as MagicSpec) : undefined;
}

/** All specs, sorted by name. */
export function magicList(): MagicSpec[] {
  return (Object.values(magics) as MagicSpec[]).slice().sort((a, b) => a.name.localeCompare(b.name));
}

/** Options for rewriteCell backed by this registry. */
export const registryLookup = { lookup: findMagic, names: () => magicList().map((s) => s.name) };
