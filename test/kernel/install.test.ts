import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec, kernelJson, kernelsDir } from "../../kernel/install";
import { cliEntry } from "../../kernel/paths";

test("kernelsDir follows Jupyter's rules: --prefix DIR, else JUPYTER_DATA_DIR or the XDG data dir; one choice only", () => {
  assert.equal(kernelsDir({ prefix: "/tmp/jp" }), "/tmp/jp/share/jupyter/kernels");
  const saved = { d: process.env.JUPYTER_DATA_DIR, x: process.env.XDG_DATA_HOME };
  try {
    process.env.JUPYTER_DATA_DIR = "/srv/jd";
    assert.equal(kernelsDir({ user: true }), "/srv/jd/kernels");
    delete process.env.JUPYTER_DATA_DIR;
    process.env.XDG_DATA_HOME = "/srv/xdg";
    if (process.platform !== "darwin") assert.equal(kernelsDir({}), "/srv/xdg/jupyter/kernels");
  } finally {
    if (saved.d === undefined) delete process.env.JUPYTER_DATA_DIR; else process.env.JUPYTER_DATA_DIR = saved.d;
    if (saved.x === undefined) delete process.env.XDG_DATA_HOME; else process.env.XDG_DATA_HOME = saved.x;
  }
  assert.throws(() => kernelsDir({ user: true, prefix: "/x" }), /installKernelspec\(\): choose one of --user, --sys-prefix, --prefix/);
  assert.throws(() => kernelsDir({ prefix: "" }), /installKernelspec\(\): --prefix needs a directory/);
});

test("installKernelspec writes kernel.json (this node, the CLI's kernel command, signal interrupts), both logos and plotly.js", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-install-"));
  try {
    const dir = installKernelspec({ prefix: tmp });
    assert.equal(dir, path.join(tmp, "share", "jupyter", "kernels", "scorelab"));
    const k = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")) as { argv: string[]; interrupt_mode: string; language: string };
    assert.deepEqual(k, kernelJson());
    assert.deepEqual(k.argv, [process.execPath, cliEntry, "kernel", "--config-path", "{connection_file}"]);
    assert.equal(k.interrupt_mode, "signal");
    assert.equal(k.language, "typescript");
    assert.deepEqual(fs.readdirSync(dir).sort(), ["kernel.json", "logo-32x32.png", "logo-64x64.png", "plotly.js"]);
    assert.equal(fs.readFileSync(path.join(dir, "logo-32x32.png")).readUInt32BE(16), 32);
    assert.ok(fs.statSync(path.join(dir, "plotly.js")).size > 100_000, "the plotly.js bundle, not a stub");
    // Installing again overwrites in place.
    assert.equal(installKernelspec({ prefix: tmp }), dir);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
