// edmHeun (src/sample/edm-heun.ts; Karras et al. 2022, Alg. 1 and 2) against the exact law of its discretisation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { veSDE, vpSDE } from "../../src/sde/sde";
import { edmHeun } from "../../src/sample/edm-heun";
import { badOptionsSetting, affineMapTests, contractTest, lawLimitTest, secondOrderTest, stochasticLawTests, type Sto } from "./sigma-fixtures";

affineMapTests([{ name: "edmHeun", kind: "edmHeun", run: (s, sde, o) => edmHeun(s, sde, o) }]);
secondOrderTest(["edmHeun"]);
const stochastic: Sto[] = [
  { name: "edmHeun churn 3 (VP)", kind: "edmHeun", sde: () => vpSDE(), opts: { churn: 3 }, run: (s, sde, o) => edmHeun(s, sde, { ...o, churn: 3 }) },
  { name: "edmHeun churn 3 (VE)", kind: "edmHeun", sde: () => veSDE(), opts: { churn: 3 }, run: (s, sde, o) => edmHeun(s, sde, { ...o, churn: 3 }) },
];
stochasticLawTests(stochastic);
lawLimitTest(stochastic);
contractTest([edmHeun]);

test("bad options to edmHeun give one Error naming the function and the argument", async () => {
  const { sde, model, o } = await badOptionsSetting();
  await assert.rejects(edmHeun(model.score, sde, { ...o, churn: -1 }), /edmHeun: argument 'opts.churn' must be >= 0/);
  await assert.rejects(edmHeun(model.score, sde, { ...o, churn: NaN }), /edmHeun: argument 'opts.churn' must be a finite number/);
  model.dispose();
});
