/**
 * Score-core benchmarks against PyTorch (bench/pytorch/dsm.py, same models and steps):
 *   W1  DSM training steps/s, 2-D MLP (2 + 32-d Fourier embedding, 3 x 256 SiLU), batch 512, Adam, clip, EMA
 *   W2  DSM training steps/s, 784-d MLP (3 x 512 SiLU), batch 128
 *   W3  500 Euler–Maruyama steps on 10,000 particles with the W1 network (seconds per run)
 * PyTorch runs with 1 and 2 threads; the ratio is scorelab / the better of the two. Without torch (run
 * bench/pytorch/ensure.sh) the baseline column says so.
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { Rng } from "../src/tensor";
import { vpSDE } from "../src/sde";
import { eulerMaruyama } from "../src/sample";
import { mlpScoreNet, trainScore } from "../src/score";
import type { BenchRow } from "./table";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(__dirname, "..", "..", "bench", "pytorch", "dsm.py");

interface TorchResult { per_s: number; seconds: number; peak_rss_mb: number; threads: number }

function torchAvailable(): string | null {
  try { execFileSync(PYTHON, ["-c", "import torch"], { stdio: "ignore", timeout: 60000 }); return null; } catch { return "PyTorch absent (run bench/pytorch/ensure.sh)"; }
}

function runTorch(workload: string, threads: number, reps: number): TorchResult {
  const out = execFileSync(PYTHON, [SCRIPT, workload, String(threads), String(reps)], { encoding: "utf8", timeout: 900000 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

async function trainRate(d: number, width: number, batch: number, reps: number): Promise<number> {
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [d], new Rng(0), { width, depth: 3 });
  const data = new Rng(1).normal([d === 2 ? 8192 : 2048, d]);
  await trainScore(model, data, { steps: 3, rng: new Rng(2), batchSize: batch });
  const { seconds } = await trainScore(model, data, { steps: reps, rng: new Rng(3), batchSize: batch, yieldEvery: reps });
  tf.dispose(data); model.dispose();
  return reps / seconds;
}

async function emSeconds(): Promise<number> {
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [2], new Rng(0), { width: 256, depth: 3 });
  const t0 = performance.now();
  const x = await eulerMaruyama(model.score, sde, { n: 10000, steps: 500, rng: new Rng(1), shape: [2] });
  const secs = (performance.now() - t0) / 1000;
  tf.dispose(x); model.dispose();
  return secs;
}

function row(workload: string, ours: number, unit: string, higherIsBetter: boolean, torch: TorchResult[] | string, rss: number): BenchRow {
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
    note: `peak RSS: scorelab ${rss.toFixed(0)} MB (process so far), torch ${best.peak_rss_mb.toFixed(0)} MB; ratio vs torch ${best.threads}t`,
  };
}

/**
 * Runs W1, W2 and W3 in scorelab and (when present) PyTorch; `quick` shortens the runs.
 * @example printTable(await benchScore());
 */
export async function benchScore(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const q = opts.quick ?? false;
  const absent = torchAvailable();
  const torch = (w: string, reps: number) => (absent ?? [1, 2].map((th) => runTorch(w, th, reps)));
  const rows: BenchRow[] = [];
  const w1 = await trainRate(2, 256, 512, q ? 10 : 50);
  rows.push(row("W1 DSM train, 2-D MLP 3x256, batch 512", w1, "steps/s", true, torch("w1", q ? 20 : 200), peakRssMb()));
  const w2 = await trainRate(784, 512, 128, q ? 5 : 20);
  rows.push(row("W2 DSM train, 784-d MLP 3x512, batch 128", w2, "steps/s", true, torch("w2", q ? 10 : 100), peakRssMb()));
  if (!q) {
    const w3 = await emSeconds();
    rows.push(row("W3 Euler–Maruyama, 500 steps x 10,000 particles, W1 net", w3, "s", false, torch("w3", 1), peakRssMb()));
  }
  return rows;
}
