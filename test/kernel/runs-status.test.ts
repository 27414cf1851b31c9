import { test } from "node:test";
import assert from "node:assert/strict";
import { cellStatus } from "../../kernel/run-progress";
import { runsStatus } from "../../kernel/runs-status";

const E = "\r\x1b[2K";
const fakeStream = (columns: number) => {
  const out: string[] = [];
  return { out, stream: { isTTY: true, columns, write: (t: string) => { out.push(t); return true; } } };
};

test("runsStatus with one run writes exactly what cellStatus writes", () => {
  const a = fakeStream(60), b = fakeStream(60);
  let t = 0;
  const single = cellStatus(a.stream, { tickMs: 0, now: () => t, prefix: "[1/2] a.ipynb · " });
  const multi = runsStatus(b.stream, { tickMs: 0, now: () => t });
  const h = multi.start("[1/2] a.ipynb", "a");
  for (const e of [{ kind: "start", cell: 1, cells: 3 }, { kind: "line", text: "50%  loss 0.1" }, { kind: "end", cell: 1, ok: true }, { kind: "start", cell: 2, cells: 3 }] as const) {
    t += 1500;
    single.onEvent(e);
    h.onEvent(e);
  }
  single.close();
  h.end();
  multi.close();
  assert.deepEqual(b.out.filter((s) => s !== E), a.out.filter((s) => s !== E));
  assert.ok(b.out.some((s) => s === `${E}[1/2] a.ipynb · cell 1/3 · 1.5 s · 50%  loss 0.1`), b.out.join(" | "));
  assert.equal(b.out[b.out.length - 1], E);
});

test("runsStatus with several runs: one line naming each with its cell and latest text, each cut to its share", () => {
  const { out, stream } = fakeStream(121);
  let t = 0;
  const st = runsStatus(stream, { tickMs: 0, now: () => t });
  const a = st.start("[1/3] paper-a.ipynb", "paper-a");
  const b = st.start("[2/3] paper-b.ipynb", "paper-b");
  assert.equal(out[out.length - 1], `${E}2 running: paper-a starting | paper-b starting`);
  a.onEvent({ kind: "start", cell: 2, cells: 9 });
  t += 4000;
  b.onEvent({ kind: "start", cell: 1, cells: 4 });
  b.onEvent({ kind: "line", text: "train [#####.....] 50%\nloss 0.123456 eta 12 s" });
  const shown = out[out.length - 1].slice(E.length);
  assert.equal(shown.length <= 120, true, shown);
  const [head, segs] = [shown.slice(0, 11), shown.slice(11).split(" | ")];
  assert.equal(head, "2 running: ");
  assert.equal(segs[0], "paper-a cell 2/9 4.0 s");
  assert.match(segs[1], /^paper-b cell 1\/4 0\.0 s train \[#+\.+\] 50% loss.*…$/, "newlines folded, cut with an ellipsis");
  a.onEvent({ kind: "end", cell: 2, ok: true });
  assert.match(out[out.length - 1], /paper-a cell 2\/9 done \| paper-b/);
  a.end();
  assert.match(out[out.length - 1], /^\r\x1b\[2K\[2\/3\] paper-b\.ipynb · cell 1\/4 · 0\.0 s · train/, "alone again: the single form");
  st.clearLine();
  assert.equal(out[out.length - 1], E);
  b.end();
  st.close();
  assert.ok(out.every((s) => !s.includes("\n")), "never a newline inside the status line");
});
