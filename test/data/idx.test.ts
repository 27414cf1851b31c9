import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { IdxArray, encodeIdx, parseIdx, readIdx, writeIdx } from "../../src/data/idx";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-idx-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

test("IDX round trip, gzip and raw, for every type", () => {
  const arrays: IdxArray[] = [
    { dtype: "uint8", shape: [3, 2, 4], data: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256) },
    { dtype: "int8", shape: [5], data: Int8Array.from([-128, -1, 0, 1, 127]) },
    { dtype: "int16", shape: [2, 2], data: Int16Array.from([-32768, -2, 300, 32767]) },
    { dtype: "int32", shape: [3], data: Int32Array.from([-2147483648, 7, 2147483647]) },
    { dtype: "float32", shape: [2], data: Float32Array.from([Math.fround(0.1), -3.5]) },
    { dtype: "float64", shape: [2, 1], data: Float64Array.from([Math.PI, -1e300]) },
  ];
  for (const a of arrays) for (const gz of [true, false]) {
    const file = path.join(dir, `${a.dtype}-idx${a.shape.length}-ubyte${gz ? ".gz" : ""}`);
    writeIdx(file, a);
    const raw = fs.readFileSync(file);
    assert.equal(raw[0] === 0x1f && raw[1] === 0x8b, gz, "gzip by extension");
    const b = readIdx(file);
    assert.equal(b.dtype, a.dtype);
    assert.deepEqual(b.shape, a.shape);
    assert.deepEqual(Array.from(b.data), Array.from(a.data));
  }
});

test("the header is the documented big-endian layout", () => {
  const bytes = encodeIdx({ dtype: "uint8", shape: [2, 3], data: new Uint8Array(6).fill(9) });
  assert.deepEqual(Array.from(bytes.subarray(0, 12)), [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  assert.equal(bytes.length, 18);
});

test("truncated, corrupt and missing files give clear errors", () => {
  const good = encodeIdx({ dtype: "uint8", shape: [4, 4], data: new Uint8Array(16) });
  assert.throws(() => parseIdx(good.subarray(0, 20), "f"), /parseIdx: f is truncated: shape \[4,4\] of uint8 needs 16 data bytes, found 8/);
  assert.throws(() => parseIdx(good.subarray(0, 6), "f"), /truncated inside its header/);
  assert.throws(() => parseIdx(Buffer.concat([good, Buffer.from([1])]), "f"), /f is corrupt: .* needs 16 data bytes, found 17/);
  assert.throws(() => parseIdx(Buffer.from("hello world"), "f"), /f is not an IDX file \(magic bytes 68 65 6c 6c/);
  assert.throws(() => parseIdx(Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 0]), "f"), /unknown IDX type code 0x42/);
  const gz = zlib.gzipSync(good);
  const file = path.join(dir, "cut-idx2-ubyte.gz");
  fs.writeFileSync(file, gz.subarray(0, gz.length - 10));
  assert.throws(() => readIdx(file), /parseIdx: '.*cut-idx2-ubyte.gz' is not a valid gzip file .*corrupt or truncated/);
  assert.throws(() => readIdx(path.join(dir, "nope")), /readIdx: cannot read '.*nope': ENOENT/);
  assert.throws(() => encodeIdx({ dtype: "uint8", shape: [3], data: new Uint8Array(2) }), /encodeIdx: argument 'arr.data' must hold 3 values/);
});
