/**
 * Grading on sweep workers with real parts: redis-server on a free loopback port and one `scorelab worker` process
 * (test/sweep/processes.ts). The same small class graded through the worker gives the same grades as the local pool,
 * with the same sandbox (the source notebook unreadable, writes outside the run folder refused) and locked cells
 * restored; a job cannot switch the sandbox off or place a file outside its run folder. The class is the smallest
 * that shows all of it (two submissions that run, one malformed; test/check/grade/grade.test.ts grades the whole class
 * locally): each run is one notebook process, whose start-up is most of its time.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ChildProcess } from "node:child_process";
import { gradeSubmissions, type GradeRow, type NotebookJson } from "../../../src/check";
import { redisExecutor } from "../../../src/sweep/redis-executor";
import { GRADE_TRIAL } from "../../../src/sweep/library-trials";
import type { TrialOutcome } from "../../../src/sweep/run-trial";
import { RedisServer, startWorkerProcess, stopProcess } from "../../sweep/processes";
import { classFiles, COPY_OK, MEAN_OK, submission, writeClass } from "../grade-class";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-workers-"));
const outside = path.join(dir, "outside.txt");
// Generous wall times: on a shared machine a notebook process can take a minute to start; the limits are not under test here.
const LIMITS = { cellTimeoutS: 60, notebookTimeoutS: 240, memoryMB: 640, maxOutputBytes: 64 * 1024 };
let redis: RedisServer;
let worker: ChildProcess;

before(async () => {
  redis = await RedisServer.start();
  worker = await startWorkerProcess(redis.url, ["--concurrency", "2"]);
});

after(async () => {
  await stopProcess(worker);
  await redis.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows without the wall times, which differ between any two runs. */
const comparable = (rows: GradeRow[]) => rows.map(({ seconds: _s, ...r }) => r);

test("a class graded through a worker: the same grades and feedback as on the local pool, under the same sandbox", { timeout: 240_000 }, async () => {
  const source = path.join(dir, "source", "pair.ipynb");
  const { escapes, edited_lock, corrupt } = classFiles(source, outside);
  const paths = writeClass(dir, { escapes, edited_lock, corrupt });
  const common = { source, backend: "wasm", limits: LIMITS };
  const local = await gradeSubmissions(paths.submitted, { ...common, outDir: path.join(dir, "local"), concurrency: 2 });
  const remote = await gradeSubmissions(paths.submitted, { ...common, outDir: path.join(dir, "remote"), redis: redis.url });
  assert.deepEqual(comparable(remote.rows), comparable(local.rows));
  // The grades are the expected ones, not merely equal: the sandbox held on the worker and the check ran as released.
  const status = Object.fromEntries(remote.rows.map((r) => [`${r.student}/${r.grade_id}`, [r.points, r.status]]));
  assert.deepEqual(status, {
    "escapes/check_mean": [0, "error"], "escapes/check_copy": [0, "failed"], "edited_lock/check_mean": [0, "failed"], "edited_lock/check_copy": [3, "ok"],
    "corrupt/check_mean": [0, "malformed"], "corrupt/check_copy": [0, "malformed"],
  });
  const msg = (id: string) => remote.rows.find((r) => `${r.student}/${r.grade_id}` === id)!.message;
  assert.match(msg("escapes/check_copy"), /ERR_ACCESS_DENIED|restricted/, "the source notebook was readable on the worker");
  assert.equal(fs.existsSync(outside), false, "a submission wrote outside its folder on the worker");
  assert.match(msg("edited_lock/check_mean"), /should be 3/);
  // The feedback notebooks carry the same cells and notes; only the outputs' timings could differ, and none print one.
  const cells = (f: string) => (JSON.parse(fs.readFileSync(f, "utf8")) as NotebookJson).cells;
  for (const s of Object.keys(local.feedback)) assert.deepEqual(cells(remote.feedback[s]), cells(local.feedback[s]), s);
  assert.deepEqual(fs.readFileSync(remote.gradesCsv, "utf8").split("\n")[0], fs.readFileSync(local.gradesCsv, "utf8").split("\n")[0]);
});

test("a grading job cannot turn the sandbox off, add read paths or write outside its run folder", { timeout: 60_000 }, async () => {
  const ex = redisExecutor({ url: redis.url, pollMs: 50, log: () => {} });
  const nb = submission(MEAN_OK, COPY_OK);
  const job = (id: string, params: Record<string, unknown>) => ({ id, index: 0, fn: GRADE_TRIAL, params: { notebook: nb, fileName: "pair.ipynb", limits: LIMITS, backend: "wasm", ...params }, seed: 0, point: id, attempts: 1, rung: 0 }) as never;
  const outcomes: TrialOutcome[] = [];
  try {
    await ex.run([job("a", { sandbox: false }), job("b", { allowRead: ["/"] }), job("c", { files: { "../escaped.txt": Buffer.from("x").toString("base64") } }), job("d", { fileName: "../pair.ipynb" })],
      { onDone: (_t, o) => outcomes.push(o) }, { sweepId: "hostile" });
  } finally {
    await ex.close();
  }
  const errors = Object.fromEntries(outcomes.map((o) => [o.id, [o.status, o.error]]));
  assert.deepEqual(Object.keys(errors).sort(), ["a", "b", "c", "d"]);
  assert.match(errors.a[1]!, /takes no parameter sandbox/);
  assert.match(errors.b[1]!, /takes no parameter allowRead/);
  assert.match(errors.c[1]!, /runSubmission: argument 'opts\.contents' must name files inside the run folder/);
  assert.match(errors.d[1]!, /argument 'fileName' must be a plain \.ipynb file name/);
  assert.ok(outcomes.every((o) => o.status === "failed"));
  assert.equal(fs.existsSync(path.join(os.tmpdir(), "escaped.txt")), false);
});
