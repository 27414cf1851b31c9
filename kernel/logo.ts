/** The kernelspec logo: a 64×64 PNG drawn in code (a gradient disc with a white "S"-like curve). */
import * as zlib from "zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * PNG bytes of a size×size RGBA logo.
 * @example fs.writeFileSync("logo-64x64.png", logoPng(64));
 */
export function logoPng(size = 64): Buffer {
  if (!Number.isInteger(size) || size < 8 || size > 1024) throw new Error(`logoPng(): argument 'size' must be an integer in [8, 1024], got ${size}`);
  const rows: Buffer[] = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const dx = (x - c) / c, dy = (y - c) / c;
      const r = Math.hypot(dx, dy);
      const inside = r <= 1;
      // A sine curve across the disc reads as an "S" and as a score field's flow line.
      const curve = Math.abs(dx * 0.75 - 0.45 * Math.sin(dy * Math.PI)) < 0.14 && Math.abs(dy) < 0.72;
      const o = 1 + x * 4;
      if (inside && curve) row.set([255, 255, 255, 255], o);
      else if (inside) row.set([Math.round(40 + 120 * (1 - r)), Math.round(90 + 80 * (dy + 1) / 2), 200, 255], o);
      else row.set([0, 0, 0, 0], o);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
