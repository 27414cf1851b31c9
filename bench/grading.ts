/**
 * Grading throughput: `node dist/bench/grading.js [--n 8] [--concurrency C] [--backend NAME]` grades N correct
 * copies of the test assignment (test/check/grade-class.ts) and prints submissions per minute. Each submission is a
 * fresh Node process (tslab, tfjs, the backend), so start-up is most of the cost. A script, not a timed test.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmissions } from "../src/check";
import { COPY_OK, MEAN_OK, submission, writeClass } from "../test/check/grade-class";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const n = Number(arg("--n") ?? 8);
  const concurrency = arg("--concurrency") === undefined ? os.availableParallelism() : Number(arg("--concurrency"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-bench-"));
  try {
    const students = Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${String(i).padStart(3, "0")}`, submission(MEAN_OK, COPY_OK)]));
    const { source, submitted } = writeClass(dir, students);
    const r = await gradeSubmissions(submitted, { source, outDir: path.join(dir, "out"), concurrency, backend: arg("--backend") });
    const ok = r.rows.every((x) => x.status === "ok");
    const load = os.loadavg()[0].toFixed(1);
    console.log(`${n} submissions, concurrency ${concurrency}, backend ${arg("--backend") ?? process.env.SCORELAB_BACKEND ?? "ladder"}: ${r.seconds.toFixed(1)} s, ${(n / (r.seconds / 60)).toFixed(1)} submissions per minute${ok ? "" : " (SOME FAILED)"}; ${os.availableParallelism()} cores, load average ${load} at the end`);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

main().catch((e) => { console.error(e); process.exit(1); });
