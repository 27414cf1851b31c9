/** One kernel executor per test file, created on first use and closed after the file (a preload costs seconds). */
import { after } from "node:test";
import { createKernelExecutor, KernelExecutor, type CellError, type CellSink } from "../../kernel/executor";
import { initBackend } from "../../src/tensor";

/** Returns a function that gives the file's shared executor; `setup` runs once after the preload. */
export function sharedSession(setup?: (ex: KernelExecutor) => Promise<void>): () => Promise<KernelExecutor> {
  let shared: Promise<KernelExecutor> | undefined;
  const session = () => (shared ??= (async () => {
    await initBackend();
    const ex = createKernelExecutor(process.cwd());
    await ex.preload();
    if (setup) await setup(ex);
    return ex;
  })());
  after(async () => { if (shared) (await shared).close(); });
  return session;
}

/** Runs one cell; returns its stdout and errors (the executor's and the sink's). */
export async function runCell(ex: KernelExecutor, code: string): Promise<{ out: string; errors: CellError[] }> {
  const got = { out: "", errors: [] as CellError[] };
  const sink: CellSink = { stream: (_n, t) => { got.out += t; }, display: () => {}, result: () => {}, error: (e) => got.errors.push(e) };
  const err = await ex.execute(code, sink);
  if (err) got.errors.push(err);
  return got;
}
