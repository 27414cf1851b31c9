import { test } from "node:test";
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { logoPng } from "../../kernel/logo";

test("logoPng is a valid RGBA PNG of the asked size: signature, IHDR, pixels that inflate to size rows, transparent corners", () => {
  const png = logoPng(32);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString("ascii", 12, 16), "IHDR");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [32, 32, 8, 6], "32 x 32, 8-bit RGBA");
  const idatAt = png.indexOf("IDAT");
  const raw = zlib.inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
  assert.equal(raw.length, 32 * (1 + 32 * 4), "one filter byte and 32 RGBA pixels per row");
  assert.equal(raw[1 + 3], 0, "the corner is transparent");
  const centre = 16 * (1 + 32 * 4) + 1 + 16 * 4;
  assert.equal(raw[centre + 3], 255, "the centre is opaque");
  assert.equal(png.toString("ascii", png.length - 8, png.length - 4), "IEND");
  assert.equal(logoPng(64).readUInt32BE(16), 64);
  assert.deepEqual(logoPng(), logoPng(64), "deterministic, 64 by default");
  for (const bad of [4, 2000, 10.5]) assert.throws(() => logoPng(bad), /logoPng\(\): argument 'size' must be an integer in \[8, 1024\]/);
});
