/**
 * A paper notebook's verdict as data: the claim, what this run measured, and whether it reproduced the claim.
 * Displayed, it is the three lines a reader sees (CLAIM, THIS RUN, REPRODUCED) plus a JSON bundle
 * (VERDICT_MIME) that the main job reads from the executed notebook, so nothing parses printed text.
 */
import { fail } from "../tensor";
import { isClaimCheck, type ClaimCheckData } from "./claim-check";

export type Reproduced = "yes" | "partly" | "no";
export const REPRODUCED: Reproduced[] = ["yes", "partly", "no"];
export const VERDICT_MIME = "application/vnd.scorelab.verdict+json";

export interface VerdictData {
  claim: string;
  /** What this run measured, in words from its numbers. */
  measured: string;
  reproduced: Reproduced;
  mode: "quick" | "full";
  /** Each claim against its reference, with its interval over seeds (claim-check.ts); the main job tabulates them. */
  checks?: ClaimCheckData[];
  /** What the notebook does not test of the paper's claim, in words. */
  untested?: string[];
}

export class Verdict implements VerdictData {
  readonly claim: string;
  readonly measured: string;
  readonly reproduced: Reproduced;
  readonly mode: "quick" | "full";
  readonly checks: ClaimCheckData[];
  readonly untested: string[];

  constructor(d: VerdictData) {
    const fn = "verdict";
    if (!d || typeof d !== "object") fail(fn, "data", "must be { claim, measured, reproduced, mode }");
    if (typeof d.claim !== "string" || !d.claim.trim()) fail(fn, "data.claim", "must be the paper's claim as text");
    if (typeof d.measured !== "string") fail(fn, "data.measured", "must be text");
    if (!REPRODUCED.includes(d.reproduced)) fail(fn, "data.reproduced", `must be one of ${REPRODUCED.join(", ")}, got ${JSON.stringify(d.reproduced)}`);
    if (d.mode !== "quick" && d.mode !== "full") fail(fn, "data.mode", `must be "quick" or "full", got ${JSON.stringify(d.mode)}`);
    this.claim = d.claim.trim();
    this.measured = d.measured.trim();
    this.reproduced = d.reproduced;
    this.mode = d.mode;
    if (d.checks !== undefined && !(Array.isArray(d.checks) && d.checks.every(isClaimCheck))) fail(fn, "data.checks", "must be an array of checkClaim(...) results");
    if (d.untested !== undefined && !(Array.isArray(d.untested) && d.untested.every((u) => typeof u === "string"))) fail(fn, "data.untested", "must be an array of strings");
    this.checks = d.checks ?? [];
    this.untested = d.untested ?? [];
  }

  /** The three lines, as the paper notebooks have always printed them. */
  toString(): string {
    const checks = this.checks.map((c) => `CHECK ${c.passed ? "[pass]" : "[fail]"} ${c.text}`);
    const untested = this.untested.length ? [`NOT TESTED: ${this.untested.join("; ")}`] : [];
    return [`CLAIM: ${this.claim}`, `THIS RUN (${this.mode} mode): ${this.measured.split("\n").join(" ")}`, ...checks, ...untested, `REPRODUCED: ${this.reproduced}`].join("\n");
  }

  toJSON(): VerdictData {
    return { claim: this.claim, measured: this.measured, reproduced: this.reproduced, mode: this.mode, checks: this.checks, untested: this.untested };
  }

  toMimeBundle(): Record<string, unknown> {
    return { [VERDICT_MIME]: this.toJSON(), "text/plain": this.toString() };
  }
}

/**
 * The verdict of a paper notebook, for its summary cell: `display(lab.verdict({ claim, measured, reproduced, mode }))`.
 * @example lab.verdict({ claim: "...", measured: result.summary, reproduced: "partly", mode: "quick" }).toString()
 */
export function verdict(d: VerdictData): Verdict { return new Verdict(d); }

/** One verdict from parts: yes if all are yes, no if all are no, partly otherwise. @example combine(["yes", "no"]) // "partly" */
export function combineReproduced(parts: Reproduced[]): Reproduced {
  if (parts.length === 0) fail("combineReproduced", "parts", "must hold at least one verdict");
  return parts.every((p) => p === "yes") ? "yes" : parts.every((p) => p === "no") ? "no" : "partly";
}

/** yes when every check passed, no when none did, partly otherwise. @example reproducedFrom([checkClaim(...)]) */
export function reproducedFrom(checks: ClaimCheckData[]): Reproduced {
  return combineReproduced(checks.map((c) => (c.passed ? "yes" : "no")));
}

/** A verdict read back from its JSON bundle (what the main job does); undefined when `v` is not one. */
export function verdictFromJSON(v: unknown): Verdict | undefined {
  try { return new Verdict(v as VerdictData); } catch { return undefined; }
}
