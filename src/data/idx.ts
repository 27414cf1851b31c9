/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * (0, 0, type code, number of dimensions), the dimensions as big-endian int32, then the values in row-major order,
 * big-endian. Files may be gzip-compressed; gzip is detected from its own magic bytes, not from the file name.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { fail } from "../tensor";

export type IdxDtype = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxData;
}

const CODES: [number, IdxDtype, number][] = [
  [0x08, "uint8", 1], [0x09, "int8", 1], [0x0b, "int16", 2], [0x0c, "int32", 4], [0x0d, "float32", 4], [0x0e, "float64", 8],
];

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Decodes IDX bytes (gzip or raw). `source` names the bytes in error messages.
 * @example const { shape, data } = parseIdx(fs.readFileSync("train-labels-idx1-ubyte.gz"));
 */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  const fn = "parseIdx";
  if (!(bytes instanceof Uint8Array)) fail(fn, "bytes", "must be a Uint8Array or Buffer");
  let b = bytes;
  if (isGzip(b)) {
    try {
      b = zlib.gunzipSync(b);
    } catch (e) {
      throw new Error(`${fn}: ${source} is not a valid gzip file (${(e as Error).message}); the file is corrupt or truncated`);
    }
  }
  if (b.length < 4) throw new Error(`${fn}: ${source} is too short for an IDX header (${b.length} bytes)`);
  if (b[0] !== 0 || b[1] !== 0) {
    throw new Error(`${fn}: ${source} is not an IDX file (magic bytes ${Array.from(b.subarray(0, 4), (v) => v.toString(16).padStart(2, "0")).join(" ")}, expected 00 00 <type> <ndim>)`);
  }
  const code = CODES.find((c) => c[0] === b[2]);
  if (!code) throw new Error(`${fn}: ${source} has unknown IDX type code 0x${b[2].toString(16)} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const [, dtype, width] = code;
  const ndim = b[3];
  const header = 4 + 4 * ndim;
  if (ndim === 0) throw new Error(`${fn}: ${source} declares 0 dimensions`);
  if (b.length < header) throw new Error(`${fn}: ${source} is truncated inside its header (${b.length} bytes, header needs ${header})`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) {
    const d = view.getInt32(4 + 4 * i, false);
    if (d < 0) throw new Error(`${fn}: ${source} has a negative dimension ${d}`);
    shape.push(d);
  }
  const count = shape.reduce((a, c) => a * c, 1);
  const need = count * width;
  const have = b.length - header;
  if (have !== need) {
    throw new Error(`${fn}: ${source} is ${have < need ? "truncated" : "corrupt"}: shape [${shape}] of ${dtype} needs ${need} data bytes, found ${have}`);
  }
  let data: IdxData;
  if (dtype === "uint8") data = new Uint8Array(b.buffer.slice(b.byteOffset + header, b.byteOffset + header + need));
  else if (dtype === "int8") data = new Int8Array(b.buffer.slice(b.byteOffset + header, b.byteOffset + header + need));
  else {
    const get = { int16: (o: number) => view.getInt16(o, false), int32: (o: number) => view.getInt32(o, false), float32: (o: number) => view.getFloat32(o, false), float64: (o: number) => view.getFloat64(o, false) }[dtype];
    data = dtype === "int16" ? new Int16Array(count) : dtype === "int32" ? new Int32Array(count) : dtype === "float32" ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = get(header + i * width);
  }
  return { dtype, shape, data };
}

/**
 * Reads an IDX file, gzip-compressed or not.
 * @example const images = readIdx("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); // shape [10000, 28, 28]
 */
export function readIdx(path: string): IdxArray {
  if (typeof path !== "string" || path === "") fail("readIdx", "path", "must be a non-empty string");
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw new Error(`readIdx: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseIdx(bytes, `'${path}'`);
}

/**
 * Encodes an array in IDX format, gzip-compressed when `gzip` is true.
 * @example const bytes = encodeIdx({ dtype: "uint8", shape: [2, 2], data: new Uint8Array([0, 1, 2, 3]) });
 */
export function encodeIdx(arr: IdxArray, opts: { gzip?: boolean } = {}): Buffer {
  const fn = "encodeIdx";
  if (!arr || typeof arr !== "object") fail(fn, "arr", "must be {dtype, shape, data}");
  const code = CODES.find((c) => c[1] === arr.dtype);
  if (!code) fail(fn, "arr.dtype", `must be one of ${CODES.map((c) => c[1]).join(", ")}, got ${String(arr.dtype)}`);
  const [type, , width] = code!;
  if (!Array.isArray(arr.shape) || arr.shape.length === 0 || arr.shape.length > 255 || arr.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(fn, "arr.shape", `must be 1 to 255 non-negative integers, got ${JSON.stringify(arr.shape)}`);
  }
  const count = arr.shape.reduce((a, c) => a * c, 1);
  if (!arr.data || arr.data.length !== count) fail(fn, "arr.data", `must hold ${count} values for shape [${arr.shape}], got ${arr.data?.length}`);
  const header = 4 + 4 * arr.shape.length;
  const out = Buffer.alloc(header + count * width);
  out[2] = type;
  out[3] = arr.shape.length;
  arr.shape.forEach((d, i) => out.writeInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < count; i++) {
    const o = header + i * width, v = arr.data[i];
    switch (arr.dtype) {
      case "uint8": out.writeUInt8(v, o); break;
      case "int8": out.writeInt8(v, o); break;
      case "int16": out.writeInt16BE(v, o); break;
      case "int32": out.writeInt32BE(v, o); break;
      case "float32": out.writeFloatBE(v, o); break;
      case "float64": out.writeDoubleBE(v, o); break;
    }
  }
  return opts.gzip ? zlib.gzipSync(out) : out;
}

/**
 * Writes an IDX file; gzip-compressed by default when the path ends in ".gz".
 * @example writeIdx("/tmp/labels-idx1-ubyte.gz", { dtype: "uint8", shape: [3], data: new Uint8Array([1, 2, 3]) });
 */
export function writeIdx(path: string, arr: IdxArray, opts: { gzip?: boolean } = {}): void {
  if (typeof path !== "string" || path === "") fail("writeIdx", "path", "must be a non-empty string");
  fs.writeFileSync(path, encodeIdx(arr, { gzip: opts.gzip ?? path.endsWith(".gz") }));
}
