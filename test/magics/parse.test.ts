/**
 * The magic parser: a spec's options and arguments parsed by kind, interpolated values passed through, help from the
 * same command; and 100+ malformed magic lines through the real executor, each one error line, the session alive
 * (moved from test/magics/malformed.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createKernelExecutor, CellError, CellSink } from "../../kernel/executor";
import { initBackend } from "../../src/tensor";
import { AS_OPTION, magicCommand, magicHelp, parseMagicArgs } from "../../src/magics/parse";
import { defineMagic, MagicError } from "../../src/magics/spec";

test("malformed magic lines: one-line errors, live executor, variables intact", async () => {
  await initBackend();
  const ex = createKernelExecutor(process.cwd());
  await ex.preload();
  const results: unknown[] = [];
  const errors: CellError[] = [];
  const sink: CellSink = { stream() {}, display() {}, result: (b) => results.push(b["text/plain"]), error: (e) => errors.push(e) };
  assert.equal(await ex.execute("let kept = 41;", sink), null);
  const lines: string[] = [];
  for (const name of ["nosuch", "seeed", "timit", "back end", "lsmagic2", "x-y", "_"]) lines.push(`%${name}`, `%${name} 1 2`);
  for (const flag of ["--bogus", "-z", "--number", "--as", "--as 1a", "--as=", "--as __a", "--quiet=3 --x"]) lines.push(`%seed 1 ${flag}`, `%backend ${flag}`);
  for (const v of ["abc", "1.5", "", "NaN", "Infinity", "1e400", "--", "0x", "'  '", "{'str'}", "{ {a: 1} }"]) lines.push(`%seed ${v}`);
  for (const v of ["0", "-1", "2.5", "abc", "1e9x", "{-3}", "{'x'}"]) lines.push(`%timeit -n ${v} 1+1`, `%timeit -r ${v} 1+1`);
  for (const b of ["{", "}", "{x", "x}", "{{}", "{}", "{ }", "{a}}", '{"}', "'{", "\"abc", "'abc", "{`}"]) lines.push(`%seed ${b}`, `%backend --as v ${b}`);
  for (const s of ["%%time 3", "%time", "%%seed 1", "%timeit", "%timeit -n 2", "%lsmagic extra", "%seed? x", "%seed 1 2", "%backend x", "%%lsmagic"]) lines.push(s);
  for (let i = 0; i < 20; i++) lines.push(`%seed ${"x".repeat(i + 1)}`);
  assert.ok(lines.length >= 100, `only ${lines.length} lines`);
  for (const line of lines) {
    errors.length = 0;
    const err = await ex.execute(line, sink);
    assert.ok(err, `no error for ${JSON.stringify(line)}`);
    assert.equal(errors.length, 1, line);
    assert.ok(!err.evalue.includes("\n") && err.evalue.length > 0, `multi-line error for ${JSON.stringify(line)}: ${err.evalue}`);
  }
  results.length = 0;
  assert.equal(await ex.execute("kept + 1", sink), null);
  assert.deepEqual(results, ["42"]);
  ex.close();
});

const spec = defineMagic({
  name: "demo",
  summary: "a magic for the parser's tests",
  options: [
    { flags: "-n, --n-steps <n>", description: "steps", kind: "positive-int", default: 10 },
    { flags: "--lr <x>", description: "rate", kind: "number" },
    { flags: "--shift <k>", description: "shift", kind: "int" },
    { flags: "--mode <m>", description: "mode", choices: ["a", "b"], default: "a" },
    { flags: "--even <k>", description: "an even number", kind: (t) => { if (Number(t) % 2 !== 0) throw new Error(`'${t}' is odd`); return Number(t); } },
    { flags: "--quiet", description: "say less" },
  ],
  args: [{ name: "what", description: "a value", required: true }],
  async run() { return 0; },
});

test("parseMagicArgs: options by camel-cased name with defaults, numbers by kind, --as left to the rewriter", () => {
  assert.deepEqual(parseMagicArgs(spec, ["x"]), { opts: { nSteps: 10, mode: "a" }, args: ["x"] });
  const p = parseMagicArgs(spec, ["-n", "3", "--lr", "1e-3", "--shift", "-2", "--mode", "b", "--even", "4", "--quiet", "--as", "y", "x"]);
  assert.deepEqual(p, { opts: { nSteps: 3, lr: 0.001, shift: -2, mode: "b", even: 4, quiet: true }, args: ["x"] });
  // Numbers and booleans from {expr} parse as their text; any other value passes through unchanged.
  const value = { a: [1] };
  assert.deepEqual(parseMagicArgs(spec, ["--n-steps", 7, value]), { opts: { nSteps: 7, mode: "a" }, args: [value] });
  assert.equal(parseMagicArgs(spec, [value]).args[0], value, "the same object, not a copy");
});

test("parseMagicArgs: each bad token is one MagicError naming the magic and pointing to its help", () => {
  const cases: [unknown[], RegExp][] = [
    [["-n", "0", "x"], /^%demo: option '-n, --n-steps <n>' argument '0' is invalid\. expected a positive integer, got '0' \(see %demo\?\)$/],
    [["--shift", "1.5", "x"], /expected an integer, got '1\.5'/],
    [["--lr", "abc", "x"], /expected a finite number, got 'abc'/],
    [["--lr", " ", "x"], /expected a finite number, got ' '/],
    [["--mode", "c", "x"], /Allowed choices are a, b/],
    [["--even", "3", "x"], /'3' is odd/],
    [[], /missing required argument 'what'/],
    [["x", "y"], /too many arguments/],
    [["--bogus", "x"], /unknown option '--bogus'/],
    [[{ t: 1 }, { t: 2 }], /too many arguments\. Expected 1 argument but got 2/],
    // An interpolated value is named by its position, not dumped into the message.
    [["--lr", { t: 1 }, "x"], /^%demo: option '--lr <x>' argument 'value#0' is invalid\. expected a finite number, got 'value#0' \(see %demo\?\)$/],
  ];
  for (const [tokens, re] of cases) {
    assert.throws(() => parseMagicArgs(spec, tokens), (e: unknown) => e instanceof MagicError && re.test(e.message) && !e.message.includes("\n"), JSON.stringify(tokens));
  }
});

test("magicHelp: usage from the same command that parses, every option and --as, the long help after the summary", () => {
  const withHelp = defineMagic({ ...spec, help: "Examples: %demo 1" });
  const h = magicHelp(withHelp);
  assert.match(h, /^Usage: %demo \[options\] <what>/);
  for (const f of ["--n-steps", "--lr", "--shift", "--mode", "--even", "--quiet", AS_OPTION.flags]) assert.ok(h.includes(f), `help lacks ${f}`);
  assert.match(h, /a magic for the parser's tests\n\nExamples: %demo 1/);
  assert.equal(magicCommand(defineMagic({ ...spec, body: "cell" })).name(), "%%demo");
  assert.match(magicHelp(defineMagic({ ...spec, args: [], body: "line" })), /\[code\.\.\.\]/);
});
