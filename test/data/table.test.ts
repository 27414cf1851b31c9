import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aq from "arquero";
import { initBackend } from "../../src/tensor";
import { readTable, tableToTensor } from "../../src/data/table";

test("tableToTensor: numeric columns to a tensor; a non-number cell names its column and row", async () => {
  await initBackend();
  const t = tableToTensor(aq.fromCSV("u,v\n1,x\n"), ["u"]);
  assert.deepEqual(t.arraySync(), [[1]]);
  t.dispose();
  assert.throws(() => tableToTensor(aq.fromCSV("u,v\n1,x\n"), ["v"]), /column 'v' row 0 is "x", not a finite number/);
});

test("readTable: a CSV and an Arrow file give the same table; a missing, empty or garbled file names the path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-table-"));
  try {
    const csv = path.join(dir, "t.csv"), arrow = path.join(dir, "t.arrow");
    fs.writeFileSync(csv, "a,b\n1,2\n3,4\n");
    fs.writeFileSync(arrow, aq.toArrowIPC(aq.fromCSV("a,b\n1,2\n3,4\n")));
    for (const p of [csv, arrow]) {
      const t = readTable(p);
      assert.deepEqual(t.columnNames(), ["a", "b"], p);
      assert.deepEqual(Array.from(t.array("b") as ArrayLike<number>, Number), [2, 4], p);
    }
    assert.throws(() => readTable(path.join(dir, "none.csv")), /readTable: cannot read '.*none\.csv': ENOENT/);
    fs.writeFileSync(path.join(dir, "e.csv"), "  \n");
    assert.throws(() => readTable(path.join(dir, "e.csv")), /readTable: argument 'path' '.*e\.csv' is empty; expected a CSV with a header row/);
    fs.writeFileSync(path.join(dir, "g.arrow"), "not arrow");
    assert.throws(() => readTable(path.join(dir, "g.arrow")), /readTable: argument 'path' '.*g\.arrow' does not parse as an Arrow file/);
    assert.throws(() => readTable(""), /readTable: argument 'path' must be a non-empty string/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
