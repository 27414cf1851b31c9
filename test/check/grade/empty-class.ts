/** The setup of the grader's in-process tests: an empty class in a temporary folder, removed after the test file. */
import { after } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareSubmission, readAssignment, type NotebookJson } from "../../../src/check";
import { writeClass } from "../grade-class";

/** The class's folders, its assignment read, and `prep` to prepare a submission against it. */
export function emptyClass(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { source, submitted } = writeClass(dir, {});
  const a = readAssignment(source);
  const prep = (nb: NotebookJson | string) => prepareSubmission(a, typeof nb === "string" ? nb : JSON.stringify(nb));
  return { dir, source, submitted, a, prep };
}
