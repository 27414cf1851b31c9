/**
 * Score-core benchmarks against PyTorch (bench/pytorch/dsm.py, same models and steps):
 *   W1  DSM training steps/s, 2-D MLP (2 + 32-d Fourier embedding, 3 x 256 SiLU), batch 512, Adam, clip, EMA
 *   W2  DSM training steps/s, 784-d MLP (3 x 512 SiLU), batch 128
 *   W3  500 Euler–Maruyama steps on 10,000 particles with the W1 network (seconds per run)
 *   U8  DSM training steps/s, U-Net (src/score/unet.ts, 16 channels) on 8x8 images, batch 128
 *   U28 the same U-Net on 28x28 images, batch 32
 *   RSS peak resident memory over a 10,000-step W1 training run (1,000 with --quick), after warm-up and at the end
 * PyTorch runs with 1 and 2 threads, and so does scorelab on torch; the ratio is the better against the better. The machine may be shared:
 * each side takes the best of several runs (`REPEAT`), and the load average is printed with each row. Without
 * torch (run bench/pytorch/ensure.sh) the baseline column says so.
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { Rng, backendInfo } from "../src/tensor";
import { torchAddon } from "../src/tensor/torch";
import { vpSDE } from "../src/sde";
import { eulerMaruyama } from "../src/sample";
import * as os from "node:os";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { mlpScoreNet, trainScore, unetScoreNet, ScoreNet } from "../src/score";
import type { BenchRow } from "./table";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(__dirname, "..", "..", "bench", "pytorch", "dsm.py");

interface TorchResult { per_s: number; seconds: number; peak_rss_mb: number; threads: number }

function torchAvailable(): string | null {
  try { execFileSync(PYTHON, ["-c", "import torch"], { stdio: "ignore", timeout: 60000 }); return null; } catch { return "PyTorch absent (run bench/pytorch/ensure.sh)"; }
}

function runTorchOnce(workload: string, threads: number, reps: number): TorchResult {
  const out = execFileSync(PYTHON, [SCRIPT, workload, String(threads), String(reps)], { encoding: "utf8", timeout: 900000 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** The best of `repeat` runs (the fastest: load from others only slows a run down). */
function runTorch(workload: string, threads: number, reps: number, repeat: number): TorchResult {
  const runs = Array.from({ length: repeat }, () => runTorchOnce(workload, threads, reps));
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const load = () => os.loadavg()[0].toFixed(1);

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** Training steps/s of `make()`'s model on standard-normal data of `shape`: the best of `repeat` timed runs. */
async function trainRate(make: () => ScoreNet, shape: number[], rows: number, batch: number, reps: number, repeat: number): Promise<number> {
  const model = make();
  const data = new Rng(1).normal([rows, ...shape]);
  await trainScore(model, data, { steps: 3, rng: new Rng(2), batchSize: batch });
  let best = 0;
  for (let r = 0; r < repeat; r++) {
    const { seconds } = await trainScore(model, data, { steps: reps, rng: new Rng(3 + r), batchSize: batch, yieldEvery: reps });
    best = Math.max(best, reps / seconds);
  }
  tf.dispose(data); model.dispose();
  return best;
}

/**
 * On torch, `measure` at 1 and 2 intra-op threads (like PyTorch's two rows), the setting restored after; on a
 * loaded 2-core machine 2 OpenMP threads can be several times slower than 1. Elsewhere one run.
 */
async function perThreads(measure: () => Promise<number>, higherIsBetter: boolean): Promise<{ best: number; label: string }> {
  const base = backendInfo().torch?.threads;
  if (base === undefined) { const v = await measure(); return { best: v, label: "" }; }
  const got: [number, number][] = [];
  try {
    for (const th of [1, 2]) { torchAddon().setThreads(th); got.push([th, await measure()]); }
  } finally { torchAddon().setThreads(base); }
  const best = got.reduce((a, b) => ((higherIsBetter ? b[1] > a[1] : b[1] < a[1]) ? b : a));
  return { best: best[1], label: got.map(([th, v]) => `${v.toPrecision(3)} (${th}t)`).join(", ") + `; best ${best[0]}t` };
}

const mlp = (d: number, width: number) => () => mlpScoreNet(vpSDE(), [d], new Rng(0), { width, depth: 3 });
const unet = (side: number) => () => unetScoreNet(vpSDE(), [side, side], new Rng(0), { channels: 16, groups: 4 });

async function emSeconds(): Promise<number> {
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [2], new Rng(0), { width: 256, depth: 3 });
  const t0 = performance.now();
  const x = await eulerMaruyama(model.score, sde, { n: 10000, steps: 500, rng: new Rng(1), shape: [2] });
  const secs = (performance.now() - t0) / 1000;
  tf.dispose(x); model.dispose();
  return secs;
}

/** A full garbage collection, without --expose-gc on the command line. */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/**
 * Resident memory over a long W1 training run: RSS (MB) after a full GC, sampled 40 times (without the GC, V8
 * lets its old generation grow lazily: measured 224 -> 352 MB over 10,000 steps with a flat live heap); "after warm-up" is the
 * largest sample in the first tenth, "end" the largest over the rest. Flat means end - warm-up is small.
 */
async function rssRun(steps: number): Promise<{ warm: number; end: number; rate: number; tensorsBefore: number; tensorsAfter: number }> {
  const model = mlp(2, 256)();
  const data = new Rng(1).normal([8192, 2]);
  await trainScore(model, data, { steps: 3, rng: new Rng(2), batchSize: 512 });
  const tensorsBefore = tf.memory().numTensors;
  const samples: { step: number; rss: number }[] = [];
  const every = Math.max(1, Math.floor(steps / 40));
  const gc = collector();
  const { seconds } = await trainScore(model, data, {
    steps, rng: new Rng(2), batchSize: 512, every, yieldEvery: every,
    onStep: ({ step }) => { gc(); samples.push({ step, rss: process.memoryUsage().rss / 2 ** 20 }); },
  });
  const tensorsAfter = tf.memory().numTensors;
  const cut = steps / 10;
  const warm = Math.max(...samples.filter((s) => s.step <= cut).map((s) => s.rss));
  const end = Math.max(...samples.filter((s) => s.step > cut).map((s) => s.rss));
  tf.dispose(data); model.dispose();
  return { warm, end, rate: steps / seconds, tensorsBefore, tensorsAfter };
}

function row(workload: string, measured: { best: number; label: string }, unit: string, higherIsBetter: boolean, torch: TorchResult[] | string, rss: number): BenchRow {
  const ours = measured.best;
  const fmt = (v: number) => `${v.toPrecision(3)} ${unit}`;
  if (typeof torch === "string") return { workload, scorelab: fmt(ours), baseline: "-", note: `${torch}; peak RSS ${rss.toFixed(0)} MB` };
  const value = (r: TorchResult) => (higherIsBetter ? r.per_s : r.seconds);
  const best = torch.reduce((a, b) => (higherIsBetter ? (value(b) > value(a) ? b : a) : (value(b) < value(a) ? b : a)));
  const ratio = higherIsBetter ? ours / value(best) : value(best) / ours;
  return {
    workload,
    scorelab: fmt(ours),
    baseline: torch.map((r) => `${fmt(value(r))} (${r.threads}t)`).join(", "),
    ratio: `${ratio.toFixed(2)}x`,
    note: `${measured.label ? `scorelab ${measured.label}; ` : ""}peak RSS: scorelab ${rss.toFixed(0)} MB (process so far), torch ${best.peak_rss_mb.toFixed(0)} MB; ratio vs torch ${best.threads}t; load ${load()}`,
  };
}

/**
 * Runs W1, W2, U8, U28, W3 and the RSS run in scorelab and (when present) PyTorch; `quick` shortens the runs.
 * @example printTable(await benchScore());
 */
export async function benchScore(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const q = opts.quick ?? false;
  const repeat = q ? 1 : 3;
  const absent = torchAvailable();
  const torch = (w: string, reps: number, times = repeat) => (absent ?? [1, 2].map((th) => runTorch(w, th, reps, times)));
  const rows: BenchRow[] = [];
  // First, so that the larger workloads' wasm heap does not set the baseline.
  const steps = q ? 1000 : 10000;
  const r = await rssRun(steps);
  rows.push({
    workload: `RSS over a ${steps}-step W1 training run`,
    scorelab: `${r.warm.toFixed(0)} -> ${r.end.toFixed(0)} MB`,
    ratio: `${(r.end - r.warm).toFixed(1)} MB growth`,
    note: `RSS after a full GC: after warm-up (first tenth) -> largest later sample; process peak ${peakRssMb().toFixed(0)} MB; ${r.rate.toFixed(1)} steps/s; tensors ${r.tensorsBefore} -> ${r.tensorsAfter}; load ${load()}`,
  });
  const w1 = await perThreads(() => trainRate(mlp(2, 256), [2], 8192, 512, q ? 10 : 100, repeat), true);
  rows.push(row("W1 DSM train, 2-D MLP 3x256, batch 512", w1, "steps/s", true, torch("w1", q ? 20 : 200), peakRssMb()));
  const w2 = await perThreads(() => trainRate(mlp(784, 512), [784], 2048, 128, q ? 5 : 30, repeat), true);
  rows.push(row("W2 DSM train, 784-d MLP 3x512, batch 128", w2, "steps/s", true, torch("w2", q ? 10 : 100), peakRssMb()));
  const u8 = await perThreads(() => trainRate(unet(8), [8, 8], 2048, 128, q ? 3 : 20, repeat), true);
  rows.push(row("U8 DSM train, U-Net 16ch on 8x8, batch 128", u8, "steps/s", true, torch("u8", q ? 3 : 20), peakRssMb()));
  const u28 = await perThreads(() => trainRate(unet(28), [28, 28], 512, 32, q ? 2 : 10, repeat), true);
  rows.push(row("U28 DSM train, U-Net 16ch on 28x28, batch 32", u28, "steps/s", true, torch("u28", q ? 2 : 10), peakRssMb()));
  if (!q) {
    const w3 = await perThreads(async () => { let s = Infinity; for (let r = 0; r < 2; r++) s = Math.min(s, await emSeconds()); return s; }, false);
    rows.push(row("W3 Euler–Maruyama, 500 steps x 10,000 particles, W1 net", w3, "s", false, torch("w3", 1, 2), peakRssMb()));
  }
  return rows;
}
