/** Conversion to a danfo.js DataFrame, for users who prefer its pandas-like API. danfo is optional. */
import type { ColumnTable } from "arquero";
import { ResultsTable } from "./results-table";
import { fail } from "../tensor";

/** The danfo packages tried, in order: the Node build, then the plain one (which runs on @tensorflow/tfjs). */
export const DANFO_PACKAGES = ["danfojs-node", "danfojs"] as const;

/** The danfo module, or undefined when neither package is installed. */
export function loadDanfo(): { DataFrame: new (data: Record<string, unknown[]>, opts?: unknown) => unknown } | undefined {
  for (const id of DANFO_PACKAGES) {
    try {
      require.resolve(id);
    } catch {
      continue;
    }
    return require(id);
  }
  return undefined;
}

/**
 * A danfo DataFrame with the same columns and rows.
 * @example const df = toDanfo(results); df.groupby(["model"]).col(["value"]).mean().print()
 */
export function toDanfo(table: ResultsTable | ColumnTable): unknown {
  const fn = "toDanfo";
  const t = table instanceof ResultsTable ? table.table : table;
  if (t === null || typeof t !== "object" || typeof (t as ColumnTable).columnNames !== "function") fail(fn, "table", "must be a ResultsTable or an arquero table");
  const dfd = loadDanfo();
  if (!dfd) {
    throw new Error(`${fn}: danfo.js is not installed; add the npm package "danfojs" (or "danfojs-node") to use DataFrames. Results tables work without it.`);
  }
  const cols: Record<string, unknown[]> = {};
  for (const name of t.columnNames()) cols[name] = Array.from(t.array(name) as ArrayLike<unknown>);
  return new dfd.DataFrame(cols);
}
