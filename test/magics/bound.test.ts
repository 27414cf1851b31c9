/**
 * %bound driven in-process: arguments through the real parser (parseMagicArgs, and rewriteCell with a lookup of
 * the magic), run() with a recording context (moved from test/magics/sdflow-bound.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { exactGaussianKL, klBound } from "../../src/bounds";
import { linearSchedule } from "../../src/sde";
import { sdflowMagic } from "../../src/magics/sdflow";
import { boundMagic } from "../../src/magics/bound";
import { magicHelp, parseMagicArgs } from "../../src/magics/parse";
import { rewriteCell } from "../../kernel/rewrite";
import type { MagicSpec } from "../../src/magics/spec";
import { context, oneLineError, plotlyBundles as figures, runLine } from "./context";

// The two magics under test, as the kernel registry would find them.
const lookup = { lookup: (n: string) => ({ sdflow: sdflowMagic, bound: boundMagic } as Record<string, MagicSpec>)[n], names: () => ["bound", "sdflow"] };

test("%bound: rows per schedule and step count, bound >= exact KL, both shown", async () => {
  await initBackend();
  const { ctx, shown, printed } = context({});
  for (const sampler of ["euler", "ei"]) {
    shown.length = 0;
    const rows = await runLine(boundMagic, ["--sde", "vp", "--schedule", "linear,cosine,exp:-2", "--target", "gaussian", "--dim", "4", "--steps", "50,10,20", "--sampler", sampler], ctx);
    assert.equal(rows.length, 9);
    for (const r of rows) {
      assert.ok(r.exactKL > 0 && Number.isFinite(r.bound), JSON.stringify(r));
      assert.ok(r.bound >= r.exactKL, `bound below exact KL: ${JSON.stringify(r)}`);
    }
    // Steps come back sorted, and per schedule the discretisation term (∝ h) makes the bound fall with steps.
    assert.deepEqual(rows.filter((r) => r.schedule === "cosine").map((r) => r.steps), [10, 20, 50]);
    for (const s of ["linear", "cosine", "exp:-2"]) {
      const b = rows.filter((r) => r.schedule === s).map((r) => r.bound);
      assert.ok(b[0] > b[1] && b[1] > b[2], `${s}: ${b}`);
    }
    // The rows are the library's numbers, not a re-derivation.
    const lin = rows.find((r) => r.schedule === "linear" && r.steps === 20)!;
    const target = { mean: [1, 1, 1, 1], cov: 0.5 };
    assert.equal(lin.bound, klBound({ schedule: linearSchedule(), target, steps: 20 }).total);
    assert.equal(lin.exactKL, exactGaussianKL({ schedule: linearSchedule(), target, steps: 20, sampler: sampler as "euler" | "ei", lastStepNoise: true }).kl);
    const figs = figures(shown);
    assert.equal(figs.length, 1);
    const fig = (figs[0] as unknown as { "application/vnd.plotly.v1+json": { data: { name: string }[]; layout: { yaxis: { type?: string } } } })["application/vnd.plotly.v1+json"];
    assert.equal(fig.layout.yaxis.type, "log");
    assert.deepEqual(fig.data.map((t) => t.name), ["linear: bound", "linear: exact KL", "cosine: bound", "cosine: exact KL", "exp:-2: bound", "exp:-2: exact KL"]);
    assert.ok(shown.some((b) => typeof b["text/html"] === "string" && (b["text/html"] as string).startsWith("<table") && (b["text/html"] as string).includes("exactKL")));
  }
  assert.match(printed.join("\n"), /tightest ratio bound\/exact/);
  const defaults = await runLine(boundMagic, ["--no-plot"], ctx);
  assert.deepEqual([...new Set(defaults.map((r) => r.schedule))], ["linear", "cosine"]);
  assert.deepEqual(defaults.filter((r) => r.schedule === "linear").map((r) => r.steps), [10, 20, 50, 100]);
});

test("%bound? lists every option, and a %bound line rewrites to the magic call", () => {
  const b = magicHelp(boundMagic);
  for (const f of ["--sde", "--schedule", "--target", "--dim", "--mean", "--var", "--steps", "--sampler", "--as"]) assert.ok(b.includes(f), `%bound? lacks ${f}`);
  assert.match(b, /exp:A/);
  assert.match(rewriteCell("%bound --schedule linear --as rows", lookup), /^const rows = await magic\$\("bound", \["--schedule", "linear"\]\);$/);
});

test("%bound: bad values give one-line errors, from the parser and at rewrite time", async () => {
  await initBackend();
  // Rejected by the parser, before anything runs (also at rewrite time, as a cell would be).
  const parseCases: [MagicSpec, string[], RegExp][] = [
    [boundMagic, ["--schedule", "linear,sigmoid"], /unknown schedule 'sigmoid'; known: linear, cosine, constant or exp:A/],
    [boundMagic, ["--schedule", "exp:abc"], /exp:A needs a finite number/],
    [boundMagic, ["--schedule", "linear,,cosine"], /comma-separated list/],
    [boundMagic, ["--schedule", "cosine,cosine"], /listed twice/],
    [boundMagic, ["--steps", "10,x"], /positive integers/],
    [boundMagic, ["--steps", "0"], /positive integers/],
    [boundMagic, ["--sampler", "heun"], /Allowed choices are euler, ei/],
    [boundMagic, ["--sde", "ve"], /Allowed choices are vp/],
    [boundMagic, ["--target", "moons"], /Allowed choices are gaussian/],
    [boundMagic, ["--var", "-1"], /expected a number > 0/],
    [boundMagic, ["--dim", "2.5"], /expected an integer/],
  ];
  for (const [spec, argv, pattern] of parseCases) {
    await oneLineError(() => parseMagicArgs(spec, argv), pattern);
    await oneLineError(() => rewriteCell(`%${spec.name} ${argv.join(" ")}`, lookup), pattern);
  }
});
