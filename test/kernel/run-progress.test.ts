import { test } from "node:test";
import assert from "node:assert/strict";
import { cellStatus, cliRunProgress, eventReader, formatElapsed, showProgress, type RunEvent } from "../../kernel/run-progress";

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
