/** grades.csv, the grades table and the score figure from a hand-made set of rows: exact columns, values, percentages. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { GRADE_COLUMNS, gradesCsv, gradesTable, scoreDistributionFigure } from "../../../src/check/grade/report";
import type { GradeRow } from "../../../src/check/grade/types";

const r = (student: string, grade_id: string, points: number, max_points: number): GradeRow =>
  ({ student, grade_id, points, max_points, status: points === max_points ? "ok" : "failed", message: "m, with a comma", seconds: 0.5 });
const rows = [r("a", "q1", 2, 2), r("a", "q2", 0, 3), r("b", "q1", 1, 2), r("b", "q2", 3, 3), r("c", "q1", 0, 0)];

test("gradesCsv: the columns in order, one line per row, text with commas quoted", () => {
  const csv = gradesCsv(rows);
  assert.equal(csv.split("\n")[0], GRADE_COLUMNS.join(","));
  const back = aq.fromCSV(csv);
  assert.equal(back.numRows(), rows.length);
  assert.deepEqual(back.objects()[1], { ...rows[1] });
});

test("gradesTable: one result per row, points as the value, student as the model", () => {
  const t = gradesTable(rows, "pair");
  assert.equal(t.numRows(), 5);
  const o = t.table.objects()[3] as Record<string, unknown>;
  assert.deepEqual([o.experiment, o.model, o.dataset, o.metric, o.value, o.grade_id, o.max_points], ["grade", "b", "pair", "points", 3, "q2", 3]);
});

test("scoreDistributionFigure: a box per question and the total, in percent; a question of 0 points counts as full", () => {
  const f = scoreDistributionFigure(rows);
  const data = f.data as { name: string; y: number[]; text: string[] }[];
  assert.deepEqual(data.map((d) => d.name), ["q1", "q2", "total"]);
  assert.deepEqual(data[0].y, [100, 50, 100]);
  assert.deepEqual(data[0].text, ["a", "b", "c"]);
  assert.deepEqual(data[1].y, [0, 100]);
  // Totals: a 2 of 5, b 4 of 5, c 0 of 0.
  assert.deepEqual(data[2].y, [40, 80, 100]);
  assert.match(JSON.stringify(f.layout), /Score distribution per question/);
});
