/**
 * The noise schedules by name: the one table that magics, their help and completion, and checkpoints read. To add
 * a schedule, write its factory in schedules.ts and add one row here: its short name, the kinds of SDE it is
 * meant for, and the pattern of the full name its factory gives (NoiseSchedule.name), which checkpoints store.
 */
import { fail } from "../tensor";
import type { NoiseSchedule, SDE } from "./types";
import { constantSchedule, cosineSchedule, exponentialSchedule, geometricSchedule, linearSchedule } from "./schedules";

export interface ScheduleEntry {
  /** What `%train_score --schedule` and `%name?` show. */
  description: string;
  /** The SDE kinds the default parameters suit (VP-type rates or VE variances). */
  kinds: SDE["kind"][];
  /** The schedule with its default parameters on [0, T]. */
  make(T?: number): NoiseSchedule;
  /** The schedule a full name (NoiseSchedule.name, e.g. "linear(0.1, 20)") stands for, or null if not this row's. */
  parse(fullName: string, T: number): NoiseSchedule | null;
}

const NUM = "(-?[0-9.eE+-]+)";
const match = (re: string, s: string) => new RegExp(`^${re}$`).exec(s);

export const SCHEDULES: Record<string, ScheduleEntry> = {
  linear: {
    description: "beta linear from 0.1 to 20 (Song et al. 2021; DDPM's)", kinds: ["vp", "subvp"],
    make: (T) => linearSchedule({ T }),
    parse: (s, T) => { const r = match(`linear\\(${NUM}, ${NUM}\\)`, s); return r && linearSchedule({ beta0: +r[1], beta1: +r[2], T }); },
  },
  cosine: {
    description: "the cosine alpha-bar of Nichol & Dhariwal 2021", kinds: ["vp", "subvp"],
    make: (T) => cosineSchedule({ T }),
    parse: (s, T) => { const r = match(`cosine\\(c=${NUM}, betaMax=${NUM}\\)`, s); return r && cosineSchedule({ c: +r[1], betaMax: +r[2], T }); },
  },
  geometric: {
    description: "sigma geometric from 0.01 to 50 (the VE SDE's, Song et al. 2021)", kinds: ["ve"],
    make: (T) => geometricSchedule({ T }),
    parse: (s, T) => { const r = match(`geometric\\(${NUM}, ${NUM}\\)`, s); return r && geometricSchedule({ sigmaMin: +r[1], sigmaMax: +r[2], T }); },
  },
  exponential: {
    description: "the exponential family of Strasman et al. 2024 (exp:A picks its parameter a = A)", kinds: ["vp", "subvp"],
    make: (T) => exponentialSchedule({ T }),
    parse: (s, T) => { const r = match(`exponential\\(a=${NUM}, ${NUM}, ${NUM}\\)`, s); return r && exponentialSchedule({ a: +r[1], betaMin: +r[2], betaMax: +r[3], T }); },
  },
  constant: {
    description: "constant beta = 1", kinds: ["vp", "subvp", "ve"],
    make: () => constantSchedule(),
    parse: (s) => { const r = match(`constant\\(${NUM}\\)`, s); return r && constantSchedule({ beta: +r[1] }); },
  },
};

export const SCHEDULE_NAMES = Object.keys(SCHEDULES);

/** The schedules meant for an SDE kind, for a magic's `--schedule` choices. */
export function schedulesFor(kinds: SDE["kind"][]): string[] {
  return SCHEDULE_NAMES.filter((n) => SCHEDULES[n].kinds.some((k) => kinds.includes(k)));
}

/**
 * The schedule a short name stands for, with its default parameters.
 * @example scheduleNamed("cosine", "makeSDE").name; // "cosine(c=0.008, betaMax=...)"
 */
export function scheduleNamed(name: string, fn: string, arg = "schedule", T?: number): NoiseSchedule {
  const entry = Object.prototype.hasOwnProperty.call(SCHEDULES, name) ? SCHEDULES[name] : undefined;
  if (!entry) return fail(fn, arg, `must be one of ${SCHEDULE_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  return entry.make(T);
}

/** The schedule a stored full name stands for (checkpoints), or null for a user schedule. */
export function scheduleFromFullName(fullName: string, T: number): NoiseSchedule | null {
  for (const n of SCHEDULE_NAMES) {
    const s = SCHEDULES[n].parse(fullName, T);
    if (s) return s;
  }
  return null;
}
