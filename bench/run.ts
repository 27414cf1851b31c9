/** `npm run bench`: runs every benchmark and prints one table. Later issues add their rows here. */
import { initBackend, describeBackend } from "../src/tensor";
import { benchMatmul } from "./matmul";
import { printTable, BenchRow } from "./table";
import * as os from "node:os";

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`# scorelab bench\n\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  console.log(`backend: ${describeBackend(info)}\n`);
  const rows: BenchRow[] = [...benchMatmul()];
  printTable(rows);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
