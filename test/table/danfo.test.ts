// toDanfo (src/table/danfo.ts): a danfo.js DataFrame with the table's columns and rows; danfo is optional.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as aq from "arquero";
import { ResultsTable } from "../../src/table/results-table";
import { DANFO_PACKAGES, loadDanfo, toDanfo } from "../../src/table/danfo";
import { rows } from "./rows";

test("toDanfo: a DataFrame with the same shape when danfo is installed, else a clear error", () => {
  const t = new ResultsTable(rows);
  if (loadDanfo()) {
    const df = toDanfo(t) as { shape: number[]; columns: string[] };
    assert.deepEqual(df.shape, [3, 9]);
    assert.deepEqual(df.columns, t.columnNames());
  } else {
    assert.throws(() => toDanfo(t), /toDanfo: danfo\.js is not installed; add the npm package "danfojs"/);
  }
  assert.throws(() => toDanfo({} as ResultsTable), /toDanfo: argument 'table' must be a ResultsTable or an arquero table/);
});

test("an arquero table converts too, column by column with the same values; the Node build is tried first", () => {
  assert.deepEqual([...DANFO_PACKAGES], ["danfojs-node", "danfojs"]);
  const t = aq.table({ metric: ["mmd", "kl"], value: [0.5, 2] });
  if (loadDanfo()) {
    const df = toDanfo(t) as { shape: number[]; columns: string[]; values: unknown[][] };
    assert.deepEqual(df.shape, [2, 2]);
    assert.deepEqual(df.columns, ["metric", "value"]);
    assert.deepEqual(df.values, [["mmd", 0.5], ["kl", 2]]);
  } else {
    assert.throws(() => toDanfo(t), /toDanfo: danfo\.js is not installed/);
  }
  assert.throws(() => toDanfo(null as never), /toDanfo: argument 'table' must be a ResultsTable or an arquero table/);
});
