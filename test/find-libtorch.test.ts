/**
 * The libtorch search of the install step (scripts/find-libtorch.js): LIBTORCH first, then a Python torch on PATH,
 * then Debian's libtorch-dev; the C++ ABI and CUDA read off the libraries; never a download.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const script = path.resolve(__dirname, "../../scripts/find-libtorch.js");

/** A folder shaped like a libtorch archive: headers, libc10 with or without new-ABI symbols, optional CUDA. */
function fakeLibtorch(root: string, opts: { cxx11: boolean; cuda: boolean }): string {
  fs.mkdirSync(path.join(root, "include", "ATen"), { recursive: true });
  fs.writeFileSync(path.join(root, "include", "ATen", "ATen.h"), "");
  fs.mkdirSync(path.join(root, "lib"), { recursive: true });
  fs.writeFileSync(path.join(root, "lib", "libc10.so"), opts.cxx11 ? "ELF ... _ZNSt7__cxx1112basic_string ..." : "ELF ... _ZNSs4_Rep ...");
  if (opts.cuda) fs.writeFileSync(path.join(root, "lib", "libtorch_cuda.so"), "");
  return root;
}

function find(env: NodeJS.ProcessEnv): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8", env: { ...process.env, ...env } }));
}

test("LIBTORCH wins: include and lib folders, rpath, the ABI of its libc10 and its CUDA libraries", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-libtorch-"));
  try {
    const old = fakeLibtorch(path.join(dir, "old-abi-cuda"), { cxx11: false, cuda: true });
    const d = find({ LIBTORCH: old, CUDA_HOME: path.join(dir, "no-cuda-toolkit") });
    assert.equal(d.source, "LIBTORCH");
    assert.deepEqual(d.include, [path.join(old, "include"), path.join(old, "include", "torch", "csrc", "api", "include")]);
    assert.deepEqual(d.defines, ["_GLIBCXX_USE_CXX11_ABI=0", "SCORELAB_WITH_CUDA"]);
    assert.equal(d.cuda, true);
    assert.equal(d.cudaHeaders, false);
    assert.ok((d.libs as string[]).includes(`-Wl,-rpath,${path.join(old, "lib")}`));
    assert.ok((d.libs as string[]).includes("-ltorch_cuda"));
    const cpu = fakeLibtorch(path.join(dir, "new-abi-cpu"), { cxx11: true, cuda: false });
    const c = find({ LIBTORCH: cpu });
    assert.deepEqual(c.defines, ["_GLIBCXX_USE_CXX11_ABI=1"]);
    assert.equal(c.cuda, false);
    assert.ok(!(c.libs as string[]).includes("-ltorch_cuda"));
    // A LIBTORCH that is not a libtorch is an error naming what is missing, not a fall-through.
    assert.match(String(find({ LIBTORCH: path.join(dir, "nothing") }).error), /LIBTORCH=.*nothing has no include\/ATen\/ATen.h and lib\/libc10.so/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a Python torch on PATH comes next, with the ABI it reports", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-pytorch-"));
  try {
    const pkg = fakeLibtorch(path.join(dir, "site-packages", "torch"), { cxx11: true, cuda: false });
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // Stands in for `python3 -c "import torch; ..."`: prints the package folder and torch._C._GLIBCXX_USE_CXX11_ABI.
    fs.writeFileSync(path.join(bin, "python3"), `#!/bin/sh\necho ${pkg}\necho 0\n`, { mode: 0o755 });
    const d = find({ LIBTORCH: "", PATH: `${bin}:${process.env.PATH}` });
    assert.equal(d.source, "python3 torch");
    assert.equal(d.root, pkg);
    assert.deepEqual(d.defines, ["_GLIBCXX_USE_CXX11_ABI=0"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("without either, Debian's libtorch-dev (installed here by .ci/debian-packages)", () => {
  const d = find({ LIBTORCH: "" });
  assert.equal(d.source, "Debian libtorch-dev");
  assert.ok((d.include as string[]).includes("/usr/include"));
  assert.ok(!(d.libs as string[]).some((l) => l.startsWith("-Wl,-rpath")), "system libraries need no rpath");
});
