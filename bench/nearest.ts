/** Benchmark of the exact chunked nearest-neighbour search (generalization issue): 10,000 x 10,000 in 2-D. */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../src/tensor";
import { nearestNeighbours } from "../src/metrics/knn";
import { BenchRow } from "./table";

/** Seconds and peak resident memory (RSS sampled after the call: the search is synchronous, and the wasm heap keeps its high-water mark, so the after-value is the peak) of nearestNeighbours (k = 2) for 10,000 queries against 10,000 points. */
export async function benchNearest(): Promise<BenchRow[]> {
  const rng = new Rng(0);
  const rows: BenchRow[] = [];
  for (const [m, n, d] of [[10_000, 10_000, 2], [2_000, 2_000, 64]] as const) {
    const q = rng.normal([m, d]); const r = rng.normal([n, d]);
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    const rssBefore = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    nearestNeighbours(q, r, { k: 2 });
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    tf.dispose([q, r]);
    rows.push({ workload: `exact 2-NN, ${m} x ${n} points in ${d}-D`, scorelab: `${sec.toFixed(2)} s`, note: `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (+${((peak - rssBefore) / 2 ** 20).toFixed(0)} MiB)` });
  }
  return rows;
}
