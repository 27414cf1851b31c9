/** clearOutput() in a headless run: at once, or (wait) when the next output arrives, as a front-end applies it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook } from "../../kernel/notebook-run";

const cell = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });

test("scorelab run applies clearOutput: immediate clears drop earlier output, wait clears apply at the next output", { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-clear-"));
  try {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
      cell('console.log("gone"); clearOutput(); console.log("kept");'),
      cell('console.log("frame 1"); clearOutput(true); console.log("frame 2");'),
      cell('console.log("last"); clearOutput(true);'),
    ] };
    fs.writeFileSync(path.join(dir, "c.ipynb"), JSON.stringify(nb));
    const r = await runNotebook(path.join(dir, "c.ipynb"), { outDir: path.join(dir, "out"), log: () => {} });
    assert.equal(r.error, undefined);
    const out = JSON.parse(fs.readFileSync(path.join(dir, "out", "c.ipynb"), "utf8")) as { cells: { outputs: { text?: string[] }[] }[] };
    const texts = out.cells.map((c) => c.outputs.map((o) => (o.text ?? []).join("")).join(""));
    // A pending wait-clear with no later output leaves the output, as the front-end does.
    assert.deepEqual(texts, ["kept\n", "frame 2\n", "last\n"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
