/**
 * The kernel over real Jupyter: Debian's jupyter_kernel_test suite, nbclient on the smoke notebook, and an
 * interrupt through jupyter_client. The kernelspec goes into a temporary prefix found through JUPYTER_PATH,
 * and the Python side runs from a folder without node_modules (the case plain tslab gets wrong).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/install";
import { packageRoot } from "../../kernel/paths";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-kernel-"));
installKernelspec({ prefix: tmp });
const env = { ...process.env, JUPYTER_PATH: path.join(tmp, "share", "jupyter") };
const py = (args: string[]) => spawnSync("/usr/bin/python3", args, { cwd: tmp, env, encoding: "utf8", timeout: 120_000 });

test("kernelspec names scorelab and starts this installation's CLI", () => {
  const spec = JSON.parse(fs.readFileSync(path.join(tmp, "share/jupyter/kernels/scorelab/kernel.json"), "utf8"));
  assert.equal(spec.display_name, "scorelab (TypeScript)");
  assert.deepEqual(spec.argv.slice(1), [path.join(packageRoot, "dist/src/cli/main.js"), "kernel", "--config-path", "{connection_file}"]);
  const png = fs.readFileSync(path.join(tmp, "share/jupyter/kernels/scorelab/logo-64x64.png"));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(png.readUInt32BE(16), 64);
});

test("jupyter_kernel_test: every test passes or is skipped with a reason", () => {
  const r = py([path.join(packageRoot, "test/kernel/scorelab_kernel_test.py"), "-v"]);
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out);
  assert.match(out, /OK \(skipped=1\)/);
  for (const name of ["execute_stdout", "execute_stderr", "error", "execute_result", "display_data", "completion", "inspect", "is_complete", "kernel_info"]) {
    assert.match(out, new RegExp(`test_${name} \\S+ \\.\\.\\. ok`), name);
  }
});

test("nbclient runs the smoke notebook; SIGINT stops %timeit and %train_score, the model stays usable and variables intact", () => {
  const r = py([path.join(packageRoot, "test/kernel/nbclient_interrupt.py"), path.join(packageRoot, "notebooks/smoke.ipynb")]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.deepEqual(res.nb_errors, []);
  assert.deepEqual(res.nb_counts, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(res.interrupt_status, "ok");
  assert.match(res.interrupt_stdout, /%timeit interrupted after \d+ of 100000 runs/);
  assert.deepEqual(res.after, ["42"]);
  assert.equal(res.train_interrupt_status, "ok");
  assert.equal(res.after_train.length, 2, JSON.stringify(res.after_train));
  assert.match(res.after_train[0].replace(/\s+/g, " "), /\[ true, true, true \]/);
  assert.match(res.after_train[1].replace(/\s+/g, " "), /\[ \[ 16, 2 \], 42 \]/);
  assert.equal(res.alive, true);
});
