/**
 * `scorelab grade` parsed by its own commander program (registerGrade), in process: each limit option's bad value is
 * one error naming the option, before any notebook runs; a missing --source is commander's error; an empty class
 * folder is graded to empty outputs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { registerGrade } from "../../src/cli/grade";

function program(): Command {
  const p = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerGrade(p);
  return p;
}
const grade = (...args: string[]) => program().parseAsync(["grade", ...args], { from: "user" });

test("scorelab grade: a bad limit is one error naming the option and the text given", async () => {
  const cases: [string[], RegExp][] = [
    [["--cell-timeout", "-1"], /^Error: scorelab grade: --cell-timeout must be a positive number, got '-1'$/],
    [["--timeout", "abc"], /^Error: scorelab grade: --timeout must be a positive number, got 'abc'$/],
    [["--memory", "0"], /^Error: scorelab grade: --memory must be a positive number, got '0'$/],
    [["--max-output", "1.5"], /^Error: scorelab grade: --max-output must be a positive whole number, got '1\.5'$/],
    [["--concurrency", "2.5"], /^Error: scorelab grade: --concurrency must be a positive whole number, got '2\.5'$/],
    [["--cell-timeout", "Infinity"], /--cell-timeout must be a positive number, got 'Infinity'/],
  ];
  for (const [args, re] of cases) await assert.rejects(grade("subs", "--source", "a.ipynb", ...args), re, args.join(" "));
  await assert.rejects(grade("subs"), /required option '--source <notebook>' not specified/);
});

test("scorelab grade: library errors come through (a missing source), and nothing is written", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-grade-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, "subs"));
  const out = path.join(dir, "out");
  await assert.rejects(grade(path.join(dir, "subs"), "--source", path.join(dir, "none.ipynb"), "--out", out), /readAssignment: argument 'file' must be an existing \.ipynb file/);
  assert.equal(fs.existsSync(out), false);
});
