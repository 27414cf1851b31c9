/** listSubmissions: both submission layouts (moved from test/check/grade-parts.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { listSubmissions } from "../../../src/check/grade/collect";
import { emptyClass } from "./empty-class";

const { dir } = emptyClass("grade-collect-");

test("listSubmissions: STUDENT.ipynb files and STUDENT/ folders, hidden files and other files left out", () => {
  const d = path.join(dir, "layout");
  fs.mkdirSync(path.join(d, "bob"), { recursive: true });
  fs.mkdirSync(path.join(d, "carol"));
  fs.mkdirSync(path.join(d, "dave"));
  fs.mkdirSync(path.join(d, ".ipynb_checkpoints"));
  fs.writeFileSync(path.join(d, "alice.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "bob", "pair.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "bob", "scratch.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "carol", "renamed.ipynb"), "{}");
  fs.writeFileSync(path.join(d, "notes.txt"), "");
  const s = listSubmissions(d, "pair.ipynb");
  assert.deepEqual(s.map((x) => [x.student, x.file && path.relative(d, x.file), x.problem]), [
    ["alice", "alice.ipynb", undefined], ["bob", path.join("bob", "pair.ipynb"), undefined],
    ["carol", path.join("carol", "renamed.ipynb"), undefined], ["dave", undefined, "the folder holds no notebook"],
  ]);
  fs.writeFileSync(path.join(d, "bob.ipynb"), "{}");
  assert.throws(() => listSubmissions(d, "pair.ipynb"), /two submissions of 'bob'/);
});
