/**
 * Tabular data (CSV or Apache Arrow IPC files) read through arquero and turned into a float tensor.
 */
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";
import { fail } from "../tensor";

type Table = ReturnType<typeof aq.fromCSV>;

/**
 * Columns of an arquero table as a float tensor [rows, columns] (all columns when none are named). A missing
 * column or a value that is not a finite number is an error naming the column.
 * @example const x = tableToTensor(aq.fromCSV("a,b\n1,2\n3,4"), ["a", "b"]); // [[1, 2], [3, 4]]
 */
export function tableToTensor(table: Table, columns?: string[]): tf.Tensor2D {
  const fn = "tableToTensor";
  if (!table || typeof (table as { columnNames?: unknown }).columnNames !== "function") fail(fn, "table", "must be an arquero table");
  const have = table.columnNames();
  const cols = columns ?? have;
  if (!Array.isArray(cols) || cols.length === 0) fail(fn, "columns", "must be a non-empty array of column names");
  const missing = cols.filter((c) => !have.includes(c));
  if (missing.length) fail(fn, "columns", `names missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `'${c}'`).join(", ")}; the table has ${have.map((c) => `'${c}'`).join(", ")}`);
  const n = table.numRows(), d = cols.length;
  const out = new Float32Array(n * d);
  cols.forEach((c, j) => {
    const values = table.array(c) as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const num = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN;
      if (!Number.isFinite(num)) fail(fn, "columns", `column '${c}' row ${i} is ${JSON.stringify(v)}, not a finite number`);
      out[i * d + j] = num;
    }
  });
  return tf.tensor2d(out, [n, d]);
}

/**
 * Reads a CSV file, or an Arrow IPC file (by extension .arrow, .feather or .ipc), as an arquero table.
 * @example const table = readTable("runs.csv");
 */
export function readTable(path: string): Table {
  const fn = "readTable";
  if (typeof path !== "string" || path === "") fail(fn, "path", "must be a non-empty string");
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw new Error(`${fn}: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // arquero throws TypeErrors on empty or garbled input; say which file and what was expected instead.
  if (bytes.toString("utf8").trim() === "") fail(fn, "path", `'${path}' is empty; expected a CSV with a header row, or an Arrow file`);
  try {
    if (/\.(arrow|feather|ipc)$/i.test(path)) return aq.fromArrow(new Uint8Array(bytes)) as Table;
    return aq.fromCSV(bytes.toString("utf8"));
  } catch (e) {
    return fail(fn, "path", `'${path}' does not parse as ${/\.(arrow|feather|ipc)$/i.test(path) ? "an Arrow file" : "CSV"}: ${(e as Error).message}`);
  }
}
