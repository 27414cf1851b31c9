import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/tensor/rng";
import { clearHostOutput, interruptMagics, sessionLocals, sessionRng, setMagicHost, withMagicContext } from "../../kernel/magic-session";

test("magics write through the host, share one session Rng, and an interrupt aborts only the running ones", async () => {
  const printed: string[] = [], shown: unknown[] = [], cleared: boolean[] = [];
  const locals = { x: 1 };
  setMagicHost({ print: (t) => printed.push(t), display: (b, id, u) => shown.push([b, id, u]), clear: (w) => cleared.push(w), locals });
  assert.equal(sessionLocals(), locals);
  clearHostOutput(true);
  assert.deepEqual(cleared, [true]);
  assert.equal(interruptMagics(), false, "nothing running");
  let seen: AbortSignal | undefined;
  const r = await withMagicContext(async (ctx) => {
    ctx.print("hi");
    ctx.display({ "text/plain": "p" }, "id", true);
    assert.equal(ctx.locals, locals);
    const next = new Rng(9);
    ctx.setRng(next);
    assert.equal(ctx.rng, next);
    assert.throws(() => ctx.setRng({} as never), /setRng\(\): argument 'r' must be an Rng/);
    seen = ctx.signal;
    assert.equal(interruptMagics(), true, "this magic is running");
    return 5;
  });
  assert.equal(r, 5);
  assert.ok(seen!.aborted);
  assert.equal(interruptMagics(), false, "a finished magic is no longer interrupted");
  assert.deepEqual(printed, ["hi"]);
  assert.deepEqual(shown, [[{ "text/plain": "p" }, "id", true]]);
  assert.ok(sessionRng() instanceof Rng);
  assert.equal(sessionRng().constructor, Rng);
  assert.throws(() => setMagicHost({ print: () => {} } as never), /setMagicHost\(\): argument 'h' must have print\(\) and display\(\)/);
  await assert.rejects(withMagicContext(async () => { throw new Error("magic failed"); }), /magic failed/);
  assert.equal(interruptMagics(), false, "a failed magic is removed too");
});
