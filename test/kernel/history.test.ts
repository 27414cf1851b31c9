import { test } from "node:test";
import assert from "node:assert/strict";
import { InputHistory } from "../../kernel/history";

function filled(): InputHistory {
  const h = new InputHistory();
  ["1 + 1", "12 * 3", "const a = 1;", "12 * 3", "%seed 4", "a + 1"].forEach((code, i) => h.push([0, i + 1, code]));
  return h;
}

test("history tail gives the last n inputs (10 by default), range a half-open line range, search a glob", () => {
  const h = filled();
  assert.deepEqual(h.answer({ hist_access_type: "tail", n: 2 }), [[0, 5, "%seed 4"], [0, 6, "a + 1"]]);
  assert.equal(h.answer({ hist_access_type: "tail" }).length, 6);
  assert.deepEqual(h.answer({ hist_access_type: "tail", n: 0 }), []);
  assert.deepEqual(h.answer({ hist_access_type: "range", session: 0, start: 2, stop: 4 }).map((r) => r[1]), [2, 3]);
  assert.deepEqual(h.answer({ hist_access_type: "range", session: 1, start: 1, stop: 9 }), [], "only this session exists");
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "1?2*" }).map((r) => r[1]), []);
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "12*" }).map((r) => r[1]), [2, 4]);
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "12*", unique: true }).map((r) => r[1]), [4]);
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "*", n: 1 }).map((r) => r[1]), [6]);
  // Regex characters in a pattern are literal, and a malformed request gets no rows, not an exception.
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "(" }), []);
  assert.deepEqual(h.answer({ hist_access_type: "search", pattern: "1 + 1" }).map((r) => r[1]), [1]);
  assert.deepEqual(h.answer({ hist_access_type: "bogus" as "tail" }), []);
  assert.deepEqual(h.answer({ hist_access_type: "search" }), []);
  h.setOutput(2, "36");
  assert.deepEqual(h.answer({ hist_access_type: "range", start: 1, stop: 3, output: true }), [[0, 1, ["1 + 1", null]], [0, 2, ["12 * 3", "36"]]]);
});
