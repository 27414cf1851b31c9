/**
 * The library functions a sweep may name, each through a small runner that maps a trial's parameters and seed onto
 * the function's options. Runners import the library lazily, so a worker that only runs module trials never loads it.
 */
import * as path from "node:path";
import type { TrialDefinition, TrialContext, TrialRow } from "./trial";
import type { JsonValue } from "./spec";
import type { ResultsTable } from "../table";
import { REFINE_TRIALS } from "../refine/trials";
import { FLOW_SEED_TRIAL } from "../flow/trials";
import { TRAINED_SCHEDULES_TRIAL } from "../bounds/trials";
import { GENERALIZATION_SEED_TRIAL } from "../generalization/trials";
import { FUSION_TRIALS } from "../fusion/trials";

type Params = Record<string, JsonValue>;

/** The study options a runner passes on unchanged (everything but the swept size, which becomes a one-element list). */
function pick(params: Params, names: string[]): Record<string, JsonValue> {
  return Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, params[n]]));
}

async function ready(): Promise<void> {
  const { initBackend } = await import("../tensor");
  await initBackend();
}

const FUSION_1D = ["steps", "auxSteps", "auxiliaries", "auxSize", "testSize", "sampleSize", "sampleSteps", "standardise", "quick"];
const GENERALIZATION = ["steps", "samples", "samplerSteps", "width", "depth", "quick"];
const REFINE = ["steps", "quick"];
const TRAIN = ["data", "n", "steps", "batchSize", "lr", "width", "depth", "sde", "ema", "testSize"];

/**
 * DSM training of an MLP score network (Song et al. 2021, eq. 7) on a named data set; metrics: the mean training
 * loss over the last tenth of the steps and the DSM loss on held-out points with fixed noise; the checkpoint is
 * saved in the trial folder.
 */
async function trainScoreTrial(p: Params, ctx: TrialContext) {
  await ready();
  const tf = await import("@tensorflow/tfjs");
  const { Rng } = await import("../tensor");
  const { makeSDE } = await import("../sde");
  const { loadDataset } = await import("../data");
  const { mlpScoreNet, trainScore, dsmLoss } = await import("../score");
  const seed = ctx.seed;
  const n = (p.n as number | undefined) ?? 1000;
  const testSize = (p.testSize as number | undefined) ?? 512;
  const name = (p.data as string | undefined) ?? "gmm8";
  const train = loadDataset(name, { n, seed });
  const test = loadDataset(name, { n: testSize, seed: seed + 1_000_003 });
  const sde = makeSDE(((p.sde as string | undefined) ?? "vp") as "vp", {});
  const model = mlpScoreNet(sde, train.shape, new Rng(2 * seed + 1), { width: (p.width as number | undefined) ?? 64, depth: (p.depth as number | undefined) ?? 2 });
  try {
    const r = await trainScore(model, train.x, {
      steps: (p.steps as number | undefined) ?? 200, rng: new Rng(2 * seed + 2), batchSize: (p.batchSize as number | undefined) ?? 128,
      lr: p.lr as number | undefined, ema: p.ema as number | undefined, onStep: ctx.onStep, signal: ctx.signal,
    });
    const tail = r.history.slice(-Math.max(1, Math.ceil(r.history.length / 10)));
    const evalRng = new Rng(7);
    const t = evalRng.uniform([testSize], sde.tMin, sde.T);
    const eps = evalRng.normal([testSize, ...test.shape]);
    const loss = dsmLoss(model, test.x, t, eps);
    const testLoss = loss.dataSync()[0];
    tf.dispose([t, eps, loss]);
    await model.save(path.join(ctx.dir, "checkpoint"));
    return [
      { metric: "train_loss", value: tail.reduce((a, b) => a + b, 0) / tail.length, dataset: name, model: "mlp-dsm", steps_done: r.steps },
      { metric: "test_dsm", value: testLoss, dataset: name, model: "mlp-dsm", steps_done: r.steps },
    ];
  } finally {
    model.dispose();
    tf.dispose([train.x, test.x]);
  }
}

/**
 * A study as a trial: the swept parameter (`n`, `w`) becomes the study's one-element list option (`ns`, `ws`), the
 * trial's seed its one-element `seeds`, and the `passed` parameters go through unchanged.
 */
function studyTrial(swept: string, listOption: string, passed: string[], description: string, run: (o: Record<string, any>) => Promise<{ table: ResultsTable }>): TrialDefinition {
  return {
    params: [swept, ...passed],
    description,
    async run(p, ctx) {
      await ready();
      return run({ ...pick(p, passed), [listOption]: p[swept] === undefined ? undefined : [p[swept]], seeds: [ctx.seed], onStep: ctx.onStep, signal: ctx.signal });
    },
  };
}

/** The trial that runs one prepared student notebook under the grader's sandbox (src/check/grade/worker-trial.ts). */
export const GRADE_TRIAL = "check.gradeNotebook";

export const LIBRARY_TRIALS: Record<string, TrialDefinition> = {
  trainScore: {
    params: TRAIN,
    description: "trainScore on a named data set (an MLP score network); metrics train_loss, test_dsm; saves the checkpoint",
    run: trainScoreTrial,
  },
  "fusion.fusionStudy1D": studyTrial("n", "ns", FUSION_1D, "ScoreFusion's 1-D low-data study (Liu et al. 2025, Sec. 5.1) at one target size n and one seed",
    async (o) => (await import("../fusion")).fusionStudy1D(o)),
  "generalization.generalizationStudy": studyTrial("n", "ns", GENERALIZATION, "memorization and the DSM train/test gap (Yi et al. 2023) at one training-set size n and one seed",
    async (o) => (await import("../generalization")).generalizationStudy(o)),
  "generalization.seed": GENERALIZATION_SEED_TRIAL,
  "refine.refineStudy": studyTrial("w", "ws", REFINE, "discriminator guidance (Kim et al. 2023) at one guidance weight w and one seed",
    async (o) => (await import("../refine")).refineStudy({ ...o, parts: ["guidance"] })),
  ...REFINE_TRIALS,
  ...FUSION_TRIALS,
  "flow.flowSeed": FLOW_SEED_TRIAL,
  "bounds.trainedSchedules": TRAINED_SCHEDULES_TRIAL,
  [GRADE_TRIAL]: {
    params: ["notebook", "fileName", "limits", "backend", "files"],
    description: "grade one prepared student notebook (locked cells restored) in its own sandboxed process, as lab.check.gradeSubmissions does locally",
    run: async (p, ctx) => (await (await import("../check/grade/worker-trial")).gradeNotebookTrial(p, ctx)) as unknown as TrialRow[],
  },
};
