/**
 * The sweep's one progress record over trials: `step` counts finished trials (ok, failed or stopped) of `total`,
 * with `running`, `failed` and `ok` beside it; the kernel's bar and the terminal line read it (ETA from the rate).
 */
import type { ProgressRecord } from "../tensor";

export interface SweepCounts { total: number; ok: number; failed: number; stopped: number; running: number }

export function sweepRecord(c: SweepCounts): ProgressRecord {
  return { step: c.ok + c.failed + c.stopped, total: c.total, ok: c.ok, failed: c.failed, running: c.running };
}

/** The line after the bar: "3 running, 1 failed". */
export function sweepNote(rec: ProgressRecord): string {
  return `${rec.running ?? 0} running, ${rec.failed ?? 0} failed`;
}
