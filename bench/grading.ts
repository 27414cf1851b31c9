/**
 * Grading throughput: `node dist/bench/grading.js [--n 8] [--concurrency C] [--backend NAME] [--workers]` grades N
 * correct copies of the test assignment (test/check/grade-class.ts) and prints submissions per minute; with
 * --workers, through a redis-server and one `scorelab worker --concurrency C` that it starts on loopback and stops. Each submission is a
 * fresh Node process (tslab, tfjs, the backend), so start-up is most of the cost. Besides the wall time it prints the
 * CPU seconds per submission (this process and its finished children, from /proc/self/stat), which a shared machine's
 * load changes far less than the wall time. A script, not a timed test.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmissions } from "../src/check";
import { COPY_OK, MEAN_OK, submission, writeClass } from "../test/check/grade-class";
import { RedisServer, startWorkerProcess, stopProcess } from "../test/sweep/processes";

/** CPU seconds of this process and of its children that have ended (Linux: /proc/self/stat utime stime cutime cstime). */
function cpuSeconds(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  // Fields 14-17 of stat(5), counted from 1; the split starts at field 3. Clock ticks are 100 a second on Linux.
  return fields.slice(11, 15).reduce((a, t) => a + Number(t), 0) / 100;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const n = Number(arg("--n") ?? 8);
  const concurrency = arg("--concurrency") === undefined ? os.availableParallelism() : Number(arg("--concurrency"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-bench-"));
  try {
    const students = Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${String(i).padStart(3, "0")}`, submission(MEAN_OK, COPY_OK)]));
    const { source, submitted } = writeClass(dir, students);
    const cpu0 = cpuSeconds();
    const workers = args.includes("--workers");
    const redis = workers ? await RedisServer.start() : undefined;
    const worker = redis ? await startWorkerProcess(redis.url, ["--concurrency", String(concurrency)]) : undefined;
    const r = await gradeSubmissions(submitted, { source, outDir: path.join(dir, "out"), backend: arg("--backend"), ...(redis ? { redis: redis.url } : { concurrency }) });
    // The worker's CPU (and its notebook processes') counts once it has exited and been waited for.
    await stopProcess(worker);
    await redis?.dispose();
    const ok = r.rows.every((x) => x.status === "ok");
    const cpu = (cpuSeconds() - cpu0) / n;
    const load = os.loadavg()[0].toFixed(1);
    console.log(`${n} submissions${workers ? " on one worker" : ""}, concurrency ${concurrency}, backend ${arg("--backend") ?? process.env.SCORELAB_BACKEND ?? "ladder"}: ${r.seconds.toFixed(1)} s, ${(n / (r.seconds / 60)).toFixed(1)} submissions per minute, ${cpu.toFixed(1)} CPU s per submission${ok ? "" : " (SOME FAILED)"}; ${os.availableParallelism()} cores, load average ${load} at the end`);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

main().catch((e) => { console.error(e); process.exit(1); });
