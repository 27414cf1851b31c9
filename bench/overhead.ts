/**
 * Per-op overhead and thread settings: microseconds per small tfjs op (tf.add of two [16] tensors, the result
 * disposed) against PyTorch eager torch.add on the same, and the intra-op threads of both sides. At this size the
 * arithmetic is nothing; the time is dispatch (tfjs engine + backend + addon call against Python + ATen dispatch).
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { backendInfo } from "../src/tensor";
import type { BenchRow } from "./table";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(__dirname, "..", "..", "bench", "pytorch", "dsm.py");

interface TorchOut { seconds: number; num_threads: number; interop_threads: number; torch: string }

function torchOp(threads: number, reps: number): TorchOut | string {
  try {
    const out = execFileSync(PYTHON, [SCRIPT, "op", String(threads), String(reps)], { encoding: "utf8", timeout: 120000 });
    return JSON.parse(out.trim().split("\n").pop()!);
  } catch (e) {
    return `PyTorch absent or failed (${(e as Error).message.split("\n")[0]})`;
  }
}

/** Best of `repeat` timed loops of `reps` tf.add calls, in microseconds per op. */
function tfAddUs(reps: number, repeat: number): number {
  const a = tf.randomNormal([16]), b = tf.randomNormal([16]);
  for (let i = 0; i < 1000; i++) tf.add(a, b).dispose();
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) tf.add(a, b).dispose();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / reps);
  }
  tf.dispose([a, b]);
  return best;
}

/** @example printTable(benchOverhead({ quick: true })); */
export function benchOverhead(opts: { quick?: boolean } = {}): BenchRow[] {
  const reps = opts.quick ? 20000 : 100000, repeat = opts.quick ? 2 : 5;
  const info = backendInfo();
  const ours = info.torch ? `torch backend: ${info.torch.threads} intra-op threads (${/ATen parallel backend: *(\S+)/.exec(info.torch.parallel)?.[1] ?? "?"}, interop ${/get_num_interop_threads\(\) : (\d+)/.exec(info.torch.parallel)?.[1] ?? "?"})` : `${info.tfBackend} backend: ${info.threads ? "threads on" : "one thread"}`;
  const pt = [1, 2].map((th) => torchOp(th, reps));
  const ptThreads = pt.map((r) => (typeof r === "string" ? r : `PyTorch ${r.torch}: get_num_threads() ${r.num_threads}, interop ${r.interop_threads}`));
  const rows: BenchRow[] = [{ workload: "thread settings", scorelab: ours, baseline: ptThreads.join("; "), note: "PyTorch rows run at 1 and 2 threads; ratios use the better" }];
  const us = tfAddUs(reps, repeat);
  const ptUs = pt.filter((r): r is TorchOut => typeof r !== "string").map((r) => (r.seconds / reps) * 1e6);
  const best = ptUs.length ? Math.min(...ptUs) : NaN;
  rows.push({
    workload: "per-op overhead, add of two [16] tensors",
    scorelab: `${us.toFixed(2)} us/op`,
    baseline: ptUs.length ? ptUs.map((u, i) => `${u.toFixed(2)} us/op (${i + 1}t)`).join(", ") : "-",
    ratio: ptUs.length ? `${(best / us).toFixed(2)}x` : undefined,
    note: `tf.add + dispose, best of ${repeat} x ${reps}; PyTorch eager torch.add, one loop of ${reps}`,
  });
  return rows;
}
