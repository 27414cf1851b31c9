/** %sweep through its spec: parsed options, a bar that updates in place and ends at total, the table and the figure. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../src/tensor";
import { sweepMagic } from "../../src/magics/sweep";
import { parseMagicArgs } from "../../src/magics";
import type { MagicContext, MimeBundle } from "../../src/magics/spec";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-magic-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("%sweep spec --concurrency 2 --x x: one bar (first a display, then updates of its id), a table and a figure", { timeout: 30_000 }, async () => {
  const shown: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  const printed: string[] = [];
  const ctx: MagicContext = {
    rng: new Rng(0), setRng() {}, print: (t) => printed.push(t), display: (bundle, id, update) => shown.push({ bundle, id, update }),
    signal: new AbortController().signal,
    locals: { spec: { fn: "square", module: path.join(__dirname, "fixtures", "trials.js"), space: { x: [1, 2] }, seeds: 2 } },
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
