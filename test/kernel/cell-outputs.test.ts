import { test } from "node:test";
import assert from "node:assert/strict";
import { collectCellOutputs } from "../../kernel/cell-outputs";

test("streams merge as a front-end merges them, kept as nbformat line lists", () => {
  const c = collectCellOutputs(3);
  c.sink.stream("stdout", "a\nb");
  c.stream("stdout", "c\n");
  c.sink.stream("stderr", "warn\n");
  c.sink.stream("stdout", "d\n");
  assert.deepEqual(c.outputs, [
    { output_type: "stream", name: "stdout", text: ["a\n", "b", "c\n"] },
    { output_type: "stream", name: "stderr", text: ["warn\n"] },
    { output_type: "stream", name: "stdout", text: ["d\n"] },
  ]);
});

test("displays update in place by id; results carry the execution count; errors keep name, value and traceback", () => {
  const seen: unknown[] = [];
  const c = collectCellOutputs(7, (b) => seen.push(b));
  c.sink.display({ "text/plain": "10%\n" }, "bar", false);
  c.sink.display({ "image/png": "iVBOR\nw==" }, undefined, false);
  c.sink.display({ "text/plain": "100%" }, "bar", true);
  c.sink.result({ "text/plain": "42" });
  c.sink.error({ ename: "Error", evalue: "boom", traceback: ["Error: boom"] });
  assert.deepEqual(c.outputs, [
    { output_type: "display_data", data: { "text/plain": ["100%"] }, metadata: {} },
    { output_type: "display_data", data: { "image/png": "iVBOR\nw==" }, metadata: {} },
    { output_type: "execute_result", data: { "text/plain": ["42"] }, metadata: {}, execution_count: 7 },
    { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
  ]);
  // onBundle sees new displays and results, not updates.
  assert.deepEqual(seen, [{ "text/plain": "10%\n" }, { "image/png": "iVBOR\nw==" }, { "text/plain": "42" }]);
});

test("clear_output empties the same array at once, or with wait at the next output (an update of a cleared id is new)", () => {
  const c = collectCellOutputs(1);
  const same = c.outputs;
  c.sink.stream("stdout", "gone\n");
  c.sink.clear!(false);
  assert.equal(c.outputs.length, 0);
  assert.equal(c.outputs, same, "emptied in place");
  c.sink.display({ "text/plain": "frame 1" }, "f", false);
  c.sink.clear!(true);
  assert.equal(c.outputs.length, 1, "wait: nothing cleared yet");
  c.sink.display({ "text/plain": "frame 2" }, "f", true);
  assert.deepEqual(c.outputs, [{ output_type: "display_data", data: { "text/plain": ["frame 2"] }, metadata: {} }]);
});
