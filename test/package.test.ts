import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

test("require('scorelab') works from another folder and reports the wasm backend", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-import-"));
  try {
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(root, path.join(dir, "node_modules", "scorelab"), "dir");
    const out = execFileSync(process.execPath, ["-e", "require('scorelab').ready().then(i => console.log(JSON.stringify(i)))"], {
      cwd: dir, encoding: "utf8", env: { ...process.env, SCORELAB_BACKEND: "" },
    });
    const info = JSON.parse(out.trim().split("\n").pop()!);
    assert.equal(info.name, "wasm");
    assert.equal(info.simd, true);
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
});
