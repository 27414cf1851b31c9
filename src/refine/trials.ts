/**
 * The refinement study as sweep trials (src/sweep/): one trial runs one seed of one part ("refinement" or
 * "guidance") of a plan made by refinePlan, so refineStudy({ executor: "local" }) spreads its seeds over child
 * processes. The library loads lazily, as library-trials.ts asks of every runner.
 */
import type { TrialDefinition } from "../sweep/trial";
import type { RefinePart, RefinePlan } from "./study";

export const REFINE_TRIALS: Record<string, TrialDefinition> = {
  "refine.refineSeed": {
    params: ["part", "plan"],
    description: "one seed of one part (refinement: held-out KL against n and width; guidance: error against w) of refineStudy's plan (Husain et al. 2026; Kim et al. 2023)",
    async run(p, ctx) {
      const { initBackend, fail } = await import("../tensor");
      await initBackend();
      const { refineSeedRows, REFINE_PARTS } = await import("./study");
      const part = p.part as RefinePart;
      if (!REFINE_PARTS.includes(part)) fail("refine.refineSeed", "part", `must be one of ${REFINE_PARTS.join(", ")}, got ${JSON.stringify(p.part)}`);
      if (!p.plan || typeof p.plan !== "object") fail("refine.refineSeed", "plan", "must be a plan from refinePlan(opts)");
      return refineSeedRows(p.plan as unknown as RefinePlan, part, ctx.seed, { signal: ctx.signal, onStep: ctx.onStep });
    },
  },
};
