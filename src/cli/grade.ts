/** `scorelab grade SUBMISSIONS_DIR --source ASSIGNMENT.ipynb --out DIR`: a thin shell over lab.check.gradeSubmissions. */
import * as path from "node:path";
import type { Command } from "commander";

interface GradeCliOptions {
  source: string; out: string; files?: string; concurrency?: string; cellTimeout: string; timeout: string;
  memory: string; maxOutput: string; backend?: string; sandbox: boolean; export: boolean; redis?: string; queue?: string;
}

/** A positive number from an option's text, or one clear error naming the option. */
function positive(flag: string, text: string, integer = false): number {
  const v = Number(text);
  if (!(v > 0 && Number.isFinite(v)) || (integer && !Number.isInteger(v))) throw new Error(`scorelab grade: ${flag} must be a positive ${integer ? "whole " : ""}number, got '${text}'`);
  return v;
}

/** Adds the `grade` command to the CLI. @example registerGrade(program) */
export function registerGrade(program: Command): void {
  program
    .command("grade")
    .description("grade a folder of submitted notebooks (STUDENT.ipynb or STUDENT/NOTEBOOK.ipynb) against the source assignment: grades.csv, feedback/STUDENT.ipynb and the score distribution into --out")
    .argument("<submissions>", "folder of submissions")
    .requiredOption("--source <notebook>", "the source assignment, with solutions and nbgrader metadata")
    .option("--out <dir>", "output folder", "graded")
    .option("--files <paths>", "comma-separated files or folders the assignment needs, copied into every run folder")
    .option("--concurrency <n>", "submissions at once (default: the cores)")
    .option("--cell-timeout <s>", "seconds a cell may run", "60")
    .option("--timeout <s>", "seconds a notebook may run", "300")
    .option("--memory <mb>", "resident memory per notebook in MiB (V8's heap gets half)", "2048")
    .option("--max-output <bytes>", "bytes of text a notebook may print", String(1 << 20))
    .option("--backend <name>", "tensor backend of the submissions (default: SCORELAB_BACKEND or the ladder)")
    .option("--redis <url>", "run the submissions as jobs on `scorelab worker` processes at this redis:// URL (always sandboxed)")
    .option("--queue <name>", "the workers' queue (with --redis; default scorelab-trials)")
    .option("--no-sandbox", "run submissions without Node's permission model (they can then write anywhere)")
    .option("--no-export", "skip the SVG/PNG export of the score figure")
    .action(async (dir: string, o: GradeCliOptions) => {
      const { gradeSubmissions } = await import("../check/grade");
      const r = await gradeSubmissions(dir, {
        source: o.source, outDir: o.out, files: o.files?.split(",").map((s) => s.trim()).filter(Boolean),
        concurrency: o.concurrency === undefined ? undefined : positive("--concurrency", o.concurrency, true),
        limits: {
          cellTimeoutS: positive("--cell-timeout", o.cellTimeout), notebookTimeoutS: positive("--timeout", o.timeout),
          memoryMB: positive("--memory", o.memory), maxOutputBytes: positive("--max-output", o.maxOutput, true),
        },
        backend: o.backend, sandbox: o.sandbox, redis: o.redis, queue: o.queue, log: (l) => console.log(l),
      });
      const n = Object.keys(r.totals).length;
      console.log(`graded ${n} submission${n === 1 ? "" : "s"} in ${r.seconds.toFixed(1)} s (${(n / (r.seconds / 60)).toFixed(1)} per minute)`);
      console.log(`wrote ${r.gradesCsv}, ${n} feedback notebook${n === 1 ? "" : "s"} in ${path.join(o.out, "feedback")}, ${r.figureJson}`);
      if (!o.export) return;
      const { exportFigures } = await import("../plot");
      const base = r.figureJson.replace(/\.json$/, "");
      try {
        await exportFigures([{ fig: r.figure, path: `${base}.svg` }, { fig: r.figure, path: `${base}.png` }]);
        console.log(`exported ${base}.svg and .png`);
      } catch (e) {
        console.log(`score figure not exported to SVG/PNG (${(e as Error).message.split("\n")[0]}); the .json is there`);
      }
    });
}
