/**
 * The fusion studies' (n, seed) cells as sweep trials: each loads the auxiliaries the study saved as checkpoints
 * in the sweep's out folder (parameter `dir`), runs one cell and writes it to its trial folder (seeds-on-sweep.ts).
 * The library loads lazily, as library-trials.ts asks of every runner.
 */
import * as path from "node:path";
import type { TrialDefinition } from "../sweep/trial";

export const FUSION_TRIALS: Record<string, TrialDefinition> = {
  "fusion.cell1D": {
    params: ["n", "dir", "auxiliaries", "standardise", "pooled", "auxStats", "testSize", "sampleSize", "sampleSteps", "llMaxSteps", "width", "steps", "fusionTRange", "auxW1"],
    description: "one (n, seed) cell of the ScoreFusion 1-D study (Liu et al. 2025, Sec. 5.1) on auxiliaries loaded from dir (trained) or rebuilt (exact)",
    async run(p, ctx) {
      const { initBackend } = await import("../tensor");
      await initBackend();
      const { vpSDE } = await import("../sde");
      const { loadModel } = await import("../score");
      const { cell1D, exactAuxiliary, heldOut1D } = await import("./cell-1d");
      const { writeCell } = await import("./seeds-on-sweep");
      const sde = vpSDE();
      const auxStats = p.auxStats as { m: number; s: number }[];
      const trained = p.auxiliaries === "trained";
      const aux = trained
        ? await Promise.all([1, 2].map((k) => loadModel(path.join(p.dir as string, `auxiliary-${k}`), { sde })))
        : auxStats.map((st, k) => exactAuxiliary(sde, k, st));
      const held = heldOut1D(p.testSize as number);
      try {
        const cell = await cell1D({
          sde, auxiliaries: p.auxiliaries as "trained", standardise: p.standardise as "per-set", pooled: p.pooled as { m: number; s: number }, ...held,
          sampleSize: p.sampleSize as number, sampleSteps: p.sampleSteps as number, llMaxSteps: p.llMaxSteps as number, width: p.width as number,
          steps: p.steps as number, fusionTRange: p.fusionTRange as [number, number], aux, auxW1: p.auxW1 as number[],
        }, p.n as number, ctx.seed, ctx.signal);
        return writeCell(ctx.dir, cell) as never;
      } finally {
        held.testRaw.dispose();
        if (trained) aux.forEach((m) => (m as { dispose(): void }).dispose());
      }
    },
  },
  "fusion.digitsCell": {
    params: ["n", "dir", "testSize", "width", "steps", "tuneSteps", "auxBpd"],
    description: "one (n, seed) cell of the ScoreFusion digits study (Liu et al. 2025, Sec. 5) on auxiliaries loaded from the checkpoints in dir",
    async run(p, ctx) {
      const { initBackend, Rng } = await import("../tensor");
      await initBackend();
      const { vpSDE } = await import("../sde");
      const { loadModel } = await import("../score");
      const { digitsCell, digitsSplit, imagesToTensor } = await import("./digits-cell");
      const { DIGITS_CHECKPOINTS } = await import("./study-digits");
      const { writeCell } = await import("./seeds-on-sweep");
      const sde = vpSDE();
      const split = digitsSplit(p.testSize as number);
      const nets = await Promise.all(DIGITS_CHECKPOINTS.map((name) => loadModel(path.join(p.dir as string, name), { sde })));
      // The same draws as the study's process makes: test images with Rng(5), the pooled data with Rng(203).
      const test = imagesToTensor(split.set.images, split.testIdx, new Rng(5));
      const pooledData = imagesToTensor(split.set.images, split.pooledIdx, new Rng(203));
      try {
        const cell = await digitsCell({
          sde, split, test, pooledData, aux: nets.slice(0, 2), pooledNet: nets[2], auxBpd: p.auxBpd as number[],
          width: p.width as number, steps: p.steps as number, tuneSteps: p.tuneSteps as number,
        }, p.n as number, ctx.seed, ctx.signal);
        return writeCell(ctx.dir, cell) as never;
      } finally {
        [test, pooledData, ...nets].forEach((x) => x.dispose());
      }
    },
  },
};
