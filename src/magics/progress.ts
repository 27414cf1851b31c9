/**
 * The progress bar of long work: the library reports one ProgressRecord (src/tensor/long-work.ts) through one
 * callback (k-diffusion's `callback` idea); the kernel turns it into a bar that updates in place.
 */
import type { ProgressRecord } from "../tensor";
import { MimeBundle } from "./spec";

/** Where a bar goes: first a display with an id, then updates of that id. */
export type ProgressSink = (bundle: MimeBundle, displayId: string, update: boolean) => void;

export interface ProgressReporter {
  /** Report one step; rate and eta are filled in when missing. Redraws at most every `minIntervalMs`. */
  report(p: ProgressRecord): void;
  /** Final redraw with a closing note (e.g. "interrupted at step 120 of 1000"). */
  done(note?: string): void;
  /** The last record reported. */
  last(): ProgressRecord | undefined;
}

let counter = 0;

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, "0")}s`;
}

/** The bar as text and HTML. */
export function progressBundle(label: string, p: ProgressRecord, note = ""): MimeBundle {
  const frac = p.total > 0 ? Math.min(1, p.step / p.total) : 0;
  const width = 30;
  const filled = Math.round(frac * width);
  const stats = [
    `${p.step}/${p.total}`,
    p.loss !== undefined ? `loss ${p.loss.toPrecision(4)}` : "",
    p.rate !== undefined ? `${p.rate.toFixed(1)} it/s` : "",
    p.eta !== undefined ? `eta ${fmtSeconds(p.eta)}` : "",
    note,
  ].filter(Boolean).join("  ");
  const text = `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${stats}`;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const html =
    `<div style="font-family:monospace">${esc(label)} <progress value="${p.step}" max="${p.total}" style="width:16em"></progress> ` +
    `${(frac * 100).toFixed(0)}% ${esc(stats)}</div>`;
  return { "text/plain": text, "text/html": html };
}

/**
 * A reporter that draws into `sink`, throttled so fast loops do not flood the frontend.
 * @example
 * const bar = progressReporter(ctx.display, "train");
 * for (let i = 1; i <= n; i++) { step(); bar.report({ step: i, total: n }); }
 * bar.done();
 */
export function progressReporter(sink: ProgressSink, label: string, minIntervalMs = 100): ProgressReporter {
  if (typeof sink !== "function") throw new Error("progressReporter(): argument 'sink' must be a function");
  const id = `scorelab-progress-${process.pid}-${++counter}`;
  const t0 = Date.now();
  let shown = false;
  let lastDraw = 0;
  let last: ProgressRecord | undefined;
  const draw = (note?: string) => {
    if (!last) return;
    sink(progressBundle(label, last, note), id, shown);
    shown = true;
    lastDraw = Date.now();
  };
  return {
    report(p) {
      const elapsed = (Date.now() - t0) / 1000;
      const rate = p.rate ?? (elapsed > 0 ? p.step / elapsed : undefined);
      const eta = p.eta ?? (rate ? (p.total - p.step) / rate : undefined);
      last = { ...p, rate, eta };
      if (!shown || Date.now() - lastDraw >= minIntervalMs || p.step >= p.total) draw();
    },
    done(note) { draw(note); },
    last: () => last,
  };
}
