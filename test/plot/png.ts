/** Test helpers: a minimal PNG decoder (8-bit RGB/RGBA/grey, no interlace) and an SVG well-formedness check. */
import * as zlib from "node:zlib";
import { execFileSync } from "node:child_process";

/** Number of distinct pixel colours of a PNG; 1 means a blank image. */
export function distinctColors(png: Buffer): number {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8;
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString("ascii", off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === "IDAT") idat.push(body);
    off += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (depth !== 8 || !channels || interlace) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${interlace})`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  const seen = new Set<string>();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = (line[i] + p) & 0xff;
    }
    for (let x = 0; x < width; x++) seen.add(cur.subarray(x * channels, (x + 1) * channels).join(","));
    prev.set(cur);
  }
  return seen.size;
}

/** Parses SVG text with Python's XML parser (Debian python3); returns the root tag and element counts. */
export function parseSvg(svg: string): { root: string; paths: number; groups: number } {
  const script = "import sys, xml.dom.minidom as m\nd = m.parseString(sys.stdin.buffer.read())\n" +
    "print(d.documentElement.tagName, len(d.getElementsByTagName('path')), len(d.getElementsByTagName('g')))";
  const out = execFileSync("/usr/bin/python3", ["-c", script], { input: svg }).toString().trim().split(" ");
  return { root: out[0], paths: Number(out[1]), groups: Number(out[2]) };
}
