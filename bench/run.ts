/**
 * `npm run bench`: runs every benchmark and prints one Markdown table (paste into bench/RESULTS.md).
 * `npm run bench -- --quick` shortens the runs; `--only NAME[,NAME]` picks sections (overhead, matmul, score,
 * sampling, sweep, nearest, kernel, long-session).
 */
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import { initBackend, describeBackend } from "../src/tensor";
import { benchMatmul } from "./matmul";
import { benchScore } from "./score";
import { benchNearest } from "./nearest";
import { benchKernel } from "./kernel";
import { benchLongSession } from "./long-session";
import { benchOverhead } from "./overhead";
import { printTable, BenchRow } from "./table";

type Section = { name: string; run: (quick: boolean) => Promise<BenchRow[]> | BenchRow[] };

function optionalSection(name: string, file: string, fn: string): Section | null {
  // Sections written by other threads join the run when their file is there.
  const js = path.join(__dirname, `${file}.js`);
  if (!fs.existsSync(js)) return null;
  return { name, run: async (quick) => (require(js)[fn] as (o: { quick: boolean }) => Promise<BenchRow[]>)({ quick }) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(",")) : null;
  const info = await initBackend();
  const cpu = os.cpus();
  console.log(`# scorelab bench\n\nmachine: ${cpu.length} x ${cpu[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  console.log(`backend: ${describeBackend(info)}${quick ? " (quick)" : ""}\n`);
  const sections: Section[] = [
    { name: "overhead", run: (q: boolean) => benchOverhead({ quick: q }) },
    { name: "matmul", run: () => benchMatmul() },
    { name: "score", run: (q: boolean) => benchScore({ quick: q }) },
    optionalSection("sampling", "sampling", "benchSampling"),
    optionalSection("sweep", "sweep", "benchSweep"),
    { name: "nearest", run: () => benchNearest() },
    { name: "kernel", run: () => benchKernel() },
    { name: "long-session", run: (q: boolean) => benchLongSession({ quick: q }) },
  ].filter((s): s is Section => s !== null);
  const rows: BenchRow[] = [];
  for (const s of sections) {
    if (only && !only.has(s.name)) continue;
    try {
      const got = await s.run(quick);
      rows.push(...got);
      // Each section's rows as they come (stderr), so a crash later in the run keeps what was measured.
      for (const r of got) console.error(`[${s.name}] ${[r.workload, r.scorelab, r.baseline ?? "", r.ratio ?? "", r.note ?? ""].join(" | ")}`);
    } catch (e) {
      rows.push({ workload: s.name, scorelab: "failed", note: (e instanceof Error ? e.message : String(e)).split("\n")[0] });
    }
  }
  rows.push({ workload: "peak RSS of the bench process", scorelab: `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`, note: "getrusage maxRSS after every section" });
  printTable(rows);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
