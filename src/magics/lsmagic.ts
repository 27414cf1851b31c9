/** %lsmagic: the registered magics with their one-line summaries. */
import { defineMagic, type MagicSpec } from "./spec";

/** %lsmagic over the registry's list (passed in, so that this file and registry.ts do not import each other). */
export const lsmagicMagic = (magicList: () => MagicSpec[]) => defineMagic<string[]>({
  name: "lsmagic",
  summary: "list the available magics (%name? shows one magic's help)",
  options: [],
  async run(_args, ctx) {
    const specs = magicList();
    const width = Math.max(...specs.map((s) => s.name.length + (s.body === "cell" ? 2 : 1)));
    const lines = specs.map((s) => `${((s.body === "cell" ? "%%" : "%") + s.name).padEnd(width)}  ${s.summary}`);
    ctx.print(lines.join("\n") + "\n\n%name? shows a magic's help; --as NAME binds its result; {expr} interpolates a value.");
    return specs.map((s) => s.name);
  },
});
