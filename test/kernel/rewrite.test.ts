/** Magic syntax: tokenizing, rewriting into typed calls, and parsing arguments with commander. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MagicError, magicHelp, parseMagicArgs, registryLookup, findMagic } from "../../src/magics";
import { rewriteCell, tokenize } from "../../kernel/rewrite";

const rw = (c: string) => rewriteCell(c, registryLookup);

test("tokenize: quotes group, braces interpolate and nest", () => {
  const t = tokenize(`-n 3 --label "a b" {f({x: 1})} pre{y}post ''`);
  assert.deepEqual(t.map((x) => x.parts), [
    [{ text: "-n" }], [{ text: "3" }], [{ text: "--label" }], [{ text: "a b" }],
    [{ expr: "f({x: 1})" }], [{ text: "pre" }, { expr: "y" }, { text: "post" }], [{ text: "" }],
  ]);
  assert.throws(() => tokenize("{x"), /unbalanced '\{'/);
  assert.throws(() => tokenize("x}"), /unbalanced '\}'/);
  assert.throws(() => tokenize(`"abc`), /unclosed " quote/);
});

test("rewrite: line magics, --as, interpolation, cell magics, plain code untouched", () => {
  assert.equal(rw("const a = 1;\na + 1"), "const a = 1;\na + 1");
  assert.equal(rw("%seed 42 --as rng"), `const rng = await magic$("seed", ["42"]);`);
  assert.equal(rw("  %backend"), `  void (await magicDiscard$("backend", []));`);
  assert.equal(rw("%seed {k + 1}"), `void (await magicDiscard$("seed", [[k + 1][0]]));`);
  assert.equal(rw("%timeit -n 5 f(x)"), `void (await magicDiscard$("timeit", ["-n", "5"], async () => { f(x)\n}));`);
  assert.equal(rw("%%time\nlet q = 1;"), `void (await magicDiscard$("time", [], async () => {\nlet q = 1;\n}));`);
  assert.equal(rw("%seed?"), `void magicHelp$("seed");`);
  // Line count is preserved so TypeScript's line numbers still point at the user's lines.
  assert.equal(rw("let a = 1;\n%seed 1\nlet b = 2;").split("\n").length, 3);
});

test("rewrite: errors name the problem in one line", () => {
  const cases: [string, RegExp][] = [
    ["%nosuch", /unknown magic %nosuch/],
    ["%seed 1 --as 9x", /--as expects a variable name/],
    ["%seed 1 --as __x", /not starting with __/],
    ["%seed --bogus", /unknown option '--bogus'/],
    ["%time", /cell magic/],
    ["%%seed 1\nx", /line magic/],
    ["let a;\n%%time", /line 2: %%time must be the cell's first line/],
    ["%timeit -n 3", /no code to run/],
  ];
  for (const [code, re] of cases) {
    assert.throws(() => rw(code), (e: unknown) => e instanceof MagicError && re.test(e.message) && !e.message.includes("\n"), code);
  }
});

test("parse: typed values, defaults, placeholders for objects, help from the same spec", () => {
  const timeit = findMagic("timeit")!;
  const p = parseMagicArgs(timeit, ["-n", "7", "-q", "code"]);
  assert.deepEqual(p.opts, { number: 7, repeat: 5, quiet: true });
  const seed = findMagic("seed")!;
  assert.deepEqual(parseMagicArgs(seed, [12]).args, [12]);
  assert.throws(() => parseMagicArgs(seed, ["1.5"]), /expected an integer/);
  assert.throws(() => parseMagicArgs(timeit, ["-n", "0", "x"]), /positive integer/);
  const obj = { big: true };
  const custom = { name: "t", summary: "s", options: [{ flags: "--m <model>", description: "d" }], async run() { return 0; } };
  assert.equal(parseMagicArgs(custom, ["--m", obj]).opts.m, obj);
  const help = magicHelp(timeit);
  assert.match(help, /Usage: %timeit/);
  assert.match(help, /-n, --number <n>/);
  assert.match(help, /--as <name>/);
});

test("--as refuses JavaScript's reserved words with one MagicError", () => {
  for (const w of ["true", "class", "await", "let"]) assert.throws(() => rewriteCell(`%seed 1 --as ${w}`, registryLookup), new RegExp(`--as '${w}' is a reserved word`));
});
