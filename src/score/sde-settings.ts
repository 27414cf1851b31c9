/**
 * What a checkpoint records about its SDE, and how it is rebuilt: the kind, T, tMin and the schedule's name, plus
 * the marginals (scale, std) at a few times, which check that a rebuilt or supplied SDE is the same one.
 */
import { SDE, makeSDE, scheduleFromFullName } from "../sde";

export interface SDESettings {
  kind: SDE["kind"];
  T: number;
  tMin: number;
  schedule: string;
  description: string;
  /** [t, scale, std] rows. */
  probes: number[][];
}

const PROBE_FRACTIONS = [0, 0.1, 0.25, 0.5, 0.75, 1];

/** The settings of an SDE, as stored in checkpoints. @example sdeSettings(vpSDE()).kind; // "vp" */
export function sdeSettings(sde: SDE): SDESettings {
  const probes = PROBE_FRACTIONS.map((f) => {
    const t = sde.tMin + f * (sde.T - sde.tMin);
    const { scale, std } = sde.marginalAt(t);
    return [t, scale, std];
  });
  return { kind: sde.kind, T: sde.T, tMin: sde.tMin, schedule: sde.schedule.name, description: sde.describe(), probes };
}

/** Describes the first difference between an SDE and stored settings, or null when they agree. */
export function sdeMismatch(sde: SDE, s: SDESettings): string | null {
  if (sde.kind !== s.kind) return `kind ${sde.kind} (checkpoint: ${s.kind})`;
  if (Math.abs(sde.T - s.T) > 1e-12 * s.T || Math.abs(sde.tMin - s.tMin) > 1e-12) return `T/tMin ${sde.T}/${sde.tMin} (checkpoint: ${s.T}/${s.tMin})`;
  for (const [t, scale, std] of s.probes) {
    const m = sde.marginalAt(t);
    // Relative 1e-9: both sides are float64 closed forms of the same schedule.
    if (Math.abs(m.scale - scale) > 1e-9 * Math.max(1, scale) || Math.abs(m.std - std) > 1e-9 * Math.max(1, std)) {
      return `marginal at t=${t}: scale ${m.scale}, std ${m.std} (checkpoint: ${scale}, ${std})`;
    }
  }
  return null;
}

/** Rebuilds the SDE of stored settings, or null when its schedule cannot be rebuilt from its name (user schedules). */
export function sdeFromSettings(s: SDESettings): SDE | null {
  const schedule = scheduleFromFullName(s.schedule, s.T);
  if (!schedule) return null;
  const sde = makeSDE(s.kind, { schedule, T: s.T, tMin: s.tMin });
  return sdeMismatch(sde, s) === null ? sde : null;
}
