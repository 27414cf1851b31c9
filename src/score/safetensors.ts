/**
 * The safetensors file format (the one diffusers, k-diffusion and PyTorch users exchange weights in), written and
 * read here without a dependency:
 *   8 bytes   little-endian unsigned length N of the header
 *   N bytes   UTF-8 JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { key: "text" } }
 *   rest      the tensors' little-endian bytes; offsets count from the end of the header
 * Reading accepts float32 and float16 (widened to float32); writing is float32. Every problem with a file is one
 * Error that names the file and what was wrong, raised before any tensor is made.
 */
export interface RawTensor { shape: number[]; data: Float32Array }

export interface SafetensorsContent { tensors: Map<string, RawTensor>; metadata: Record<string, string> }

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2 };

/** float16 bits -> number (IEEE 754 binary16: 1 sign, 5 exponent, 10 fraction bits). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Encodes float32 tensors and string metadata as safetensors bytes. The header is padded with spaces to a multiple
 * of 8 bytes so that the data starts aligned (what the reference writer does).
 * @example const bytes = encodeSafetensors([{ name: "w", shape: [2], data: new Float32Array([1, 2]) }], {});
 */
export function encodeSafetensors(tensors: ({ name: string } & RawTensor)[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === "__metadata__" || t.name in header) throw new Error(`encodeSafetensors: tensor name '${t.name}' is reserved or repeated`);
    const bytes = 4 * t.data.length;
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), "utf8");
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    // Copy through a DataView so the bytes are little-endian on any host.
    const view = new DataView(out.buffer, at, 4 * t.data.length);
    t.data.forEach((v, i) => view.setFloat32(4 * i, v, true));
    at += 4 * t.data.length;
  }
  return out;
}

/**
 * Parses safetensors bytes read from `file` (the name is only for messages).
 * @example const { tensors, metadata } = decodeSafetensors(await fs.readFile(p), p);
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsContent {
  const bad = (what: string): never => { throw new Error(`${file} is not a readable safetensors file: ${what}`); };
  if (bytes.byteLength < 8) bad(`it holds ${bytes.byteLength} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.byteLength - 8)) bad(`the header claims ${n} bytes but the file holds only ${bytes.byteLength - 8} after the length`);
  const headerEnd = 8 + Number(n);
  let header: Record<string, unknown>;
  try { header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, Number(n)).toString("utf8")); } catch (e) { return bad(`the header is not JSON (${(e as Error).message})`); }
  if (header === null || typeof header !== "object" || Array.isArray(header)) bad("the header is not a JSON object");
  const dataBytes = bytes.byteLength - headerEnd;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (entry === null || typeof entry !== "object") bad("__metadata__ is not an object");
      for (const [k, v] of Object.entries(entry as object)) { if (typeof v !== "string") bad(`metadata '${k}' is not a string`); metadata[k] = v; }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e !== "object") bad(`tensor '${name}' has no description`);
    const size = DTYPE_BYTES[e.dtype as string];
    if (size === undefined) bad(`tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; scorelab reads F32 and F16`);
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) bad(`tensor '${name}' has shape ${JSON.stringify(shape)}, not a list of sizes`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[1] < offs[0]) bad(`tensor '${name}' has data_offsets ${JSON.stringify(offs)}`);
    const [begin, end] = offs as number[];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * size) bad(`tensor '${name}' of shape [${shape}] (${e.dtype}) needs ${count * size} bytes, its offsets span ${end - begin}`);
    if (end > dataBytes) bad(`tensor '${name}' ends at byte ${end} of the data, which holds ${dataBytes} bytes (truncated?)`);
    const data = new Float32Array(count);
    const at = headerEnd + begin;
    if (size === 4) for (let i = 0; i < count; i++) data[i] = view.getFloat32(at + 4 * i, true);
    else for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(at + 2 * i, true));
    tensors.set(name, { shape: shape as number[], data });
  }
  return { tensors, metadata };
}
