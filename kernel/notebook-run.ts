/**
 * `scorelab run`: executes a notebook headless, in this process, with the kernel's executor; writes the
 * executed notebook and every figure/image into one output folder, and stops at the first failing cell.
 */
import * as fs from "fs";
import * as path from "path";
import { CellError, CellSink, createKernelExecutor, parseParamValue } from "./executor";
import { collectCellOutputs, type Output } from "./cell-outputs";
import type { RunProgress } from "./run-progress";
import { MimeBundle } from "../src/magics";
import { figureHtml, plotlyPath, PLOTLY_RESOURCE, type Figure, type StaticImage } from "../src/plot";

interface NbCell { cell_type: string; source: string | string[]; metadata?: { tags?: string[] }; outputs?: Output[]; execution_count?: number | null }
interface Notebook { cells: NbCell[]; metadata: Record<string, unknown>; nbformat: number; nbformat_minor: number }

export interface RunOptions {
  /** Output folder (created); nothing is written outside it. */
  outDir: string;
  /** `k=v` pairs: variables defined before the first cell and after a cell tagged `parameters`. */
  params?: Record<string, unknown>;
  /** Progress lines go here (default: stderr). */
  log?: (line: string) => void;
  /** Per-cell events (start, the cell's own progress line, end), e.g. for a terminal status line (run-progress.ts). */
  progress?: RunProgress;
}

export interface RunResult { notebookPath: string; files: string[]; cells: number; error?: CellError & { cell: number } }

/** Parses ["k=v", ...] into a params object (values as JSON when they parse, else strings). */
export function parseParams(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new Error(`scorelab run: --param expects k=v, got '${p}'`);
    out[p.slice(0, i).trim()] = parseParamValue(p.slice(i + 1));
  }
  return out;
}

/** A path inside `dir` for `name`, refusing anything that would escape it. */
export function safeJoin(dir: string, name: string): string {
  const root = path.resolve(dir);
  const p = path.resolve(root, name);
  const rel = path.relative(root, p);
  // `..` as a path segment escapes; a name such as `..nb.ipynb` (a notebook called `..nb`) does not.
  if (!rel || rel === ".." || rel.startsWith(".." + path.sep) || path.isAbsolute(rel)) throw new Error(`scorelab run: refusing to write '${name}' outside ${root}`);
  return p;
}

/**
 * Runs the notebook at `nbPath`.
 * @example const r = await runNotebook("notebooks/smoke.ipynb", { outDir: "out", params: { n: 3 } });
 */
export async function runNotebook(nbPath: string, opts: RunOptions): Promise<RunResult> {
  const src = path.resolve(nbPath);
  if (!fs.existsSync(src)) throw new Error(`scorelab run: notebook '${nbPath}' not found`);
  const nb = JSON.parse(fs.readFileSync(src, "utf8")) as Notebook;
  if (!Array.isArray(nb.cells)) throw new Error(`scorelab run: '${nbPath}' is not a notebook (no cells array)`);
  const outDir = path.resolve(opts.outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const files: string[] = [];
  const write = (name: string, data: string | Buffer) => {
    const p = safeJoin(outDir, name);
    // O_NOFOLLOW: a symlink planted in the output folder must not redirect the write outside it.
    try {
      const fd = fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW);
      try { fs.writeFileSync(fd, data); } finally { fs.closeSync(fd); }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ELOOP") throw new Error(`scorelab run: refusing to write '${name}': it is a symlink in ${outDir}`);
      throw e;
    }
    files.push(p);
    return p;
  };

  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const cwd = process.cwd();
  // Cells resolve relative paths from the notebook's folder, as in Jupyter.
  process.chdir(path.dirname(src));
  const kx = createKernelExecutor(process.cwd());
  const stem = path.basename(src, ".ipynb").replace(/[^\w.-]/g, "_");
  let figCount = 0;
  let count = 0;
  let failure: RunResult["error"];
  let writeError: unknown;
  try {
    log(await kx.preload());
    const params = opts.params ?? {};
    const ignore: CellSink = { stream() {}, display() {}, result() {}, error() {} };
    const perr = await kx.defineParams(params, ignore);
    if (perr) throw new Error(`scorelab run: parameters: ${perr.evalue}`);
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== "code") continue;
      const code = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const saveFigures = (bundle: MimeBundle) => {
        // Called from inside the cell (display() does not await it): a failed write is kept and thrown after
        // the cell, instead of escaping as an unhandled rejection that kills the process.
        try { saveFiguresNow(bundle); } catch (e) { writeError ??= e; }
      };
      const saveFiguresNow = (bundle: MimeBundle) => {
        if (bundle["application/vnd.plotly.v1+json"]) {
          figCount++;
          write(`${stem}-fig${figCount}.json`, JSON.stringify(bundle["application/vnd.plotly.v1+json"]));
          // The notebook's HTML loads plotly.js from a Jupyter server; a figure file opened on its own loads the
          // copy written once beside it.
          if (figCount === 1) write(PLOTLY_RESOURCE, fs.readFileSync(plotlyPath()));
          const image: StaticImage | undefined = typeof bundle["image/svg+xml"] === "string" ? { mime: "image/svg+xml", data: bundle["image/svg+xml"] }
            : typeof bundle["image/png"] === "string" ? { mime: "image/png", data: bundle["image/png"] } : undefined;
          write(`${stem}-fig${figCount}.html`, `<!doctype html><meta charset="utf-8">${figureHtml(bundle["application/vnd.plotly.v1+json"] as Figure, { plotlyUrl: PLOTLY_RESOURCE, image })}`);
          if (image) write(`${stem}-fig${figCount}.${image.mime === "image/png" ? "png" : "svg"}`, image.mime === "image/png" ? Buffer.from(image.data, "base64") : image.data);
        }
        else if (typeof bundle["image/png"] === "string") write(`${stem}-fig${++figCount}.png`, Buffer.from(bundle["image/png"], "base64"));
      };
      count++;
      const { outputs, sink, stream } = collectCellOutputs(count, saveFigures);
      process.stdout.write = ((c: string | Uint8Array) => { stream("stdout", typeof c === "string" ? c : Buffer.from(c).toString()); return true; }) as typeof process.stdout.write;
      process.stderr.write = ((c: string | Uint8Array) => { stream("stderr", typeof c === "string" ? c : Buffer.from(c).toString()); return true; }) as typeof process.stderr.write;
      let err: CellError | null;
      const progress = opts.progress;
      // A display updated in place (a progress bar) is the cell's own progress line.
      const watched: CellSink = progress
        ? { ...sink, display(b, id, update) { if (id && typeof b["text/plain"] === "string") progress({ kind: "line", text: b["text/plain"] }); sink.display(b, id, update); } }
        : sink;
      progress?.({ kind: "start", cell: i + 1, cells: nb.cells.length });
      try {
        err = await kx.execute(code, watched);
      } finally {
        process.stdout.write = realOut;
        process.stderr.write = realErr;
      }
      progress?.({ kind: "end", cell: i + 1, ok: !err });
      if (writeError) throw writeError;
      cell.outputs = outputs;
      cell.execution_count = count;
      log(`cell ${i + 1}/${nb.cells.length}: ${err ? `${err.ename}: ${err.evalue}` : "ok"}`);
      if (err) { failure = { ...err, cell: i + 1 }; break; }
      if (cell.metadata?.tags?.includes("parameters") && Object.keys(params).length) {
        const e2 = await kx.defineParams(params, ignore);
        if (e2) throw new Error(`scorelab run: parameters: ${e2.evalue}`);
      }
    }
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    kx.close();
    process.chdir(cwd);
  }
  nb.metadata = { ...nb.metadata, kernelspec: { name: "scorelab", display_name: "scorelab (TypeScript)", language: "typescript" }, scorelab: { params: opts.params ?? {} } };
  const notebookPath = write(`${stem}.ipynb`, JSON.stringify(nb, null, 1) + "\n");
  return { notebookPath, files, cells: count, error: failure };
}
