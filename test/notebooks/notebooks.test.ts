/**
 * Notebooks: stored without outputs; assignments follow nbgrader's conventions and their release strips the
 * solutions; every notebook runs in quick mode through the real Jupyter client (nbclient, kernelspec in a temporary
 * prefix, as test/kernel does); `scorelab main` runs in quick mode and writes its outputs.
 */
import type { VerdictData } from "../../src/studies";
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/install";
import { packageRoot, cliEntry } from "../../kernel/paths";
import { cellSource, clearSolutions, notebookOutputs, releaseAssignment, releaseAssignmentFile, stripOutputs, type NotebookJson } from "../../src/check";

const nbRoot = path.join(packageRoot, "notebooks");
function notebooks(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? notebooks(path.join(dir, e.name)) : e.name.endsWith(".ipynb") ? [path.join(dir, e.name)] : []));
}
const read = (p: string) => JSON.parse(fs.readFileSync(p, "utf8")) as NotebookJson;
const assignments = notebooks(path.join(nbRoot, "assignments"));

test("every stored notebook has no outputs and no execution counts", () => {
  const all = notebooks(nbRoot);
  assert.ok(all.length >= 9, `found ${all.length} notebooks`);
  for (const p of all) assert.deepEqual(notebookOutputs(read(p)), [], `${path.relative(packageRoot, p)}: cells with outputs`);
  const dirty = { ...read(all[0]) };
  dirty.cells = [{ cell_type: "code", source: "1", outputs: [{ output_type: "stream" }], execution_count: 3, metadata: {} }];
  assert.deepEqual(notebookOutputs(dirty), [0]);
  assert.deepEqual(notebookOutputs(stripOutputs(dirty)), []);
});

test("assignments: nbgrader metadata on every cell, one solution cell with a region, graded locked check cells", () => {
  assert.equal(assignments.length, 3);
  for (const p of assignments) {
    const nb = read(p);
    const ids = new Set<string>();
    for (const c of nb.cells) {
      const g = c.metadata?.nbgrader;
      assert.ok(g && g.schema_version === 3 && typeof g.grade_id === "string", `${p}: cell without nbgrader metadata`);
      assert.ok(!ids.has(g.grade_id), `${p}: duplicate grade_id ${g.grade_id}`);
      ids.add(g.grade_id);
      if (g.grade) assert.ok(g.locked && (g.points ?? 0) > 0, `${p}: graded cell ${g.grade_id} must be locked with points`);
    }
    const sol = nb.cells.filter((c) => c.metadata?.nbgrader?.solution);
    assert.equal(sol.length, 1, p);
    assert.match(cellSource(sol[0]), /### BEGIN SOLUTION[\s\S]+### END SOLUTION/);
    assert.ok(nb.cells.some((c) => c.metadata?.nbgrader?.grade && /runCheck\(/.test(cellSource(c))), `${p}: no check cell`);
  }
});

test("release strips the solutions and keeps everything else", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-release-"));
  for (const p of assignments) {
    const out = releaseAssignmentFile(p, tmp + "/");
    const src = read(p), student = read(out);
    assert.equal(student.cells.length, src.cells.length);
    const text = student.cells.map(cellSource).join("\n");
    assert.doesNotMatch(text, /BEGIN SOLUTION|END SOLUTION/);
    // The reference body is gone: its first line after BEGIN SOLUTION does not survive.
    const solCell = src.cells.findIndex((c) => c.metadata?.nbgrader?.solution);
    const solLine = cellSource(src.cells[solCell]).split("\n").find((l, i, a) => i > 0 && a[i - 1].includes("BEGIN SOLUTION"))!;
    assert.ok(!cellSource(student.cells[solCell]).includes(solLine.trim()), `${p}: solution line survived`);
    assert.match(cellSource(student.cells[solCell]), /YOUR CODE HERE\n\s*throw new Error\("not implemented yet/);
    src.cells.forEach((c, i) => { if (i !== solCell) assert.equal(cellSource(student.cells[i]), cellSource(c)); });
    assert.equal((student.metadata.scorelab as { released: boolean }).released, true);
  }
  assert.equal(clearSolutions("a\n  // ### BEGIN SOLUTION\n  x\n  // ### END SOLUTION\nb"), 'a\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: replace this line with your code");\nb');
  assert.throws(() => clearSolutions("// BEGIN SOLUTION\nx"), /clearSolutions: argument 'source' has a BEGIN SOLUTION without its END SOLUTION/);
  const leaky = { ...read(assignments[0]) };
  leaky.cells = [{ cell_type: "code", source: "// BEGIN SOLUTION\n// END SOLUTION", metadata: {} }];
  assert.throws(() => releaseAssignment(leaky), /no metadata.nbgrader.solution/);
  assert.throws(() => releaseAssignmentFile(assignments[0], assignments[0]), /must differ from src/);
});

// ---- through the real Jupyter client ----
const jp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-nb-"));
installKernelspec({ prefix: jp });
const env = { ...process.env, JUPYTER_PATH: path.join(jp, "share", "jupyter"), SCORELAB_QUICK: "1" };

test("nbclient executes every notebook in quick mode without an error; paper notebooks print a verdict", () => {
  const all = notebooks(nbRoot).filter((p) => !p.endsWith("smoke.ipynb"));
  const r = spawnSync("/usr/bin/python3", [path.join(packageRoot, "test/notebooks/execute_notebooks.py"), ...all], { cwd: jp, env, encoding: "utf8", timeout: 400_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const results = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { path: string; errors: string[]; seconds: number; summary: string; verdict: VerdictData | null; shown: string });
  assert.equal(results.length, all.length);
  for (const x of results) {
    assert.deepEqual(x.errors, [], x.path);
    if (!path.basename(x.path).startsWith("paper-")) continue;
    // The verdict is data (what the main job reads) and the same three lines for the reader.
    assert.ok(x.verdict && x.verdict.claim.length > 0 && ["yes", "partly", "no"].includes(x.verdict.reproduced) && x.verdict.mode === "quick", `${x.path}: ${JSON.stringify(x.verdict)}`);
    // Between them, one line per check against its reference and the untested parts (src/studies/verdict.ts).
    assert.match(x.shown, /CLAIM: .+\nTHIS RUN \(quick mode\): .+\n(?:(?:CHECK \[(?:pass|fail)\]|NOT TESTED:) .+\n)*REPRODUCED: (yes|partly|no)/, x.path);
  }
  console.log(results.map((x) => `${path.relative(nbRoot, x.path)} ${x.seconds}s`).join("\n"));
});

test("scorelab main (quick) runs paper notebooks, exports figures and writes the summary", () => {
  const out = path.join(jp, "out");
  const only = "paper-schedule-bounds.ipynb,paper-sdflow.ipynb";
  const r = spawnSync(process.execPath, [cliEntry, "main", "--out", out, "--only", only], { cwd: jp, env: { ...env, JUPYTER_DATA_DIR: path.join(jp, "data") }, encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\[\d\/2\] paper-schedule-bounds\.ipynb: ok, reproduced: (yes|partly|no)/);
  assert.match(r.stdout, /\[\d\/2\] paper-sdflow\.ipynb: ok, reproduced: (yes|partly|no)/);
  assert.ok(fs.existsSync(path.join(jp, "data", "kernels", "scorelab", "kernel.json")), "kernelspec installed for the user");
  // Summaries span lines inside quoted fields: count the rows by their first field.
  const csv = fs.readFileSync(path.join(out, "summary.csv"), "utf8").trim().split("\n");
  assert.equal(csv[0], "notebook,paper,status,reproduced,seconds,claim,this_run,note");
  assert.deepEqual(csv.filter((l) => /^paper-[\w-]+\.ipynb,/.test(l)).map((l) => l.split(",")[0]).sort(), ["paper-schedule-bounds.ipynb", "paper-sdflow.ipynb"]);
  assert.match(fs.readFileSync(path.join(out, "summary.md"), "utf8"), /\| paper-sdflow\.ipynb \| Weber/);
  const figs = fs.readdirSync(path.join(out, "paper-sdflow"));
  for (const ext of [".json", ".svg", ".png"]) assert.ok(figs.some((f) => f.endsWith(ext)), `no ${ext} figure`);
  assert.ok(figs.includes("paper-sdflow.ipynb"));
  const svg = fs.readFileSync(path.join(out, "paper-sdflow", figs.find((f) => f.endsWith(".svg"))!), "utf8");
  assert.match(svg, /^<svg|<svg /);
  const png = fs.readFileSync(path.join(out, "paper-sdflow", figs.find((f) => f.endsWith(".png"))!));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
});
