/** `scorelab sweep` and `scorelab worker`: thin shells over src/sweep (sweep, resumeSweep, startWorker). */
import * as fs from "node:fs";
import type { Command } from "commander";
import { sweepBar } from "../magics/sweep";
import type { ProgressRecord } from "../tensor";

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got '${v}'`);
  return n;
};
const collect = (v: string, acc: string[]) => [...acc, v];

/** The sweep bar's text as one terminal line, redrawn in place when stderr is a terminal. */
function terminalBar(): (rec: ProgressRecord) => void {
  return sweepBar((b) => process.stderr.write(process.stderr.isTTY ? `\r${b["text/plain"] as string}` : `${b["text/plain"] as string}\n`), 250);
}

interface SweepCliOptions { executor: string; redis?: string; queue?: string; out?: string; concurrency?: number; resume?: string; csv?: string }

/** Adds the two subcommands to the program. */
export function registerSweepCommands(program: Command): void {
  program
    .command("sweep")
    .description("run a sweep from a JSON spec (fn, module?, space, fixed?, seeds, search?, halving?); run records into --out")
    .argument("[spec]", "the spec as a .json file (not needed with --resume)")
    .option("--executor <e>", "local (child processes) or redis (BullMQ jobs for `scorelab worker`)", "local")
    .option("--redis <url>", "redis://[:password@]host:port or rediss:// (default $SCORELAB_REDIS)")
    .option("--queue <name>", "BullMQ queue the workers listen on", "scorelab-trials")
    .option("--out <dir>", "the sweep's folder (default sweeps/<name>-<id>)")
    .option("--concurrency <n>", "local child processes (default: cores)", positiveInt("--concurrency"))
    .option("--resume <dir>", "continue the sweep stored in DIR (from its sweep.json, its records and Redis)")
    .option("--csv <file>", "also write the results table as CSV")
    .action(async (specFile: string | undefined, o: SweepCliOptions) => {
      const { sweep, resumeSweep } = await import("../sweep");
      if (o.executor !== "local" && o.executor !== "redis") throw new Error(`--executor must be local or redis, got '${o.executor}'`);
      const ac = new AbortController();
      process.once("SIGINT", () => {
        process.stderr.write("\nscorelab sweep: interrupting (queued trials cancelled, running ones asked to stop); Ctrl-C again to quit now\n");
        ac.abort();
        process.once("SIGINT", () => process.exit(130));
      });
      const common = { executor: o.executor as "local" | "redis", redis: o.redis, queue: o.queue, concurrency: o.concurrency, signal: ac.signal, onStep: terminalBar() };
      let r;
      if (o.resume) r = await resumeSweep(o.resume, common);
      else {
        if (!specFile) throw new Error("sweep: give a spec file, or --resume DIR");
        const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
        r = await sweep(spec, { ...common, out: o.out });
      }
      process.stderr.write("\n");
      if (o.csv) r.table.writeCSV(o.csv);
      const c = r.counts;
      console.log(`sweep ${r.sweepId}: ${c.ok} ok, ${c.failed} failed, ${c.stopped} stopped, ${c.interrupted} interrupted, ${c.cancelled} cancelled in ${r.seconds.toFixed(1)} s; records in ${r.dir}`);
      if (c.failed || r.stopped) process.exitCode = 1;
    });

  program
    .command("worker")
    .description("run sweep trials from a Redis queue: library trials, and modules only under --allow folders (jobs never carry code)")
    .requiredOption("--redis <url>", "redis://[:password@]host:port or rediss:// for TLS")
    .option("--concurrency <n>", "trials at once, each in its own child process (default: cores)", positiveInt("--concurrency"))
    .option("--allow <dir>", "a folder whose module trials may run (repeatable)", collect, [] as string[])
    .option("--queue <name>", "BullMQ queue", "scorelab-trials")
    .option("--lock-ms <ms>", "job lock duration: how soon a dead worker's trial can be re-queued", positiveInt("--lock-ms"), 30000)
    .option("--stalled-ms <ms>", "stalled-job check interval", positiveInt("--stalled-ms"), 30000)
    .action(async (o: { redis: string; concurrency?: number; allow: string[]; queue: string; lockMs: number; stalledMs: number }) => {
      const { startWorker } = await import("../sweep/worker");
      const w = await startWorker({ url: o.redis, concurrency: o.concurrency, allow: o.allow, queue: o.queue, lockMs: o.lockMs, stalledMs: o.stalledMs });
      const stop = () => void w.close().then(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
}
