import { test } from "node:test";
import assert from "node:assert/strict";
import { EXIT_GUARD_MESSAGE, installExitGuard } from "../../kernel/exit-guard";

test("installExitGuard: exit() throws the restart message; the captured real exit still runs; installing twice keeps it", () => {
  const codes: (number | undefined)[] = [];
  const proc = { exit: ((code?: number) => { codes.push(code); return undefined as never; }) as (code?: number) => never };
  const realExit = installExitGuard(proc);
  assert.throws(() => proc.exit(3), (e: Error) => e.message.startsWith(EXIT_GUARD_MESSAGE) && /process\.exit\(3\)/.test(e.message));
  assert.deepEqual(codes, []);
  assert.equal(installExitGuard(proc), realExit);
  realExit(0);
  assert.deepEqual(codes, [0]);
});
