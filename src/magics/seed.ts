/** %seed: the session Rng that later magics (%dataset, %sample, …) draw from. */
import { Rng } from "../tensor";
import { defineMagic } from "./spec";

export const seedMagic = defineMagic<Rng>({
  name: "seed",
  summary: "set the session random generator used by later magics",
  options: [],
  args: [{ name: "seed", description: "integer seed", required: true, kind: "int" }],
  async run({ args }, ctx) {
    const rng = new Rng(args[0] as number);
    ctx.setRng(rng);
    ctx.print(`session rng seeded with ${rng.seed}`);
    return rng;
  },
});
