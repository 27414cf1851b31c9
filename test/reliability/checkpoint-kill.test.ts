/**
 * Checkpoints survive SIGKILL: a child process saves a model over and over into one directory and is killed at
 * random points (fixed seed); after each kill the directory loads and holds exactly the weights of the last
 * save the child reported or of the one in flight. The next child continues in the same directory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../src/tensor";
import { loadModel } from "../../src/score";
import { weightsFor } from "./save-loop-child";
import { count, report } from "./harness";

const KILLS = 40;

/** Which save number the loaded weights are, or -1 if they match none exactly. */
function whichSave(values: Float32Array[], candidates: number[]): number {
  for (const i of candidates) if (values.every((v, k) => { const w = weightsFor(i, k, v.length); return v.every((x, j) => x === w[j]); })) return i;
  return -1;
}

async function killLoop(kills: number, mode: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-kill-"));
  const rng = new Rng(13);
  const child = path.join(__dirname, "save-loop-child.js");
  let next = 0;
  const outcomes = { previous: 0, inFlight: 0 };
  for (let kill = 0; kill < kills; kill++) {
    count("kill-point");
    const start = next;
    const proc = spawn(process.execPath, [child, "--child", dir, String(start), mode], { stdio: ["ignore", "pipe", "pipe"] });
    let lastSaved = -1;
    let stderr = "";
    proc.stderr.on("data", (d) => { stderr += d; });
    // Kill after the first reported save plus a random delay; some land mid-save, some between saves.
    const delay = rng.uniformArray(1, 0, 40)[0];
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      proc.stdout.on("data", (d: Buffer) => {
        for (const m of d.toString().matchAll(/saved (\d+)/g)) lastSaved = Number(m[1]);
        if (lastSaved >= start && !timer) timer = setTimeout(() => proc.kill("SIGKILL"), delay);
      });
      proc.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child exited ${code} ${signal}: ${stderr}`))));
    });
    const model = await loadModel(dir);
    try {
      const values = model.variables.map((v) => v.dataSync() as Float32Array);
      const got = whichSave(values, [lastSaved, lastSaved + 1]);
      assert.ok(got >= 0, `kill ${kill}: weights match neither save ${lastSaved} nor ${lastSaved + 1}`);
      if (got === lastSaved) outcomes.previous++; else outcomes.inFlight++;
      next = got + 1;
    } finally {
      model.dispose();
    }
  }
  const files = fs.readdirSync(dir);
  console.log(`[reliability] checkpoint-kill (${mode}): ${JSON.stringify({ kills, ...outcomes, filesLeft: files.length })}`);
  return files;
}

test(`checkpoint directory loads after each of ${KILLS} SIGKILLs, holding the previous or the new weights exactly`, { timeout: 240_000 }, async () => {
  const files = await killLoop(KILLS, "scorelab");
  // Kills between the weights rename and the manifest rename leave an unreferenced weights file (disk only).
  assert.ok(files.includes("checkpoint.json"));
  report("checkpoint-kill");
});

test("saves alternating scorelab and safetensors formats survive 20 SIGKILLs the same way", { timeout: 240_000 }, async () => {
  const files = await killLoop(20, "alternate");
  assert.ok(files.includes("checkpoint.json") || files.includes("model.safetensors"));
});
