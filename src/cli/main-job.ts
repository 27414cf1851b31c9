/**
 * The main job (`npm start` = `scorelab main`): installs the kernelspec, runs every paper notebook headless, exports
 * their figures to SVG and PNG, and writes a summary table of each paper's claim and whether this run reproduced it.
 * Each notebook runs in its own `scorelab run` process: a notebook's variables, tensors and tslab state cannot leak
 * into the next, and one crashing notebook does not stop the job. Up to `jobs` children run at once, the cores
 * shared out between them (job-slots.ts); the outcomes and summaries keep the table's order whatever ends first.
 */
import { VERDICT_MIME, verdictFromJSON, type ClaimCheckData } from "../studies";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { spawn } from "child_process";
import { cliEntry, packageRoot } from "../../kernel/paths";
import { installKernelspec } from "../../kernel/install";
import { createExporter, isFigure, type Figure } from "../plot";
import { eventReader, showProgress, type RunProgress } from "../../kernel/run-progress";
import { runsStatus } from "../../kernel/runs-status";
import { childEnv, describeSlots, inLanes, jobSlots, startOrder, type JobSlots } from "./job-slots";

/**
 * A paper notebook of the main job, the library function it needs (`thread.fn` under `lab`), and the seconds it is
 * expected to take (a full run on torch, one thread each, two at once on 2 cores; measured 2026-12-02): with several
 * notebooks at once the longest start first.
 */
export interface PaperNotebook { file: string; paper: string; requires: string; expectedSeconds: number }

export const PAPER_NOTEBOOKS: PaperNotebook[] = [
  { file: "paper-fusion.ipynb", paper: "Liu, Ye, Blanchet, Si: ScoreFusion (AISTATS 2025, arXiv:2406.19619)", requires: "fusion.fusionStudy1D", expectedSeconds: 693 },
  { file: "paper-refinement.ipynb", paper: "Husain, De Bortoli, Nock: Seasoning Generative Models (arXiv:2603.18817)", requires: "refine.refineStudy", expectedSeconds: 146 },
  { file: "paper-generalization.ipynb", paper: "Yi, Sun, Li: On the Generalization of Diffusion Model (arXiv:2305.14712)", requires: "generalization.generalizationStudy", expectedSeconds: 332 },
  { file: "paper-sdflow.ipynb", paper: "Weber: The Score-Difference Flow (TMLR 2023, arXiv:2304.12906)", requires: "flow.flowStudy", expectedSeconds: 38 },
  { file: "paper-schedule-bounds.ipynb", paper: "Strasman et al.: noise schedule analysis (arXiv:2402.04650)", requires: "bounds.scheduleStudy", expectedSeconds: 78 },
  { file: "samplers.ipynb", paper: "Karras et al.: EDM (arXiv:2206.00364); Lu et al.: DPM-Solver++ (arXiv:2211.01095)", requires: "samplerStudy", expectedSeconds: 127 },
  { file: "images.ipynb", paper: "Ho, Salimans: Classifier-Free Diffusion Guidance (arXiv:2207.12598)", requires: "guidance.cfgScore", expectedSeconds: 189 },
];

export interface MainJobOptions {
  /** Shrink every study (default: env SCORELAB_QUICK === "1"). Passed to each notebook as `--param quick=...`. */
  quick?: boolean;
  /** Output folder (default "out"). */
  outDir?: string;
  /** Where the notebooks are (default: this installation's notebooks/). */
  notebooksDir?: string;
  /** Only these notebook files (default: all of PAPER_NOTEBOOKS). */
  only?: string[];
  /** Install the kernelspec for the user first (default true). */
  install?: boolean;
  /** Export figure JSON to SVG and PNG (default true). */
  exportFigures?: boolean;
  /** Seconds one notebook may run (default 1500; 6000 on wasm and cpu, the embedded default, about 4x slower). */
  timeoutS?: number;
  /** The tensor backend the notebooks run on, as `describeBackend` says it, and its rung id (recorded in summary.json). */
  backend?: { id: string; description: string };
  log?: (line: string) => void;
  /** A live status line per cell of the running notebook (default: on a terminal, not in CI; see run-progress.ts). */
  progress?: boolean;
  /**
   * Notebooks at once (default: env SCORELAB_JOBS, else the cores this process may use; capped by the notebooks
   * to run). Each child gets SCORELAB_CORES = max(1, floor(cores / jobs)), which its libtorch threads (unless
   * SCORELAB_THREADS is set) and its sweeps' child processes divide.
   */
  jobs?: number;
}

export interface NotebookOutcome {
  file: string;
  paper: string;
  status: "ok" | "failed" | "skipped";
  seconds: number;
  claim: string;
  reproduced: string;
  summary: string;
  /** Why it failed or was skipped. */
  note: string;
  /** Each claim against its reference, with its interval (from the displayed verdict). */
  checks: ClaimCheckData[];
  notebookPath?: string;
  figures: string[];
}

export interface MainJobResult { outDir: string; outcomes: NotebookOutcome[]; summaryCsv: string; summaryMd: string; summaryJson: string; kernelspec?: string; seconds: number }

/** What summary.json holds: the run's date, backend and mode with every outcome, for `scorelab record`. */
export interface MainJobSummary {
  started: string;
  finished: string;
  mode: "quick" | "full";
  backend: { id: string; description: string };
  seconds: number;
  /** The 1-minute load average at the start and the end: wall times on a shared machine say little without it. */
  load?: [number, number];
  /** Notebooks at once, the cores and each child's share of them, and its libtorch threads (absent before jobs existed). */
  jobs?: number;
  cores?: number;
  coresPerChild?: number;
  threadsPerChild?: number;
  threadsFrom?: JobSlots["threadsFrom"];
  outcomes: (Omit<NotebookOutcome, "notebookPath" | "figures"> & { notebook?: string; figures: string[] })[];
}

/** Whether `lab.<dotted>` is a function in this build. */
export function libraryHas(dotted: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  let v: unknown = require("../index");
  for (const k of dotted.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === "function";
}

interface NbJson { cells: { cell_type: string; metadata?: { tags?: string[] }; outputs?: { output_type: string; data?: Record<string, unknown> }[] }[] }

/**
 * Reads the verdict the cell tagged `summary` displayed (`display(lab.verdict(...))`, VERDICT_MIME) from the
 * executed notebook.
 * @example readVerdict(JSON.parse(fs.readFileSync("out/paper-sdflow/paper-sdflow.ipynb", "utf8")))
 */
export function readVerdict(nb: NbJson): { claim: string; summary: string; reproduced: string; checks: ClaimCheckData[] } {
  const cell = nb.cells.find((c) => c.metadata?.tags?.includes("summary"));
  for (const o of cell?.outputs ?? []) {
    const v = verdictFromJSON(o.data?.[VERDICT_MIME]);
    if (v) return { claim: v.claim, summary: v.measured, reproduced: v.reproduced, checks: v.checks };
  }
  return { claim: "", summary: "", reproduced: "unknown (the summary cell displayed no verdict)", checks: [] };
}

function runChild(args: string[], timeoutS: number, cwd: string, env: NodeJS.ProcessEnv, onEvent?: RunProgress): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // With progress, the child sends its cell events on fd 3, leaving its stdout and stderr as they were.
    const child = spawn(process.execPath, [cliEntry, ...args, ...(onEvent ? ["--progress-fd", "3"] : [])],
      { cwd, stdio: onEvent ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"], env });
    if (onEvent) child.stdio[3]?.on("data", eventReader(onEvent));
    let output = "";
    child.stdout!.on("data", (d) => { output += d; });
    child.stderr!.on("data", (d) => { output += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutS * 1000);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** A Markdown table cell: pipes escaped, line breaks folded. */
export const mdCell = (v: string) => v.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/**
 * Runs the main job; see the file comment. Resolves when every notebook has run (failures are recorded, not thrown).
 * @example const r = await runMainJob({ quick: true, outDir: "out" }); console.log(r.summaryMd);
 */
export async function runMainJob(opts: MainJobOptions = {}): Promise<MainJobResult> {
  const fn = "runMainJob";
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const quick = opts.quick ?? process.env.SCORELAB_QUICK === "1";
  const outDir = path.resolve(opts.outDir ?? "out");
  const nbDir = path.resolve(opts.notebooksDir ?? path.join(packageRoot, "notebooks"));
  const live = showProgress(opts.progress, process.stderr) ? runsStatus(process.stderr) : undefined;
  const userLog = opts.log ?? ((l: string) => console.log(l));
  const log = live ? (l: string) => { live.clearLine(); userLog(l); } : userLog;
  const backend = opts.backend ?? { id: process.env.SCORELAB_BACKEND ?? "unknown", description: "not recorded" };
  const timeoutS = opts.timeoutS ?? (backend.id === "wasm" || backend.id === "cpu" ? 6000 : 1500);
  if (!(timeoutS > 0)) throw new Error(`${fn}: argument 'opts.timeoutS' must be a positive number of seconds, got ${timeoutS}`);
  const list = opts.only ? PAPER_NOTEBOOKS.filter((p) => opts.only!.includes(p.file)) : PAPER_NOTEBOOKS;
  if (opts.only && list.length !== opts.only.length) {
    throw new Error(`${fn}: argument 'opts.only' names unknown notebooks; choose from ${PAPER_NOTEBOOKS.map((p) => p.file).join(", ")}`);
  }
  const slots = jobSlots(opts.jobs, Math.max(1, list.filter((p) => libraryHas(p.requires)).length));
  fs.mkdirSync(outDir, { recursive: true });
  let kernelspec: string | undefined;
  if (opts.install ?? true) {
    kernelspec = installKernelspec({ user: true });
    log(`kernelspec scorelab installed in ${kernelspec}`);
  }
  log(`running ${list.length} paper notebooks (${quick ? "quick" : "full"} mode) into ${outDir}; ${describeSlots(slots)}`);

  // Slots are filled in table order with jobs = 1 and longest expected first otherwise; "[k/N]" counts starts in the
  // status line and ends in the log, which with one slot is the table position as before.
  const outcomes: NotebookOutcome[] = new Array(list.length);
  let begun = 0, ended = 0;
  const env = childEnv(slots);
  await inLanes(startOrder(list, slots.jobs, (p) => p.expectedSeconds), slots.jobs, async (i) => {
    const p = list[i];
    const label = `[${++begun}/${list.length}] ${p.file}`;
    const base = { file: p.file, paper: p.paper, claim: "", reproduced: "", summary: "", note: "", figures: [] as string[], checks: [] as ClaimCheckData[] };
    if (!libraryHas(p.requires)) {
      outcomes[i] = { ...base, status: "skipped", seconds: 0, reproduced: "not run", note: `lab.${p.requires} is not in this build` };
      log(`[${++ended}/${list.length}] ${p.file}: skipped (lab.${p.requires} is not in this build)`);
      return;
    }
    const dir = path.join(outDir, path.basename(p.file, ".ipynb"));
    fs.rmSync(dir, { recursive: true, force: true });
    const t0 = Date.now();
    const shown = live?.start(label, path.basename(p.file, ".ipynb"));
    const r = await runChild(["run", path.join(nbDir, p.file), "--out", dir, "--param", `quick=${quick}`], timeoutS, outDir, env, shown?.onEvent);
    shown?.end();
    const seconds = (Date.now() - t0) / 1000;
    const notebookPath = path.join(dir, p.file);
    let verdict = { claim: "", summary: "", reproduced: "unknown", checks: [] as ClaimCheckData[] };
    if (fs.existsSync(notebookPath)) verdict = readVerdict(JSON.parse(fs.readFileSync(notebookPath, "utf8")));
    const failed = r.code !== 0;
    const note = failed ? (/cell \d+ failed: .*/.exec(r.output)?.[0] ?? (r.code === null ? `killed after ${timeoutS} s` : r.output.trim().split("\n").pop() ?? "failed")) : "";
    outcomes[i] = { ...base, ...verdict, status: failed ? "failed" : "ok", seconds, note, notebookPath: fs.existsSync(notebookPath) ? notebookPath : undefined, reproduced: failed ? "error" : verdict.reproduced };
    log(`[${++ended}/${list.length}] ${p.file}: ${failed ? `FAILED (${note})` : `ok, reproduced: ${verdict.reproduced}`} in ${seconds.toFixed(1)} s`);
  });

  live?.close();
  if (opts.exportFigures ?? true) await exportAll(outcomes, log);

  const summaryCsv = path.join(outDir, "summary.csv");
  const cols = ["notebook", "paper", "status", "reproduced", "seconds", "claim", "this_run", "note"];
  fs.writeFileSync(summaryCsv, [cols.join(","), ...outcomes.map((o) => [o.file, o.paper, o.status, o.reproduced, o.seconds.toFixed(1), o.claim, o.summary, o.note].map(csvCell).join(","))].join("\n") + "\n");
  const summaryMd = path.join(outDir, "summary.md");
  fs.writeFileSync(summaryMd, [
    `# scorelab main job (${quick ? "quick" : "full"} mode, ${describeSlots(slots)})`, "",
    `Run ${new Date(started).toISOString()} to ${new Date().toISOString()} on ${backend.description}.`, "",
    `${outcomes.filter((o) => o.status === "ok").length} of ${outcomes.length} paper notebooks ran; ${((Date.now() - started) / 1000).toFixed(0)} s in all. Executed notebooks and figures are in the folder of each notebook.`, "",
    "| notebook | paper | claim | reproduced | seconds |", "| --- | --- | --- | --- | --- |",
    ...outcomes.map((o) => `| ${o.file} | ${mdCell(o.paper)} | ${mdCell(o.claim || o.note)} | ${o.reproduced} | ${o.seconds.toFixed(1)} |`), "",
    ...checksTable(outcomes),
    ...outcomes.filter((o) => o.summary).flatMap((o) => [`## ${o.file}`, "", o.summary, ""]),
  ].join("\n"));
  const checksCsv = path.join(outDir, "checks.csv");
  const ccols = ["notebook", "quantity", "seeds", "mean", "lo", "hi", "reference", "reference_mean", "reference_lo", "reference_hi", "difference_lo", "difference_hi", "direction", "margin", "level", "passed"];
  fs.writeFileSync(checksCsv, [ccols.join(","), ...outcomes.flatMap((o) => o.checks.map((c) => [o.file, c.quantity, c.measured.n, c.measured.mean, c.measured.lo, c.measured.hi,
    c.referenceName, c.reference.mean, c.reference.lo, c.reference.hi, c.difference.lo, c.difference.hi, c.direction, c.margin, c.level, c.passed].map((v) => csvCell(String(v))).join(",")))].join("\n") + "\n");
  const summaryJson = path.join(outDir, "summary.json");
  const summary: MainJobSummary = {
    started: new Date(started).toISOString(), finished: new Date().toISOString(), mode: quick ? "quick" : "full", backend, load: [loadAtStart, os.loadavg()[0]],
    jobs: slots.jobs, cores: slots.cores, coresPerChild: slots.coresPerChild, threadsPerChild: slots.threads, threadsFrom: slots.threadsFrom,
    seconds: (Date.now() - started) / 1000,
    outcomes: outcomes.map(({ notebookPath, figures, ...o }) => ({ ...o, notebook: notebookPath && path.relative(outDir, notebookPath), figures: figures.map((f) => path.relative(outDir, f)) })),
  };
  fs.writeFileSync(summaryJson, JSON.stringify(summary, null, 1) + "\n");
  log(`outputs in ${outDir}: summary.md, summary.csv, checks.csv (each claim against its reference), and one folder per notebook (executed .ipynb, figures as .json/.html/.svg/.png)`);
  return { outDir, outcomes, summaryCsv, summaryMd, summaryJson, kernelspec, seconds: (Date.now() - started) / 1000 };
}

const num = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toPrecision(4));

/** The summary's table of every claim against its reference: measured and reference with intervals, and the outcome. */
export function checksTable(outcomes: NotebookOutcome[]): string[] {
  const rows = outcomes.flatMap((o) => o.checks.map((c) => {
    const m = c.measured, r = c.reference, d = c.difference;
    const iv = (x: typeof m) => (x.n > 1 ? `${num(x.mean)} [${num(x.lo)}, ${num(x.hi)}]` : num(x.mean));
    return `| ${o.file} | ${mdCell(c.quantity)} | ${m.n} | ${iv(m)} | ${mdCell(c.referenceName)}: ${iv(r)} | ${iv(d)} | ${c.direction} by > ${num(c.margin)} | ${c.passed ? "yes" : "no"} |`;
  }));
  if (rows.length === 0) return [];
  return ["## Claims against their references", "", "Intervals are 95 % Student-t intervals over seeds; a claim holds only when the interval of the difference clears its margin.", "",
    "| notebook | quantity | seeds | measured | reference | difference | claim | holds |", "| --- | --- | --- | --- | --- | --- | --- | --- |", ...rows, ""];
}

/** Exports every figure JSON the runs wrote to .svg and .png beside it, with one browser. */
async function exportAll(outcomes: NotebookOutcome[], log: (l: string) => void): Promise<void> {
  const jobs: { fig: Figure; base: string; o: NotebookOutcome }[] = [];
  for (const o of outcomes) {
    if (!o.notebookPath) continue;
    const dir = path.dirname(o.notebookPath);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const fig = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      if (isFigure(fig)) jobs.push({ fig, base: path.join(dir, f.replace(/\.json$/, "")), o });
    }
  }
  if (jobs.length === 0) return;
  let ex;
  try { ex = await createExporter(); } catch (e) {
    log(`figures not exported to SVG/PNG (${(e as Error).message.split("\n")[0]}); the .json and .html files are there`);
    return;
  }
  try {
    for (const j of jobs) {
      for (const ext of ["svg", "png"]) {
        await ex.export(j.fig, `${j.base}.${ext}`);
        j.o.figures.push(`${j.base}.${ext}`);
      }
    }
  } finally { await ex.close(); }
  log(`exported ${jobs.length} figures to SVG and PNG`);
}
