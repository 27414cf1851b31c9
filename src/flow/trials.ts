/**
 * The SD-flow study's seed as a sweep trial ("flow.flowSeed"): the study's seeds run in the sweep executor's child
 * processes and come back as the same rows flowSeed returns in-process. The kernel flow's snapshots (for the
 * figure) are written to the trial folder. Only types are imported here, so the trial registry loads no library.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TrialDefinition, TrialRow } from "../sweep/trial";

export const FLOW_SEED_TRIAL: TrialDefinition = {
  params: ["quick"],
  description: "one seed of the SD-flow study (Weber 2023): held-out distances, null level, copying, exact-Gaussian flow against its closed form",
  async run(p, ctx) {
    const { initBackend } = await import("../tensor");
    await initBackend();
    const { flowSeed, flowSettings } = await import("./flow-seed");
    const r = await flowSeed(ctx.seed, flowSettings(p.quick === true), { signal: ctx.signal, onStep: ctx.onStep });
    fs.writeFileSync(path.join(ctx.dir, "snapshots.json"), JSON.stringify({ snapshots: r.snapshots, train: r.train }));
    return r.rows as TrialRow[];
  },
};
