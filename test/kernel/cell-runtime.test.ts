import { test } from "node:test";
import assert from "node:assert/strict";
import { display } from "../../kernel/cell-runtime";
import { setMagicHost } from "../../kernel/magic-session";

test("display(): a host that fails to write is reported on stderr, never an unhandled rejection", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown) => unhandled.push(r);
  process.on("unhandledRejection", onUnhandled);
  const errors: string[] = [];
  const realError = console.error;
  console.error = (...a: unknown[]) => { errors.push(a.map(String).join(" ")); };
  const shown: unknown[] = [];
  try {
    setMagicHost({ print() {}, display: () => { throw new Error("socket closed"); }, locals: {} });
    display("a");
    setMagicHost({ print() {}, display: (() => Promise.reject(new Error("iopub gone"))) as unknown as () => void, locals: {} });
    display("b");
    setMagicHost({ print() {}, display: (b) => { shown.push(b["text/plain"]); }, locals: {} });
    display("c");
    // Let the rejections settle and the unhandledRejection event (a macrotask later) fire if there were any.
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    console.error = realError;
    process.off("unhandledRejection", onUnhandled);
    setMagicHost({ print: (t) => process.stdout.write(t + "\n"), display: () => {}, locals: {} });
  }
  assert.deepEqual(unhandled, []);
  assert.deepEqual(errors, ["display(): could not write the output: socket closed", "display(): could not write the output: iopub gone"]);
  assert.deepEqual(shown, ["c"]);
});
