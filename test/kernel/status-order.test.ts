/**
 * Issue 21: shell requests one at a time through the real kernel (status_order.py, jupyter_client). Each queued
 * request's busy comes after the previous request's idle, and its outputs fall between its own busy and idle.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/install";
import { packageRoot } from "../../kernel/paths";

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
