/**
 * `scorelab record OUT`: keeps a finished main job's run in the repository and writes the README's results from it,
 * so that every number the README prints comes from a run that is kept, with its date and backend, and none is
 * copied by hand. The executed notebooks and the summaries go to runs/<date>-<backend>-<mode>/; the README's block
 * between the two markers is replaced by the run's tables.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checksTable, PAPER_NOTEBOOKS, type MainJobSummary, type NotebookOutcome } from "./main-job";

export const README_BEGIN = "<!-- main-job results: begin (written by `scorelab record`; edits here are overwritten) -->";
export const README_END = "<!-- main-job results: end -->";

export interface RecordOptions {
  /** Where kept runs go (default "runs"). */
  runsDir?: string;
  /** The README to rewrite (default none). */
  readme?: string;
}

const mdCell = (v: string) => v.replace(/\|/g, "\\|").replace(/\n+/g, " ");

function readSummary(outDir: string): MainJobSummary {
  const fn = "recordRun";
  const file = path.join(outDir, "summary.json");
  if (!fs.existsSync(file)) throw new Error(`${fn}: argument 'outDir' must be a main job's output folder; ${file} does not exist (run \`scorelab main --out ${outDir}\` first)`);
  let s: MainJobSummary;
  try { s = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { throw new Error(`${fn}: ${file} is not JSON (${(e as Error).message})`); }
  if (!s || !Array.isArray(s.outcomes) || typeof s.started !== "string" || !s.backend) throw new Error(`${fn}: ${file} is not a main job's summary (no started, backend or outcomes)`);
  return s;
}

/** The README block for a run: where it is kept, one row per notebook, and every claim against its reference. */
export function resultsBlock(s: MainJobSummary, keptAt: string): string {
  const paper = (file: string) => PAPER_NOTEBOOKS.find((p) => p.file === file)?.paper ?? file;
  const rows = s.outcomes.map((o) => `| ${o.file} | ${mdCell(paper(o.file))} | ${o.status === "ok" ? o.reproduced : `${o.status}: ${mdCell(o.note)}`} | ${o.seconds.toFixed(0)} | ${mdCell(o.summary)} |`);
  return [
    README_BEGIN,
    `From the main job of ${s.started.slice(0, 16).replace("T", " ")} UTC (${s.mode} mode, ${s.seconds.toFixed(0)} s in all) on ${mdCell(s.backend.description)};`,
    `the executed notebooks and summaries are kept in [${keptAt}/](${keptAt}/).`, "",
    "| notebook | paper | reproduced | seconds | what this run measured |", "| --- | --- | --- | --- | --- |", ...rows, "",
    ...checksTable(s.outcomes as unknown as NotebookOutcome[]).map((l) => (l.startsWith("## ") ? `**${l.slice(3)}**` : l)),
    README_END,
  ].join("\n");
}

/**
 * Keeps the run in OUT under `runsDir` and rewrites the README's results block from it. Returns the kept folder.
 * @example recordRun("out", { runsDir: "runs", readme: "README.md" })
 */
export function recordRun(outDir: string, opts: RecordOptions = {}): string {
  const fn = "recordRun";
  const s = readSummary(outDir);
  const runsDir = opts.runsDir ?? "runs";
  const name = `${s.started.slice(0, 10)}-${s.backend.id.replace(/[^A-Za-z0-9_-]/g, "_")}-${s.mode}`;
  const kept = path.join(runsDir, name);
  let readme: string | undefined;
  if (opts.readme !== undefined) {
    if (!fs.existsSync(opts.readme)) throw new Error(`${fn}: argument 'opts.readme': ${opts.readme} does not exist`);
    readme = fs.readFileSync(opts.readme, "utf8");
    const a = readme.indexOf(README_BEGIN), b = readme.indexOf(README_END);
    if (a < 0 || b < a) throw new Error(`${fn}: ${opts.readme} has no results block; put the two lines\n${README_BEGIN}\n${README_END}\nwhere the results go`);
  }
  // Checked before anything is written: a missing notebook leaves the README and the kept runs as they were.
  const notebooks = s.outcomes.filter((o) => o.notebook).map((o) => path.join(outDir, o.notebook!));
  for (const nb of notebooks) if (!fs.existsSync(nb)) throw new Error(`${fn}: ${nb} is named in summary.json but missing`);
  fs.rmSync(kept, { recursive: true, force: true });
  fs.mkdirSync(kept, { recursive: true });
  for (const f of ["summary.json", "summary.md", "summary.csv", "checks.csv"]) if (fs.existsSync(path.join(outDir, f))) fs.copyFileSync(path.join(outDir, f), path.join(kept, f));
  for (const nb of notebooks) fs.copyFileSync(nb, path.join(kept, path.basename(nb)));
  if (readme !== undefined && opts.readme) {
    const rel = path.relative(path.dirname(path.resolve(opts.readme)), path.resolve(kept)).split(path.sep).join("/");
    const a = readme.indexOf(README_BEGIN), b = readme.indexOf(README_END) + README_END.length;
    fs.writeFileSync(opts.readme, readme.slice(0, a) + resultsBlock(s, rel) + readme.slice(b));
  }
  return kept;
}
