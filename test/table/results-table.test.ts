import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aq from "arquero";
import { initBackend } from "../../src/tensor";
import { ResultsTable, RESULT_COLUMNS } from "../../src/table";
import { rows } from "./rows";
import { toMimeBundle } from "../../src/plot";

test("setup", async () => {
  await initBackend();
});

test("append builds the long table: required columns first, parameters filled with null", () => {
  const t = new ResultsTable().append(rows[0]).append(rows.slice(1));
  assert.deepEqual(t.columnNames(), [...RESULT_COLUMNS, "n", "schedule", "guided"]);
  assert.equal(t.numRows(), 3);
  assert.deepEqual(t.objects()[0], { ...rows[0], schedule: null, guided: null });
  assert.equal(t.table.array("n")[1], null);
});

test("CSV and Arrow round trips keep every value and type (names stay text)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-table-"));
  try {
    const t = new ResultsTable(rows);
    t.writeCSV(path.join(dir, "r.csv"));
    t.writeArrow(path.join(dir, "r.arrow"));
    for (const back of [ResultsTable.readCSV(path.join(dir, "r.csv")), ResultsTable.readArrow(path.join(dir, "r.arrow"))]) {
      assert.deepEqual(back.columnNames(), t.columnNames());
      // deepEqual treats NaN as equal to NaN; "1" must not come back as the number 1.
      assert.deepEqual(back.objects(), t.objects());
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("HTML display and MIME bundle", () => {
  const t = new ResultsTable(rows);
  assert.match(t.toHTML(), /^<table>.*<th[^>]*>experiment<\/th>.*fused.*<\/table>$/s);
  const b = toMimeBundle(t, { limit: 2 });
  assert.match(b["text/html"] as string, /2 of 3 rows shown/);
  assert.equal(b["text/plain"], "Table: 3 rows × 9 columns (experiment, model, dataset, seed, metric, value, n, schedule, guided)");
  assert.match(toMimeBundle(aq.table({ a: [1] }))["text/plain"] as string, /^Table: 1 row × 1 column/);
});

test("bad rows and files: clear errors", () => {
  const t = new ResultsTable();
  assert.throws(() => t.append({ ...rows[0], model: "" }), /ResultsTable\.append: argument 'row\.model' must be a non-empty string/);
  assert.throws(() => t.append({ ...rows[0], seed: 0.5 }), /ResultsTable\.append: argument 'row\.seed' must be an integer/);
  assert.throws(() => t.append([rows[0], { ...rows[0], value: "1" as unknown as number }]), /argument 'rows\[1\]\.value' must be a number/);
  assert.throws(() => t.append({ ...rows[0], xs: [1, 2] as unknown as number }), /argument 'row\.xs' must be a string, number, boolean or null/);
  assert.equal(t.numRows(), 0, "a rejected append adds nothing");
  assert.throws(() => ResultsTable.fromCSV("model,value\na,1\n"), /ResultsTable\.fromCSV: argument 'table' must have the columns .*; missing experiment, dataset, seed, metric/);
  assert.throws(() => ResultsTable.fromArrow(new Uint8Array([1, 2, 3])), /ResultsTable\.fromArrow: argument 'bytes' is not Arrow IPC data/);
});
