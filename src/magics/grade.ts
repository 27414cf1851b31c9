/** %grade: grades a folder of submitted notebooks (lab.check.gradeSubmissions), with a bar per student, the grades table and the score figure. */
import { gradeSubmissions, type GradeResult } from "../check";
import { defineMagic, MagicError } from "./spec";
import { figureBundle, rowsToHtml } from "./mime";
import { progressReporter } from "./progress";

export const gradeMagic = defineMagic<GradeResult>({
  name: "grade",
  summary: "grade a folder of submitted notebooks against the source assignment (locally or on sweep workers); grades table, feedback notebooks, score figure",
  args: [{ name: "submissions", description: "folder of STUDENT.ipynb files or STUDENT/ folders", required: true }],
  options: [
    { flags: "--source <notebook>", description: "the source assignment, with solutions and nbgrader metadata (required)", kind: "string" },
    { flags: "--out <dir>", description: "output folder: grades.csv, feedback/STUDENT.ipynb, score-distribution.json", kind: "string", default: "graded" },
    { flags: "--files <paths>", description: "comma-separated files or folders the assignment needs, copied into every run folder", kind: "string" },
    { flags: "--concurrency <n>", description: "submissions at once (default: the cores; with --redis the whole class)", kind: "positive-int" },
    { flags: "--cell-timeout <s>", description: "seconds a cell may run", kind: "number", default: 60 },
    { flags: "--timeout <s>", description: "seconds a notebook may run", kind: "number", default: 300 },
    { flags: "--memory <mb>", description: "resident memory per notebook in MiB (V8's heap gets half)", kind: "number", default: 2048 },
    { flags: "--max-output <bytes>", description: "bytes of text a notebook may print", kind: "positive-int", default: 1 << 20 },
    { flags: "--backend <name>", description: "tensor backend of the submissions (default: this kernel's environment)", kind: "string" },
    { flags: "--redis <url>", description: "run the submissions on `scorelab worker` processes at this redis:// URL", kind: "string" },
    { flags: "--queue <name>", description: "the workers' queue (with --redis; default scorelab-trials)", kind: "string" },
  ],
  help: "Example: %grade submitted --source source/dsm-loss.ipynb --out graded --cell-timeout 30 --as grades\n" +
    "Every submission runs in its own sandboxed process with locked cells restored from the source; a graded cell that runs without an error earns its points (nbgrader's rule). " +
    "The result is { rows, table, figure, gradesCsv, feedback, totals, seconds }.",
  async run({ args, opts }, ctx) {
    if (typeof opts.source !== "string") throw new MagicError("%grade: --source is required: the source assignment notebook, e.g. %grade submitted --source source/dsm-loss.ipynb");
    const bar = progressReporter(ctx.display, "%grade");
    const r = await gradeSubmissions(args[0] as string, {
      source: opts.source, outDir: opts.out as string, files: (opts.files as string | undefined)?.split(",").map((s) => s.trim()).filter(Boolean),
      concurrency: opts.concurrency as number | undefined, backend: opts.backend as string | undefined,
      redis: opts.redis as string | undefined, queue: opts.queue as string | undefined, signal: ctx.signal, onStep: (p) => bar.report(p),
      limits: { cellTimeoutS: opts.cellTimeout as number, notebookTimeoutS: opts.timeout as number, memoryMB: opts.memory as number, maxOutputBytes: opts.maxOutput as number },
    });
    bar.done();
    const n = Object.keys(r.totals).length;
    ctx.print(`graded ${n} submission${n === 1 ? "" : "s"} in ${r.seconds.toFixed(1)} s; wrote ${r.gradesCsv} and ${n} feedback notebook${n === 1 ? "" : "s"}`);
    ctx.display({ "text/html": rowsToHtml(r.rows as unknown as Record<string, unknown>[], 200), "text/plain": `${r.rows.length} grade rows` });
    ctx.display(figureBundle(r.figure));
    return r;
  },
});
