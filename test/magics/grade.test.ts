/**
 * %grade through its spec on a class of two (test/check/grade-class.ts): a bar that ends at 2/2, the grades table
 * and the score figure, and the result bound as by --as; %grade? and flag completion come from the same spec. The
 * feedback notebooks say what %check says: the %check magic run here on each student's function gives the message
 * in that student's feedback note and in the output of the check cell the grader ran.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../src/tensor";
import { gradeMagic } from "../../src/magics/grade";
import { checkMagic } from "../../src/magics/check";
import { completeMagic } from "../../src/magics/complete";
import { magicHelp, parseMagicArgs } from "../../src/magics";
import type { MagicContext, MimeBundle } from "../../src/magics/spec";
import type { NotebookJson } from "../../src/check";
import { COPY_COUNT, COPY_OK, MEAN_OK, submission, writeClass } from "../check/grade-class";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-grade-magic-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function context(locals: Record<string, unknown> = {}) {
  const shown: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  const printed: string[] = [];
  const ctx: MagicContext = {
    rng: new Rng(0), setRng() {}, print: (t) => printed.push(t), display: (bundle, id, update) => shown.push({ bundle, id, update }),
    signal: new AbortController().signal, locals,
  };
  return { ctx, shown, printed };
}

/** What %check shows for `fn`: its PASS line, or the one-line error of a failing check. */
async function checkSays(body: string): Promise<string> {
  const fn = new Function("generated", "train", "ratio", body);
  const { ctx, printed } = context({ copyRate: fn });
  try {
    await checkMagic.run(parseMagicArgs(checkMagic, ["copy-rate", "copyRate"]), ctx);
    return printed.join("\n").split("\n").find((l) => l.startsWith("PASS "))!;
  } catch (e) {
    assert.equal((e as Error).name, "MagicError");
    return (e as Error).message;
  }
}

const text = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);

test("%grade DIR --source NB: a bar, the grades table and the figure; the feedback says what %check says", { timeout: 240_000 }, async () => {
  const paths = writeClass(tmp, { correct: submission(MEAN_OK, COPY_OK), partly: submission(MEAN_OK, COPY_COUNT) });
  const { ctx, shown, printed } = context();
  const out = path.join(tmp, "graded");
  const parsed = parseMagicArgs(gradeMagic, [paths.submitted, "--source", paths.source, "--out", out, "--backend", "wasm", "--cell-timeout", "60", "--timeout", "240", "--concurrency", "2", "--memory", "640"]);
  const r = await gradeMagic.run(parsed, ctx);
  assert.deepEqual(r.totals, { correct: { points: 5, max_points: 5 }, partly: { points: 2, max_points: 5 } });
  assert.match(printed[0], /^graded 2 submissions in [\d.]+ s; wrote .*grades\.csv and 2 feedback notebooks$/);
  const bars = shown.filter((s) => s.id?.startsWith("scorelab-progress-"));
  assert.ok(bars.length >= 1 && bars[0].update === false && bars.slice(1).every((b) => b.update === true && b.id === bars[0].id));
  assert.match(String(bars.at(-1)!.bundle["text/plain"]), /^%grade .* 2\/2/);
  const table = shown.map((s) => String(s.bundle["text/html"] ?? "")).find((h) => h.startsWith("<table"))!;
  for (const col of ["student", "grade_id", "points", "max_points", "status", "message", "seconds"]) assert.ok(table.includes(`<th>${col}</th>`), col);
  assert.equal((table.match(/<tr><td>/g) ?? []).length, 4, "a row per student and question");
  assert.ok(shown.some((s) => "application/vnd.plotly.v1+json" in s.bundle));

  // %check and the feedback agree, word for word, on the failing and on the passing function.
  for (const [student, body] of [["partly", COPY_COUNT], ["correct", COPY_OK]] as const) {
    const says = await checkSays(body);
    const row = r.rows.find((x) => x.student === student && x.grade_id === "check_copy")!;
    const fb = JSON.parse(fs.readFileSync(r.feedback[student], "utf8")) as NotebookJson;
    const at = fb.cells.findIndex((c) => c.metadata?.nbgrader?.grade_id === "check_copy");
    const outputs = JSON.stringify(fb.cells[at].outputs);
    const note = text(fb.cells[at + 1]);
    if (student === "partly") {
      assert.equal(row.message, says);
      assert.equal((fb.cells[at].outputs as { output_type: string; evalue?: string }[]).find((o) => o.output_type === "error")?.evalue, says);
    } else {
      assert.equal(`PASS ${row.message}`, says);
      assert.ok(outputs.includes(JSON.stringify(says).slice(1, -1)), "the check cell's output holds %check's PASS line");
    }
    assert.ok(note.includes(row.message), `${student}: the note holds the check's message`);
  }
});

test("%grade? lists its flags, they complete, and a missing --source or a bad flag is one clear error", async () => {
  const help = magicHelp(gradeMagic);
  for (const w of ["--source", "--out", "--redis", "--queue", "--cell-timeout", "--memory", "--backend", "submissions"]) assert.ok(help.includes(w), `%grade? lacks ${w}`);
  assert.deepEqual(completeMagic("%grade sub --re", 15, {})?.matches, ["--redis"]);
  assert.deepEqual(completeMagic("%gra", 4, {})?.matches, ["%grade"]);
  const { ctx } = context();
  await assert.rejects(gradeMagic.run(parseMagicArgs(gradeMagic, [tmp]), ctx), /%grade: --source is required/);
  assert.throws(() => parseMagicArgs(gradeMagic, [tmp, "--source", "x.ipynb", "--memory", "lots"]), /--memory/);
  await assert.rejects(gradeMagic.run(parseMagicArgs(gradeMagic, [tmp, "--source", path.join(tmp, "nope.ipynb")]), ctx), /readAssignment: argument 'file' must be an existing \.ipynb file/);
});
