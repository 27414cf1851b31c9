/**
 * `scorelab sweep` and `scorelab worker` parsed by their own commander program (registerSweepCommands), in process:
 * the option checks and the errors that come before any trial or Redis connection.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import { registerSweepCommands } from "../../src/cli/sweep";

function run(...args: string[]): Promise<Command> {
  const p = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSweepCommands(p);
  return p.parseAsync(args, { from: "user" });
}

test("scorelab sweep: --concurrency must be a positive integer, --executor local or redis, and a spec or --resume is needed", async () => {
  for (const v of ["0", "-2", "1.5", "x"]) await assert.rejects(run("sweep", "s.json", "--concurrency", v), new RegExp(`--concurrency must be a positive integer, got '${v.replace(".", "\\.")}'`), v);
  await assert.rejects(run("sweep", "s.json", "--executor", "slurm"), /^Error: --executor must be local or redis, got 'slurm'$/);
  await assert.rejects(run("sweep"), /^Error: sweep: give a spec file, or --resume DIR$/);
});

test("scorelab worker: --redis is required; --lock-ms and --stalled-ms are positive integers", async () => {
  await assert.rejects(run("worker"), /required option '--redis <url>' not specified/);
  await assert.rejects(run("worker", "--redis", "redis://127.0.0.1:1", "--lock-ms", "0"), /--lock-ms must be a positive integer, got '0'/);
  await assert.rejects(run("worker", "--redis", "redis://127.0.0.1:1", "--stalled-ms", "2.5"), /--stalled-ms must be a positive integer, got '2\.5'/);
});
