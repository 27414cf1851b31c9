import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

test("require('scorelab') works from another folder and reports the ladder's top rung: torch on CPU, CUDA skipped with its reason", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-import-"));
  try {
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(root, path.join(dir, "node_modules", "scorelab"), "dir");
    const out = execFileSync(process.execPath, ["-e", "require('scorelab').initBackend().then(i => console.log(JSON.stringify(i)))"], {
      cwd: dir, encoding: "utf8", env: { ...process.env, SCORELAB_BACKEND: "" },
    });
    const info = JSON.parse(out.trim().split("\n").pop()!);
    // CI installs Debian's CPU-only libtorch-dev, and the install step builds the torch addon against it.
    assert.equal(info.name, "torch");
    assert.equal(info.tfBackend, "torch");
    assert.match(info.torch.version, /^\d+\.\d+\.\d+$/);
    assert.equal(info.torch.device, "cpu");
    assert.ok(info.torch.threads >= 1);
    assert.match(info.device, /^libtorch \S+ on CPU, \d+ intra-op threads?$/);
    // tfjs-node-gpu is skipped too: its binary comes from a download that machines here cannot make.
    assert.deepEqual(info.skipped.map((s: { id: string }) => s.id), ["torch-cuda", "tensorflow-gpu"]);
    assert.equal(info.skipped[0].reason, "libtorch was built without CUDA");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("SCORELAB_BACKEND=cpu forces the cpu backend; an impossible force is a clear error", () => {
  const cli = path.join(root, "dist/src/cli/main.js");
  const out = execFileSync(process.execPath, [cli, "backend"], { encoding: "utf8", env: { ...process.env, SCORELAB_BACKEND: "cpu" } });
  assert.match(out, /backend cpu on CPU \[forced by SCORELAB_BACKEND\]/);
  assert.throws(
    () => execFileSync(process.execPath, [cli, "backend"], { encoding: "utf8", stdio: "pipe", env: { ...process.env, SCORELAB_BACKEND: "tensorflow" } }),
    (e: { stderr: string }) => /SCORELAB_BACKEND="tensorflow" was requested but cannot load/.test(e.stderr),
  );
  // Torch forced onto CUDA where libtorch has none: one clear error, no crash.
  assert.throws(
    () => execFileSync(process.execPath, [cli, "backend"], { encoding: "utf8", stdio: "pipe", env: { ...process.env, SCORELAB_BACKEND: "torch", SCORELAB_DEVICE: "cuda" } }),
    (e: { stderr: string; status: number }) => e.status === 1 && /SCORELAB_BACKEND="torch" was requested but cannot load \(torch-cuda: libtorch was built without CUDA; torch: SCORELAB_DEVICE=cuda\)/.test(e.stderr),
  );
  const torch = execFileSync(process.execPath, [cli, "backend"], { encoding: "utf8", env: { ...process.env, SCORELAB_BACKEND: "torch", SCORELAB_DEVICE: "cpu", SCORELAB_THREADS: "1" } });
  assert.match(torch, /backend torch on libtorch \S+ on CPU, 1 intra-op thread \[forced by SCORELAB_BACKEND\]/);
});
