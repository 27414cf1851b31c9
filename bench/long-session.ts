/**
 * Long sessions: many cells through the kernel executor in this process (train a few DSM steps, sample,
 * build a figure, plain tensor code), measuring tf.memory().numTensors, wasm bytes, V8 heap and RSS after each
 * sample point, and the least-squares slope per cell after warm-up. reliability/long-session.test.ts runs a
 * short version with bounds; benchLongSession runs 1,000 cells.
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";
import * as tf from "@tensorflow/tfjs";
import { createKernelExecutor, CellSink } from "../kernel/executor";
import { initBackend } from "../src/tensor";
import type { BenchRow } from "./table";

export interface LongSessionOptions {
  /** Cells to run after the setup cells. */
  cells: number;
  /** Cells excluded from the slopes (caches, JIT, tslab's first declarations). */
  warmup: number;
  /** Take a (garbage-collected) memory sample every this many cells. */
  every?: number;
}

export interface LongSessionResult {
  cells: number;
  errors: number;
  /** Cells run again after tslab's watcher race (see tolerateTslabWatcherRace). */
  races: number;
  seconds: number;
  /** Per sample: cell index, live tensors, wasm/cpu bytes held by tensors, V8 heap used and RSS (bytes). */
  samples: { cell: number; tensors: number; tensorBytes: number; heap: number; rss: number }[];
  /** Least-squares slopes per cell over samples after warm-up. */
  slope: { tensors: number; tensorBytes: number; heap: number; rss: number };
  /** Theil–Sen slopes of heap and RSS (robust to GC and allocator spikes). */
  robust: { heap: number; rss: number };
}

/** The cycle a session repeats: small sizes, every kind of output (stdout, display, figure result). */
export const SESSION_CELLS = [
  "%train_score --data ds --steps 3 --width 16 --depth 1 --batch 32 --ema 0 --no-plot --seed 1 --as m\nmodel?.dispose(); model = m; model.training.history.length",
  "%sample --model model --n 32 --steps 5 --seed 2 --as xs\nxs.dispose();",
  "lab.lineFigure([0, 1, 2], [{ name: 'a', y: [1, 2, 3] }])",
  "const s = tf.tidy(() => tf.randomNormal([16, 2]).square().sum().dataSync()[0]); s > 0",
];

const SETUP = ["%dataset moons --n 64 --seed 1 --no-plot --as ds", "let model: any = null;"];

/** Least-squares slope of y on x. @example lsSlope([0, 1, 2], [1, 3, 5]) // 2 */
export function lsSlope(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2) return 0;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Theil–Sen slope (median of pairwise slopes): RSS after gc has one-off spikes of tens of MB that least squares follows. */
export function robustSlope(x: number[], y: number[]): number {
  const s: number[] = [];
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) if (x[j] !== x[i]) s.push((y[j] - y[i]) / (x[j] - x[i]));
  if (s.length === 0) return 0;
  s.sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * tslab's converter watches the files cells import (dist/, rebuilt by `tsc` while a session runs); two changes
 * before its next compile throw "Unexpected pending rebuildTimer" from a watcher callback (an uncaught exception)
 * or from the next cell's compile (that cell's error). A tslab bug: here exactly that error is logged and
 * tolerated (the cell is run again); anything else still ends the process. tfjs-backend-wasm's Emscripten glue
 * rethrows every uncaught exception, so its listeners go first.
 * @example tolerateTslabWatcherRace();
 */
export function tolerateTslabWatcherRace(): void {
  process.removeAllListeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (e) => { throw e; });
  process.on("uncaughtException", (e) => {
    if (e instanceof Error && e.message === TSLAB_RACE) { console.log(`[long-session] tolerated tslab watcher race: ${TSLAB_RACE}`); return; }
    console.error(e);
    process.exit(1);
  });
}

const TSLAB_RACE = "Unexpected pending rebuildTimer";

function gcFunction(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/**
 * Runs `cells` cells (the SESSION_CELLS cycle) through one executor and samples memory.
 * @example const r = await runLongSession({ cells: 200, warmup: 40 }); r.slope.tensors // 0
 */
export async function runLongSession(opts: LongSessionOptions): Promise<LongSessionResult> {
  const every = opts.every ?? 10;
  await initBackend();
  const gc = gcFunction();
  const ex = createKernelExecutor(process.cwd());
  await ex.preload();
  let errors = 0;
  let races = 0;
  const sink: CellSink = { stream() {}, display() {}, result() {}, error: () => { errors++; } };
  for (const c of SETUP) if (await ex.execute(c, sink)) throw new Error(`long session: setup cell failed: ${c}`);
  const samples: LongSessionResult["samples"] = [];
  const started = performance.now();
  for (let i = 1; i <= opts.cells; i++) {
    const code = SESSION_CELLS[(i - 1) % SESSION_CELLS.length];
    let err = await ex.execute(code, sink);
    if (err?.evalue === TSLAB_RACE) { races++; errors--; err = await ex.execute(code, sink); }
    if (err) throw new Error(`long session: cell ${i} failed: ${err.ename}: ${err.evalue}`);
    if (i % every === 0) {
      gc();
      const m = tf.memory();
      const mu = process.memoryUsage();
      samples.push({ cell: i, tensors: m.numTensors, tensorBytes: m.numBytes, heap: mu.heapUsed, rss: mu.rss });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  ex.close();
  const after = samples.filter((s) => s.cell > opts.warmup);
  const x = after.map((s) => s.cell);
  const slope = {
    tensors: lsSlope(x, after.map((s) => s.tensors)),
    tensorBytes: lsSlope(x, after.map((s) => s.tensorBytes)),
    heap: lsSlope(x, after.map((s) => s.heap)),
    rss: lsSlope(x, after.map((s) => s.rss)),
  };
  const robust = { heap: robustSlope(x, after.map((s) => s.heap)), rss: robustSlope(x, after.map((s) => s.rss)) };
  return { cells: opts.cells, errors, races, seconds, samples, slope, robust };
}

/** 1,000 cells; rows for bench/run.ts's table. */
export async function benchLongSession(o: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const cells = o.quick ? 200 : 1000;
  const r = await runLongSession({ cells, warmup: Math.round(cells / 5) });
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB/cell`;
  return [
    { workload: `long session: ${cells} cells (train 3 steps, sample, figure, tensor code)`, scorelab: `${r.seconds.toFixed(1)} s (${(1000 * r.seconds / cells).toFixed(0)} ms/cell)`, note: `tslab watcher races retried: ${r.races}` },
    { workload: "long session: live tensors slope after warm-up", scorelab: `${r.slope.tensors.toFixed(4)} tensors/cell`, note: `tensors ${r.samples[0].tensors} -> ${r.samples[r.samples.length - 1].tensors}` },
    { workload: "long session: V8 heap slope after warm-up (after gc; least squares / Theil-Sen)", scorelab: `${kb(r.slope.heap)} / ${kb(r.robust.heap)}` },
    { workload: "long session: RSS slope after warm-up (least squares / Theil-Sen)", scorelab: `${kb(r.slope.rss)} / ${kb(r.robust.rss)}`, note: `RSS ${(r.samples[0].rss / 2 ** 20).toFixed(0)} -> ${(r.samples[r.samples.length - 1].rss / 2 ** 20).toFixed(0)} MB` },
  ];
}

if (require.main === module) {
  tolerateTslabWatcherRace();
  void benchLongSession({ quick: process.argv.includes("--quick") }).then((rows) => { for (const r of rows) console.log(`${r.workload}: ${r.scorelab}${r.note ? ` (${r.note})` : ""}`); });
}
