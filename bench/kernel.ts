/** Kernel overhead: per-cell cost through the scorelab executor, and time from start to the first result. */
import { BenchRow } from "./table";
import { createKernelExecutor, CellSink } from "../kernel/executor";

async function medianMs(fn: () => Promise<unknown>, reps: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Measures: executor creation + preload + first `1+1` result (cold), then an empty cell, `1+1`, and a
 * magic line (`%seed 1`) per cell (median of 20 after 3 warm-ups).
 * @example printTable(await benchKernel());
 */
export async function benchKernel(): Promise<BenchRow[]> {
  const sink: CellSink = { stream() {}, display() {}, result() {}, error() {} };
  const t0 = process.hrtime.bigint();
  const ex = createKernelExecutor(process.cwd());
  await ex.preload();
  await ex.execute("1+1", sink);
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const rows: BenchRow[] = [{ workload: "kernel start to first result (executor + preload + 1+1)", scorelab: `${firstMs.toFixed(0)} ms`, note: "in process, no ZMQ" }];
  for (const [name, code] of [["empty cell", ""], ["cell `1+1`", "1+1"], ["cell `%seed 1`", "%seed 1"]] as const) {
    for (let i = 0; i < 3; i++) await ex.execute(code, sink);
    const ms = await medianMs(() => ex.execute(code, sink), 20);
    rows.push({ workload: `${name} overhead`, scorelab: `${ms.toFixed(1)} ms`, note: "median of 20, type-check + run" });
  }
  ex.close();
  return rows;
}
