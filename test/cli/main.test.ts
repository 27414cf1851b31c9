/**
 * The `scorelab` command line as installed (dist/src/cli/main.js in a child process): its subcommands, a kernelspec
 * written under --prefix, and errors that end the process with status 1 and one line on stderr. The children run
 * at once: each one's start-up (loading the tensor library) is most of its time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliEntry } from "../../kernel/paths";

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliEntry, ...args], { timeout: 60_000 }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }));
  });
}

test("scorelab: --help names every subcommand; install --prefix writes the kernelspec; bad input exits 1 with one line", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-main-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [help, install, record, unknown] = await Promise.all([
    cli("--help"), cli("install", "--prefix", dir), cli("record", path.join(dir, "no-such-run")), cli("nosuch"),
  ]);
  assert.equal(help.code, 0, help.err);
  for (const c of ["backend", "setup", "main", "record", "install", "kernel", "run", "grade", "sweep", "worker"]) assert.match(help.out, new RegExp(`^  ${c}\\b`, "m"), c);

  const spec = path.join(dir, "share", "jupyter", "kernels", "scorelab");
  assert.equal(install.code, 0, install.err);
  assert.equal(install.out.trim(), `installed kernelspec scorelab in ${spec}`);
  const kernel = JSON.parse(fs.readFileSync(path.join(spec, "kernel.json"), "utf8")) as { argv: string[] };
  assert.deepEqual(kernel.argv.slice(1), [cliEntry, "kernel", "--config-path", "{connection_file}"]);

  assert.equal(record.code, 1);
  assert.equal(record.err.trim().split("\n").length, 1, record.err);
  assert.match(record.err, /no-such-run/);

  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown command 'nosuch'/);
});
