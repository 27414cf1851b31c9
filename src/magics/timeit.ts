/**
 * %timeit: IPython's timeit for one line of code. Runs are awaited one by one with a yield between them,
 * so an interrupt stops the measurement at the next run and reports what was measured so far.
 */
import { defineMagic } from "./spec";
import { progressReporter } from "./progress";

export interface TimeitResult {
  /** Milliseconds per run, best repeat. */
  bestMs: number;
  /** Milliseconds per run for each completed repeat. */
  repeatsMs: number[];
  runs: number;
  interrupted: boolean;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)} s` : ms >= 1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

export const timeitMagic = defineMagic<TimeitResult>({
  name: "timeit",
  summary: "time one line of code: -n runs per repeat, -r repeats; reports the best repeat",
  body: "line",
  options: [
    { flags: "-n, --number <n>", description: "runs per repeat (default: grow until a repeat takes 0.2 s)", kind: "positive-int" },
    { flags: "-r, --repeat <r>", description: "repeats", kind: "positive-int", default: 5 },
    { flags: "-q, --quiet", description: "do not print the summary" },
    { flags: "--progress", description: "show a progress bar over runs" },
  ],
  help: "Example: %timeit -n 100 tf.tidy(() => tf.matMul(a, a))",
  async run({ opts, body }, ctx) {
    if (!body) throw new Error("%timeit: no code");
    const clock = () => Number(process.hrtime.bigint()) / 1e6;
    let n = opts.number as number | undefined;
    if (n === undefined) {
      // IPython's rule: grow the run count by 10× until one repeat takes at least 0.2 s.
      n = 1;
      for (; n < 1e6; n *= 10) {
        const t0 = clock();
        for (let i = 0; i < n; i++) await body();
        if (clock() - t0 >= 200 || ctx.signal.aborted) break;
      }
    }
    const repeat = opts.repeat as number;
    const total = n * repeat;
    const bar = opts.progress ? progressReporter(ctx.display, "%timeit") : undefined;
    const repeatsMs: number[] = [];
    let runs = 0;
    let interrupted = false;
    outer: for (let r = 0; r < repeat; r++) {
      let spent = 0;
      for (let i = 0; i < n; i++) {
        if (ctx.signal.aborted) { interrupted = true; break outer; }
        const t0 = clock();
        await body();
        spent += clock() - t0;
        runs++;
        bar?.report({ step: runs, total });
        // Yield so SIGINT's handler can run between runs.
        await new Promise<void>((res) => setImmediate(res));
      }
      repeatsMs.push(spent / n);
    }
    const bestMs = repeatsMs.length ? Math.min(...repeatsMs) : NaN;
    bar?.done(interrupted ? `interrupted at run ${runs} of ${total}` : "");
    if (interrupted) ctx.print(`%timeit interrupted after ${runs} of ${total} runs (${repeatsMs.length} complete repeats)`);
    if (!opts.quiet && repeatsMs.length) {
      const mean = repeatsMs.reduce((a, b) => a + b, 0) / repeatsMs.length;
      const sd = Math.sqrt(repeatsMs.reduce((a, b) => a + (b - mean) ** 2, 0) / repeatsMs.length);
      ctx.print(`${fmt(mean)} ± ${fmt(sd)} per loop (mean ± std. dev. of ${repeatsMs.length} runs, ${n} loops each); best ${fmt(bestMs)}`);
    }
    return { bestMs, repeatsMs, runs, interrupted };
  },
});
