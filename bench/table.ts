/** Small helpers shared by benchmark files: timing and a printed table. */
export interface BenchRow { workload: string; scorelab: string; baseline?: string; ratio?: string; note?: string }

/** Median milliseconds per call of `fn` over `reps` calls after `warmup` calls. */
export function timeMs(fn: () => void, reps = 20, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = process.hrtime.bigint(); fn(); times.push(Number(process.hrtime.bigint() - t0) / 1e6); }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints rows as a Markdown table (so bench output pastes into bench/RESULTS.md). */
export function printTable(rows: BenchRow[]): void {
  const cols: (keyof BenchRow)[] = ["workload", "scorelab", "baseline", "ratio", "note"];
  const cell = (r: BenchRow, c: keyof BenchRow) => r[c] ?? "";
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (vals: string[]) => "| " + vals.map((v, i) => v.padEnd(width[i])).join(" | ") + " |";
  console.log(line(cols));
  console.log("| " + width.map((w) => "-".repeat(w)).join(" | ") + " |");
  for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
}
