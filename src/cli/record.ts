/**
 * `scorelab record OUT`: keeps a finished main job's run in the repository and writes the README's results from it,
 * so that every number the README prints comes from a run that is kept, with its date and backend, and none is
 * copied by hand. The executed notebooks and the summaries go to runs/<date>-<backend>-<mode>/; the README's block
 * between the two markers is replaced by the run's tables.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checksTable, mdCell, PAPER_NOTEBOOKS, type MainJobSummary, type NotebookOutcome } from "./main-job";

export const README_BEGIN = "<!-- main-job results: begin (written by `scorelab record`; edits here are overwritten) -->";
export const README_END = "<!-- main-job results: end -->";

export interface RecordOptions {
  /** Where kept runs go (default "runs"). */
  runsDir?: string;
  /** The README to rewrite (default none). */
  readme?: string;
}


function readSummary(outDir: string): MainJobSummary {
  const fn = "recordRun";
  const file = path.join(outDir, "summary.json");
  if (!fs.existsSync(file)) throw new Error(`${fn}: argument 'outDir' must be a main job's output folder; ${file} does not exist (run \`scorelab main --out ${outDir}\` first)`);
  let s: MainJobSummary;
  try { s = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { throw new Error(`${fn}: ${file} is not JSON (${(e as Error).message})`); }
  if (!s || !Array.isArray(s.outcomes) || typeof s.started !== "string" || !s.backend) throw new Error(`${fn}: ${file} is not a main job's summary (no started, backend or outcomes)`);
  return s;
}

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
/** The README shows the start of each summary; the kept summary.md has all of it. */
const SUMMARY_CHARS = 280;
const brief = (text: string) => (text.length <= SUMMARY_CHARS ? text : `${text.slice(0, text.lastIndexOf(" ", SUMMARY_CHARS))} …`);

/**
 * The README block for kept runs: where each is kept, one row per notebook, and every claim against its reference.
 * Several runs (the main job run notebook by notebook, `--only`) give one table; a notebook in two runs is shown from
 * the later one.
 */
export function resultsBlock(runs: { summary: MainJobSummary; keptAt: string }[]): string {
  const paper = (file: string) => PAPER_NOTEBOOKS.find((p) => p.file === file)?.paper ?? file;
  const latest = new Map<string, MainJobSummary["outcomes"][number]>();
  for (const r of [...runs].sort((a, b) => a.summary.started.localeCompare(b.summary.started))) for (const o of r.summary.outcomes) latest.set(o.file, o);
  const order = (f: string) => { const i = PAPER_NOTEBOOKS.findIndex((p) => p.file === f); return i < 0 ? 1e9 : i; };
  const outcomes = [...latest.values()].sort((a, b) => order(a.file) - order(b.file));
  const rows = outcomes.map((o) => `| ${o.file} | ${mdCell(paper(o.file))} | ${o.status === "ok" ? o.reproduced : `${o.status}: ${mdCell(o.note)}`} | ${o.seconds.toFixed(0)} | ${mdCell(brief(o.summary))} |`);
  const where = runs.map(({ summary: s, keptAt }) =>
    `- ${when(s.started)} to ${when(s.finished)}, ${s.mode} mode, ${s.outcomes.map((o) => o.file).join(", ")}: ${mdCell(s.backend.description.split(";")[0])}${s.load ? `, load average ${s.load[0].toFixed(1)} at the start and ${s.load[1].toFixed(1)} at the end` : ""}${s.jobs !== undefined && s.jobs > 1 ? `, ${s.jobs} notebooks at once with ${s.threadsPerChild} thread${s.threadsPerChild === 1 ? "" : "s"} each, ${s.seconds.toFixed(0)} s wall` : ""}; kept in [${keptAt}/](${keptAt}/) (summary.md there has each run's full text)`);
  return [
    README_BEGIN,
    `From the main job's run${runs.length > 1 ? "s" : ""}${runs.length > 1 ? " (a notebook in two runs is shown from the later one)" : ""}; seconds are wall time:`, ...where, "",
    "| notebook | paper | reproduced | seconds | what this run measured |", "| --- | --- | --- | --- | --- |", ...rows, "",
    `The ${outcomes.length} notebook${outcomes.length === 1 ? "" : "s"} took ${outcomes.reduce((a, o) => a + o.seconds, 0).toFixed(0)} s in all${runs.some((r) => (r.summary.jobs ?? 1) > 1) ? " (each notebook's own time, summed; some ran at once, so a run's wall time is less: see above)" : ""}.`, "",
    ...checksTable(outcomes as unknown as NotebookOutcome[]).map((l) => (l.startsWith("## ") ? `**${l.slice(3)}**` : l)),
    README_END,
  ].join("\n");
}

/**
 * Keeps each run in `outDirs` under `runsDir` and rewrites the README's results block from them. Returns the kept
 * folders.
 * @example recordRuns(["out"], { runsDir: "runs", readme: "README.md" })
 */
export function recordRuns(outDirs: string[], opts: RecordOptions = {}): string[] {
  const fn = "recordRun";
  if (!Array.isArray(outDirs) || outDirs.length === 0) throw new Error(`${fn}: argument 'outDirs' must name at least one main job output folder`);
  const summaries = outDirs.map(readSummary);
  const runsDir = opts.runsDir ?? "runs";
  const kept = summaries.map((s, i) => path.join(runsDir, `${s.started.slice(0, 10)}-${s.backend.id.replace(/[^A-Za-z0-9_-]/g, "_")}-${s.mode}${summaries.length > 1 ? `-${path.basename(path.resolve(outDirs[i]))}` : ""}`));
  let readme: string | undefined;
  if (opts.readme !== undefined) {
    if (!fs.existsSync(opts.readme)) throw new Error(`${fn}: argument 'opts.readme': ${opts.readme} does not exist`);
    readme = fs.readFileSync(opts.readme, "utf8");
    const a = readme.indexOf(README_BEGIN), b = readme.indexOf(README_END);
    if (a < 0 || b < a) throw new Error(`${fn}: ${opts.readme} has no results block; put the two lines\n${README_BEGIN}\n${README_END}\nwhere the results go`);
  }
  // Checked before anything is written: a missing notebook leaves the README and the kept runs as they were.
  const notebooks = summaries.map((s, i) => s.outcomes.filter((o) => o.notebook).map((o) => path.join(outDirs[i], o.notebook!)));
  for (const nb of notebooks.flat()) if (!fs.existsSync(nb)) throw new Error(`${fn}: ${nb} is named in summary.json but missing`);
  summaries.forEach((_, i) => {
    fs.rmSync(kept[i], { recursive: true, force: true });
    fs.mkdirSync(kept[i], { recursive: true });
    for (const f of ["summary.json", "summary.md", "summary.csv", "checks.csv"]) if (fs.existsSync(path.join(outDirs[i], f))) fs.copyFileSync(path.join(outDirs[i], f), path.join(kept[i], f));
    for (const nb of notebooks[i]) fs.copyFileSync(nb, path.join(kept[i], path.basename(nb)));
  });
  if (readme !== undefined && opts.readme) {
    const rel = (k: string) => path.relative(path.dirname(path.resolve(opts.readme!)), path.resolve(k)).split(path.sep).join("/");
    const a = readme.indexOf(README_BEGIN), b = readme.indexOf(README_END) + README_END.length;
    fs.writeFileSync(opts.readme, readme.slice(0, a) + resultsBlock(summaries.map((summary, i) => ({ summary, keptAt: rel(kept[i]) }))) + readme.slice(b));
  }
  return kept;
}

/** One run: `recordRuns([outDir], opts)[0]`. @example recordRun("out", { readme: "README.md" }) */
export function recordRun(outDir: string, opts: RecordOptions = {}): string {
  return recordRuns([outDir], opts)[0];
}
