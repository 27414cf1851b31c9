/**
 * Per-kernel profile of the score workloads (tf.profile): where the time of a DSM training step or a sampling
 * step goes. `node dist/bench/profile.js [w1|w2|w3] [steps]` prints a Markdown table for bench/RESULTS.md.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend, describeBackend, Rng } from "../src/tensor";
import { vpSDE } from "../src/sde";
import { mlpScoreNet, trainScore, unetScoreNet } from "../src/score";

export interface KernelShare { kernel: string; calls: number; ms: number }

/** Sums tf.profile's kernel times by kernel name over `run`, per step; also the wall time per step. */
export async function profileKernels(run: () => Promise<unknown>, steps: number): Promise<{ rows: KernelShare[]; wallMs: number }> {
  const t0 = performance.now();
  const info = await tf.profile(async () => { await run(); });
  const wallMs = (performance.now() - t0) / steps;
  const by = new Map<string, KernelShare>();
  for (const k of info.kernels) {
    const r = by.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
    r.calls += 1;
    r.ms += Number(k.kernelTimeMs) || 0;
    by.set(k.name, r);
  }
  const rows = [...by.values()].map((r) => ({ ...r, calls: r.calls / steps, ms: r.ms / steps })).sort((a, b) => b.ms - a.ms);
  return { rows, wallMs };
}

async function workload(name: string, steps: number): Promise<() => Promise<unknown>> {
  const sde = vpSDE();
  if (name === "w3") {
    const model = mlpScoreNet(sde, [2], new Rng(0), { width: 256, depth: 3 });
    const x = new Rng(1).normal([10000, 2]);
    return async () => {
      for (let i = 0; i < steps; i++) tf.tidy(() => { model.score(x, tf.fill([10000], 0.5)).dataSync(); });
    };
  }
  if (name === "u8" || name === "u28") {
    const side = name === "u8" ? 8 : 28, batch = name === "u8" ? 128 : 32;
    const model = unetScoreNet(sde, [side, side], new Rng(0), { channels: 16, groups: 4 });
    const data = new Rng(1).normal([256, side, side]);
    await trainScore(model, data, { steps: 2, rng: new Rng(2), batchSize: batch });
    return () => trainScore(model, data, { steps, rng: new Rng(3), batchSize: batch, yieldEvery: steps });
  }
  const d = name === "w2" ? 784 : 2;
  const model = mlpScoreNet(sde, [d], new Rng(0), { width: d === 2 ? 256 : 512, depth: 3 });
  const data = new Rng(1).normal([2048, d]);
  const batch = d === 2 ? 512 : 128;
  await trainScore(model, data, { steps: 3, rng: new Rng(2), batchSize: batch });
  return () => trainScore(model, data, { steps, rng: new Rng(3), batchSize: batch, yieldEvery: steps });
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? "w1";
  const steps = Number(process.argv[3] ?? 20);
  const info = await initBackend();
  console.log(`profile ${name}, ${steps} steps; ${describeBackend(info)}\n`);
  const run = await workload(name, steps);
  await run();
  const { rows, wallMs } = await profileKernels(run, steps);
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log(`wall ${wallMs.toFixed(2)} ms/step under tf.profile; kernels ${total.toFixed(2)} ms/step; ${rows.reduce((a, r) => a + r.calls, 0).toFixed(0)} kernel calls/step\n`);
  console.log("| kernel | calls/step | ms/step | share |\n| --- | --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.kernel} | ${r.calls.toFixed(1)} | ${r.ms.toFixed(3)} | ${((100 * r.ms) / total).toFixed(1)}% |`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
