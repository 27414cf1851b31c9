/** %image_metrics through the real kernel executor, on the digits extractor (trained into a temporary cache). */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCell, sharedSession } from "../kernel/session";
import type { ImageMetricsReport } from "../../src/metrics";

const run = runCell;

const session = sharedSession();

test("%image_metrics reports FD, KID, n, the reference and the extractor; bad variables get one clear error", async () => {
  const ex = await session();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-im-"));
  const before = process.env.SCORELAB_CACHE;
  process.env.SCORELAB_CACHE = cache;
  try {
    assert.deepEqual((await run(ex, "%dataset digits --split test --as ref")).errors, []);
    assert.deepEqual((await run(ex, "%dataset digits --split train --n 120 --seed 1 --as s")).errors, []);
    const r = await run(ex, "%image_metrics --samples s --reference ref --features digits --steps 100 --as rep");
    assert.deepEqual(r.errors, []);
    assert.match(r.out, /FD \d+\.\d{4}, KID -?\d+\.\d{4}: n = 120 images against ref \(\d+ images\); features of mlp-classifier\(digits 8x8, seed 0, 100 steps/);
    const rep = ex.locals.rep as ImageMetricsReport;
    assert.equal(rep.n, 120);
    assert.ok(Number.isFinite(rep.fd) && rep.fd >= 0);
    assert.ok(fs.readdirSync(path.join(cache, "features")).some((f) => f.startsWith("digits-8px-seed0-steps100")));
    const bad = await run(ex, "%image_metrics --samples nothing --reference ref --features digits");
    assert.match(bad.errors[0]?.evalue ?? "", /%image_metrics: --samples 'nothing' is not a notebook variable/);
    const badSet = await run(ex, "%image_metrics --samples s --reference ref --features cifar");
    assert.match(badSet.errors[0]?.evalue ?? "", /--features must be fashion-mnist or digits/);
  } finally {
    if (before === undefined) delete process.env.SCORELAB_CACHE; else process.env.SCORELAB_CACHE = before;
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
