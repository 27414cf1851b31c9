import { test } from "node:test";
import assert from "node:assert/strict";
import { climbLadder, Rung } from "../../src/tensor/ladder";

function rung(id: string, ok: boolean | Error, log: string[]): Rung {
  return {
    id,
    backend: id,
    load: async () => {
      log.push(id);
      if (ok === true) return { device: `dev-${id}` };
      if (ok instanceof Error) throw ok;
      const e = new Error(`Cannot find module '${id}'`) as Error & { code: string };
      e.code = "MODULE_NOT_FOUND";
      throw e;
    },
  };
}

test("ladder picks the first rung that loads and says why higher rungs were skipped", async () => {
  const log: string[] = [];
  const choice = await climbLadder(
    [rung("tensorflow-gpu", false, log), rung("tensorflow", new Error("libtensorflow.so: cannot open"), log), rung("wasm", true, log), rung("cpu", true, log)],
  );
  assert.equal(choice.rung.id, "wasm");
  assert.equal(choice.device, "dev-wasm");
  assert.deepEqual(log, ["tensorflow-gpu", "tensorflow", "wasm"]);
  assert.deepEqual(choice.skipped, [
    { id: "tensorflow-gpu", reason: "package not installed" },
    { id: "tensorflow", reason: "libtensorflow.so: cannot open" },
  ]);
  assert.equal(choice.forced, false);
});

test("ladder takes the top rung when it loads", async () => {
  const log: string[] = [];
  const choice = await climbLadder([rung("tensorflow-gpu", true, log), rung("wasm", true, log)]);
  assert.equal(choice.rung.id, "tensorflow-gpu");
  assert.deepEqual(choice.skipped, []);
});

test("forcing a backend tries only that one", async () => {
  const log: string[] = [];
  const choice = await climbLadder([rung("tensorflow", true, log), rung("wasm", true, log), rung("cpu", true, log)], "cpu");
  assert.equal(choice.rung.id, "cpu");
  assert.deepEqual(log, ["cpu"]);
  assert.equal(choice.forced, true);
});

test("forcing tensorflow accepts the gpu or the cpu native package", async () => {
  const log: string[] = [];
  const choice = await climbLadder([rung("tensorflow-gpu", false, log), rung("tensorflow", true, log), rung("wasm", true, log)], "tensorflow");
  assert.equal(choice.rung.id, "tensorflow");
});

test("a forced backend that cannot load gives a clear error", async () => {
  const log: string[] = [];
  await assert.rejects(
    climbLadder([rung("tensorflow-gpu", false, log), rung("tensorflow", false, log), rung("wasm", true, log)], "tensorflow"),
    /SCORELAB_BACKEND="tensorflow" was requested but cannot load \(tensorflow-gpu: package not installed; tensorflow: package not installed\)/,
  );
});

test("an unknown forced backend is named in the error", async () => {
  await assert.rejects(climbLadder([], "webgpu"), /SCORELAB_BACKEND="webgpu" is not a backend; expected one of torch, wasm, cpu, tensorflow/);
});

test("SCORELAB_BACKEND=torch tries torch on CUDA, then torch on CPU, and nothing else", async () => {
  const log: string[] = [];
  const rungs = [rung("torch-cuda", new Error("libtorch was built without CUDA"), log), rung("tensorflow-gpu", true, log), rung("torch", true, log), rung("wasm", true, log)];
  const choice = await climbLadder(rungs, "torch");
  assert.equal(choice.rung.id, "torch");
  assert.deepEqual(log, ["torch-cuda", "torch"]);
  assert.deepEqual(choice.skipped, [{ id: "torch-cuda", reason: "libtorch was built without CUDA" }]);
  await assert.rejects(climbLadder([rung("torch-cuda", false, []), rung("torch", false, []), rung("wasm", true, [])], "torch"),
    /SCORELAB_BACKEND="torch" was requested but cannot load \(torch-cuda: package not installed; torch: package not installed\)/);
});

test("no rung loading is an error listing every reason", async () => {
  const log: string[] = [];
  await assert.rejects(climbLadder([rung("wasm", new Error("boom"), log)]), /no tensor backend could load \(wasm: boom\)/);
});

test("tfjs-node installed without its binary is skipped with a short reason, not the loader's path dump", async () => {
  const e = new Error("The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node. \nPlease run command ...");
  const choice = await climbLadder([rung("tensorflow", e, []), rung("wasm", true, [])]);
  assert.deepEqual(choice.skipped, [{ id: "tensorflow", reason: "package installed without its native binary (its install step downloads one)" }]);
});
