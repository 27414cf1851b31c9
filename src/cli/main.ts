#!/usr/bin/env node
/** The `scorelab` command line. Each subcommand is a thin shell over a library function. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { initBackend, describeBackend } from "../tensor";
import { installKernelspec } from "../../kernel/install";
import { registerGrade } from "./grade";
import { JOBS_EXPECTED, jobsValue } from "./job-slots";
import { registerSweepCommands } from "./sweep";

const program = new Command();
program.name("scorelab").description("scorelab: a notebook kernel and library for score-based generative models");

program.command("backend").description("print the tensor backend the ladder chooses on this machine, and why").action(async () => {
  const info = await initBackend();
  console.log(describeBackend(info));
});

program
  .command("setup")
  .description("install the Debian packages scorelab uses and build its native parts (the torch backend over libtorch, the OpenBLAS addon); what `npm install` runs, for installs where npm skipped install scripts")
  .action(() => {
    const r = spawnSync(process.execPath, [path.resolve(__dirname, "..", "..", "..", "scripts", "install.js")], { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  });

program
  .command("main")
  .description("the main job (npm start): run every paper notebook headless; executed notebooks, figures and summary.md/.csv into --out")
  .option("--out <dir>", "output folder", "out")
  .option("--quick", "shrink every study (also: SCORELAB_QUICK=1)")
  .option("--only <files>", "comma-separated notebook files, e.g. paper-sdflow.ipynb")
  .option("--no-export", "skip SVG/PNG export of the figures")
  .option("--no-install", "do not install the kernelspec")
  .option("--progress", "show a live status line per notebook cell; default: on a terminal, not in CI")
  .option("--no-progress", "never show the status line")
  .option("--jobs <n>", "notebooks at once, the cores shared out between them (default: SCORELAB_JOBS, else the cores this process may use)", jobsOption)
  .action(async (opts: { out: string; quick?: boolean; only?: string; export: boolean; install: boolean; progress?: boolean; jobs?: number }) => {
    const info = await initBackend();
    console.log(`scorelab: ${describeBackend(info)}`);
    const { runMainJob } = await import("./main-job");
    const r = await runMainJob({
      outDir: opts.out, quick: opts.quick || process.env.SCORELAB_QUICK === "1", install: opts.install, exportFigures: opts.export, progress: opts.progress, jobs: opts.jobs,
      backend: { id: info.name, description: describeBackend(info) },
      only: opts.only?.split(",").map((s) => s.trim()).filter(Boolean),
    });
    console.log(`summary: ${r.summaryMd}`);
    if (r.outcomes.some((o) => o.status === "failed")) process.exitCode = 1;
  });

/** Commander's parser for --jobs: its own message names the option and the value. */
function jobsOption(v: string): number {
  const n = jobsValue(v);
  if (n === undefined) throw new InvalidArgumentError(`expected ${JOBS_EXPECTED}.`);
  return n;
}

program
  .command("record <out...>")
  .description("keep finished main job runs (executed notebooks, summaries) in runs/<date>-<backend>-<mode>/ and write the README's results block from them")
  .option("--runs <dir>", "where kept runs go", "runs")
  .option("--readme <file>", "the README whose results block to rewrite")
  .action(async (out: string[], opts: { runs: string; readme?: string }) => {
    const { recordRuns } = await import("./record");
    try {
      console.log(`kept in ${recordRuns(out, { runsDir: opts.runs, readme: opts.readme }).join(", ")}${opts.readme ? `; ${opts.readme} rewritten` : ""}`);
    } catch (e) {
      console.error((e as Error).message);
      process.exitCode = 1;
    }
  });

program
  .command("install")
  .description("write the `scorelab` Jupyter kernelspec (default: --user)")
  .option("--user", "install into the per-user Jupyter data dir")
  .option("--sys-prefix", "install into Python's sys.prefix (/usr for Debian's python3)")
  .option("--prefix <dir>", "install into DIR/share/jupyter/kernels")
  .action((opts: { user?: boolean; sysPrefix?: boolean; prefix?: string }) => {
    const dir = installKernelspec(opts.sysPrefix || opts.prefix !== undefined ? opts : { user: true });
    console.log(`installed kernelspec scorelab in ${dir}`);
  });

program
  .command("kernel")
  .description("run the kernel on a Jupyter connection file (what the kernelspec starts)")
  .requiredOption("--config-path <file>", "Jupyter connection file")
  .action(async (opts: { configPath: string }) => {
    const { startKernel } = await import("../../kernel/start");
    await startKernel(opts.configPath);
  });

program
  .command("run")
  .description("execute a notebook headless; write the executed notebook and its figures into --out")
  .argument("<notebook>", "the .ipynb file")
  .option("--out <dir>", "output folder", "scorelab-out")
  .option("--param <k=v>", "define a notebook variable before the first cell (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option("--progress", "show a live status line (cell i/N, elapsed, the cell's progress); default: on a terminal, not in CI")
  .option("--no-progress", "never show the status line")
  .option("--progress-fd <fd>", "write progress events as JSON lines to this open file descriptor (used by `scorelab main`)", (v: string) => Number(v))
  .action(async (notebook: string, opts: { out: string; param: string[]; progress?: boolean; progressFd?: number }) => {
    const { runNotebook, parseParams } = await import("../../kernel/notebook-run");
    const { cliRunProgress } = await import("../../kernel/run-progress");
    const live = cliRunProgress(opts.progress, opts.progressFd);
    let r;
    try {
      r = await runNotebook(notebook, { outDir: opts.out, params: parseParams(opts.param), progress: live.progress, log: live.log });
    } finally {
      live.close();
    }
    console.log(`wrote ${r.notebookPath} and ${r.files.filter((f) => path.basename(f) !== "plotly.js").length - 1} figure file(s)`);
    if (r.error) {
      console.error(`cell ${r.error.cell} failed: ${r.error.ename}: ${r.error.evalue}`);
      process.exitCode = 1;
    }
  });

registerGrade(program);
registerSweepCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`scorelab: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
