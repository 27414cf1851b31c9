/**
 * The schedule study's unit of work as a sweep trial: one seed of trainedSchedules (trained-schedules.ts) at one
 * dimension, so that `sweep` can run the seeds in parallel processes (or on Redis workers). Pure float64 JavaScript:
 * no tensor backend is loaded. The library is imported when the trial runs, as every library trial does.
 */
import type { TrialDefinition, TrialRow } from "../sweep/trial";
import type { TrainedScheduleRow } from "./trained-schedules";

export const TRAINED_SCHEDULE_METRICS = ["kl", "klExactScore", "bound", "e1", "e2", "e3"] as const;

/** Rows of one seed as trial rows: one per schedule and metric, the schedule and its a as columns. */
export function trainedScheduleTrialRows(rows: TrainedScheduleRow[]): TrialRow[] {
  return rows.flatMap((r) => TRAINED_SCHEDULE_METRICS.map((metric) => ({ metric, value: r[metric], schedule: r.schedule, a: r.a, model: "euler-dsm-affine" })));
}

export const TRAINED_SCHEDULES_TRIAL: TrialDefinition = {
  params: ["dim", "n", "passes", "degree", "steps", "as", "cosine"],
  description: "one seed of the schedule study with a DSM-trained affine score (Strasman et al. 2024): exact KL and the KL bound per schedule",
  async run(p, ctx) {
    const { trainedSchedules } = await import("./trained-schedules");
    return trainedScheduleTrialRows(trainedSchedules({ ...(p as Record<string, never>), seed: ctx.seed }));
  },
};
