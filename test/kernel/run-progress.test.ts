import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { cellStatus, cliRunProgress, eventReader, formatElapsed, showProgress, type RunEvent } from "../../kernel/run-progress";
import { cliEntry } from "../../kernel/paths";

const fakeStream = (isTTY: boolean, columns = 60) => {
  const out: string[] = [];
  return { out, stream: { isTTY, columns, write: (t: string) => { out.push(t); return true; } } };
};

test("progress shows on a terminal outside CI, or when --progress says so", () => {
  assert.equal(showProgress(undefined, { isTTY: true, write() {} }, {}), true);
  assert.equal(showProgress(undefined, { isTTY: true, write() {} }, { CI: "true" }), false);
  assert.equal(showProgress(undefined, { isTTY: false, write() {} }, {}), false);
  assert.equal(showProgress(true, { isTTY: false, write() {} }, { CI: "1" }), true);
  assert.equal(showProgress(false, { isTTY: true, write() {} }, {}), false);
  assert.deepEqual([formatElapsed(3.21), formatElapsed(65.4)], ["3.2 s", "1 min 05 s"]);
});

test("the status line: cell i/N, elapsed, the cell's progress line, rewritten in place and cut to the width", () => {
  const { out, stream } = fakeStream(true, 40);
  let t = 1000;
  const st = cellStatus(stream, { tickMs: 0, now: () => t, prefix: "[1/2] a.ipynb · " });
  st.onEvent({ kind: "start", cell: 3, cells: 12 });
  t += 2500;
  st.redraw();
  st.onEvent({ kind: "line", text: "train [####....] 50%  loss 0.12" });
  st.onEvent({ kind: "end", cell: 3, ok: true });
  st.close();
  const E = "\r\x1b[2K";
  assert.deepEqual(out, [
    `${E}[1/2] a.ipynb · cell 3/12 · 0.0 s`,
    `${E}[1/2] a.ipynb · cell 3/12 · 2.5 s`,
    // 39 columns: 38 characters and an ellipsis.
    `${E}${"[1/2] a.ipynb · cell 3/12 · 2.5 s · train [####....] 50%  loss 0.12".slice(0, 38)}…`,
    E,
  ]);
});

test("cliRunProgress: quiet in a log, a status line on a terminal that log lines clear first", () => {
  const log = fakeStream(false);
  const quiet = cliRunProgress(undefined, undefined, log.stream);
  assert.equal(quiet.progress, undefined);
  quiet.log("cell 1/2: ok");
  assert.deepEqual(log.out, ["cell 1/2: ok\n"]);
  const tty = fakeStream(true, 80);
  const live = cliRunProgress(true, undefined, tty.stream);
  live.progress!({ kind: "start", cell: 1, cells: 2 });
  live.progress!({ kind: "end", cell: 1, ok: true });
  live.log("cell 1/2: ok");
  live.close();
  assert.match(tty.out[0], /^\r\x1b\[2Kcell 1\/2 · 0\.0 s$/);
  assert.deepEqual(tty.out.slice(1), ["\r\x1b[2K", "cell 1/2: ok\n"]);
  assert.throws(() => cliRunProgress(undefined, 1), /fdProgress\(\): argument 'fd' must be an integer >= 3/);
});

test("eventReader joins chunks split mid-line and skips what is not an event", () => {
  const got: RunEvent[] = [];
  const feed = eventReader((e) => got.push(e));
  feed('{"kind":"start","cell":1,');
  feed('"cells":2}\nnot json\n{"kind":"other"}\n{"kind":"line","text":"a"}\n{"kind":"end"');
  feed(',"cell":1,"ok":true}\n');
  assert.deepEqual(got, [{ kind: "start", cell: 1, cells: 2 }, { kind: "line", text: "a" }, { kind: "end", cell: 1, ok: true }]);
});

test("scorelab run --progress-fd 3: start, the training cell's progress lines, end, for every cell, outside stdout", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-progress-"));
  try {
    const cells = ["%seed 1", "%dataset moons --n 64 --seed 0 --as d", "%train_score --data d --steps 6 --width 8 --depth 1 --batch 32 --no-plot --as m", "1 + 1"];
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })) };
    fs.writeFileSync(path.join(dir, "p.ipynb"), JSON.stringify(nb));
    const events: RunEvent[] = [];
    const child = spawn(process.execPath, [cliEntry, "run", path.join(dir, "p.ipynb"), "--out", path.join(dir, "out"), "--progress-fd", "3"],
      { stdio: ["ignore", "pipe", "pipe", "pipe"], env: { ...process.env, CI: "1" } });
    child.stdio[3]!.on("data", eventReader((e) => events.push(e)));
    let output = "";
    child.stdout!.on("data", (d) => { output += d; });
    child.stderr!.on("data", (d) => { output += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const code = await new Promise<number | null>((r) => child.on("close", r));
    clearTimeout(timer);
    assert.equal(code, 0, output);
    const starts = events.filter((e) => e.kind === "start").map((e) => (e as { cell: number }).cell);
    const ends = events.filter((e) => e.kind === "end").map((e) => [(e as { cell: number }).cell, (e as { ok: boolean }).ok]);
    assert.deepEqual(starts, [1, 2, 3, 4]);
    assert.deepEqual(ends, [[1, true], [2, true], [3, true], [4, true]]);
    assert.ok(events.every((e) => e.kind !== "start" || (e as { cells: number }).cells === 4));
    // The training cell's bar reached 6/6 between its start and its end.
    const i3 = events.findIndex((e) => e.kind === "start" && e.cell === 3);
    const e3 = events.findIndex((e) => e.kind === "end" && e.cell === 3);
    const lines = events.slice(i3, e3).filter((e) => e.kind === "line").map((e) => (e as { text: string }).text);
    assert.ok(lines.some((l) => /6\/6|100%/.test(l)), lines.join(" | "));
    assert.doesNotMatch(output, /"kind"|\x1b\[2K/, "no events or redraws in the child's own output");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
