/**
 * Results of runs, one row per (run, metric): the columns experiment, model, dataset, seed, metric, value name
 * the run and what was measured, and any further columns hold the run's parameters (steps, n, schedule…).
 * Long format keeps every experiment's results in one shape, so a sweep, a table in a paper and a plot all
 * read the same file. Backed by an arquero table; read and written as CSV and Apache Arrow.
 */
import * as fs from "node:fs";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { fail } from "../tensor";

/** The columns every results row has, in this order. */
export const RESULT_COLUMNS = ["experiment", "model", "dataset", "seed", "metric", "value"] as const;

/** A parameter value: what a CSV cell and an Arrow column can both hold. */
export type ParamValue = string | number | boolean | null;

/** One measured value of one run. `value` may be NaN (a diverged run is a result too). */
export interface ResultRow {
  experiment: string;
  model: string;
  dataset: string;
  seed: number;
  metric: string;
  value: number;
  [param: string]: ParamValue;
}

const STRING_COLUMNS = ["experiment", "model", "dataset", "metric"] as const;

function checkRow(row: unknown, fn: string, arg: string): ResultRow {
  if (row === null || typeof row !== "object" || Array.isArray(row)) fail(fn, arg, "must be an object with experiment, model, dataset, seed, metric, value");
  const r = row as Record<string, unknown>;
  for (const c of STRING_COLUMNS) {
    if (typeof r[c] !== "string" || (r[c] as string).length === 0) fail(fn, `${arg}.${c}`, `must be a non-empty string, got ${r[c] === undefined ? "nothing" : JSON.stringify(r[c])}`);
  }
  if (typeof r.seed !== "number" || !Number.isInteger(r.seed)) fail(fn, `${arg}.seed`, `must be an integer, got ${String(r.seed)}`);
  if (typeof r.value !== "number") fail(fn, `${arg}.value`, `must be a number, got ${r.value === undefined ? "nothing" : typeof r.value}`);
  for (const [k, v] of Object.entries(r)) {
    const ok = v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
    if (!ok) fail(fn, `${arg}.${k}`, `must be a string, number, boolean or null (a table cell), got ${Array.isArray(v) ? "an array" : typeof v}`);
  }
  return r as ResultRow;
}

function checkColumns(t: ColumnTable, fn: string, arg: string): void {
  const names = t.columnNames();
  const missing = RESULT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) fail(fn, arg, `must have the columns ${RESULT_COLUMNS.join(", ")}; missing ${missing.join(", ")}`);
}

/**
 * A growing table of run results.
 * @example
 * const results = new ResultsTable();
 * results.append({ experiment: "fusion", model: "fused", dataset: "moons", seed: 0, metric: "mmd", value: 0.01, n: 100 });
 * results.toHTML();
 */
export class ResultsTable {
  private rows: ResultRow[] = [];
  private cached: ColumnTable | undefined;

  /** @example new ResultsTable([{ experiment: "e", model: "m", dataset: "d", seed: 0, metric: "loss", value: 1 }]) */
  constructor(rows: ResultRow[] = []) {
    if (!Array.isArray(rows)) fail("ResultsTable", "rows", "must be an array of result rows");
    this.append(rows);
  }

  /**
   * Appends one row or many; parameters not seen before become new columns (empty in earlier rows).
   * @example results.append([{ ...run, metric: "mmd", value: 0.02 }, { ...run, metric: "nll", value: 1.3 }])
   */
  append(rows: ResultRow | ResultRow[]): this {
    const list = Array.isArray(rows) ? rows : [rows];
    const checked = list.map((r, i) => checkRow(r, "ResultsTable.append", Array.isArray(rows) ? `rows[${i}]` : "row"));
    // Copy so later edits of the caller's objects do not change recorded results.
    for (const r of checked) this.rows.push({ ...r });
    if (checked.length) this.cached = undefined;
    return this;
  }

  /** The arquero table (required columns first, then parameters in order of first appearance). */
  get table(): ColumnTable {
    if (!this.cached) {
      const names: string[] = [...RESULT_COLUMNS];
      for (const r of this.rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
      const cols: Record<string, ParamValue[]> = {};
      for (const n of names) cols[n] = this.rows.map((r) => (n in r ? r[n] : null));
      this.cached = aq.table(cols);
    }
    return this.cached;
  }

  numRows(): number {
    return this.rows.length;
  }
  numCols(): number {
    return this.table.numCols();
  }
  columnNames(): string[] {
    return this.table.columnNames();
  }
  /** Rows as plain objects (copies). */
  objects(): ResultRow[] {
    return this.table.objects() as ResultRow[];
  }

  /**
   * HTML <table> (at most `limit` rows, default 100).
   * @example results.toHTML({ limit: 20 })
   */
  toHTML(opts: { limit?: number } = {}): string {
    return this.table.toHTML({ limit: opts.limit ?? 100 });
  }

  /** @example fs.writeFileSync("runs.csv", results.toCSV()) */
  toCSV(): string {
    return this.table.toCSV();
  }

  /**
   * Parses CSV written by toCSV (or any CSV with the required columns). The name columns are kept as text
   * even when they look like numbers (a model called "1" stays "1").
   * @example ResultsTable.fromCSV(fs.readFileSync("runs.csv", "utf8"))
   */
  static fromCSV(text: string): ResultsTable {
    const fn = "ResultsTable.fromCSV";
    if (typeof text !== "string") fail(fn, "text", `must be a CSV string, got ${typeof text}`);
    const parse = Object.fromEntries(STRING_COLUMNS.map((c) => [c, (v: string) => v]));
    return ResultsTable.fromTable(aq.fromCSV(text, { parse }), fn);
  }

  /** Apache Arrow IPC bytes (file format, readable by pyarrow, polars, DuckDB). */
  toArrow(): Uint8Array {
    return aq.toArrowIPC(this.table, { format: "file" });
  }

  /**
   * Reads Arrow IPC bytes (file or stream format).
   * @example ResultsTable.fromArrow(fs.readFileSync("runs.arrow"))
   */
  static fromArrow(bytes: Uint8Array): ResultsTable {
    const fn = "ResultsTable.fromArrow";
    if (!(bytes instanceof Uint8Array)) fail(fn, "bytes", "must be a Uint8Array (or Buffer) of Arrow IPC data");
    let t: ColumnTable;
    try {
      t = aq.fromArrow(bytes);
    } catch (e) {
      fail(fn, "bytes", `is not Arrow IPC data (${(e as Error).message})`);
    }
    return ResultsTable.fromTable(t, fn);
  }

  /**
   * Wraps an arquero table that has the required columns (rows are validated).
   * @example ResultsTable.fromTable(aq.from(rows))
   */
  static fromTable(t: ColumnTable, fn = "ResultsTable.fromTable"): ResultsTable {
    if (t === null || typeof t !== "object" || typeof (t as ColumnTable).columnNames !== "function") fail(fn, "table", "must be an arquero table");
    checkColumns(t, fn, "table");
    const rows = (t.objects() as Record<string, unknown>[]).map((r) => {
      // Arrow may hand back 64-bit integers as BigInt; a seed or a count fits a double.
      for (const k of Object.keys(r)) if (typeof r[k] === "bigint") r[k] = Number(r[k]);
      return r as ResultRow;
    });
    const out = new ResultsTable();
    out.rows = rows.map((r, i) => ({ ...checkRow(r, fn, `row ${i}`) }));
    return out;
  }

  /** @example results.writeCSV("results/fusion.csv") */
  writeCSV(path: string): void {
    checkPath(path, "ResultsTable.writeCSV");
    fs.writeFileSync(path, this.toCSV());
  }
  /** @example ResultsTable.readCSV("results/fusion.csv") */
  static readCSV(path: string): ResultsTable {
    checkPath(path, "ResultsTable.readCSV");
    return ResultsTable.fromCSV(fs.readFileSync(path, "utf8"));
  }
  /** @example results.writeArrow("results/fusion.arrow") */
  writeArrow(path: string): void {
    checkPath(path, "ResultsTable.writeArrow");
    fs.writeFileSync(path, this.toArrow());
  }
  /** @example ResultsTable.readArrow("results/fusion.arrow") */
  static readArrow(path: string): ResultsTable {
    checkPath(path, "ResultsTable.readArrow");
    return ResultsTable.fromArrow(fs.readFileSync(path));
  }
}

function checkPath(path: unknown, fn: string): void {
  if (typeof path !== "string" || path.length === 0) fail(fn, "path", "must be a non-empty file path string");
}
