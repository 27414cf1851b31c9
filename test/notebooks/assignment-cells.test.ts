/**
 * The assignments' check cells, run through the kernel's executor as a notebook would run them: each passes with
 * the reference solution, fails with its hint on a wrong implementation fed into the student cell, and fails with
 * "not implemented yet" on the released student copy. One executor serves all (tslab allows redefinitions).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createKernelExecutor, type CellSink } from "../../kernel/executor";
import { packageRoot } from "../../kernel/paths";
import { cellSource, releaseAssignment, type NotebookJson } from "../../src/check";

const dir = path.join(packageRoot, "notebooks", "assignments");
/** A wrong implementation per assignment: the solution region replaced, and the hint its check must give. */
const WRONG: Record<string, { body: string; hint: RegExp }> = {
  "dsm-loss.ipynb": {
    body: "return tf.tidy(() => { const { scale, std } = sde.marginal(t); const c = (v: tf.Tensor) => v.reshape([-1, 1]); return score(x0.mul(c(scale)).add(eps.mul(c(std))), t).add(eps.div(c(std))).square().sum(1).mean(); });",
    hint: /lambda\(t\) = s\(t\)\^2 is missing/,
  },
  "em-step.ipynb": {
    body: "return tf.tidy(() => { const tt = tf.fill([x.shape[0]], t); const g = sde.diffusion(tt).reshape([-1, 1]); return x.sub(sde.drift(x, tt).sub(g.square().mul(score(x, tt))).mul(dt)).add(g.mul(dt).mul(z)); });",
    hint: /sqrt\(dt\)/,
  },
  "copy-rate.ipynb": {
    body: "return generated.filter((y) => { const d = train.map((x) => Math.hypot(...x.map((v, j) => v - y[j]))).sort((a, b) => a - b); return d[0] < ratio * d[1]; }).length;",
    hint: /fraction of generated points/,
  },
};

function withBody(src: string, body: string): string {
  return src.replace(/\/\/ ### BEGIN SOLUTION[\s\S]*\/\/ ### END SOLUTION/, body);
}

test("check cells pass on the reference, fail with a hint on a wrong implementation and on the student copy", async () => {
  const kx = createKernelExecutor(dir);
  await kx.preload();
  let out = "";
  const sink: CellSink = { stream(_n, t) { out += t; }, display() {}, result() {}, error() {} };
  try {
    for (const file of Object.keys(WRONG)) {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as NotebookJson;
      const code = (n: NotebookJson, pred: (g: { solution: boolean; grade: boolean }) => boolean) =>
        n.cells.filter((c) => c.cell_type === "code" && c.metadata?.nbgrader && pred(c.metadata.nbgrader)).map(cellSource);
      const [setup] = code(nb, (g) => !g.solution && !g.grade);
      const [solution] = code(nb, (g) => g.solution);
      const checks = code(nb, (g) => g.grade);
      assert.ok(checks.length >= 1 && setup && solution, file);
      const runChecks = async () => {
        out = "";
        // runCheck prints with console.log, which goes to process.stdout outside a notebook run.
        const real = process.stdout.write.bind(process.stdout);
        process.stdout.write = ((c: string | Uint8Array) => { out += String(c); return true; }) as typeof process.stdout.write;
        try {
          for (const c of checks) { const e = await kx.execute(c, sink); if (e) return e; }
          return null;
        } finally { process.stdout.write = real; }
      };
      assert.equal(await kx.execute(setup, sink), null, `${file}: setup`);

      assert.equal(await kx.execute(solution, sink), null, `${file}: reference cell`);
      assert.equal(await runChecks(), null, `${file}: check on the reference: ${out}`);
      assert.match(out, /^PASS /m);

      assert.equal(await kx.execute(withBody(solution, WRONG[file].body), sink), null, `${file}: wrong cell compiles`);
      const wrong = await runChecks();
      assert.ok(wrong, `${file}: check passed a wrong implementation`);
      assert.match(wrong!.evalue, WRONG[file].hint, file);
      assert.match(out, /^FAIL /m);

      const student = releaseAssignment(nb);
      const [stub] = code(student, (g) => g.solution);
      assert.equal(await kx.execute(stub, sink), null, `${file}: student stub compiles`);
      const missing = await runChecks();
      assert.match(missing?.evalue ?? "", /not implemented yet/, file);
    }
  } finally {
    kx.close();
  }
});
