/** %seed: sets the session Rng to a generator of that seed; the seed must be an integer. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { seedMagic } from "../../src/magics/seed";
import { Rng } from "../../src/tensor/rng";
import { context, oneLineError, runLine } from "./context";
import { initBackend } from "../../src/tensor/backend";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

test("%seed 42 hands the session a Rng(42), says so, and returns it", async () => {
  const { ctx, printed } = context({});
  let set: Rng | undefined;
  ctx.setRng = (r) => { set = r; };
  const r = await runLine(seedMagic, ["42"], ctx);
  assert.equal(set, r);
  assert.equal(r.seed, 42);
  // The same stream as a generator made by hand with that seed.
  assert.deepEqual(Array.from(r.normal([5]).dataSync()), Array.from(new Rng(42).normal([5]).dataSync()));
  assert.deepEqual(printed, ["session rng seeded with 42"]);
});

test("%seed needs one integer", async () => {
  const { ctx } = context({});
  await oneLineError(runLine(seedMagic, [], ctx), /^%seed: missing required argument 'seed'/);
  await oneLineError(runLine(seedMagic, ["1.5"], ctx), /expected an integer, got '1\.5'/);
  await oneLineError(runLine(seedMagic, ["1", "2"], ctx), /too many arguments/);
});
