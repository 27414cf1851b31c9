import { test } from "node:test";
import assert from "node:assert/strict";
import { quickInfoText } from "../../kernel/quick-info";

test("quickInfoText puts the doc comment before the signature, then the tags", () => {
  const text = quickInfoText({
    displayParts: [{ text: "function f(a: number): void" }, { text: " (+2 overloads)" }],
    documentation: [{ text: "Does f (Song et al. 2021, eq. 6)." }],
    tags: [{ name: "param", text: [{ text: "a the input" }] }, { name: "example", text: [{ text: "f(1)" }] }, { name: "deprecated" }],
  });
  assert.equal(text, "Does f (Song et al. 2021, eq. 6).\n\nfunction f(a: number): void (+2 overloads)\n\n@param a the input\n@example f(1)");
  assert.equal(quickInfoText({ displayParts: [{ text: "let x: number" }] }), "let x: number");
});
