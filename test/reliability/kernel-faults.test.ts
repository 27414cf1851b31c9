/**
 * Faults through the real kernel and jupyter_client (kernel_faults.py): each is reported and the kernel stays
 * up with its variables (process.exit in a cell is an error reply too), and KernelManager.restart_kernel brings
 * back a working one. The kernelspec goes into a temporary prefix found through JUPYTER_PATH, as in test/kernel/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/install";
import { packageRoot } from "../../kernel/paths";
import { count, report } from "./harness";

interface Cell { status: string; ename?: string; evalue?: string; result?: string | null; stderr?: string }

test("kernel faults: throw, unhandled rejection, memory, async and sync loops interrupted, process.exit + restart", { timeout: 300_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-faults-"));
  installKernelspec({ prefix: tmp });
  const env = { ...process.env, JUPYTER_PATH: path.join(tmp, "share", "jupyter") };
  const r = spawnSync("/usr/bin/python3", [path.join(packageRoot, "test/reliability/kernel_faults.py")], { cwd: tmp, env, encoding: "utf8", timeout: 280_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, Cell & { latency_s?: number } | boolean | string>;
  const cell = (k: string) => res[k] as Cell & { latency_s?: number };
  const ok42 = (k: string) => { assert.equal(cell(k).status, "ok", `${k}: ${JSON.stringify(res[k])}`); assert.equal(cell(k).result, "42", k); };
  for (const k of ["throw", "rejection", "memory", "async_loop", "sync_loop", "exit"]) count(`fault:${k}`);

  assert.deepEqual([cell("throw").status, cell("throw").ename, cell("throw").evalue], ["error", "Error", "boom"]);
  ok42("after_throw");

  // The rejection comes after the cell finished: reported on stderr of the cell that caused it, kernel alive.
  assert.equal(cell("rejection").status, "ok");
  assert.match(res.rejection_stderr as string, /UnhandledPromiseRejection.*late rejection/s);
  assert.equal(res.alive_after_rejection, true);
  ok42("after_rejection");

  for (const k of ["memory_tensor", "memory_string", "memory_array"]) {
    assert.equal(cell(k).status, "error", k);
    assert.equal(cell(k).ename, "RangeError", k);
    assert.match(cell(k).evalue!, /Invalid (typed array|string) length/, k);
  }
  assert.equal(cell("after_memory").status, "ok");
  assert.equal(cell("after_memory").result, "42");

  // An awaiting loop is abandoned on SIGINT; a synchronous one is stopped too (tslab runs cells with
  // breakOnSigint), so neither needs a restart.
  assert.equal(cell("async_loop").status, "error", JSON.stringify(res.async_loop));
  assert.match(cell("async_loop").evalue!, /[Ii]nterrupt/);
  ok42("after_async_loop");
  assert.equal(cell("sync_loop").status, "error", JSON.stringify(res.sync_loop));
  assert.match(cell("sync_loop").evalue!, /interrupted by `SIGINT`/);
  assert.equal(res.alive_in_sync_loop, true);
  assert.equal(cell("after_sync_loop_restart").result, "2");

  // process.exit in a cell is an error reply naming Jupyter's restart; the kernel stays up and answers; restart_kernel
  // still gives a working one.
  assert.equal(cell("exit").status, "error", JSON.stringify(res.exit));
  assert.match(cell("exit").evalue!, /process\.exit\(\) would stop the scorelab kernel; use Jupyter's restart instead/);
  assert.equal(res.alive_after_exit, true);
  assert.equal(cell("after_exit").result, "2");
  assert.equal(cell("after_exit_restart").status, "ok");
  assert.equal(cell("after_exit_restart").result, "2");
  console.log(`[reliability] kernel-faults: interrupt latency async ${cell("async_loop").latency_s} s, sync ${cell("sync_loop").latency_s} s`);
  report("kernel-faults");
});
