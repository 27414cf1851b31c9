import { test } from "node:test";
import assert from "node:assert/strict";
import { childEnv, describeSlots, inLanes, jobSlots, parseJobs, startOrder } from "../../src/cli/job-slots";
import * as os from "node:os";
import { defaultConcurrency } from "../../src/sweep/pool";
import { coresShare } from "../../src/tensor/cores";
import { torchThreads } from "../../src/tensor/torch";
import { PAPER_NOTEBOOKS } from "../../src/cli/main-job";

test("jobSlots: the option, else SCORELAB_JOBS, else the cores, capped by the notebooks; the cores shared out per child", () => {
  assert.deepEqual(jobSlots(undefined, 7, { SCORELAB_CORES: "2" }), { jobs: 2, jobsFrom: "cores", cores: 2, coresPerChild: 1, threads: 1, threadsFrom: "share" });
  assert.equal(jobSlots(undefined, 3, { SCORELAB_CORES: "16" }).jobs, 3, "never more children than notebooks");
  assert.equal(jobSlots(undefined, 3, { SCORELAB_CORES: "16" }).coresPerChild, 5, "floor(16 / 3)");
  assert.deepEqual([jobSlots(1, 7, { SCORELAB_CORES: "8" }).threads, jobSlots(1, 7, {}).jobsFrom], [8, "option"], "one at a time: every core, as before");
  assert.equal(jobSlots(4, 7, { SCORELAB_CORES: "2" }).coresPerChild, 1, "at least one core where children outnumber cores");
  assert.equal(jobSlots(undefined, 7, {}).cores, os.availableParallelism(), "without SCORELAB_CORES: this process's cores");
  const env = jobSlots(undefined, 7, { SCORELAB_JOBS: "3", SCORELAB_CORES: "2" });
  assert.deepEqual([env.jobs, env.jobsFrom], [3, "SCORELAB_JOBS"]);
  assert.equal(jobSlots(2, 7, { SCORELAB_JOBS: "5" }).jobs, 2, "the option wins over the environment");
  const user = jobSlots(2, 7, { SCORELAB_THREADS: "3", SCORELAB_CORES: "8" });
  assert.deepEqual([user.coresPerChild, user.threads, user.threadsFrom], [4, 3, "SCORELAB_THREADS"]);
  assert.equal(describeSlots(user), "2 notebooks at once, 3 threads each (SCORELAB_THREADS as set), on 8 cores");
  // A bad SCORELAB_THREADS stops the job before it starts, instead of "NaN threads each" and seven failed notebooks.
  assert.throws(() => jobSlots(2, 7, { SCORELAB_THREADS: "two" }), /^Error: runMainJob: the environment variable SCORELAB_THREADS must be a whole number from 1 to 1024, got "two"$/);
  assert.equal(jobSlots(2, 7, { SCORELAB_THREADS: "", SCORELAB_CORES: "2" }).threadsFrom, "share", "empty counts as unset");
  assert.equal(describeSlots(jobSlots(1, 7, { SCORELAB_CORES: "1" })), "1 notebook at a time, 1 thread each, on 1 core");
  // SCORELAB_THREADS stays as it was: set here, a sweep in the notebook would hand it to each of its children as set.
  assert.deepEqual(childEnv(jobSlots(2, 7, { SCORELAB_CORES: "4" }), { A: "x" }), { A: "x", SCORELAB_CORES: "2" });
});

test("a notebook count that is not a whole number >= 1 is refused with one Error naming the argument", () => {
  for (const bad of [0, -1, 1.5, "x", NaN, "", " "]) {
    assert.throws(() => jobSlots(bad as number, 7, {}), (e: Error) => e.message.startsWith("runMainJob: argument 'opts.jobs' must be a whole number of notebooks at once, 1 or more, got "), String(bad));
  }
  assert.throws(() => jobSlots(undefined, 7, { SCORELAB_JOBS: "two" }), /^Error: runMainJob: the environment variable SCORELAB_JOBS must be a whole number .* got "two"$/);
  assert.equal(parseJobs("2", "f", "x"), 2);
});

test("startOrder: the table's order with one slot, the longest expected first with several (ties keep their order)", () => {
  const items = [{ e: 5 }, { e: 60 }, { e: 5 }, { e: 600 }];
  assert.deepEqual(startOrder(items, 1, (x) => x.e), [0, 1, 2, 3]);
  assert.deepEqual(startOrder(items, 2, (x) => x.e), [3, 1, 0, 2]);
  const order = startOrder(PAPER_NOTEBOOKS, 2, (p) => p.expectedSeconds).map((i) => PAPER_NOTEBOOKS[i].file);
  assert.deepEqual(order.slice(0, 2).sort(), ["paper-fusion.ipynb", "paper-generalization.ipynb"], "the two longest start together");
});

test("inLanes: at most `lanes` at once, each lane taking the next index as its last one ends", async () => {
  let running = 0, most = 0;
  const begun: number[] = [];
  const ms = [40, 5, 5, 5, 5];
  await inLanes([0, 1, 2, 3, 4], 2, async (i) => {
    begun.push(i);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, ms[i]));
    running--;
  });
  assert.equal(most, 2);
  assert.deepEqual(begun, [0, 1, 2, 3, 4]);
  let seen = 0;
  await inLanes([], 3, async () => { seen++; });
  assert.equal(seen, 0);
});

// availableCores itself is tested in test/tensor/cores.test.ts.
test("SCORELAB_CORES is what a sweep's concurrency, its children's threads and libtorch's default follow", () => {
  assert.equal(defaultConcurrency({ SCORELAB_CORES: "3" }), 3);
  assert.equal(torchThreads({ SCORELAB_CORES: "3" }), 3);
  assert.equal(torchThreads({ SCORELAB_CORES: "3", SCORELAB_THREADS: "2" }), 2, "SCORELAB_THREADS still wins");
  assert.throws(() => torchThreads({ SCORELAB_THREADS: "1.5" }), /^Error: SCORELAB_THREADS must be a whole number from 1 to 1024, got "1\.5"$/);
  assert.equal(torchThreads({ SCORELAB_CORES: String(coresShare(defaultConcurrency({ SCORELAB_CORES: "1" }), 2)) }), 1, "a notebook's one core: one thread per trial child");
});
