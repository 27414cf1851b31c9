/**
 * Property-based fuzzing of every registered magic's argument handling: random flags (the magic's own, unknown
 * ones, --as), values (numbers, NaN, Infinity, quotes, braces, backticks, `${`, huge strings) go through
 * rewriteCell (tokenizer, --as, dry parse, code generation) and parseMagicArgs (commander with the value kinds).
 * Each line must give generated code that compiles, or one MagicError line naming the magic. A smaller stage
 * runs random lines through the real executor and checks the session survives.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { MagicError, MagicSpec, magicCommand, magicList, parseMagicArgs, registryLookup } from "../../src/magics";
import { rewriteCell } from "../../kernel/rewrite";
import { createKernelExecutor, CellError, CellSink } from "../../kernel/executor";
import { initBackend } from "../../src/tensor";
import { SEED, bounded, count, report, tolerateTslabWatcherRace } from "./harness";

const AsyncFunction = Object.getPrototypeOf(async function () { /* only its constructor is used */ }).constructor as new (code: string) => unknown;

function flagsOf(spec: MagicSpec): string[] {
  const out: string[] = [];
  for (const o of magicCommand(spec).options) { if (o.long) out.push(o.long); if (o.short) out.push(o.short); }
  return out;
}

const HUGE = ["x".repeat(100_000), "9".repeat(5_000), "'" + " ".repeat(50_000) + "'", "{" + "1+".repeat(2_000) + "1}"];

const value: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.double().map(String),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e400", "-0", "0x10", "1_000", "", "''", '""', "--", "-", "--as", "--as=", "__x", "$", "true"),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/"/g, "")} ${s.replace(/"/g, "")}"`),
  fc.string({ maxLength: 8 }).map((s) => `'${s}`),
  fc.constantFrom("{", "}", "{}", "{ }", "{1+1}", "{x}", "{`a`}", "{'}'}", "{{a: 1}}", "a{1}b", "`", "${x}", "\\", "\u2028", "\u0000magic-value-0", "{[1,2]}"),
  fc.constantFrom(...HUGE),
);

function lineFor(spec: MagicSpec): fc.Arbitrary<string> {
  const flags = flagsOf(spec);
  const token = fc.oneof(
    { weight: 3, arbitrary: flags.length ? fc.constantFrom(...flags) : fc.constant("--as") },
    { weight: 1, arbitrary: fc.constantFrom("--bogus", "-Z", "--as", "--help", "-h", "--no-such=1") },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...(flags.length ? flags : ["--as"])), value).map(([f, v]) => `${f}=${v}`) },
    { weight: 4, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom("--as v", "--as 1a", "--as __p", "--as a.b", "--as=$ok") },
  );
  return fc.array(token, { maxLength: 8 }).chain((tokens) =>
    fc.constantFrom(" ", "  ", "\t").map((sep) => tokens.join(sep)));
}

/** The contract for one rewritten line. */
function checkRewrite(spec: MagicSpec, line: string): void {
  const prefix = spec.body === "cell" ? "%%" : "%";
  const cell = spec.body === "cell" ? `${prefix}${spec.name} ${line}\n1 + 1` : `${prefix}${spec.name} ${line}`;
  let code: string;
  try {
    code = rewriteCell(cell, registryLookup);
  } catch (e) {
    assert.ok(e instanceof MagicError, `%${spec.name} ${line.slice(0, 80)}: threw ${e instanceof Error ? e.name + ": " + e.message : String(e)}`);
    assert.ok(!e.message.includes("\n") && e.message.length > 0, `multi-line error for %${spec.name}: ${e.message.slice(0, 200)}`);
    assert.ok(e.message.startsWith(`%${spec.name}`) || e.message.startsWith(`%%${spec.name}`), `error does not name %${spec.name}: ${e.message.slice(0, 200)}`);
    return;
  }
  // Lines without user code or interpolations must compile: quotes and backticks in values cannot break out.
  if (spec.body === undefined && !/[{}]/.test(line)) {
    assert.doesNotThrow(() => new AsyncFunction(code), `generated code does not compile for %${spec.name} ${line.slice(0, 80)}: ${code.slice(0, 200)}`);
    assert.match(code, new RegExp(`magic(Discard)?\\$\\("${spec.name}"`));
  }
}

/** Values interpolated from {expr} arrive as non-strings: numbers (also NaN), objects, tensors. */
const interpolated: fc.Arbitrary<unknown> = fc.oneof(
  value,
  fc.double(),
  fc.constantFrom(NaN, Infinity, null, undefined, true, 10n),
  fc.constant({ a: 1 }),
  fc.constant([1, 2]),
);

function checkParse(spec: MagicSpec, tokens: unknown[]): void {
  let parsed;
  try {
    parsed = parseMagicArgs(spec, tokens);
  } catch (e) {
    assert.ok(e instanceof MagicError, `parseMagicArgs(%${spec.name}) threw ${e instanceof Error ? e.name + ": " + e.message : String(e)}`);
    assert.ok(e.message.startsWith(`%${spec.name}: `) && !e.message.includes("\n"), e.message.slice(0, 200));
    assert.ok(!e.message.includes("\u0000"), `placeholder leaked into the message: ${JSON.stringify(e.message.slice(0, 200))}`);
    return;
  }
  // What parses must honour the declared kinds and choices.
  for (const o of spec.options) {
    const name = magicCommand(spec).options.find((c) => c.flags === o.flags)?.attributeName();
    const v = name ? parsed.opts[name] : undefined;
    if (v === undefined || v === o.default) continue;
    if (o.kind === "int" || o.kind === "positive-int" || o.kind === "number") {
      assert.ok(typeof v === "number" && Number.isFinite(v), `%${spec.name} ${o.flags}: parsed to ${String(v)}`);
      if (o.kind !== "number") assert.ok(Number.isInteger(v), `%${spec.name} ${o.flags}: ${v} is not an integer`);
      if (o.kind === "positive-int") assert.ok((v as number) >= 1);
    }
    if (o.choices && typeof v === "string") assert.ok(o.choices.includes(v), `%${spec.name} ${o.flags}: ${v} not in ${o.choices}`);
  }
}

test("every magic's parser: random lines rewrite to compiling code or one MagicError line", { timeout: 120_000 }, () => {
  const specs = magicList();
  assert.ok(specs.length >= 8, `registry holds ${specs.length} magics`);
  for (const spec of specs) {
    fc.assert(fc.property(lineFor(spec), (line) => { count(`rewrite:${spec.name}`); checkRewrite(spec, line); }), { seed: SEED, numRuns: 300, includeErrorInReport: true });
    const tokens = fc.array(fc.oneof({ weight: 2, arbitrary: flagsOf(spec).length ? fc.constantFrom(...flagsOf(spec)) : fc.constant("--as") }, { weight: 3, arbitrary: interpolated }), { maxLength: 8 });
    fc.assert(fc.property(tokens, (t) => { count(`parse:${spec.name}`); checkParse(spec, t); }), { seed: SEED + 1, numRuns: 300, includeErrorInReport: true });
  }
});

test("random magic lines through the kernel executor: one error line each, session intact", { timeout: 120_000 }, async () => {
  await initBackend();
  tolerateTslabWatcherRace();
  const ex = createKernelExecutor(process.cwd());
  await ex.preload();
  const errors: CellError[] = [];
  const results: unknown[] = [];
  const sink: CellSink = { stream() {}, display() {}, result: (b) => results.push(b["text/plain"]), error: (e) => errors.push(e) };
  assert.equal(await ex.execute("let kept = 41;", sink), null);
  // Cheap magics run for real; for the others every line carries an unknown flag, so only the error path runs.
  const cheap = new Set(["seed", "backend", "lsmagic"]);
  const lines = fc.sample(fc.constantFrom(...magicList()).chain((spec) => lineFor(spec).map((l) => {
    const bad = cheap.has(spec.name) ? "" : " --bogus-flag";
    return spec.body === "cell" ? `%%${spec.name} ${l}${bad}\n1` : `%${spec.name} ${l}${bad}`;
  })), { seed: SEED + 2, numRuns: 60 });
  const before = tf.memory().numTensors;
  for (const line of lines) {
    count("executor-line");
    errors.length = 0;
    const err = await bounded(`executor ${line.slice(0, 40)}`, 30_000, () => ex.execute(line, sink));
    if (err) {
      assert.equal(errors.length, 1, line.slice(0, 100));
      assert.ok(err.evalue.length > 0 && !err.evalue.includes("\n"), `multi-line error for ${line.slice(0, 100)}: ${err.evalue.slice(0, 300)}`);
    }
  }
  assert.ok(tf.memory().numTensors - before <= 2, `tensors grew by ${tf.memory().numTensors - before}`);
  results.length = 0;
  assert.equal(await ex.execute("kept + 1", sink), null);
  assert.deepEqual(results, ["42"]);
  ex.close();
  report("fuzz-magics");
});

test("found by fuzzing: CRLF and U+2028 magic lines are rewritten, not handed to TypeScript", () => {
  assert.match(rewriteCell("%seed 42\r", registryLookup), /^void \(await magic(Discard)?\$\("seed", \["42"\]\)\);$/);
  assert.match(rewriteCell("%seed 42\r\nconst a = 1;\r", registryLookup).split("\n")[0], /^void \(await magic(Discard)?\$\("seed", \["42"\]\)\);$/);
  assert.throws(() => rewriteCell("%backend --quiet=\u2028", registryLookup), /^MagicError: %backend: unknown option/);
});
