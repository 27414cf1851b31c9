/**
 * CPU time per DSM training step of two builds of scorelab in one process: `node dist/bench/cpu-ab.js OTHER_ROOT
 * w1|w2|u8 [block] [blocks]` loads OTHER_ROOT's dist (another checkout, built) next to this one's; both share one
 * tfjs engine and torch backend, and their steps alternate in blocks of `block` steps, so both see the same load.
 * On a shared machine wall time is useless and CPU time of separate processes moved 10-20 % between rounds; this
 * pairing moved a few per cent. The native addon and the kernels must be the same in both trees (the later
 * registration of a kernel replaces the earlier). Prints JSON: mean and median CPU ms per step of each side.
 * PyTorch's side: bench/pytorch/cpu_time.py.
 */
import * as os from "node:os";
import * as path from "node:path";

type Train = (steps: number) => Promise<unknown>;

/** One side: the workload's model and data from that tree's library (loaded by path, so require); each call trains `steps` steps. */
function side(root: string, name: string): Train {
  const { Rng } = require(path.join(root, "dist/src/tensor"));
  const { vpSDE } = require(path.join(root, "dist/src/sde"));
  const { mlpScoreNet, unetScoreNet, trainScore } = require(path.join(root, "dist/src/score"));
  const sde = vpSDE();
  const u8 = name === "u8", d = name === "w2" ? 784 : 2;
  const model = u8 ? unetScoreNet(sde, [8, 8], new Rng(0), { channels: 16, groups: 4 }) : mlpScoreNet(sde, [d], new Rng(0), { width: d === 2 ? 256 : 512, depth: 3 });
  const data = u8 ? new Rng(1).normal([256, 8, 8]) : new Rng(1).normal([2048, d]);
  const batch = u8 ? 128 : d === 2 ? 512 : 128;
  let seed = 10;
  return (steps) => trainScore(model, data, { steps, rng: new Rng(seed++), batchSize: batch, yieldEvery: steps });
}

async function main(): Promise<void> {
  const [other, name = "w1", blockArg = "100", blocksArg = "10"] = process.argv.slice(2);
  if (!other || !["w1", "w2", "u8"].includes(name)) throw new Error("usage: cpu-ab.js OTHER_ROOT w1|w2|u8 [block] [blocks]");
  const block = Number(blockArg), blocks = Number(blocksArg);
  const here = path.resolve(__dirname, "..", "..");
  const { initBackend } = require(path.join(here, "dist/src/tensor"));
  await initBackend();
  const sides: Record<string, Train> = { other: side(path.resolve(other), name), here: side(here, name) };
  const ms: Record<string, number[]> = { other: [], here: [] };
  for (const s of ["other", "here"]) await sides[s](2 * block); // warm-up
  for (let b = 0; b < blocks; b++) {
    for (const s of b % 2 ? ["here", "other"] : ["other", "here"]) {
      const c0 = process.cpuUsage();
      await sides[s](block);
      const c = process.cpuUsage(c0);
      ms[s].push((c.user + c.system) / 1000 / block);
    }
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(JSON.stringify({ workload: name, block, blocks, other: { mean: mean(ms.other), median: median(ms.other) }, here: { mean: mean(ms.here), median: median(ms.here) }, load: os.loadavg()[0] }));
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
