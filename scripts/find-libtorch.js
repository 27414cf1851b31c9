#!/usr/bin/env node
/*
 * Finds a libtorch to build the torch addon against, in this order: LIBTORCH=/path (the official libtorch archive,
 * or a Python torch's package folder with include/ and lib/, CUDA builds included), then the `torch` of the
 * python3 on PATH when its folder has headers and libraries, then Debian's libtorch-dev. Never downloads.
 *
 *   node scripts/find-libtorch.js            -> JSON description, or {"error": "..."}
 *   node scripts/find-libtorch.js include|defines|libs   -> space-separated values for binding.gyp
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const has = (p) => { try { return fs.existsSync(p); } catch { return false; } };

// The C++ ABI of a libtorch: libraries built with the new ABI carry __cxx11 in their symbol names.
function cxx11Abi(libdir, hint) {
  if (hint === true || hint === false) return hint;
  try { return fs.readFileSync(path.join(libdir, "libc10.so")).includes("__cxx11"); } catch { return true; }
}

function fromFolder(root, source, abiHint) {
  const include = path.join(root, "include");
  const lib = path.join(root, "lib");
  if (!has(path.join(include, "ATen", "ATen.h")) || !has(path.join(lib, "libc10.so"))) return null;
  return describe(source, root, [include, path.join(include, "torch", "csrc", "api", "include")], lib, cxx11Abi(lib, abiHint), true);
}

function describe(source, root, includes, libdir, abi, rpath) {
  const cuda = has(path.join(libdir, "libtorch_cuda.so"));
  const cudaHome = process.env.CUDA_HOME || "/usr/local/cuda";
  const cudaHeaders = cuda && has(path.join(cudaHome, "include", "cuda_runtime_api.h"));
  const libs = [`-L${libdir}`];
  if (rpath) libs.push(`-Wl,-rpath,${libdir}`);
  // --no-as-needed keeps torch_cuda linked although no symbol of it is named: loading it registers CUDA kernels.
  if (cuda) libs.push("-Wl,--no-as-needed", "-ltorch_cuda", "-lc10_cuda", "-Wl,--as-needed");
  libs.push("-ltorch_cpu", "-lc10");
  const defines = [`_GLIBCXX_USE_CXX11_ABI=${abi ? 1 : 0}`];
  if (cuda) defines.push("SCORELAB_WITH_CUDA");
  if (cudaHeaders) { defines.push("SCORELAB_CUDA_HEADERS"); includes = [...includes, path.join(cudaHome, "include")]; }
  if (cudaHeaders) libs.push(`-L${path.join(cudaHome, "lib64")}`, "-lcudart");
  return { source, root, include: includes, libdir, defines, libs, cuda, cudaHeaders };
}

function pythonTorch() {
  const py = spawnSync("python3", ["-c", "import torch, os; print(os.path.dirname(torch.__file__)); print(int(torch._C._GLIBCXX_USE_CXX11_ABI))"], { encoding: "utf8", timeout: 60000 });
  if (py.status !== 0 || !py.stdout) return null;
  const [dir, abi] = py.stdout.trim().split("\n");
  return fromFolder(dir, "python3 torch", abi === "1");
}

function debian() {
  const libdir = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"].find((d) => has(path.join(d, "libtorch_cpu.so")));
  if (!libdir || !has("/usr/include/ATen/ATen.h")) return null;
  return describe("Debian libtorch-dev", "/usr", ["/usr/include", "/usr/include/torch/csrc/api/include"], libdir, true, false);
}

function find() {
  if (process.env.LIBTORCH) {
    const found = fromFolder(path.resolve(process.env.LIBTORCH), "LIBTORCH");
    if (!found) return { error: `LIBTORCH=${process.env.LIBTORCH} has no include/ATen/ATen.h and lib/libc10.so` };
    return found;
  }
  return pythonTorch() ?? debian() ?? { error: "no libtorch found (set LIBTORCH=/path/to/libtorch, or install Debian's libtorch-dev)" };
}

module.exports = { find };

if (require.main === module) {
  const found = find();
  const what = process.argv[2];
  if (!what) { console.log(JSON.stringify(found)); process.exit(0); }
  if (found.error) { console.error(found.error); process.exit(1); }
  const out = { include: found.include, defines: found.defines, libs: found.libs }[what];
  if (!out) { console.error(`unknown query ${what}`); process.exit(2); }
  console.log(out.join(" "));
}
