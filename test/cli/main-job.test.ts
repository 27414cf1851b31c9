import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { cliEntry } from "../../kernel/paths";
import { checksTable, libraryHas, mdCell, readVerdict, runMainJob } from "../../src/cli/main-job";

test("mdCell escapes pipes and folds line breaks, so a value stays in its Markdown cell", () => {
  assert.equal(mdCell("a|b\n\nc\nd"), "a\\|b c d");
});

test("libraryHas: true for a function of lab, false for a value, a missing name or a path through one", () => {
  assert.equal(libraryHas("eulerMaruyama"), true);
  assert.equal(libraryHas("guidance.cfgScore"), true, "a dotted path into a namespace");
  assert.equal(libraryHas("SAMPLERS"), false, "a table, not a function");
  assert.equal(libraryHas("nosuchFunction"), false);
  assert.equal(libraryHas("eulerMaruyama.nothing"), false);
});

test("readVerdict without a displayed verdict says so; checksTable of no checks is no section", () => {
  const nb = { cells: [{ cell_type: "code", metadata: { tags: ["summary"] }, outputs: [{ output_type: "stream" }] }] };
  assert.deepEqual(readVerdict(nb), { claim: "", summary: "", reproduced: "unknown (the summary cell displayed no verdict)", checks: [] });
  assert.deepEqual(checksTable([]), []);
});

test("checksTable: one row per claim, intervals only where there are several seeds, pipes escaped", () => {
  const ci = (mean: number, lo: number, hi: number, n: number) => ({ mean, std: 0, halfWidth: (hi - lo) / 2, lo, hi, n });
  const check = { quantity: "W2 | gap", direction: "below" as const, margin: 0.1, level: 0.95, measured: ci(0.5, 0.25, 0.75, 3), referenceName: "baseline", reference: ci(1, 1, 1, 1), difference: ci(-0.5, -0.75, -0.25, 3), passed: true, text: "" };
  const t = checksTable([{ file: "paper-x.ipynb", paper: "", status: "ok", seconds: 1, claim: "", reproduced: "", summary: "", note: "", checks: [check], figures: [] }]);
  assert.equal(t[0], "## Claims against their references");
  assert.equal(t[t.length - 2], "| paper-x.ipynb | W2 \\| gap | 3 | 0.5000 [0.2500, 0.7500] | baseline: 1.000 | -0.5000 [-0.7500, -0.2500] | below by > 0.1000 | yes |");
  assert.equal(t[t.length - 1], "");
});

/**
 * Stand-ins for paper notebooks (the job runs whatever file of that name the notebooks folder holds) that write when
 * they start (with the SCORELAB_CORES they were given and the intra-op threads libtorch runs with) and when they end, into
 * `marks`, with `cells` between; each may first wait, up to 60 s, for a file of another's, so that with two at once
 * their order of ending is fixed by the test and not by chance.
 */
function markingNotebooks(dir: string, specs: Record<string, { waitFor?: string; cells?: string[] }>): { nbs: string; marks: string } {
  const nbs = path.join(dir, "nbs"), marks = path.join(dir, "marks");
  fs.mkdirSync(nbs);
  fs.mkdirSync(marks);
  for (const [file, { waitFor, cells = [] }] of Object.entries(specs)) {
    const mark = (ev: string) => JSON.stringify(path.join(marks, `${file}.${ev}`));
    const all = [
      `import * as fs from "fs";\nfs.writeFileSync(${mark("start")}, JSON.stringify({ t: Date.now(), cores: process.env.SCORELAB_CORES, backend: lab.backendInfo().name, threads: lab.backendInfo().torch?.threads }));`,
      ...(waitFor === undefined ? cells
        : [`const until = Date.now() + 60_000;\nwhile (!fs.existsSync(${JSON.stringify(path.join(marks, waitFor))})) {\n  if (Date.now() > until) throw new Error("waited 60 s for ${waitFor}");\n  await new Promise((r) => setTimeout(r, 50));\n}`, ...cells]),
      `fs.writeFileSync(${mark("end")}, JSON.stringify({ t: Date.now() }));`,
    ];
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: all.map((source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })) };
    fs.writeFileSync(path.join(nbs, file), JSON.stringify(nb));
  }
  return { nbs, marks };
}

const readMark = (marks: string, name: string) => JSON.parse(fs.readFileSync(path.join(marks, name), "utf8")) as { t: number; cores?: string; backend: string; threads?: number };
/** libtorch's intra-op threads as the child ran them; other backends have none. */
const torchThreadsOf = (m: { backend: string; threads?: number }, expected: number) => (m.backend === "torch" ? expected : undefined);

/** Runs `body` with the environment variables that steer the job's slots unset, then puts them back. */
async function withoutSlotEnv<T>(set: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const names = ["SCORELAB_JOBS", "SCORELAB_THREADS", "SCORELAB_CORES"];
  const saved = names.map((n) => process.env[n]);
  for (const n of names) delete process.env[n];
  Object.assign(process.env, set);
  try { return await body(); } finally {
    names.forEach((n, i) => { if (saved[i] === undefined) delete process.env[n]; else process.env[n] = saved[i]; });
  }
}

/** Runs `body` with process.stderr's writes kept (the status line goes there), and gives them back with its result. */
async function capturingStderr<T>(body: () => Promise<T>): Promise<{ r: T; err: string[] }> {
  const err: string[] = [];
  const realErr = process.stderr.write;
  process.stderr.write = ((c: string | Uint8Array) => { err.push(String(c)); return true; }) as typeof process.stderr.write;
  try { return { r: await body(), err }; } finally { process.stderr.write = realErr; }
}

const files = ["paper-fusion.ipynb", "paper-sdflow.ipynb"];

test("runMainJob jobs=2: two children overlap in time, each given its share of the cores; outcomes keep the table order though the second ends first", { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-mainjob-jobs-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // fusion (first in the table, longer expected) ends only after sdflow has ended; sdflow only after fusion started.
  const { nbs, marks } = markingNotebooks(dir, { "paper-fusion.ipynb": { waitFor: "paper-sdflow.ipynb.end" }, "paper-sdflow.ipynb": { waitFor: "paper-fusion.ipynb.start" } });
  const logs: string[] = [];
  const out = path.join(dir, "out");
  const { r, err } = await capturingStderr(() => withoutSlotEnv({}, () =>
    runMainJob({ only: files, jobs: 2, notebooksDir: nbs, outDir: out, install: false, exportFigures: false, progress: true, quick: true, log: (l) => logs.push(l) })));
  for (const o of r.outcomes) assert.equal(o.status, "ok", `${o.file}: ${o.note}`);
  assert.deepEqual(r.outcomes.map((o) => o.file), files, "the table's order");
  const [fs0, fe] = [readMark(marks, "paper-fusion.ipynb.start"), readMark(marks, "paper-fusion.ipynb.end")];
  const [ss, se] = [readMark(marks, "paper-sdflow.ipynb.start"), readMark(marks, "paper-sdflow.ipynb.end")];
  assert.ok(ss.t < fe.t && fs0.t < se.t, `the runs overlap: fusion ${fs0.t}-${fe.t}, sdflow ${ss.t}-${se.t}`);
  assert.ok(se.t < fe.t, "sdflow ended first");
  const share = Math.max(1, Math.floor(os.availableParallelism() / 2));
  for (const m of [fs0, ss]) assert.deepEqual([m.cores, m.threads], [String(share), torchThreadsOf(m, share)], "SCORELAB_CORES = floor(cores / 2), and libtorch's threads follow it");
  const ends = logs.filter((l) => /^\[\d\/2\] /.test(l));
  assert.match(ends[0], /^\[1\/2\] paper-sdflow\.ipynb: ok, reproduced: .* in [\d.]+ s$/, "logged as each ends");
  assert.match(ends[1], /^\[2\/2\] paper-fusion\.ipynb: ok/);
  assert.match(logs.find((l) => l.startsWith("running 2 paper notebooks"))!, new RegExp(`; 2 notebooks at once, ${share} threads? each, on \\d+ cores?$`));
  const summary = JSON.parse(fs.readFileSync(r.summaryJson, "utf8"));
  assert.deepEqual([summary.jobs, summary.coresPerChild, summary.threadsPerChild, summary.threadsFrom], [2, share, share, "share"]);
  assert.deepEqual(summary.outcomes.map((o: { file: string }) => o.file), files);
  assert.deepEqual(fs.readFileSync(r.summaryCsv, "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]), files);
  assert.match(fs.readFileSync(r.summaryMd, "utf8").split("\n")[0], /^# scorelab main job \(quick mode, 2 notebooks at once, \d+ threads? each, on \d+ cores?\)$/);
  const shown = err.filter((s) => s.startsWith("\r\x1b[2K") && s.length > 5).map((s) => s.slice(5));
  assert.ok(shown.some((l) => /^2 running: paper-fusion cell \d\/3 [\d.]+ s \| paper-sdflow cell \d\/3/.test(l)), `one line names both running notebooks: ${shown.join(" | ")}`);
  assert.equal(err[err.length - 1], "\r\x1b[2K", "the line is cleared at the end");
});

test("runMainJob jobs=1 --progress: one after another in the table's order, a status line per cell cleared before each log line; a SCORELAB_THREADS the user set reaches the child as set", { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-mainjob-jobs1-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const train = ["%seed 1", "%dataset moons --n 64 --seed 0 --as d", "%train_score --data d --steps 6 --width 8 --depth 1 --batch 32 --no-plot"];
  const { nbs, marks } = markingNotebooks(dir, { "paper-fusion.ipynb": {}, "paper-sdflow.ipynb": { cells: train } });
  const logs: string[] = [];
  const { r, err } = await capturingStderr(() => withoutSlotEnv({ SCORELAB_THREADS: "1" }, () =>
    runMainJob({ only: files, jobs: 1, notebooksDir: nbs, outDir: path.join(dir, "out"), install: false, exportFigures: false, progress: true, quick: true, log: (l) => logs.push(l) })));
  for (const o of r.outcomes) assert.equal(o.status, "ok", `${o.file}: ${o.note}`);
  assert.ok(readMark(marks, "paper-fusion.ipynb.end").t <= readMark(marks, "paper-sdflow.ipynb.start").t, "the second starts after the first ended");
  for (const m of files.map((f) => readMark(marks, `${f}.start`))) assert.deepEqual([m.threads, m.cores], [torchThreadsOf(m, 1), String(os.availableParallelism())], "the user's threads; every core for one at a time");
  assert.deepEqual(logs.filter((l) => /^\[\d\/2\] /.test(l)).map((l) => l.split(":")[0]), ["[1/2] paper-fusion.ipynb", "[2/2] paper-sdflow.ipynb"]);
  assert.match(logs.find((l) => l.startsWith("running 2"))!, /; 1 notebook at a time, 1 thread each \(SCORELAB_THREADS as set\), on \d+ cores?$/);
  const summary = JSON.parse(fs.readFileSync(r.summaryJson, "utf8"));
  assert.deepEqual([summary.jobs, summary.threadsPerChild, summary.threadsFrom], [1, 1, "SCORELAB_THREADS"]);
  // The status line, as it was before jobs: "[k/N] file · cell i/N · elapsed · the cell's own progress".
  const lines = err.filter((s) => s.startsWith("\r\x1b[2K") && s.length > 5).map((s) => s.slice(5));
  for (const c of [1, 2]) assert.ok(lines.some((l) => l.startsWith(`[1/2] paper-fusion.ipynb · cell ${c}/2 · `)), `fusion cell ${c} shown: ${lines.join(" | ")}`);
  for (const c of [1, 2, 3, 4, 5]) assert.ok(lines.some((l) => l.startsWith(`[2/2] paper-sdflow.ipynb · cell ${c}/5 · `)), `sdflow cell ${c} shown: ${lines.join(" | ")}`);
  assert.ok(lines.some((l) => /cell 4\/5 · [\d.]+ s · .*(6\/6|100%)/.test(l)), "the training cell's own progress line");
  assert.equal(err[err.length - 1], "\r\x1b[2K", "the line is cleared at the end");
  assert.match(logs[logs.length - 1], /outputs in/);
  // The child's events travel on fd 3: none of them, and no redraw, reach its stdout/stderr (the failure note's source).
  assert.ok(logs.every((l) => !/"kind"|\x1b\[2K/.test(l)), logs.join("\n"));
});

test("a bad jobs (0, -1, 1.5, \"x\") is refused before anything runs, by runMainJob and by scorelab main --jobs", { timeout: 60_000 }, async () => {
  const out = path.join(os.tmpdir(), `scorelab-mainjob-bad-${process.pid}`);
  for (const bad of [0, -1, 1.5, "x"]) {
    await assert.rejects(runMainJob({ jobs: bad as number, outDir: out, install: false, exportFigures: false, progress: false, log: () => {} }),
      new RegExp(`^Error: runMainJob: argument 'opts\\.jobs' must be a whole number of notebooks at once, 1 or more, got ${bad === "x" ? '"x"' : String(bad).replace(".", "\\.")}$`));
  }
  assert.equal(fs.existsSync(out), false, "nothing written");
  const cli = await new Promise<{ code: number; err: string }>((resolve) => {
    execFile(process.execPath, [cliEntry, "main", "--jobs", "1.5", "--out", out], { timeout: 60_000 }, (e, _o, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, err }));
  });
  assert.equal(cli.code, 1);
  assert.equal(cli.err.trim(), "error: option '--jobs <n>' argument '1.5' is invalid. expected a whole number of notebooks at once, 1 or more.");
  assert.equal(fs.existsSync(out), false);
});
