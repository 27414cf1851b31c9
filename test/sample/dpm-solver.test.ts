// DPM-Solver++ 2M and 2S (src/sample/dpm-solver.ts; Lu et al. 2022) against the exact law of their discretisation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dpmSolver2M, dpmSolver2S } from "../../src/sample/dpm-solver";
import { badOptionsSetting, affineMapTests, contractTest, secondOrderTest } from "./sigma-fixtures";

affineMapTests([
  { name: "dpmSolver2M", kind: "dpm2m", run: (s, sde, o) => dpmSolver2M(s, sde, o) },
  { name: "dpmSolver2S", kind: "dpm2s", run: (s, sde, o) => dpmSolver2S(s, sde, o) },
]);
secondOrderTest(["dpm2m", "dpm2s"]);
contractTest([dpmSolver2M, dpmSolver2S]);

test("bad options to the DPM-Solvers give one Error naming the function and the argument", async () => {
  const { sde, model, o } = await badOptionsSetting();
  await assert.rejects(dpmSolver2M(model.score, sde, { ...o, grid: [1, 0.5, 0.6, 0.1] }), /dpmSolver2M: argument 'opts.grid' must be strictly decreasing/);
  await assert.rejects(dpmSolver2S(model.score, sde, { ...o, grid: "cosine" as never }), /dpmSolver2S: argument 'opts.grid' must be one of uniform, karras, logsnr/);
  model.dispose();
});
