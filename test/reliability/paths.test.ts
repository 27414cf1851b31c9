/**
 * `scorelab run` writes only inside its output folder: safeJoin refuses escaping names, and runNotebook does not
 * follow symlinks planted in the output folder (figure and notebook files), whatever the notebook is called.
 * Data set paths are only read: a bad one gives a clear Error and writes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook, safeJoin } from "../../kernel/notebook-run";
import { initBackend, } from "../../src/tensor";
import { loadDataset } from "../../src/data";
import { count, report } from "./harness";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-paths-"));

function notebook(file: string, sources: string[]): string {
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map((source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })) };
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

/** Every file below `dir` (not following links), for "nothing was written elsewhere" checks. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); out.push(p); if (e.isDirectory()) walk(p); } };
  walk(dir);
  return out.sort();
}

test("safeJoin refuses names that leave the folder and keeps names that only look odd", () => {
  const root = path.join(tmp, "root");
  for (const bad of ["../x", "../../etc/passwd", "/etc/passwd", "a/../../x", "", ".", "..", "a/../..", "sub/../../x.json", path.join(tmp, "elsewhere.json")]) {
    count("safeJoin");
    assert.throws(() => safeJoin(root, bad), /scorelab run: refusing to write/, JSON.stringify(bad));
  }
  for (const good of ["nb.ipynb", "nb-fig1.json", "..nb.ipynb", "...-fig1.json", "a..b", "sub/x.json"]) {
    count("safeJoin");
    assert.equal(safeJoin(root, good), path.join(root, good), good);
  }
});

test("runNotebook: symlinks planted in the output folder are not followed; odd notebook names stay inside", { timeout: 120_000 }, async () => {
  await initBackend();
  const outside = path.join(tmp, "outside");
  fs.mkdirSync(outside);
  const victim = path.join(outside, "victim.txt");
  fs.writeFileSync(victim, "precious");
  const cells = ["const fig = lab.lineFigure([0, 1], [{ name: 'a', y: [1, 2] }]);", "display(fig);"];
  // The notebook's stem names every file written; these names probe the '..' and separator handling.
  for (const [i, stem] of ["nb", "..", "..nb", "a b&c"].entries()) {
    count("runNotebook");
    const dir = path.join(tmp, `case-${i}`);
    fs.mkdirSync(dir);
    const nbPath = notebook(path.join(dir, `${stem}.ipynb`), cells);
    const outDir = path.join(dir, "out");
    fs.mkdirSync(outDir);
    const safeStem = path.basename(nbPath, ".ipynb").replace(/[^\w.-]/g, "_");
    // Plant links where the run will write: the executed notebook and the first figure's files.
    for (const name of [`${safeStem}.ipynb`, `${safeStem}-fig1.json`, `${safeStem}-fig1.html`]) fs.symlinkSync(victim, path.join(outDir, name));
    let result: Awaited<ReturnType<typeof runNotebook>> | undefined;
    let error: unknown;
    try {
      result = await runNotebook(nbPath, { outDir, log: () => undefined });
    } catch (e) {
      error = e;
    }
    assert.equal(fs.readFileSync(victim, "utf8"), "precious", `stem ${JSON.stringify(stem)}: a write went through a symlink`);
    assert.deepEqual(fs.readdirSync(outside), ["victim.txt"]);
    if (error) {
      assert.ok(error instanceof Error && /scorelab run: refusing to write .*symlink|scorelab run: refusing to write/.test(error.message), `stem ${stem}: ${String(error)}`);
    } else {
      for (const f of result!.files) assert.ok(f.startsWith(outDir + path.sep), f);
    }
    // Without the planted links the same notebook runs and writes only below outDir.
    const clean = path.join(dir, "clean");
    const r = await runNotebook(nbPath, { outDir: clean, log: () => undefined });
    assert.equal(r.error, undefined, `stem ${stem}: ${r.error?.evalue}`);
    for (const f of listing(clean)) assert.ok(f.startsWith(clean + path.sep), f);
    assert.ok(r.files.some((f) => f.endsWith("-fig1.json")), `stem ${stem}: no figure written`);
  }
});

test("dataset paths: missing, directory, device and escaping paths give clear Errors and write nothing", () => {
  const before = listing(tmp);
  for (const p of ["csv:../../nonexistent.csv", "csv:/etc", "csv:/dev/null", "mnist:/nonexistent", "mnist:../..", "csv:", "mnist:", `csv:${tmp}`]) {
    count("loadDataset-path");
    assert.throws(() => loadDataset(p), (e: unknown) => e instanceof Error && /loadDataset|readTable|readMnist|findMnistFiles|readIdx|IDX/.test(e.message), p);
  }
  assert.deepEqual(listing(tmp), before);
  report("paths");
});
