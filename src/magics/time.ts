/**
 * %%time: wall time of a whole cell. The body runs inside a function, so declarations in a %%time cell stay
 * local to it (like a block); assign to variables declared in earlier cells to keep results.
 */
import { defineMagic } from "./spec";

export interface TimeResult { wallMs: number; value: unknown }

export const timeMagic = defineMagic<TimeResult>({
  name: "time",
  summary: "wall-clock time of the cell (use as %%time on the first line)",
  body: "cell",
  options: [],
  async run({ body }, ctx) {
    const t0 = Number(process.hrtime.bigint()) / 1e6;
    let value: unknown;
    try {
      value = await body?.();
    } finally {
      const wallMs = Number(process.hrtime.bigint()) / 1e6 - t0;
      ctx.print(`Wall time: ${wallMs >= 1000 ? (wallMs / 1000).toFixed(3) + " s" : wallMs.toFixed(2) + " ms"}`);
    }
    return { wallMs: Number(process.hrtime.bigint()) / 1e6 - t0, value };
  },
});
