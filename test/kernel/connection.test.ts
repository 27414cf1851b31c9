import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { endpoint, listensEverywhere, readConnection } from "../../kernel/connection";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-conn-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const PORTS = { shell_port: 5001, iopub_port: 5002, stdin_port: 5003, control_port: 5004, hb_port: 5005 };
let n = 0;
const file = (content: unknown) => {
  const f = path.join(tmp, `k${n++}.json`);
  fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
  return f;
};

test("readConnection: Jupyter's defaults (tcp, 127.0.0.1, hmac-sha256, kernel name) and a signer for the key", () => {
  const { conn, signer } = readConnection(file({ key: "secret", ...PORTS }));
  assert.deepEqual([conn.transport, conn.ip, conn.signature_scheme, conn.kernel_name, conn.key, conn.shell_port], ["tcp", "127.0.0.1", "hmac-sha256", "scorelab", "secret", 5001]);
  // The signer is HMAC-SHA256 of the parts with the file's key (the documented example: 64 hex digits).
  assert.ok(signer.enabled);
  assert.equal(signer.sign(["{}", "{}", "{}", "{}"]), createHmac("sha256", "secret").update("{}{}{}{}").digest("hex"));
  assert.equal(endpoint(conn, conn.shell_port), "tcp://127.0.0.1:5001");
  assert.equal(endpoint({ ...conn, transport: "ipc", ip: "/tmp/k" }, 7), "ipc:///tmp/k-7");
  assert.ok(listensEverywhere("0.0.0.0") && listensEverywhere("::") && listensEverywhere("*"));
  assert.ok(!listensEverywhere("127.0.0.1"));
});

test("a bad connection file is one clear error before any socket exists", () => {
  assert.throws(() => readConnection(path.join(tmp, "missing.json")), /connection file .*missing\.json: ENOENT/);
  assert.throws(() => readConnection(file("{ not json")), /connection file .*: /);
  assert.throws(() => readConnection(file("null")), /connection file .*: not a JSON object/);
  assert.throws(() => readConnection(file({ key: "k", ...PORTS, transport: "udp" })), /connection file: unsupported transport "udp"/);
  assert.throws(() => readConnection(file({ key: "k", ...PORTS, ip: "" })), /connection file: "ip" must be a non-empty string/);
  assert.throws(() => readConnection(file({ key: "k", ...PORTS, hb_port: 70000 })), /connection file: "hb_port" must be a port number/);
  assert.throws(() => readConnection(file({ key: "k", ...PORTS, signature_scheme: "hmac-md5" })), /md5|signature|scheme/i);
});
