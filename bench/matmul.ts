/** Benchmark of the transposed-matmul fix on the wasm backend (foundation issue). */
import * as tf from "@tensorflow/tfjs";
import { Rng, setWasmTransposeFix, backendInfo, blasStatus, setWasmBlas } from "../src/tensor";
import { BenchRow, timeMs } from "./table";

export function benchMatmul(): BenchRow[] {
  if (backendInfo().tfBackend !== "wasm") return [{ workload: "transposed matmul", scorelab: "-", note: `wasm-only section (the wasm transpose fix and OpenBLAS hook); skipped on ${backendInfo().tfBackend}` }];
  const rng = new Rng(0);
  const a = rng.normal([512, 256]); const b = rng.normal([256, 256]);
  // Returning a typed array from tf.tidy makes tidy walk every element looking for tensors (25 ms here): read
  // the result inside the scope and return nothing.
  const run = (ta: boolean, tb: boolean) => () => tf.tidy(() => { tf.matMul(ta ? tf.transpose(a) : a, b, ta, tb).dataSync(); });
  const rows: BenchRow[] = [];
  // The first rows time the wasm kernels alone (the OpenBLAS rows follow).
  const blas = blasStatus().active;
  setWasmBlas(false);
  const plainMs = timeMs(run(false, false));
  rows.push({ workload: "matmul 512x256 . 256x256, no transpose", scorelab: `${plainMs.toFixed(2)} ms` });
  for (const [ta, tb] of [[false, true], [true, false]] as const) {
    const flag = ta ? "transposeA" : "transposeB";
    setWasmTransposeFix(false);
    const slow = timeMs(run(ta, tb));
    setWasmTransposeFix(true);
    const fast = timeMs(run(ta, tb));
    rows.push({ workload: `matmul 512x256 . 256x256, ${flag}`, scorelab: `${fast.toFixed(2)} ms (fixed)`, baseline: `${slow.toFixed(2)} ms (tfjs kernel)`, ratio: `${(slow / fast).toFixed(1)}x faster` });
  }
  if (blas) {
    setWasmBlas(true);
    // The same products through OpenBLAS (src/tensor/blas.ts) against the wasm kernels with the transpose fix.
    for (const [ta, tb] of [[false, false], [false, true], [true, false]] as const) {
      const flag = ta ? "transposeA" : tb ? "transposeB" : "no transpose";
      const fast = timeMs(run(ta, tb));
      setWasmBlas(false);
      const slow = timeMs(run(ta, tb));
      setWasmBlas(true);
      rows.push({ workload: `matmul 512x256 . 256x256, ${flag}`, scorelab: `${fast.toFixed(2)} ms (OpenBLAS)`, baseline: `${slow.toFixed(2)} ms (wasm, fixed)`, ratio: `${(slow / fast).toFixed(1)}x faster` });
    }
  }
  tf.dispose([a, b]);
  return rows;
}
