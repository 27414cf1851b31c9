/**
 * Issue 17 through the real kernel (forged_messages.py, jupyter_client + pyzmq): forged, unsigned, replayed and
 * malformed messages on shell and control after a cell has run; none runs, nothing secret reaches IOPub or the
 * kernel's stderr, the ports listen on 127.0.0.1 only, and the signed client keeps working.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/install";
import { packageRoot } from "../../kernel/paths";
import { ScorelabHandler } from "../../kernel/server";
import { sharedSession } from "./session";

const session = sharedSession();

test("forged, unsigned, replayed and malformed messages: none runs, no signature leaks, the kernel stays up", { timeout: 240_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-forged-"));
  installKernelspec({ prefix: tmp });
  const env = { ...process.env, JUPYTER_PATH: path.join(tmp, "share", "jupyter") };
  const r = spawnSync("/usr/bin/python3", [path.join(packageRoot, "test/kernel/forged_messages.py"), tmp], { cwd: tmp, env, encoding: "utf8", timeout: 220_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
  const why = JSON.stringify(res, null, 1);
  assert.deepEqual(res.first_cell, ["ok", "41"]);
  assert.equal(res.ip, "127.0.0.1");
  for (const [port, addrs] of Object.entries(res.listeners)) assert.deepEqual(addrs, ["0100007F"], `${port} listens on ${addrs}`);

  assert.equal(res.forged_ran, false, why);
  assert.equal(res.replay_runs, 1, "the signed request ran once, its replays never");
  assert.equal(res.attacker_replies, 1, "only the signed request was answered");
  assert.ok(res.sent.forged >= 10 && res.sent.unsigned >= 2 && res.sent.replayed >= 3 && res.sent.malformed >= 30, why);
  assert.ok(res.attack_candidates > 0, "the attack tried the 64-hex values IOPub showed");

  assert.equal(res.iopub_bad_signatures, 0);
  assert.deepEqual(res.iopub_hex, [], "no 64-hex value on IOPub besides the kernel's own signatures");
  assert.equal(res.iopub_expected_sigs, 0);
  assert.deepEqual(res.stderr_hex, [], "no 64-hex value on the kernel's stderr");
  assert.equal(res.stderr_expected_sigs, 0);
  assert.ok(res.stderr_drop_lines >= 1 && res.stderr_drop_lines <= 15, `drops logged at most once a second: ${res.stderr_tail}`);

  assert.equal(res.alive, true);
  assert.deepEqual(res.after, ["ok", "42"]);
  assert.equal(res.kernel_info, "ok");
  assert.equal(res.control_kernel_info, "ok");
  const s = res.sent;
  console.log(`[security] sent ${s.forged} forged, ${s.unsigned} unsigned, ${s.replayed} replayed, ${s.malformed} malformed; 0 ran, kernel up`);
});

/*
 * Issue 21: shell requests one at a time through the real kernel (status_order.py, jupyter_client). Each queued
 * request's busy comes after the previous request's idle, and its outputs fall between its own busy and idle.
 */
test("queued cells: busy, input, result, idle for each request in turn, never interleaved", { timeout: 180_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-status-"));
  try {
    installKernelspec({ prefix: tmp });
    const env = { ...process.env, JUPYTER_PATH: path.join(tmp, "share", "jupyter") };
    const r = spawnSync("/usr/bin/python3", [path.join(packageRoot, "test/kernel/status_order.py")], { cwd: tmp, env, encoding: "utf8", timeout: 170_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const res = JSON.parse(r.stdout.trim().split("\n").pop()!) as { ids: string[]; events: [string, string][]; replies: string[] };
    assert.deepEqual(res.replies, ["ok", "ok", "ok", "ok"]);
    const [a, b, c, info] = res.ids;
    assert.deepEqual(res.events, [
      ["busy", a], ["execute_input", a], ["execute_result", a], ["idle", a],
      ["busy", b], ["execute_input", b], ["execute_result", b], ["idle", b],
      ["busy", c], ["execute_input", c], ["execute_result", c], ["idle", c],
      ["busy", info], ["idle", info],
    ]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("through the kernel's handler: Shift+Tab on lab.eulerMaruyama starts with its doc comment; lab. completion has no internals", async () => {
  const kx = await session();
  const h = new ScorelabHandler(kx, () => "");
  const code = "lab.eulerMaruyama";
  const r = h.handleInspect({ code, cursor_pos: code.length, detail_level: 0 } as Parameters<ScorelabHandler["handleInspect"]>[0]);
  const text = String((r.data as Record<string, unknown>)["text/plain"]);
  assert.match(text, /^Samples by Euler–Maruyama on the reverse SDE/);
  assert.ok(text.indexOf("eulerMaruyama(score") > text.indexOf("Song et al. 2021"), "signature after the doc comment");
  const c = h.handleComplete({ code: "lab.", cursor_pos: 4 } as Parameters<ScorelabHandler["handleComplete"]>[0]);
  assert.ok(c.matches.includes("eulerMaruyama") && c.matches.includes("trainScore"), "public API offered");
  for (const n of ["checkTensor", "fail", "checkNumber", "blasAddon", "CHROMIUM_FLAGS"]) assert.ok(!c.matches.includes(n), `${n} hidden`);
  // Other completions are tslab's, unfiltered.
  const m = h.handleComplete({ code: "Math.ab", cursor_pos: 7 } as Parameters<ScorelabHandler["handleComplete"]>[0]);
  assert.deepEqual(m.matches, ["abs"]);
  const none = h.handleInspect({ code: "   ", cursor_pos: 1, detail_level: 0 } as Parameters<ScorelabHandler["handleInspect"]>[0]);
  assert.equal(none.found, false);
});
