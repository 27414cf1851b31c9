/**
 * %load_model through the kernel executor: a safetensors checkpoint and a TorchScript module load, bind and sample;
 * bad paths and missing options give one-line errors and bind nothing; %load_model? lists every option.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { PY, noPythonTorch, noTorchScript, needs } from "../score/torch-python";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CellError, CellSink, KernelExecutor } from "../../kernel/executor";
import { sharedSession } from "../kernel/session";
import { Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, saveModel } from "../../src/score";
import { magicHelp } from "../../src/magics/index";
import { loadModelMagic } from "../../src/magics/load-model";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const session = sharedSession();
let dir = "";
after(async () => { if (dir) await fs.rm(dir, { recursive: true }); });

async function exec(ex: KernelExecutor, code: string): Promise<{ out: string; err: CellError | null }> {
  let out = "";
  const sink: CellSink = { stream: (_n, t) => { out += t; }, display: () => {}, result: () => {}, error: () => {} };
  const err = await ex.execute(code, sink);
  return { out, err };
}

test("%load_model binds a safetensors checkpoint and a TorchScript module that %sample can use", async () => {
  needs(noTorchScript);
  const ex = await session();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-loadmagic-"));
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  await saveModel(model, path.join(dir, "ck"), { format: "safetensors" });
  model.dispose();
  assert.equal(spawnSync(PY, [path.join(ROOT, "test", "fixtures", "torch_modules.py"), dir]).status, 0);

  const a = await exec(ex, `%load_model ${dir}/ck/model.safetensors --as m1`);
  assert.equal(a.err, null, a.err?.evalue);
  assert.match(a.out, /loaded mlp score model \[2\] from .*model\.safetensors under VP/);
  const b = await exec(ex, `%load_model ${dir}/half.pt --parameterisation eps --sde vp --shape 2 --as m2`);
  assert.equal(b.err, null, b.err?.evalue);
  assert.match(b.out, /loaded TorchScript eps model \[2\]/);
  for (const m of ["m1", "m2"]) {
    const s = await exec(ex, `%sample --model ${m} --n 16 --steps 4 --seed 1 --no-plot --as xs_${m}`);
    assert.equal(s.err, null, s.err?.evalue);
    assert.deepEqual((ex.locals[`xs_${m}`] as tf.Tensor).shape, [16, 2]);
  }
});

test("bad input gives one-line errors and binds nothing", async () => {
  needs(noTorchScript);
  const ex = await session();
  await fs.writeFile(path.join(dir, "junk.pt"), "junk");
  const cases: [string, RegExp][] = [
    [`%load_model ${dir}/nosuch.pt --as bad`, /nosuch\.pt does not exist/],
    [`%load_model ${dir}/half.pt --as bad`, /read as TorchScript, which needs --parameterisation, --sde, --shape/],
    [`%load_model ${dir}/junk.pt --parameterisation eps --sde vp --shape 2 --as bad`, /junk\.pt is not a loadable TorchScript file/],
    [`%load_model ${dir}/wrong.pt --parameterisation eps --sde vp --shape 3 --as bad`, /wrong\.pt: the module's output has shape/],
    [`%load_model ${dir}/half.pt --parameterisation eta --sde vp --shape 2 --as bad`, /eta/],
    [`%load_model ${dir}/half.pt --parameterisation eps --sde vp --shape 2,x --as bad`, /comma-separated positive integers/],
    [`%load_model ${dir}/ck --sde ve --as bad`, /differs from the file's SDE/],
  ];
  for (const [line, re] of cases) {
    const { err } = await exec(ex, line);
    assert.ok(err, `no error for ${line}`);
    assert.ok(!err.evalue.includes("\n"), err.evalue);
    assert.match(err.evalue, re, line);
    assert.equal(ex.locals.bad, undefined, `${line} bound a result`);
  }
});

test("%load_model? lists every option and the PyTorch export line", () => {
  const h = magicHelp(loadModelMagic);
  for (const f of ["--parameterisation", "--shape", "--sde", "--schedule", "--layout", "--as", "torch.jit.save"]) assert.ok(h.includes(f), `%load_model? lacks ${f}`);
});
