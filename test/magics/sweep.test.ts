/** %sweep's bar (shared with the CLI) and the errors it gives before any trial starts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sweepBar, sweepMagic } from "../../src/magics/sweep";
import type { MimeBundle } from "../../src/magics/spec";
import { context, oneLineError, runLine } from "./context";
import { after } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../src/tensor";
import { parseMagicArgs } from "../../src/magics";
import type { MagicContext } from "../../src/magics/spec";

test("sweepBar: shown once, then updated in place; throttled except the last step; running/failed and the rung in the text", () => {
  const calls: [MimeBundle, string, boolean][] = [];
  const bar = sweepBar((b, id, u) => calls.push([b, id, u]), 60_000);
  bar({ step: 0, total: 4, running: 2, failed: 0 });
  bar({ step: 1, total: 4, running: 2, failed: 1 });
  assert.equal(calls.length, 1, "inside the interval");
  bar({ step: 4, total: 4, running: 0, failed: 1, rung: 1 });
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map(([, , u]) => u), [false, true]);
  assert.equal(calls[0][1], calls[1][1]);
  assert.match(String(calls[0][0]["text/plain"]), /^sweep \[\.{30}\]   0%  0\/4 .*2 running, 0 failed$/);
  assert.match(String(calls[1][0]["text/plain"]), /^sweep \(rung 2\) \[#{30}\] 100%  4\/4 .*0 running, 1 failed$/);
});

test("%sweep: no spec and no --resume, or an unknown variable, is one line", async () => {
  const { ctx } = context({});
  await oneLineError(runLine(sweepMagic, [], ctx), /^%sweep: name the notebook variable holding the spec, e\.g\. %sweep spec, or give --resume DIR$/);
  await oneLineError(runLine(sweepMagic, ["spec"], ctx), /^%sweep: no notebook variable 'spec'$/);
  await oneLineError(runLine(sweepMagic, ["spec", "--executor", "slurm"], ctx), /Allowed choices are local, redis/);
});

// Moved from test/sweep/magic.test.ts.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-magic-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("%sweep spec --concurrency 2 --x x: one bar (first a display, then updates of its id), a table and a figure", { timeout: 30_000 }, async () => {
  const shown: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  const printed: string[] = [];
  const ctx: MagicContext = {
    rng: new Rng(0), setRng() {}, print: (t) => printed.push(t), display: (bundle, id, update) => shown.push({ bundle, id, update }),
    signal: new AbortController().signal,
    locals: { spec: { fn: "square", module: path.join(__dirname, "..", "sweep", "fixtures", "trials.js"), space: { x: [1, 2] }, seeds: 2 } },
  };
  const parsed = parseMagicArgs(sweepMagic, ["spec", "--concurrency", "2", "--x", "x", "--out", path.join(tmp, "m")]);
  const r = await sweepMagic.run(parsed, ctx);
  assert.equal(r.counts.ok, 4);
  const bars = shown.filter((s) => s.id?.startsWith("scorelab-sweep-"));
  assert.ok(bars.length >= 2 && bars[0].update === false && bars.slice(1).every((b) => b.update === true && b.id === bars[0].id));
  assert.match(String(bars.at(-1)!.bundle["text/plain"]), /4\/4 .*0 running, 0 failed/);
  assert.match(printed[0], /4 ok, 0 failed/);
  assert.ok(shown.some((s) => String(s.bundle["text/html"] ?? "").includes("<table")));
  assert.ok(shown.some((s) => "application/vnd.plotly.v1+json" in s.bundle));
  await assert.rejects(sweepMagic.run(parseMagicArgs(sweepMagic, ["nope"]), ctx), /%sweep: no notebook variable 'nope'/);
});
