/**
 * The text of an inspect_reply (Shift+Tab) for TypeScript code: the doc comment first, then the signature, then
 * tags. tslab prints the signature first, and for an overloaded library function its overloads fill the tooltip
 * before the doc comment shows (issue 21).
 */

/** The parts of TypeScript's QuickInfo that the text uses (a structural subset, so no TypeScript import). */
export interface QuickInfoParts {
  displayParts?: { text: string }[];
  documentation?: { text: string }[];
  tags?: { name: string; text?: { text: string }[] }[];
}

/**
 * Doc comment, a blank line, the signature, then @param/@example tags.
 * @example quickInfoText({ displayParts: [{ text: "f(): void" }], documentation: [{ text: "Does f." }] }) // "Does f.\n\nf(): void"
 */
export function quickInfoText(info: QuickInfoParts): string {
  const doc = (info.documentation ?? []).map((d) => d.text).join("").trim();
  const signature = (info.displayParts ?? []).map((p) => p.text).join("");
  const tags = (info.tags ?? [])
    .map((t) => {
      const text = (t.text ?? []).map((x) => x.text).join("");
      return text ? (t.name === "param" ? `@param ${text}` : t.name === "example" ? `@example ${text}` : text) : "";
    })
    .filter(Boolean);
  return [doc, signature, tags.join("\n")].filter(Boolean).join("\n\n");
}
