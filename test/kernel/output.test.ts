import { test } from "node:test";
import assert from "node:assert/strict";
import type { CellSink } from "../../kernel/executor";
import { currentCell, installOutputRouting, runInCell } from "../../kernel/output";

const sinkInto = (got: string[]): CellSink => ({ stream: (n, t) => got.push(`${n}:${t}`), display() {}, result() {}, error() {} });

test("after installOutputRouting, writes inside a cell's async context go to its sink, others to the real streams", async () => {
  installOutputRouting();
  installOutputRouting();
  const a: string[] = [], b: string[] = [];
  assert.equal(currentCell(), undefined);
  const sa = sinkInto(a), sb = sinkInto(b);
  await Promise.all([
    runInCell(sa, async () => {
      assert.equal(currentCell(), sa);
      process.stdout.write("a1\n");
      await new Promise((r) => setTimeout(r, 20));
      process.stderr.write(Buffer.from("a2\n"));
    }),
    runInCell(sb, async () => {
      await new Promise((r) => setTimeout(r, 5));
      console.log("b1");
    }),
  ]);
  // Each cell's timers and promises keep their own sink, though the two cells ran interleaved.
  assert.deepEqual(a, ["stdout:a1\n", "stderr:a2\n"]);
  assert.deepEqual(b, ["stdout:b1\n"]);
  // A write callback still runs for a routed write.
  await runInCell(sa, () => new Promise<void>((resolve) => { process.stdout.write("cb\n", () => resolve()); }));
  assert.equal(a.at(-1), "stdout:cb\n");
  assert.equal(currentCell(), undefined);
});
