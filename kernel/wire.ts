/**
 * The Jupyter wire protocol, received and sent by scorelab itself instead of tslab's ZmqMessage (issue 17):
 * tslab parsed JSON before checking the signature, compared it with `==`, and threw an error that carried the
 * expected HMAC. Here the signature is checked first, in constant time, with the connection file's scheme;
 * anything that fails is a DropReason, never an exception, and no reason carries message bytes.
 * Frames: [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...];
 * the signature covers the four JSON parts only (as jupyter_client signs them).
 */
import { createHmac, randomBytes, timingSafeEqual } from "crypto";

const DELIM = Buffer.from("<IDS|MSG>");
/** Schemes accepted in a connection file's signature_scheme (Node's names after "hmac-"). */
const HASHES = ["sha1", "sha224", "sha256", "sha384", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512"];
/** Defaults: larger messages are dropped before hashing (a cell's code is far smaller). */
export const LIMITS = { maxBytes: 64 * 1024 * 1024, maxFrames: 1024, maxIdentities: 16 };

export type DropReason = "no-delimiter" | "too-few-parts" | "too-large" | "bad-signature" | "replayed" | "bad-json";

export interface Signer {
  /** False when the connection file's key is "" (Jupyter's way to turn authentication off). */
  readonly enabled: boolean;
  /** Lower-case hex HMAC of the parts ("" when disabled). */
  sign(parts: (Buffer | string)[]): string;
  /** Constant-time check of a received signature frame against the parts. */
  verify(signature: Buffer, parts: Buffer[]): boolean;
}

/**
 * A signer for a connection file's `key` and `signature_scheme`; throws on a missing key or an unknown scheme.
 * @example createSigner("hmac-sha256", "secret").sign(["{}", "{}", "{}", "{}"]).length  // 64
 */
export function createSigner(scheme: unknown, key: unknown): Signer {
  if (typeof key !== "string") throw new Error('connection file: "key" must be a string (use "" only to turn signing off)');
  const s = scheme === undefined ? "hmac-sha256" : scheme;
  const hash = typeof s === "string" && s.startsWith("hmac-") ? s.slice(5) : "";
  if (!HASHES.includes(hash)) throw new Error(`connection file: unsupported signature_scheme ${JSON.stringify(s)}; use one of ${HASHES.map((h) => "hmac-" + h).join(", ")}`);
  if (key === "") return { enabled: false, sign: () => "", verify: () => true };
  const sign = (parts: (Buffer | string)[]) => {
    const h = createHmac(hash, key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  };
  return {
    enabled: true,
    sign,
    verify(signature, parts) {
      const want = Buffer.from(sign(parts), "ascii");
      // Lengths are public (they follow from the scheme); only equal-length buffers reach the comparison.
      return signature.length === want.length && timingSafeEqual(signature, want);
    },
  };
}

/** The signatures of the last `capacity` accepted messages: a message seen again is a replay. */
export class ReplayGuard {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 65536) {}
  /** Records `sig`; true when it was already there. */
  check(sig: string): boolean {
    if (this.seen.has(sig)) return true;
    this.seen.add(sig);
    // A Set iterates in insertion order, so the first entry is the oldest.
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return false;
  }
}

export interface Header { msg_id: string; msg_type: string; session: string; username: string; version: string; date: string; [k: string]: unknown }

/** One message; shaped like tslab's ZmqMessage so tslab's handlers can reply through it. */
export class WireMessage {
  /** Where a failed send is reported (the server points it at the kernel's stderr). */
  static onSendError: (e: unknown) => void = () => {};
  delim = DELIM.toString();
  hmac = "";
  constructor(
    private readonly signer: Signer,
    public identity: Buffer[],
    public header: Header,
    public parent: Header,
    public metadata: object,
    public content: object,
    public extra: Buffer[] = [],
  ) {}

  createReply(): WireMessage {
    const h = this.header;
    const header = { version: "5.3", date: new Date().toISOString(), session: h.session, username: h.username, msg_type: h.msg_type, msg_id: randomBytes(16).toString("hex") };
    return new WireMessage(this.signer, this.identity, header, this.header, {}, {});
  }

  /** Signs with the connection's scheme (`_key` is tslab's argument; the signer already holds the key). */
  signAndSend(_key: string, sock: { send(frames: (Buffer | string)[]): Promise<void> | void }, onError = WireMessage.onSendError): void {
    const bodies = [this.header, this.parent, this.metadata, this.content].map((p) => JSON.stringify(p));
    try {
      const sent = sock.send([...this.identity, DELIM, this.signer.sign(bodies), ...bodies]);
      if (sent && typeof sent.catch === "function") sent.catch(onError);
    } catch (e) {
      onError(e);
    }
  }
}

function jsonObject(b: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(b.toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Frames from a ROUTER socket to a message, or the reason to drop them. Order matters: size and shape, then the
 * signature, then the replay guard, and only then JSON (nothing unsigned is ever parsed).
 * @example parseFrames(frames, signer, guard)  // { ok: true, msg } or { ok: false, reason: "bad-signature" }
 */
export function parseFrames(
  frames: readonly unknown[], signer: Signer, guard?: ReplayGuard, limits = LIMITS,
): { ok: true; msg: WireMessage } | { ok: false; reason: DropReason } {
  if (frames.length > limits.maxFrames) return { ok: false, reason: "too-large" };
  let total = 0;
  for (const f of frames) {
    if (!Buffer.isBuffer(f)) return { ok: false, reason: "bad-json" };
    total += f.length;
  }
  if (total > limits.maxBytes) return { ok: false, reason: "too-large" };
  const bufs = frames as Buffer[];
  const d = bufs.findIndex((f) => f.equals(DELIM));
  if (d < 0 || d > limits.maxIdentities) return { ok: false, reason: "no-delimiter" };
  if (bufs.length < d + 6) return { ok: false, reason: "too-few-parts" };
  const sig = bufs[d + 1];
  const parts = bufs.slice(d + 2, d + 6);
  if (!signer.verify(sig, parts)) return { ok: false, reason: "bad-signature" };
  if (signer.enabled && guard?.check(sig.toString("ascii"))) return { ok: false, reason: "replayed" };
  const [header, parent, metadata, content] = parts.map(jsonObject);
  if (!header || !parent || !metadata || !content) return { ok: false, reason: "bad-json" };
  if (typeof header.msg_type !== "string" || typeof header.msg_id !== "string") return { ok: false, reason: "bad-json" };
  const msg = new WireMessage(signer, bufs.slice(0, d), header as Header, parent as Header, metadata, content, bufs.slice(d + 6));
  msg.hmac = sig.toString("ascii");
  return { ok: true, msg };
}

/**
 * Counts dropped messages and reports them on the kernel's stderr at most once a second: counts and reasons
 * only (no signature, key or content), so a flood cannot fill the log and the log cannot leak anything.
 */
export class DropLog {
  private pending = new Map<string, number>();
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  readonly totals = new Map<string, number>();
  constructor(private readonly log: (line: string) => void, private readonly intervalMs = 1000, private readonly now = () => Date.now()) {}

  record(channel: string, reason: DropReason | "unknown-type"): void {
    const k = `${channel} ${reason}`;
    this.pending.set(k, (this.pending.get(k) ?? 0) + 1);
    this.totals.set(k, (this.totals.get(k) ?? 0) + 1);
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => { this.timer = undefined; this.flush(); }, wait);
      this.timer.unref();
    }
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const parts = [...this.pending].map(([k, n]) => `${k} x${n}`);
    const total = [...this.totals.values()].reduce((a, b) => a + b, 0);
    this.pending.clear();
    this.last = this.now();
    this.log(`dropped messages: ${parts.join(", ")} (${total} dropped since start)`);
  }
}
