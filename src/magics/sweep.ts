/** %sweep: a sweep of a notebook spec (src/sweep), with one live bar over trials, the table and the mean ± interval figure. */
import { sweep, resumeSweep, sweepNote, type SweepResult, type SweepSpec } from "../sweep";
import type { ProgressRecord } from "../tensor";
import { defineMagic, MagicError, type MimeBundle } from "./spec";
import { figureBundle } from "./mime";
import { progressBundle } from "./progress";

let bars = 0;

/**
 * The sweep's bar: done/total, ETA from the trial rate, and how many are running and failed; redrawn in place at most
 * every `minMs` (and always at the end). The CLI draws the same bar's text on the terminal.
 * @example const onStep = sweepBar((b, id, update) => ctx.display(b, id, update));
 */
export function sweepBar(sink: (bundle: MimeBundle, id: string, update: boolean) => void, minMs = 200): (rec: ProgressRecord) => void {
  const id = `scorelab-sweep-${process.pid}-${++bars}`;
  const t0 = Date.now();
  let last = 0, shown = false;
  return (rec) => {
    const now = Date.now();
    if (shown && now - last < minMs && rec.step < rec.total) return;
    last = now;
    const rate = rec.step / Math.max(1e-3, (now - t0) / 1000);
    const eta = rate > 0 ? (rec.total - rec.step) / rate : undefined;
    sink(progressBundle(rec.rung ? `sweep (rung ${rec.rung + 1})` : "sweep", { ...rec, eta }, sweepNote(rec)), id, shown);
    shown = true;
  };
}

export const sweepMagic = defineMagic<SweepResult>({
  name: "sweep",
  summary: "run a sweep (grid/random search x seeds) locally or on Redis workers; table and mean ± interval figure",
  args: [{ name: "spec", description: "notebook variable holding the spec { fn, module?, space, fixed?, seeds, ... }" }],
  options: [
    { flags: "--executor <e>", description: "local (child processes) or redis (scorelab worker processes)", kind: "string", default: "local", choices: ["local", "redis"] },
    { flags: "--redis <url>", description: "redis:// or rediss:// URL (default $SCORELAB_REDIS)", kind: "string" },
    { flags: "--out <dir>", description: "the sweep's folder of run records", kind: "string" },
    { flags: "--concurrency <n>", description: "local child processes (default: cores)", kind: "positive-int" },
    { flags: "--x <param>", description: "the swept parameter on the figure's x axis (default the first)", kind: "string" },
    { flags: "--metric <m>", description: "the metric drawn (default the first reported)", kind: "string" },
    { flags: "--resume <dir>", description: "continue the sweep stored in DIR instead (no spec needed)", kind: "string" },
  ],
  help: "Example: %sweep spec --concurrency 2 --x n --as runs\nwhere spec = { fn: \"fusion.fusionStudy1D\", space: { n: [32, 128] }, fixed: { quick: true }, seeds: 5 }.\n" +
    "Trials run in child processes (or on `scorelab worker` processes with --executor redis); an interrupt cancels queued trials and keeps every finished one. " +
    "The result is { table, figure, dir, counts, stopped }; lab.listTrials() names the library trials.",
  async run({ args, opts }, ctx) {
    const common = {
      executor: opts.executor as "local" | "redis", redis: opts.redis as string | undefined, concurrency: opts.concurrency as number | undefined,
      x: opts.x as string | undefined, metric: opts.metric as string | undefined, signal: ctx.signal,
      onStep: sweepBar((b, id, u) => ctx.display(b, id, u)),
    };
    let r: SweepResult;
    if (typeof opts.resume === "string") r = await resumeSweep(opts.resume, common);
    else {
      const name = args[0];
      if (typeof name !== "string") throw new MagicError("%sweep: name the notebook variable holding the spec, e.g. %sweep spec, or give --resume DIR");
      if (!(name in ctx.locals)) throw new MagicError(`%sweep: no notebook variable '${name}'`);
      r = await sweep(ctx.locals[name] as SweepSpec, { ...common, out: opts.out as string | undefined });
    }
    const c = r.counts;
    ctx.print(`sweep ${r.sweepId}: ${c.ok} ok, ${c.failed} failed, ${c.stopped} stopped, ${c.cancelled} cancelled in ${r.seconds.toFixed(1)} s${r.stopped ? " (interrupted: finished trials kept; --resume continues)" : ""}; records in ${r.dir}`);
    ctx.display({ "text/html": r.table.toHTML({ limit: 50 }), "text/plain": `${r.table.numRows()} rows` });
    ctx.display(figureBundle(r.figure));
    return r;
  },
});
