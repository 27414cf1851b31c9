/**
 * The kernel's frame parser and verifier (kernel/wire.ts) under fast-check: random frame counts, lengths and
 * bytes never throw, and only correctly signed, well-formed messages are accepted. Plus the connection-file
 * checks, the drop log's rate limit and the routing of output by cell (kernel/output.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { createSigner, DropLog, LIMITS, parseFrames, ReplayGuard } from "../../kernel/wire";
import { readConnection } from "../../kernel/connection";
import { installOutputRouting, runInCell } from "../../kernel/output";
import type { CellSink } from "../../kernel/executor";

const DELIM = Buffer.from("<IDS|MSG>");
const signer = createSigner("hmac-sha256", "fuzz-key");
const runs = { numRuns: 400, seed: 17 };

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
/** Random frames, some with the delimiter and a plausible-looking signature mixed in. */
const frame = fc.oneof(bytes, fc.constant(DELIM), fc.constant(Buffer.from("0".repeat(64))), fc.constant(Buffer.from("{}")));
const header = fc.record({ msg_id: fc.string(), msg_type: fc.string(), session: fc.string(), username: fc.string(), version: fc.constant("5.3"), date: fc.string() });
const obj = fc.dictionary(fc.string(), fc.jsonValue());
const message = fc.record({
  ids: fc.array(fc.uint8Array({ minLength: 1, maxLength: 8 }).map((a) => Buffer.from(a)).filter((b) => !b.equals(DELIM)), { maxLength: 3 }),
  parts: fc.tuple(header, obj, obj, obj).map((ps) => ps.map((p) => Buffer.from(JSON.stringify(p)))),
});
const signed = ({ ids, parts }: { ids: Buffer[]; parts: Buffer[] }) => [...ids, DELIM, Buffer.from(signer.sign(parts)), ...parts];

test("random frames never throw, and nothing unsigned is accepted", () => {
  fc.assert(fc.property(fc.array(frame, { maxLength: 14 }), (frames) => {
    const r = parseFrames(frames, signer, new ReplayGuard());
    if (r.ok) {
      const d = frames.findIndex((f) => f.equals(DELIM));
      assert.ok(signer.verify(frames[d + 1], frames.slice(d + 2, d + 6)), "accepted only with a valid signature");
    }
  }), runs);
});

test("signed, well-formed messages are accepted as sent; any flipped byte or wrong key is rejected", () => {
  const other = createSigner("hmac-sha256", "other-key");
  fc.assert(fc.property(message, fc.nat(), fc.integer({ min: 1, max: 255 }), (m, where, flip) => {
    const frames = signed(m);
    const r = parseFrames(frames, signer, new ReplayGuard());
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.msg.header, JSON.parse(m.parts[0].toString()));
    assert.deepEqual(r.msg.content, JSON.parse(m.parts[3].toString()));
    assert.deepEqual(r.msg.identity, m.ids);
    assert.equal(parseFrames(frames, other).ok, false);
    // Flip one byte of the signature or the signed parts.
    const start = m.ids.length + 1;
    const bodyLen = frames.slice(start).reduce((n, f) => n + f.length, 0);
    let at = where % bodyLen;
    const copy = frames.map((f) => Buffer.from(f));
    for (let i = start; i < copy.length; i++) {
      if (at < copy[i].length) { copy[i][at] ^= flip; break; }
      at -= copy[i].length;
    }
    const bad = parseFrames(copy, signer, new ReplayGuard());
    assert.equal(bad.ok, false);
  }), runs);
});

test("random bytes as the four parts, correctly signed: never throw; accepted only when all are JSON objects", () => {
  fc.assert(fc.property(fc.array(bytes, { minLength: 4, maxLength: 4 }), (parts) => {
    const r = parseFrames([DELIM, Buffer.from(signer.sign(parts)), ...parts], signer);
    if (r.ok) assert.equal(typeof r.msg.header.msg_type, "string");
    else assert.equal(r.reason, "bad-json");
  }), runs);
});

test("a replayed signature is dropped; the guard forgets only past its capacity", () => {
  const guard = new ReplayGuard(3);
  const msgs = fc.sample(message, { numRuns: 5, seed: 3 }).map(signed);
  assert.ok(parseFrames(msgs[0], signer, guard).ok);
  assert.deepEqual(parseFrames(msgs[0], signer, guard), { ok: false, reason: "replayed" });
  for (const m of msgs.slice(1, 4)) assert.ok(parseFrames(m, signer, guard).ok);
  assert.ok(parseFrames(msgs[0], signer, guard).ok, "out of the window after 3 newer ones");
});

test("shape limits: missing delimiter, too few parts, too many frames or bytes", () => {
  const m = signed(fc.sample(message, { numRuns: 1, seed: 5 })[0]);
  const d = m.findIndex((f) => f.equals(DELIM));
  assert.deepEqual(parseFrames(m.filter((f) => !f.equals(DELIM)), signer), { ok: false, reason: "no-delimiter" });
  assert.deepEqual(parseFrames(m.slice(0, d + 5), signer), { ok: false, reason: "too-few-parts" });
  assert.deepEqual(parseFrames([...m, ...Array(LIMITS.maxFrames).fill(Buffer.alloc(0))], signer), { ok: false, reason: "too-large" });
  assert.deepEqual(parseFrames(m, signer, undefined, { ...LIMITS, maxBytes: 10 }), { ok: false, reason: "too-large" });
  assert.deepEqual(parseFrames([...Array(20).fill(Buffer.from("id")), ...m], signer), { ok: false, reason: "no-delimiter" });
});

test("signatures: empty key only when given as \"\", schemes honoured, unknown ones refused", () => {
  assert.throws(() => createSigner("hmac-sha256", undefined), /"key" must be a string/);
  assert.throws(() => createSigner("hmac-md5", "k"), /unsupported signature_scheme "hmac-md5"/);
  assert.throws(() => createSigner("sha256", "k"), /unsupported signature_scheme/);
  const open = createSigner("hmac-sha256", "");
  assert.equal(open.enabled, false);
  assert.equal(open.sign([Buffer.from("{}")]), "");
  const s512 = createSigner("hmac-sha512", "k");
  const parts = ["{}", "{}", "{}", "{}"].map((p) => Buffer.from(p));
  assert.equal(s512.sign(parts).length, 128);
  assert.equal(parseFrames([DELIM, Buffer.from(signer.sign(parts)), ...parts], s512).ok, false);
});

test("replies signed by WireMessage parse back with the same signer", () => {
  const m = parseFrames(signed(fc.sample(message, { numRuns: 1, seed: 9 })[0]), signer);
  assert.ok(m.ok);
  const reply = m.msg.createReply();
  reply.content = { status: "ok" };
  let sent: Buffer[] = [];
  reply.signAndSend("ignored", { send: (f) => { sent = f.map((x) => Buffer.from(x)); } });
  const back = parseFrames(sent, signer);
  assert.ok(back.ok);
  assert.deepEqual(back.msg.content, { status: "ok" });
  assert.deepEqual(back.msg.parent, m.msg.header);
});

test("the drop log writes at most once per interval, counts only, and flushes the rest later", async () => {
  const lines: string[] = [];
  let now = 1000;
  const log = new DropLog((l) => lines.push(l), 50, () => now);
  for (let i = 0; i < 100; i++) log.record("shell", "bad-signature");
  log.record("control", "no-delimiter");
  assert.equal(lines.length, 1);
  now += 50;
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(lines.length, 2);
  assert.match(lines[1], /shell bad-signature x99, control no-delimiter x1 \(101 dropped since start\)/);
});

test("connection file: defaults to 127.0.0.1 and hmac-sha256; no key, bad scheme or port is an error at start", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-conn-"));
  const file = (o: object) => { const f = path.join(dir, `${Math.random()}.json`); fs.writeFileSync(f, JSON.stringify(o)); return f; };
  const ports = { shell_port: 5001, iopub_port: 5002, stdin_port: 5003, control_port: 5004, hb_port: 5005 };
  const { conn, signer: s } = readConnection(file({ ...ports, key: "k" }));
  assert.equal(conn.ip, "127.0.0.1");
  assert.equal(conn.signature_scheme, "hmac-sha256");
  assert.equal(s.enabled, true);
  assert.throws(() => readConnection(file(ports)), /"key" must be a string/);
  assert.throws(() => readConnection(file({ ...ports, key: "k", signature_scheme: "hmac-foo" })), /unsupported signature_scheme/);
  assert.throws(() => readConnection(file({ ...ports, key: "k", shell_port: "5001" })), /"shell_port" must be a port number/);
  assert.throws(() => readConnection(path.join(dir, "missing.json")), /connection file/);
});

test("output routing: a cell's writes (and its async work's) go to its sink; the kernel's go to the real streams", async () => {
  installOutputRouting();
  const got: string[] = [];
  const sink: CellSink = { stream: (n, t) => got.push(`${n}:${t}`), display() {}, result() {}, error() {} };
  await runInCell(sink, async () => {
    process.stdout.write("now");
    setTimeout(() => process.stderr.write("later"), 5);
    await new Promise((r) => setTimeout(r, 20));
  });
  process.stderr.write(""); // outside any cell: the real stderr, not the sink
  assert.deepEqual(got, ["stdout:now", "stderr:later"]);
});
