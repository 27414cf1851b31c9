/** %dataset: a named data set (src/data's loadDataset), described and shown inline (scatter or image grid). */
import { DATASETS, findDataset, listDatasets, loadDataset, type Dataset, type DatasetOptions } from "../data";
import { defineMagic, MagicError } from "./spec";
import { toMimeBundle } from "../plot";
import { figureOf, isImageTensor } from "./figure-of";

/** "1,7" -> [1, 7]; throws on anything that is not a list of integers. */
function parseClasses(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^-?\d+$/.test(p))) throw new Error(`expected comma-separated integer labels like 1,7, got '${text}'`);
  return parts.map(Number);
}

const keys = Object.keys(DATASETS);
// What the name completes to: whole names, and "KEY:" for the rows that take a path after the colon.
const completions = keys.map((k) => (DATASETS[k].takesPath ? `${k}:` : k));
const summaryNames = ["toys", ...listDatasets().filter((_, i) => DATASETS[keys[i]].kind !== "points").map((d) => d.name)];

export const datasetMagic = defineMagic<Dataset>({
  name: "dataset",
  summary: `load a data set by name (${summaryNames.join(", ")}), describe and show it`,
  options: [
    { flags: "--n <n>", description: "number of items (toys draw n points, default 1000; image and table sets subsample)", kind: "positive-int" },
    { flags: "--seed <s>", description: "seed for drawing/subsampling (default: drawn from the session rng, see %seed)", kind: "int" },
    { flags: "--split <split>", description: "train or test split", choices: ["train", "test"] },
    { flags: "--classes <labels>", description: "keep only these labels, e.g. 1,7", kind: parseClasses },
    { flags: "--no-plot", description: "do not show the figure" },
  ],
  args: [{ name: "name", description: "data set name", required: true, completions }],
  help: "Data sets:\n" + listDatasets().map((d) => `  ${d.name.padEnd(14)} ${d.description}`).join("\n") + "\nExample: %dataset moons --n 500 --as moons",
  async run({ args, opts }, ctx) {
    const name = args[0];
    if (typeof name !== "string") throw new MagicError("%dataset: the data set name must be text, e.g. %dataset moons");
    const found = findDataset(name);
    // A row that takes a path needs one ("csv:" alone names no file).
    if (!found || (found.spec.takesPath && found.path === "")) {
      throw new MagicError(`%dataset: unknown data set '${name}'; known: ${listDatasets().map((d) => d.name).join(", ")}`);
    }
    const o: DatasetOptions = { seed: (opts.seed as number | undefined) ?? ctx.rng.int(2 ** 31) };
    if (opts.n !== undefined) o.n = opts.n as number;
    if (opts.split !== undefined) o.split = opts.split as "train" | "test";
    if (opts.classes !== undefined) o.classes = opts.classes as number[];
    const ds = loadDataset(name, o);
    ctx.print(ds.describe());
    if (opts.plot !== false) {
      const x = ds.x;
      if (x.rank === 2 && x.shape[1] === 2) ctx.display(toMimeBundle(figureOf(x, "scatter", { title: `${name} (n = ${x.shape[0]})`, maxPoints: 5000 }, "dataset", name)));
      else if (isImageTensor(x)) ctx.display(toMimeBundle(figureOf(x, "images", { maxImages: 36, title: `${name}: first ${Math.min(36, x.shape[0])} of ${x.shape[0]}` }, "dataset", name)));
    }
    return ds;
  },
});
