// The safetensors file format (src/score/safetensors.ts): the byte layout of the reference writer, exact round trips,
// float16 widening, and errors naming the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors } from "../../src/score/safetensors";

test("encode writes an 8-byte little-endian header length, a space-padded JSON header, then little-endian float32 data", () => {
  const bytes = Buffer.from(encodeSafetensors([
    { name: "w", shape: [2, 2], data: new Float32Array([1, -2, 0.5, 3]) },
    { name: "b", shape: [1], data: new Float32Array([7]) },
  ], { format: "pt" }));
  const n = Number(bytes.readBigUInt64LE(0));
  assert.equal(n % 8, 0, "the data starts 8-byte aligned");
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
  assert.deepEqual(header, {
    __metadata__: { format: "pt" },
    w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] },
    b: { dtype: "F32", shape: [1], data_offsets: [16, 20] },
  });
  assert.match(bytes.subarray(8, 8 + n).toString("utf8"), /^\{.*\} *$/);
  assert.equal(bytes.length, 8 + n + 20);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => bytes.readFloatLE(8 + n + 4 * i)), [1, -2, 0.5, 3, 7]);
  const back = decodeSafetensors(bytes, "x.safetensors");
  assert.deepEqual(back.metadata, { format: "pt" });
  assert.deepEqual([...back.tensors.keys()], ["w", "b"]);
  assert.deepEqual(back.tensors.get("w")!.shape, [2, 2]);
  assert.deepEqual(Array.from(back.tensors.get("w")!.data), [1, -2, 0.5, 3]);
  assert.throws(() => encodeSafetensors([{ name: "a", shape: [1], data: new Float32Array(1) }, { name: "a", shape: [1], data: new Float32Array(1) }], {}),
    { message: "encodeSafetensors: tensor name 'a' is reserved or repeated" });
});

test("float16 tensors are widened to float32 on reading", () => {
  // 1, -2, 0.5, 65504 (largest half), 2^-24 (smallest subnormal) as IEEE binary16 bits.
  const halves = new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001]);
  const header = Buffer.from(JSON.stringify({ h: { dtype: "F16", shape: [5], data_offsets: [0, 10] } }));
  const bytes = Buffer.concat([Buffer.alloc(8), header, Buffer.from(halves.buffer)]);
  bytes.writeBigUInt64LE(BigInt(header.length), 0);
  const got = decodeSafetensors(bytes, "half.safetensors").tensors.get("h")!;
  assert.deepEqual(Array.from(got.data), [1, -2, 0.5, 65504, 2 ** -24]);
});
