/**
 * %bound: the KL upper bound of a noise schedule (Strasman et al. 2024, arXiv 2402.04650; src/bounds/kl-bound.ts)
 * beside the exact KL of the generated law (src/bounds/exact-kl.ts) for a Gaussian target, per schedule and step
 * count, drawn against the step count and tabulated.
 */
import { exponentialSchedule, scheduleNamed, schedulesFor } from "../sde";
import type { NoiseSchedule } from "../sde/types";
import { exactGaussianKL, klBound, type ExactSampler } from "../bounds";
import { boundsFigure, type Series } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { figureBundle, rowsToHtml } from "./mime";

export interface BoundRow {
  schedule: string;
  steps: number;
  sampler: ExactSampler;
  dim: number;
  /** E1 + E2 + E3 (exact score, so E2 = 0). */
  bound: number;
  e1: number;
  e3: number;
  /** KL(target || generated), exact. */
  exactKL: number;
  /** W2(generated, target), exact. */
  w2: number;
}

interface NamedSchedule { name: string; schedule: NoiseSchedule }

// The VP-type schedules of the table (the bound is for VP); the exponential family takes its parameter as exp:A.
const BOUND_SCHEDULES = schedulesFor(["vp"]).filter((n) => n !== "exponential");
const SCHEDULE_HELP = `${BOUND_SCHEDULES.join(", ")} or exp:A (the exponential family with parameter A, e.g. exp:-2)`;

/** "linear,cosine,exp:2" -> schedules; throws naming the first unknown entry. */
function parseSchedules(text: string): NamedSchedule[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => p === "")) throw new Error(`expected a comma-separated list of ${SCHEDULE_HELP}, got '${text}'`);
  const twice = parts.find((p, i) => parts.indexOf(p) !== i);
  if (twice !== undefined) throw new Error(`schedule '${twice}' is listed twice`);
  return parts.map((p) => {
    if (BOUND_SCHEDULES.includes(p)) return { name: p, schedule: scheduleNamed(p, "%bound", "--schedule") };
    const m = /^exp:(.+)$/.exec(p);
    if (m) {
      const a = Number(m[1]);
      if (!Number.isFinite(a) || m[1].trim() === "") throw new Error(`'${p}': exp:A needs a finite number A, e.g. exp:-2`);
      return { name: p, schedule: exponentialSchedule({ a }) };
    }
    throw new Error(`unknown schedule '${p}'; known: ${SCHEDULE_HELP}`);
  });
}

/** "10,20,50" -> [10, 20, 50], positive integers. */
function parseSteps(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new Error(`expected comma-separated positive integers like 10,20,50, got '${text}'`);
  return parts.map(Number);
}

function finite(text: string): number {
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v)) throw new Error(`expected a finite number, got '${text}'`);
  return v;
}

function positive(text: string): number {
  const v = finite(text);
  if (v <= 0) throw new Error(`expected a number > 0, got '${text}'`);
  return v;
}

export const boundMagic = defineMagic<BoundRow[]>({
  name: "bound",
  summary: "KL bound of noise schedules (Strasman et al. 2024) beside the exact KL for a Gaussian target",
  options: [
    { flags: "--sde <kind>", description: "forward SDE; the bound is stated for the VP family", default: "vp", choices: ["vp"] },
    { flags: "--schedule <list>", description: `comma-separated schedules: ${SCHEDULE_HELP} (default linear,cosine)`, kind: parseSchedules },
    { flags: "--target <name>", description: "data law; gaussian: N(m 1, v I_d) with m, v, d from --mean, --var, --dim", default: "gaussian", choices: ["gaussian"] },
    { flags: "--dim <d>", description: "dimension of the Gaussian target", kind: "positive-int", default: 10 },
    { flags: "--mean <m>", description: "every coordinate of the target mean", kind: finite, default: 1 },
    { flags: "--var <v>", description: "target variance (isotropic)", kind: positive, default: 0.5 },
    { flags: "--steps <list>", description: "comma-separated step counts (default 10,20,50,100)", kind: parseSteps },
    { flags: "--sampler <name>", description: "sampler of the exact KL: euler (Euler-Maruyama) or ei (exponential integrator)", default: "euler", choices: ["euler", "ei"] },
    { flags: "--no-plot", description: "do not show the figure and table" },
  ],
  help:
    "Horizon T = 1, s_inf = 1, exact score (so the score-error term E2 is 0); the exact KL is KL(target || generated) " +
    "from the closed-form Gaussian recursion, the direction the bound controls.\n" +
    "Example: %bound --schedule linear,cosine,exp:-2 --dim 10 --steps 10,20,50,100 --as rows",
  async run({ opts }, ctx) {
    const schedules = (opts.schedule as NamedSchedule[] | undefined) ?? parseSchedules("linear,cosine");
    const steps = ((opts.steps as number[] | undefined) ?? [10, 20, 50, 100]).slice().sort((a, b) => a - b);
    const dim = opts.dim as number;
    const sampler = opts.sampler as ExactSampler;
    const target = { mean: new Array(dim).fill(opts.mean as number), cov: opts.var as number };
    const rows: BoundRow[] = [];
    for (const { name, schedule } of schedules) {
      for (const n of steps) {
        const b = klBound({ schedule, target, steps: n });
        let exact: { kl: number; w2: number };
        try {
          // The bound is stated for the scheme with noise on every step (lastStepNoise), so that is the one compared.
          exact = exactGaussianKL({ schedule, target, steps: n, sampler, lastStepNoise: true });
        } catch (e) {
          // Too few steps make the explicit recursion blow up: a property of the sampler, not a bug; say which.
          throw new MagicError(`%bound: ${name} with ${n} ${sampler} steps: ${e instanceof Error ? e.message : String(e)}`);
        }
        rows.push({ schedule: name, steps: n, sampler, dim, bound: b.total, e1: b.e1, e3: b.e3, exactKL: exact.kl, w2: exact.w2 });
      }
    }
    const tight = rows.reduce((w, r) => (r.bound / r.exactKL < w.bound / w.exactKL ? r : w));
    ctx.print(
      `KL bound vs exact KL, N(${opts.mean}, ${opts.var} I_${dim}), VP, T = 1, ${sampler} sampler: ${rows.length} rows; ` +
        `tightest ratio bound/exact ${(tight.bound / tight.exactKL).toPrecision(3)} (${tight.schedule}, ${tight.steps} steps)`,
    );
    if (opts.plot !== false) {
      const series: Series[] = schedules.flatMap(({ name }) => {
        const mine = rows.filter((r) => r.schedule === name);
        return [{ name: `${name}: bound`, y: mine.map((r) => r.bound) }, { name: `${name}: exact KL`, y: mine.map((r) => r.exactKL), dash: "dash" }];
      });
      ctx.display(figureBundle(boundsFigure(steps, series, { title: `KL bound and exact KL vs steps, N(${opts.mean}, ${opts.var} I_${dim}), ${sampler}`, yLabel: "KL (nats)" })));
      const text = rows.map((r) => `${r.schedule.padEnd(10)} ${String(r.steps).padStart(5)}  bound ${r.bound.toPrecision(4).padStart(10)}  exact ${r.exactKL.toExponential(3)}`).join("\n");
      ctx.display({ "text/html": rowsToHtml(rows as unknown as Record<string, unknown>[]), "text/plain": text });
    }
    return rows;
  },
});
