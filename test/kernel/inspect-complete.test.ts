import { test } from "node:test";
import assert from "node:assert/strict";
import { ScorelabHandler } from "../../kernel/server";
import { quickInfoText } from "../../kernel/quick-info";
import { isInternalExport, publicCompletions } from "../../src/magics/public-api";
import { sharedSession } from "./session";

const session = sharedSession();

test("quickInfoText puts the doc comment before the signature, then the tags", () => {
  const text = quickInfoText({
    displayParts: [{ text: "function f(a: number): void" }, { text: " (+2 overloads)" }],
    documentation: [{ text: "Does f (Song et al. 2021, eq. 6)." }],
    tags: [{ name: "param", text: [{ text: "a the input" }] }, { name: "example", text: [{ text: "f(1)" }] }, { name: "deprecated" }],
  });
  assert.equal(text, "Does f (Song et al. 2021, eq. 6).\n\nfunction f(a: number): void (+2 overloads)\n\n@param a the input\n@example f(1)");
  assert.equal(quickInfoText({ displayParts: [{ text: "let x: number" }] }), "let x: number");
});

test("publicCompletions hides internals after `lab.` only", () => {
  for (const n of ["checkTensor", "fail", "checkNumber", "blasAddon", "CHROMIUM_FLAGS", "plotlyLoaderJs"]) assert.ok(isInternalExport(n), n);
  for (const n of ["eulerMaruyama", "trainScore", "exportFigure", "toMimeBundle", "Rng"]) assert.equal(isInternalExport(n), false, n);
  assert.deepEqual(publicCompletions("lab.che", 7, ["checkTensor", "checkpoint"]), ["checkpoint"]);
  assert.deepEqual(publicCompletions("const a = lab.", 14, ["fail", "fuse"]), ["fuse"]);
  assert.deepEqual(publicCompletions("mylab.", 6, ["fail"]), ["fail"], "another object keeps its members");
  assert.deepEqual(publicCompletions("lab.fusion.", 11, ["fail"]), ["fail"], "a namespace below lab is not the index");
});

test("through the kernel's handler: Shift+Tab on lab.eulerMaruyama starts with its doc comment; lab. completion has no internals", async () => {
  const kx = await session();
  const h = new ScorelabHandler(kx, () => "");
  const code = "lab.eulerMaruyama";
  const r = h.handleInspect({ code, cursor_pos: code.length, detail_level: 0 } as Parameters<ScorelabHandler["handleInspect"]>[0]);
  const text = String((r.data as Record<string, unknown>)["text/plain"]);
  assert.match(text, /^Samples by Euler–Maruyama on the reverse SDE/);
  assert.ok(text.indexOf("eulerMaruyama(score") > text.indexOf("Song et al. 2021"), "signature after the doc comment");
  const c = h.handleComplete({ code: "lab.", cursor_pos: 4 } as Parameters<ScorelabHandler["handleComplete"]>[0]);
  assert.ok(c.matches.includes("eulerMaruyama") && c.matches.includes("trainScore"), "public API offered");
  for (const n of ["checkTensor", "fail", "checkNumber", "blasAddon", "CHROMIUM_FLAGS"]) assert.ok(!c.matches.includes(n), `${n} hidden`);
  // Other completions are tslab's, unfiltered.
  const m = h.handleComplete({ code: "Math.ab", cursor_pos: 7 } as Parameters<ScorelabHandler["handleComplete"]>[0]);
  assert.deepEqual(m.matches, ["abs"]);
  const none = h.handleInspect({ code: "   ", cursor_pos: 1, detail_level: 0 } as Parameters<ScorelabHandler["handleInspect"]>[0]);
  assert.equal(none.found, false);
});
