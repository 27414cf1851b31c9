/**
 * The child process of a trial pool (pool.ts): runs one trial at a time as its parent asks, relays progress, and
 * exits when the parent goes away (a killed worker leaves no orphans computing for nobody).
 */
import { executeTrial } from "./run-trial";
import type { Trial } from "./spec";
import type { ProgressRecord } from "../tensor";

/** Parent to child. */
export type ChildRequest = { type: "run"; trial: Trial; allow: string[] | null; attempt: number } | { type: "abort"; id: string };

/** Progress goes up at most this often per trial; every record still reaches stats.jsonl through the outcome. */
const PROGRESS_MS = 200;

if (require.main === module && process.send) {
  const controllers = new Map<string, AbortController>();
  process.on("disconnect", () => process.exit(0));
  process.on("message", (msg: ChildRequest) => {
    if (msg.type === "abort") {
      controllers.get(msg.id)?.abort();
      return;
    }
    const c = new AbortController();
    controllers.set(msg.trial.id, c);
    let last = 0;
    const onStep = (rec: ProgressRecord) => {
      const now = Date.now();
      if (now - last < PROGRESS_MS && rec.step < rec.total) return;
      last = now;
      process.send?.({ type: "progress", id: msg.trial.id, rec });
    };
    void executeTrial(msg.trial, { allow: msg.allow, signal: c.signal, onStep, attempt: msg.attempt }).then((outcome) => {
      controllers.delete(msg.trial.id);
      process.send?.({ type: "done", outcome });
    });
  });
  process.send({ type: "ready" });
}
