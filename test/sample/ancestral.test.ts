// Euler ancestral and DDPM ancestral (src/sample/ancestral.ts) against the exact law of their discretisation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { veSDE, vpSDE } from "../../src/sde/sde";
import { ddpmAncestral, eulerAncestral } from "../../src/sample/ancestral";
import { badOptionsSetting, contractTest, lawLimitTest, stochasticLawTests, type Sto } from "./sigma-fixtures";

const stochastic: Sto[] = [
  { name: "eulerAncestral (VP)", kind: "eulerAncestral", sde: () => vpSDE(), opts: {}, run: (s, sde, o) => eulerAncestral(s, sde, o) },
  { name: "eulerAncestral eta 0.5 (VE)", kind: "eulerAncestral", sde: () => veSDE(), opts: { eta: 0.5 }, run: (s, sde, o) => eulerAncestral(s, sde, { ...o, eta: 0.5 }) },
  { name: "ddpmAncestral beta", kind: "ddpm", sde: () => vpSDE(), opts: {}, run: (s, sde, o) => ddpmAncestral(s, sde, o) },
  { name: "ddpmAncestral posterior", kind: "ddpmPosterior", sde: () => vpSDE(), opts: {}, run: (s, sde, o) => ddpmAncestral(s, sde, { ...o, variance: "posterior" }) },
];
stochasticLawTests(stochastic);
lawLimitTest(stochastic);
contractTest([eulerAncestral, ddpmAncestral]);

test("bad options to the ancestral samplers give one Error naming the function and the argument", async () => {
  const { sde, model, o } = await badOptionsSetting();
  await assert.rejects(eulerAncestral(model.score, sde, { ...o, eta: 2 }), /eulerAncestral: argument 'opts.eta' must be <= 1/);
  await assert.rejects(ddpmAncestral(model.score, veSDE(), o), /ddpmAncestral: argument 'sde' must be a VP SDE/);
  await assert.rejects(ddpmAncestral(model.score, sde, { ...o, variance: "big" as never }), /ddpmAncestral: argument 'opts.variance'/);
  model.dispose();
});
