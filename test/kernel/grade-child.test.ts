import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable } from "node:stream";

const CHILD = path.join(__dirname, "..", "..", "kernel", "grade-child.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-grade-child-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the child on `cells` with `token` on stdin; resolves with its exit code, stderr and the fd-3 lines. */
function runChild(cells: { cell_type: string; source: string }[], token: string, maxOut = 100_000): Promise<{ code: number | null; stderr: string; lines: string[] }> {
  const nb = path.join(tmp, `nb-${crypto.randomBytes(4).toString("hex")}.ipynb`);
  fs.writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((c) => ({ ...c, metadata: {}, outputs: [] })) }));
  const p = spawn(process.execPath, [CHILD, nb, String(maxOut)], { cwd: tmp, stdio: ["pipe", "pipe", "pipe", "pipe"] });
  let stderr = "", events = "";
  p.stderr!.on("data", (d) => { stderr += d; });
  (p.stdio[3] as Readable).on("data", (d) => { events += d; });
  p.stdin!.end(`${token}\n`);
  return new Promise((resolve) => p.on("close", (code) => resolve({ code, stderr, lines: events.split("\n").filter(Boolean) })));
}

test("the grading child refuses a stdin token that is not 32 hex digits, before running anything", { timeout: 30_000 }, async () => {
  const r = await runChild([{ cell_type: "code", source: "1" }], "not-a-token");
  assert.equal(r.code, 70);
  assert.match(r.stderr, /grade-child: expected a 32-hex-digit token on stdin/);
  assert.deepEqual(r.lines, []);
});

// The child's cell protocol (start, done, end, the output limit, refused signals) runs through lab.check.gradeSubmissions
// in test/check/ (grade-limits.test.ts and its neighbours); a second full run here would cost a preload (~10 s of CPU).
