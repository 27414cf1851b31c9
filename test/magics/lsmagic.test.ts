/** %lsmagic: every registered magic with its summary, sorted, and the list it returns (in process, no kernel). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { lsmagicMagic } from "../../src/magics/lsmagic";
import { defineMagic } from "../../src/magics/spec";
import { context, runLine } from "./context";

const spec = (name: string, summary: string, body?: "cell") => defineMagic({ name, summary, options: [], body, async run() { return 0; } });

test("%lsmagic lists the specs it is given, cell magics with %%, aligned, and returns their names", async () => {
  const ls = lsmagicMagic(() => [spec("ab", "first"), spec("time", "time a cell", "cell"), spec("x", "last")]);
  const { ctx, printed } = context({});
  assert.deepEqual(await runLine(ls, [], ctx), ["ab", "time", "x"]);
  const lines = printed.join("").split("\n");
  // The widest name is %%time (6 characters); each summary starts two spaces after it.
  assert.deepEqual(lines.slice(0, 3), ["%ab     first", "%%time  time a cell", "%x      last"]);
  assert.match(lines[lines.length - 1], /%name\? shows a magic's help; --as NAME binds its result/);
});

test("%lsmagic takes no arguments", async () => {
  const ls = lsmagicMagic(() => []);
  const { ctx } = context({});
  await assert.rejects(runLine(ls, ["extra"], ctx), /%lsmagic: too many arguments/);
});
