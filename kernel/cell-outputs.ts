/**
 * One cell's outputs as nbformat records, collected from the executor's sink: streams merged as a front-end merges
 * them, display updates in place, clear_output(wait) honoured. Shared by `scorelab run` and the grading child.
 */
import type { CellSink } from "./executor";
import type { MimeBundle } from "../src/magics";

export type Output = Record<string, unknown>;

export interface CellOutputs {
  /** The nbformat outputs so far (the array is emptied in place by clear_output). */
  outputs: Output[];
  /** The sink to execute the cell with. */
  sink: CellSink;
  /** Appends stream text (what process.stdout/stderr writes are redirected to). */
  stream(name: "stdout" | "stderr", text: string): void;
}

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** nbformat stores binary mime data base64 and text as line lists; our bundles are already JSON-able. */
function nbData(bundle: MimeBundle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bundle)) out[k] = typeof v === "string" && !k.startsWith("image/") ? splitLines(v) : v;
  return out;
}

/**
 * A collector for the cell with this execution count; `onBundle` sees each new display and result bundle (not
 * updates), e.g. to save figures.
 * @example const c = collectCellOutputs(1); await kx.execute(code, c.sink); cell.outputs = c.outputs;
 */
export function collectCellOutputs(executionCount: number, onBundle: (bundle: MimeBundle) => void = () => {}): CellOutputs {
  const outputs: Output[] = [];
  const byId = new Map<string, number>();
  // clearOutput(true) clears only when the next output arrives, as a front-end does with clear_output(wait).
  let clearPending = false;
  const clearNow = () => { outputs.length = 0; byId.clear(); clearPending = false; };
  const beforeOutput = () => { if (clearPending) clearNow(); };
  const stream = (name: "stdout" | "stderr", text: string) => {
    beforeOutput();
    const last = outputs[outputs.length - 1];
    if (last && last.output_type === "stream" && last.name === name) (last.text as string[]).push(...splitLines(text));
    else outputs.push({ output_type: "stream", name, text: splitLines(text) });
  };
  const sink: CellSink = {
    stream,
    display(bundle, id, update) {
      beforeOutput();
      const out = { output_type: "display_data", data: nbData(bundle), metadata: {} };
      if (id && update && byId.has(id)) { outputs[byId.get(id)!] = out; return; }
      if (id) byId.set(id, outputs.length);
      outputs.push(out);
      if (!update) onBundle(bundle);
    },
    clear(wait) { if (wait) clearPending = true; else clearNow(); },
    result(bundle) { beforeOutput(); outputs.push({ output_type: "execute_result", data: nbData(bundle), metadata: {}, execution_count: executionCount }); onBundle(bundle); },
    error(e) { beforeOutput(); outputs.push({ output_type: "error", ename: e.ename, evalue: e.evalue, traceback: e.traceback }); },
  };
  return { outputs, sink, stream };
}
