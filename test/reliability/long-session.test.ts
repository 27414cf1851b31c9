/**
 * A long session through the kernel executor: 200 cells (train 3 DSM steps, sample, figure, plain tensor code)
 * leave live tensors exactly flat and the heap and RSS flat after warm-up. bench/long-session.ts runs 1,000.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runLongSession } from "../../bench/long-session";
import { count, report, tolerateTslabWatcherRace } from "./harness";

const CELLS = 200;
const WARMUP = 60;

test(`${CELLS} cells through the executor: tensors flat, heap and RSS slopes under bounds`, { timeout: 240_000 }, async () => {
  tolerateTslabWatcherRace();
  const cpu0 = process.cpuUsage();
  const r = await runLongSession({ cells: CELLS, warmup: WARMUP, every: 10 });
  const cpu = process.cpuUsage(cpu0);
  for (let i = 0; i < CELLS; i++) count("cell");
  assert.equal(r.errors, 0);
  const after = r.samples.filter((s) => s.cell > WARMUP);
  // Each cell disposes what it makes (the old model, the sample): the live tensor count must not move at all.
  assert.equal(r.slope.tensors, 0, JSON.stringify(after.map((s) => s.tensors)));
  assert.equal(new Set(after.map((s) => s.tensorBytes)).size, 1, JSON.stringify(after.map((s) => s.tensorBytes)));
  // Bounds: leaking the smallest thing a cycle makes, the 32x2 sample (256 B) or the width-16 model (~6 KB with
  // Adam state), every cycle of 4 cells is >= 64 B/cell of tensor memory, which the exact checks above catch.
  // The V8 heap (after gc) also holds tslab's per-cell TypeScript declarations and source (it keeps every
  // cell for type checking), measured at 15-20 KB a cell; 48 KB/cell leaves room for that and catches a leak
  // of one figure bundle a cell (its plotly spec + HTML fallback are > 50 KB). RSS adds allocator and code-space
  // behaviour with one-off spikes of 100 MB: its Theil-Sen slope is bounded at 160 KB/cell (measured 30-80),
  // which still catches leaking the wasm-side sample and model of every cycle a few times over.
  const KB = 1024;
  assert.ok(r.slope.heap < 48 * KB, `heap slope ${(r.slope.heap / KB).toFixed(1)} KB/cell`);
  assert.ok(r.robust.rss < 160 * KB, `RSS Theil-Sen slope ${(r.robust.rss / KB).toFixed(1)} KB/cell; samples ${JSON.stringify(r.samples.map((s) => Math.round(s.rss / 2 ** 20)))}`);
  console.log(`[reliability] long-session: ${JSON.stringify({
    cells: CELLS, seconds: +r.seconds.toFixed(1), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    tensorsSlope: r.slope.tensors, heapKBPerCell: +(r.slope.heap / KB).toFixed(2), rssKBPerCell: +(r.slope.rss / KB).toFixed(2), rssTheilSenKBPerCell: +(r.robust.rss / KB).toFixed(2), heapTheilSenKBPerCell: +(r.robust.heap / KB).toFixed(2),
    rssMB: [Math.round(r.samples[0].rss / 2 ** 20), Math.round(r.samples[r.samples.length - 1].rss / 2 ** 20)],
  })}`);
  report("long-session");
});
