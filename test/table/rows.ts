/** Result rows shared by the table tests (not a test file): a number, a NaN, a tiny negative, extra columns and nulls. */
import type { ResultRow } from "../../src/table/results-table";

export const rows: ResultRow[] = [
  { experiment: "fusion", model: "1", dataset: "moons", seed: 0, metric: "mmd", value: 0.0125, n: 100 },
  { experiment: "fusion", model: "fused", dataset: "moons", seed: 1, metric: "mmd", value: NaN, schedule: "vp", guided: true },
  { experiment: "gap", model: "mlp", dataset: "2020-01-01", seed: 2, metric: "dsm", value: -1.5e-8, n: null },
];
